// The bench's input generators (bench/workloads.ts) make what docs/performance.md says they make:
// the right number of tags, every one of them read as a tag. No timings here: see npm run bench.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFountain } from '../../server/src/core/fountain.js';
import { parseMarkdown } from '../../server/src/core/markdown.js';
import type { ParsedDocument } from '../../server/src/core/types.js';
import { copies, episode, featureScript, markdownNotes, nodeApiDocs, pathological, pathologicalMarkdown, shortNote } from '../../bench/workloads.js';

/** Every tag has a known-looking kind and no syntax problem; no problem on the document. */
function assertCleanTags(doc: ParsedDocument, label: string): void {
  for (const tag of doc.tags) {
    assert.match(tag.kind ?? '', /^[a-z]+\.[a-z-]+$/, `${label}: a tag without a kind at line ${tag.range.start.line + 1}`);
    assert.deepEqual(tag.problems, [], `${label}: tag syntax problem at line ${tag.range.start.line + 1}`);
  }
  assert.deepEqual(doc.problems, [], label);
}

function ids(doc: ParsedDocument): string[] {
  return doc.tags.flatMap((t) => t.fields.filter((f) => f.key === 'id').map((f) => f.value));
}

test('the feature screenplay is Big Fish with exactly 200 tags, all of them parseable', () => {
  const text = featureScript();
  assert.ok(text.length > 160_000 && text.length < 180_000, `about 170 KB, not ${text.length}`);
  const doc = parseFountain(text);
  assert.equal(doc.tags.length, 200);
  assertCleanTags(doc, 'feature');
  // Some tags span two lines, some stand on their own line after a scene heading.
  assert.ok(doc.tags.some((t) => t.range.end.line > t.range.start.line));
  assert.equal(new Set(ids(doc)).size, ids(doc).length, 'ids are unique');
});

test('k copies hold k x 200 tags with ids still unique; each episode has its own 200', () => {
  const script = featureScript();
  for (const k of [2, 8]) {
    const doc = parseFountain(copies(script, k));
    assert.equal(doc.tags.length, 200 * k);
    assert.equal(new Set(ids(doc)).size, ids(doc).length, `ids unique in ${k} copies`);
  }
  const one = parseFountain(episode(1));
  const two = parseFountain(episode(2));
  assert.equal(one.tags.length, 200);
  assertCleanTags(one, 'episode 1');
  assert.ok(ids(one).every((id) => !ids(two).includes(id)), 'ids are unique across episodes');
  assert.notDeepEqual(one.tags.map((t) => t.range.start.line), two.tags.map((t) => t.range.start.line), 'tags at other places');
});

test('Markdown notes: every tag inserted is read as a tag', { skip: nodeApiDocs().length === 0 && "Node's API docs are not installed" }, () => {
  const inserted = (text: string) => text.match(/\[\[ai: |<!-- ai: /g)?.length ?? 0;
  // A sample, to keep the test quick: remark reads the whole set in seconds.
  let total = 0;
  for (const [name, text] of markdownNotes().filter(([, text], i) => i % 3 === 0 && text.length < 40_000)) {
    const doc = parseMarkdown(text);
    assert.equal(doc.tags.length, inserted(text), name);
    assertCleanTags(doc, name);
    total += doc.tags.length;
  }
  assert.ok(total > 50, `${total} tags in the sample of API docs`);
  const docs = nodeApiDocs();
  for (let i = 0; i < 260; i += 13) {
    const text = shortNote(docs, i);
    assert.ok(text.length >= 4500 && text.length <= 8500, `note ${i} is ${text.length} chars, not 5-8 KB`);
    const doc = parseMarkdown(text);
    assert.equal(doc.tags.length, inserted(text), `note ${i}`);
    assertCleanTags(doc, `note ${i}`);
  }
});

test('pathological inputs have the size asked for; the Markdown one has a tag, so it must be parsed', () => {
  for (const p of pathological(64 * 1024)) assert.ok(p.text.length >= 64 * 1024 && p.text.length < 64 * 1024 + 16, p.name);
  const md = pathologicalMarkdown(8 * 1024);
  assert.equal(parseMarkdown(md).tags.length, 1);
});
