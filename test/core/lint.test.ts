import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/line-index.js';
import { lintText } from '../../server/src/core/lint.js';
import type { Range } from '../../server/src/core/types.js';

function slice(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

test('a YAML block list under ai-guidelines: in front matter gives exactly those packs', () => {
  const text = '---\nai-guidelines:\n  - netflix\n  - bbc # for the BBC cut\n---\n\n# Notes\n';
  const result = lintText(text, 'markdown');
  assert.deepEqual(result.guidelines, ['netflix', 'bbc']);
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'core/unknown-pack'), []);
});

test('an unknown pack in a front matter list is reported on that item alone; the others apply', () => {
  const text = '---\nai-guidelines:\n  - netflix\n  - bbcx\n  - "sag aftra"\n---\n\n# Notes\n';
  const result = lintText(text, 'markdown');
  assert.deepEqual(result.guidelines, ['netflix', 'sag-aftra']);
  const unknown = result.findings.filter((f) => f.ruleId === 'core/unknown-pack');
  assert.equal(unknown.length, 1);
  assert.equal(slice(text, unknown[0].range), 'bbcx');
  assert.match(unknown[0].message, /did you mean "bbc"/);
});

test('flow lists in front matter and comma lists on a title page still give their packs with exact ranges', () => {
  const md = '---\nai-guidelines: [netflix, wgaa]\n---\n';
  const r1 = lintText(md, 'markdown');
  assert.deepEqual(r1.guidelines, ['netflix']);
  assert.deepEqual(r1.findings.filter((f) => f.ruleId === 'core/unknown-pack').map((f) => slice(md, f.range)), ['wgaa']);
  const fountain = 'Title: X\nAI-Guidelines: apa, youtub\n\nINT. ROOM - DAY\n\nA room.\n';
  const r2 = lintText(fountain, 'fountain');
  assert.deepEqual(r2.guidelines, ['apa']);
  assert.deepEqual(r2.findings.filter((f) => f.ruleId === 'core/unknown-pack').map((f) => slice(fountain, f.range)), ['youtub']);
});
