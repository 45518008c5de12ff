// Never throws, ranges always inside the document (SPEC §9): fast-check over real documents
// (examples/ and the shared Fountain corpus) mutated with the text that means something to the
// grammars (`[[`, `]]`, `/*`, `*/`, `<!--`, `-->`, `;`, `"`), line breaks of every kind, a BOM,
// lone surrogates, emoji and NUL; plus tags generated from the tag grammar's own alphabet.
// Each run parses as Fountain AND as Markdown and lints with a random genre and packs.
//
// Sizes are bounded so the file stays a few seconds in CI: windows of at most 6 KB of a seed, at
// most 8 mutations each. FUZZ_RUNS=<n> scales every property (e.g. FUZZ_RUNS=2000 for a soak).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GENRES, PACKS } from '../../server/src/core/genres.js';
import { LineIndex } from '../../server/src/core/line-index.js';
import { lintText, parseDocument, type DocumentSettings } from '../../server/src/core/lint.js';
import type { HostFormat } from '../../server/src/core/types.js';
import {
  applyMutations,
  assertDocumentRanges,
  assertRange,
  corpusSeeds,
  exampleSeeds,
  firingTags,
  HOSTILE_TOKENS,
  mutationArb,
  toMarkdownTag,
  window,
  type Seed,
} from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS) || 0;
const runs = (n: number) => (RUNS > 0 ? RUNS : n);

const seeds: Seed[] = [...exampleSeeds(), ...corpusSeeds()];
const tags = firingTags();

const settingsArb: fc.Arbitrary<DocumentSettings> = fc.record(
  {
    genre: fc.constantFrom(...GENRES),
    guidelines: fc.subarray([...PACKS]),
    untaggedMentions: fc.boolean(),
    rules: fc.dictionary(fc.constantFrom('netflix/final-deliverable', 'core/unknown-key', 'apa/cue-sheet-fields'), fc.constantFrom('error', 'warning', 'info', 'hint', 'off' as const)),
  },
  { requiredKeys: [] },
);

/** Parses and lints `text` in `format`, checking every range; returns how many ranges were checked. */
function checkText(text: string, format: HostFormat, settings: DocumentSettings): number {
  const index = new LineIndex(text);
  const doc = parseDocument(text, format);
  assert.equal(doc.text, text, 'the parsed document keeps the text as given');
  let n = assertDocumentRanges(doc, index);
  const result = lintText(text, format, settings);
  result.findings.forEach((f, i) => {
    assertRange(index, f.range, `finding ${i} ${f.ruleId}`);
    n++;
    assert.ok(typeof f.message === 'string' && f.message.length > 0, `finding ${f.ruleId} has a message`);
    // A check that throws is reported, naming itself, instead of vanishing: here that is a bug.
    assert.ok(!(f.ruleId === 'core/not-checked' && f.message.includes('This is a bug in AI-Use Lint')), f.message);
    if (f.tagIndex !== undefined) assert.ok(f.tagIndex >= 0 && f.tagIndex < result.doc.tags.length, `finding ${f.ruleId} points at tag ${f.tagIndex} of ${result.doc.tags.length}`);
  });
  return n;
}

const seedArb = fc.constantFrom(...seeds);

/** A seed window with tags that break guidelines spliced in, then mutated. */
const mutatedDocArb = fc
  .record({
    seed: seedArb,
    start: fc.double({ min: 0, max: 1, noNaN: true }),
    inserted: fc.array(fc.record({ tag: fc.constantFrom(...tags), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }) }), { maxLength: 4 }),
    mutations: fc.array(mutationArb, { maxLength: 8 }),
    format: fc.constantFrom<HostFormat>('fountain', 'markdown'),
  })
  .map(({ seed, start, inserted, mutations, format }) => {
    let text = window(seed.text, start, 6000);
    for (const { tag, at } of inserted) {
      const i = Math.floor(at * (text.length + 1));
      text = `${text.slice(0, i)}\n${format === 'markdown' ? toMarkdownTag(tag) : tag}\n${text.slice(i)}`;
    }
    return { name: seed.name, format, text: applyMutations(text, mutations) };
  });

describe('never throws, ranges inside the document', () => {
  it(`every seed as it is, in both formats (${seeds.length} documents)`, (t) => {
    let ranges = 0;
    for (const seed of seeds) {
      ranges += checkText(seed.text, seed.format, {});
      // remark takes about 1 s on a whole feature as Markdown; the first 40 KB show the same.
      ranges += checkText(seed.text.slice(0, 40000), seed.format === 'fountain' ? 'markdown' : 'fountain', {});
    }
    t.diagnostic(`seeds: ${seeds.length} documents (${(seeds.reduce((s, d) => s + d.text.length, 0) / 1024).toFixed(0)} KB), ${ranges} ranges checked`);
  });

  it('every seed with one hostile token at 20 places', (t) => {
    let docs = 0;
    for (const seed of seeds) {
      const text = seed.text.length > 40000 ? seed.text.slice(0, 40000) : seed.text;
      for (let k = 0; k < 20; k++) {
        const token = HOSTILE_TOKENS[(k * 7 + seed.name.length) % HOSTILE_TOKENS.length];
        const at = Math.floor(((k + 0.5) / 20) * text.length);
        checkText(text.slice(0, at) + token + text.slice(at), seed.format, {});
        docs++;
      }
    }
    t.diagnostic(`seeds with one token inserted: ${docs} documents`);
  });

  it('mutated seed windows with tags, random genre and packs', (t) => {
    let ranges = 0;
    fc.assert(
      fc.property(mutatedDocArb, settingsArb, (doc, settings) => {
        ranges += checkText(doc.text, doc.format, settings);
      }),
      { numRuns: runs(250), includeErrorInReport: true },
    );
    t.diagnostic(`mutated documents: ${runs(250)} runs, ${ranges} ranges checked`);
  });

  it('tags written from the grammar alphabet, in every host', () => {
    const piece = fc.oneof(
      fc.constantFrom('ai', 'AI', 'ai-lint', ':', ';', ',', '"', ' ', '\n', '\r\n', '\r', ' -- ', 'kind', 'waive', 'image.generated', 'x-note', '\ufeff', '\ud83d', '😀', '\u0000', ']]', ']', '[[', '-->', '--', '<!--', '*/', '/*'),
      fc.string({ unit: 'binary-ascii', maxLength: 4 }),
    );
    const body = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(body, fc.constantFrom(0, 1, 2, 3), fc.constantFrom(...GENRES), (b, host, genre) => {
        const wrapped = [`Title: T\n\nINT. A - DAY\n\nAction.[[ai:${b}]]\n`, `[[${b}`, `# H\n\n<!-- ai:${b} -->\n\ntext [[ai: ${b}]] more\n`, `<!--${b}`][host];
        checkText(wrapped, host < 2 || host === 3 ? 'fountain' : 'markdown', { genre });
        checkText(wrapped, 'markdown', { genre });
      }),
      { numRuns: runs(400), includeErrorInReport: true },
    );
  });

  it('pathological repetitions stay readable (unclosed notes, comments, boneyards, separators)', () => {
    for (const unit of ['[[', '[[ai:', '/*', '<!--', '<!-- ai:', ';', '";', '\r', '\ufeff', '\ud800', '`', '**', '- ', '> ']) {
      checkText(`[[ai: image.generated; ${unit.repeat(5000)}`, 'fountain', {});
      // remark is quadratic on some of these (see docs/reliability.md): fewer repetitions.
      checkText(`<!-- ai: image.generated; ${unit.repeat(400)}`, 'markdown', {});
      checkText(`[[ai: image.generated; ${unit.repeat(400)}`, 'markdown', {});
    }
  });
});
