// Shared by the reliability tests: the seed documents (examples/ and the shared Fountain corpus),
// the mutations fast-check applies to them, and the invariants every parse, lint and fix must keep.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { LineIndex } from '../../server/src/core/line-index.js';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import type { HostFormat, ParsedDocument, Range } from '../../server/src/core/types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS = path.resolve(ROOT, '../shared/corpus/fountain');

export interface Seed {
  name: string;
  format: HostFormat;
  text: string;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The example projects' documents. */
export function exampleSeeds(): Seed[] {
  return walk(path.join(ROOT, 'examples'))
    .filter((f) => /\.(fountain|md)$/.test(f))
    .sort()
    .map((f) => ({ name: path.relative(ROOT, f), format: f.endsWith('.md') ? 'markdown' : 'fountain', text: stripBom(readFileSync(f, 'utf8')) }));
}

/** The shared Fountain corpus (real screenplays); empty when the corpus is not checked out beside the repo. */
export function corpusSeeds(): Seed[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.fountain'))
    .sort()
    .map((f) => ({ name: `corpus/${f}`, format: 'fountain' as const, text: readFileSync(path.join(CORPUS, f), 'utf8') }));
}

/** Every built-in rule's "fires" example: tags that break a guideline, so fixes get offered. */
export function firingTags(): string[] {
  const tags: string[] = [];
  for (const rule of loadBuiltinRules()) for (const e of rule.examples) if (e.fires) tags.push(e.fires);
  return tags;
}

export function toMarkdownTag(tag: string): string {
  return tag.replace(/^\[\[/, '<!-- ').replace(/\]\]$/, ' -->');
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Text that means something to one of the grammars, plus the characters that break naive code. */
export const HOSTILE_TOKENS: readonly string[] = [
  '[[', ']]', '/*', '*/', '<!--', '-->', ';', '"', ':', ',', '\r', '\r\n', '\n', '\n\n', '\ufeff', '\ud800', '\udfff', '\udc00\ud800',
  '😀', '👩🏽‍🎤', '\u0000', '\t', '\u00a0', '\u2028', 'ai:', 'AI :', 'ai-lint:', '[[ai: ', '<!-- ai: ', '[[ai-lint: disable ', '<!-- ai-lint: disable-file -->',
  ' -- ', 'waive: ', 'kind: ', 'image.generated', 'consent: ', 'disclosure: none', 'stage: final', 'x-', '`', '```\n', '~~~\n', '---\n', '...\n',
  '# ', '## GenAI cue sheet\n', '# Credits\n', 'INT. ', 'EXT. HOUSE - DAY\n', '.', '!', '@', '>', '<', '=', '|', '\\', '$', '${1:x}', '}', '{tool}',
  'Title: x\n', 'Genre: ', 'genre: news\n', 'AI-Guidelines: bbc\n', 'Midjourney', 'AI-generated', 'deepfake', 'Sora',
];

export type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; from: number; length: number; at: number };

/** Positions are fractions of the current length, so a mutation fits any document. */
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export const tokenArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_TOKENS) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...HOSTILE_TOKENS), { minLength: 2, maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);

export const mutationArb: fc.Arbitrary<{ op: string; a: number; b: number; c: number; text: string }> = fc.record({
  op: fc.constantFrom('insert', 'insert', 'insert', 'delete', 'duplicate'),
  a: fraction,
  b: fc.integer({ min: 1, max: 400 }),
  c: fraction,
  text: tokenArb,
});

export function applyMutations(text: string, mutations: readonly { op: string; a: number; b: number; c: number; text: string }[]): string {
  let t = text;
  for (const m of mutations) {
    const at = Math.floor(m.a * (t.length + 1));
    if (m.op === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else if (m.op === 'delete') t = t.slice(0, at) + t.slice(at + m.b);
    else {
      const slice = t.slice(at, at + m.b);
      const to = Math.floor(m.c * (t.length + 1));
      t = t.slice(0, to) + slice + t.slice(to);
    }
  }
  return t;
}

/** A window of a seed (so big screenplays stay cheap to fuzz), cut at fractions of its length. */
export function window(text: string, start: number, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const from = Math.floor(start * (text.length - maxLength));
  return text.slice(from, from + maxLength);
}

// ---------------------------------------------------------------------------------------------
// Invariants

/** A position the document really has: line < lineCount, character <= that line's length. */
export function assertPosition(index: LineIndex, p: { line: number; character: number }, what: string): void {
  assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: non-integer position ${JSON.stringify(p)}`);
  assert.ok(p.line >= 0 && p.line < index.lineCount, `${what}: line ${p.line} outside 0..${index.lineCount - 1}`);
  const length = index.lineContentEnd(p.line) - index.lineStarts[p.line];
  assert.ok(p.character >= 0 && p.character <= length, `${what}: character ${p.character} past the end of line ${p.line} (length ${length})`);
}

export function assertRange(index: LineIndex, r: Range, what: string): void {
  assert.ok(r && r.start && r.end, `${what}: missing range`);
  assertPosition(index, r.start, `${what}.start`);
  assertPosition(index, r.end, `${what}.end`);
  const before = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  assert.ok(before, `${what}: start ${JSON.stringify(r.start)} after end ${JSON.stringify(r.end)}`);
}

/** Every range a parsed document carries lies inside it; returns how many were checked. */
export function assertDocumentRanges(doc: ParsedDocument, index: LineIndex): number {
  let n = 0;
  const check = (r: Range, what: string) => {
    assertRange(index, r, what);
    n++;
  };
  doc.tags.forEach((tag, t) => {
    check(tag.range, `tag ${t}`);
    check(tag.markerRange, `tag ${t} marker`);
    check(tag.anchor, `tag ${t} anchor`);
    for (const f of tag.fields) {
      check(f.range, `tag ${t} field ${f.key}`);
      check(f.keyRange, `tag ${t} key ${f.key}`);
      check(f.valueRange, `tag ${t} value ${f.key}`);
      for (const item of f.items) check(item.range, `tag ${t} item of ${f.key}`);
    }
    for (const p of tag.problems) check(p.range, `tag ${t} problem ${p.ruleId}`);
  });
  doc.directives.forEach((d, i) => {
    check(d.range, `directive ${i}`);
    check(d.markerRange, `directive ${i} marker`);
    d.ruleRanges.forEach((r) => check(r, `directive ${i} rule`));
    d.problems.forEach((p) => check(p.range, `directive ${i} problem`));
  });
  for (const [key, entry] of doc.metadata) {
    check(entry.keyRange, `metadata ${key} key`);
    check(entry.valueRange, `metadata ${key} value`);
  }
  doc.outline.forEach((o, i) => check(o.range, `outline ${i}`));
  doc.problems.forEach((p) => check(p.range, `problem ${p.ruleId}`));
  for (const s of doc.prose) {
    assert.ok(s.start >= 0 && s.start <= s.end && s.end <= doc.text.length, `prose span ${JSON.stringify(s)} outside 0..${doc.text.length}`);
  }
  return n;
}

/** True when `offset` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const hi = text.charCodeAt(offset - 1);
  const lo = text.charCodeAt(offset);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}
