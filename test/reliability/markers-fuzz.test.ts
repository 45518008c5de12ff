// The timeline marker parsers never throw and keep every range inside the file (SPEC §9): fast-check
// over the marker fixtures mutated with the text that means something to their formats (tabs, `* `
// comment lines, Resolve's `|C: |M: |D:`, XML entities and tags, timecodes and rational times) and
// the tokens of the other fuzzers; every text is also read in every other marker format.
// FUZZ_RUNS=<n> scales every property.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../../server/src/core/line-index.js';
import { lintText, parseDocument } from '../../server/src/core/lint.js';
import { sniffMarkerList, TIMELINE_MARKER_FORMATS } from '../../server/src/core/markers/index.js';
import type { TimelineMarkerFormat } from '../../server/src/core/types.js';
import { fixture } from '../core/markers-helpers.js';
import { applyMutations, assertDocumentRanges, assertRange, HOSTILE_TOKENS } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS) || 0;
const runs = (n: number) => (RUNS > 0 ? RUNS : n);

const SEEDS: [TimelineMarkerFormat, string][] = [
  ['edl', fixture('reel3-lock.edl')],
  ['edl', fixture('resolve-markers.edl')],
  ['avid-markers', fixture('avid-marker-list.txt')],
  ['premiere-markers', fixture('premiere-markers.csv')],
  ['premiere-markers', fixture('premiere-markers-df.txt')],
  ['fcpxml', fixture('harbour-doc.fcpxml')],
  ['fcpxml', fixture('Harbour Doc R3.fcpxmld/Info.fcpxml')],
];

const MARKER_TOKENS: readonly string[] = [
  '\t', '\t\t', '* ', '*', '\n* ', '\n* tool: x', '\n* LOC: ', '* LOC: 01:00:00:00 RED ', ' |C:ResolveColorRed |M:', ' |M:', ' |D:', ' |D:12', '|C:',
  '001  AX  V  C  ', '00:00:00:00 ', '01:00:00;00', '99:99:99:99', '00;00;00;00', 'FCM: DROP FRAME\n', 'FCM: NON-DROP FRAME\n', 'TITLE: ',
  '&amp;', '&#10;', '&#x1F600;', '&quot;', '&bogus;', '&', '<', '>', '"', "'", '/>', '</asset-clip>', '<marker start="1s" value="ai: x"/>',
  '<spine offset="3s">', 'offset="1/0s"', 'start="-5/3s"', 'frameDuration="0/1s"', 'tcFormat="DF"', '1001/30000s', '<!--', ']]>', '<![CDATA[',
  'Marker Name\tDescription\tIn\tOut\tDuration\tMarker Type\n', 'red', 'magenta',
];

const tokenArb = fc.constantFrom(...MARKER_TOKENS, ...HOSTILE_TOKENS);
const mutationArb = fc.record({
  op: fc.constantFrom('insert', 'insert', 'insert', 'delete', 'duplicate'),
  a: fc.double({ min: 0, max: 1, noNaN: true }),
  b: fc.integer({ min: 1, max: 300 }),
  c: fc.double({ min: 0, max: 1, noNaN: true }),
  text: tokenArb,
});

function check(text: string, format: TimelineMarkerFormat, fps?: 24 | 29.97): void {
  const index = new LineIndex(text);
  const doc = parseDocument(text, format, { fps });
  assert.equal(doc.text, text);
  assertDocumentRanges(doc, index);
  doc.tags.forEach((tag, t) => {
    for (const f of tag.hostFields ?? []) {
      assertRange(index, f.valueRange, `tag ${t} host field ${f.key}`);
      assert.ok(f.value.length > 0, 'a host field has a value');
    }
  });
  for (const f of lintText(text, format, { genre: 'documentary', fps }).findings) assertRange(index, f.range, `finding ${f.ruleId}`);
  sniffMarkerList(text);
}

describe('timeline marker parsers never throw; ranges stay inside the file', () => {
  it('every fixture in every marker format', () => {
    for (const [, text] of SEEDS) for (const format of TIMELINE_MARKER_FORMATS) check(text, format);
  });

  it('mutated fixtures, read in their own format and every other one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutationArb, { maxLength: 10 }), fc.constantFrom(undefined, 24, 29.97), ([format, seed], mutations, fps) => {
        const text = applyMutations(seed, mutations);
        check(text, format, fps);
        check(text, TIMELINE_MARKER_FORMATS[(TIMELINE_MARKER_FORMATS.indexOf(format) + 1) % TIMELINE_MARKER_FORMATS.length], fps);
      }),
      { numRuns: runs(250) },
    );
  });

  it('random text built from the formats\' own alphabet', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(tokenArb, fc.string({ maxLength: 8 })), { maxLength: 60 }), fc.constantFrom(...TIMELINE_MARKER_FORMATS), (pieces, format) => {
        check(pieces.join(''), format, 29.97);
      }),
      { numRuns: runs(300) },
    );
  });
});
