import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { lintText } from '../../server/src/core/lint.js';
import { parseAvidMarkers, parseEdl, sniffAvidMarkers } from '../../server/src/core/markers/index.js';
import { renderReport, resolveReportFormat } from '../../server/src/core/report/index.js';
import { buildReport, type Report } from '../../server/src/core/report/model.js';
import { isOurReportHead } from '../../server/src/core/report/write.js';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import { fixture } from '../core/markers-helpers.js';
import { FIXED_DATE, ROOT } from './helpers.js';

/** The report of one marker file and one Markdown note (its tag has no timecode: no marker). */
function report(): Report {
  const files: [string, string, 'edl' | 'markdown'][] = [
    ['reel3-lock.edl', fixture('reel3-lock.edl'), 'edl'],
    ['notes.md', '# Notes\n\n<!-- ai: text.ideation; tool: ChatGPT -->\n', 'markdown'],
  ];
  return buildReport(
    {
      files: files.map(([name, text, format]) => {
        const result = lintText(text, format, { genre: 'documentary' });
        return { path: path.join(ROOT, name), kind: 'document' as const, genre: result.genre, guidelines: result.guidelines, result, findings: result.findings };
      }),
      missing: [],
      unreadable: [],
    },
    { root: ROOT, generatedAt: FIXED_DATE, toolVersion: '0.1.0', projectName: 'Harbour | Doc', rules: loadBuiltinRules() },
  );
}

function expected(r: Report): { kind: string | null; tool: string | null; timecode: string; open: string[] }[] {
  return r.cueSheet.filter((row) => row.timecode).map((row) => ({ kind: row.kind, tool: row.tool, timecode: row.timecode!.split('-')[0], open: [...new Set(row.findings.map((f) => f.ruleId))] }));
}

test('report --format edl: a Resolve marker EDL that reads back through our EDL parser to the same uses and timecodes', () => {
  const r = report();
  const edl = renderReport(r, 'edl', { root: ROOT });
  assert.match(edl, /^TITLE: Harbour Doc AI uses \(ai-use report\)\r\nFCM: DROP FRAME\r\n/);
  const doc = parseEdl(edl);
  assert.deepEqual(doc.problems, []);
  const back = doc.tags.map((t) => ({
    kind: t.kind ?? null,
    tool: t.fields.find((f) => f.key === 'tool')?.value ?? null,
    timecode: t.hostFields?.find((f) => f.key === 'timecode')?.value.split('-')[0] ?? '',
    open: (t.fields.find((f) => f.key === 'x-open')?.value ?? '').split(', ').filter((x) => x && x !== 'none'),
  }));
  assert.equal(back.length, 3);
  assert.deepEqual(back, expected(r));
  // Coloured by the worst finding: the composite has errors, the temp synthetic voice none worse than a warning.
  const colours = [...edl.matchAll(/\|C:(\w+)/g)].map((m) => m[1]);
  assert.equal(colours.length, 3);
  const worst = r.cueSheet.filter((row) => row.timecode).map((row) => (row.findings.some((f) => f.severity === 'error') ? 'ResolveColorRed' : row.findings.some((f) => f.severity === 'warning') ? 'ResolveColorYellow' : row.findings.length ? 'ResolveColorBlue' : 'ResolveColorGreen'));
  assert.deepEqual(colours, worst);
  assert.ok(isOurReportHead(edl), 'a later run may replace it');
  assert.equal(resolveReportFormat('EDL'), 'edl');
});

test('report --format avid-markers: an Avid marker list that reads back through our Avid parser', () => {
  const r = report();
  const list = renderReport(r, 'avid-markers', { root: ROOT });
  assert.ok(sniffAvidMarkers(list), 'recognised as an Avid marker list');
  const doc = parseAvidMarkers(list);
  assert.deepEqual(doc.problems, []);
  assert.deepEqual(
    doc.tags.map((t) => ({ kind: t.kind ?? null, tool: t.fields.find((f) => f.key === 'tool')?.value ?? null, timecode: t.hostFields![0].value.split('-')[0], open: (t.fields.find((f) => f.key === 'x-open')?.value ?? '').split(', ').filter((x) => x && x !== 'none') })),
    expected(r),
  );
  // The 150-frame event of the generated shot keeps its length.
  assert.match(list, /\tai: video\.generated;[^\t]*\t150\r\n/);
  assert.ok(isOurReportHead(list));
});

test('tag text cannot break a marker line: no tab, line break or | reaches the file', () => {
  const hostile = 'TITLE: T\nFCM: NON-DROP FRAME\n001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00\n* ai: image.generated; tool: "Evil\t|C:ResolveColorGreen |M:x |D:1\u2028tool"\n';
  const result = lintText(hostile, 'edl', { genre: 'documentary' });
  const r = buildReport({ files: [{ path: path.join(ROOT, 'h.edl'), kind: 'document', genre: result.genre, guidelines: result.guidelines, result, findings: result.findings }], missing: [], unreadable: [] }, { root: ROOT, generatedAt: FIXED_DATE, toolVersion: '0.1.0' });
  const edl = renderReport(r, 'edl', { root: ROOT });
  const markerLine = edl.split('\r\n').find((l) => l.startsWith('ai: '))!;
  assert.equal((markerLine.match(/\|/g) ?? []).length, 3, markerLine);
  assert.doesNotMatch(edl, /\t|\u2028/);
  const back = parseEdl(edl).tags;
  assert.equal(back.length, 1);
  assert.equal(back[0].fields.find((f) => f.key === 'tool')?.value, 'Evil C:ResolveColorGreen M:x D:1 tool');
  const avid = renderReport(r, 'avid-markers', { root: ROOT });
  assert.equal(avid.split('\r\n')[0].split('\t').length, 6);
});
