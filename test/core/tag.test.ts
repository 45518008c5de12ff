import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/line-index.js';
import { isDirective, parseAnnotation, readWaivers } from '../../server/src/core/tag.js';
import type { Directive, Range, Tag } from '../../server/src/core/types.js';

/** Reads the first `[[...]]` in `text` as a Fountain note. */
function read(text: string): { result: Tag | Directive | undefined; index: LineIndex } {
  const open = text.indexOf('[[');
  const close = text.indexOf(']]', open);
  const index = new LineIndex(text);
  const range = index.range(open, close + 2);
  const result = parseAnnotation(text, open + 2, close, index, { host: 'fountain-note', range, anchor: range });
  return { result, index };
}

function tag(text: string): Tag {
  const { result } = read(text);
  assert.ok(result && !isDirective(result), 'expected a tag');
  return result;
}

/** The text a range covers, for readable assertions. */
function slice(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

const r = (sl: number, sc: number, el: number, ec: number): Range => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

test('the first key-less field is the kind; keys are lower-cased; values trimmed', () => {
  const text = '[[AI: Image.Generated; Tool:  Midjourney 6.1 ; STAGE: final]]';
  const t = tag(text);
  assert.equal(t.kind, 'image.generated');
  assert.deepEqual(t.fields.map((f) => [f.key, f.value]), [
    ['kind', 'Image.Generated'],
    ['tool', 'Midjourney 6.1'],
    ['stage', 'final'],
  ]);
  assert.equal(slice(text, t.markerRange), 'AI');
  assert.equal(slice(text, t.fields[1].keyRange), 'Tool');
  assert.equal(slice(text, t.fields[1].valueRange), 'Midjourney 6.1');
  assert.deepEqual(t.fields[1].valueRange, r(0, 30, 0, 44));
});

test('explicit kind key, list values split on commas with item ranges', () => {
  const text = '[[ai: kind: video.generated; depicts: real-person , real-event; subject: Mara Quinn, Leo Park]]';
  const t = tag(text);
  assert.equal(t.kind, 'video.generated');
  const depicts = t.fields.find((f) => f.key === 'depicts')!;
  assert.deepEqual(depicts.items.map((i) => i.text), ['real-person', 'real-event']);
  assert.equal(slice(text, depicts.items[1].range), 'real-event');
  const subject = t.fields.find((f) => f.key === 'subject')!;
  assert.deepEqual(subject.items.map((i) => i.text), ['Mara Quinn', 'Leo Park']);
});

test('non-list keys keep commas; quoted values may hold ; and commas', () => {
  const text = '[[ai: image.generated; prompt: "a street at night; rain, neon"; tool: Runway Gen-4, turbo]]';
  const t = tag(text);
  const prompt = t.fields.find((f) => f.key === 'prompt')!;
  assert.equal(prompt.value, 'a street at night; rain, neon');
  assert.equal(slice(text, prompt.valueRange), '"a street at night; rain, neon"');
  assert.equal(prompt.items.length, 1);
  assert.equal(t.fields.find((f) => f.key === 'tool')!.value, 'Runway Gen-4, turbo');
  assert.deepEqual(t.problems, []);
});

test('quotes inside an unquoted value are plain text', () => {
  const t = tag('[[ai: text.draft; note: the "final" pass]]');
  assert.equal(t.fields[1].value, 'the "final" pass');
});

test('fields separated by line breaks, ranges on the right lines (LF and CRLF)', () => {
  for (const eol of ['\n', '\r\n']) {
    const text = `Action line.${eol}[[ai: audio.voice-clone${eol}  performer: Ana Ruiz${eol}  consent: pending]]${eol}`;
    const t = tag(text);
    assert.deepEqual(t.fields.map((f) => f.key), ['kind', 'performer', 'consent']);
    assert.deepEqual(t.fields[1].valueRange, r(2, 13, 2, 21));
    assert.deepEqual(t.fields[2].keyRange, r(3, 2, 3, 9));
    assert.equal(t.fields[2].value, 'pending');
  }
});

test('UTF-16 columns after an emoji and non-Latin text on the same line', () => {
  const text = 'Мара 🎬 [[ai: image.concept; tool: 画像]]';
  const t = tag(text);
  // "Мара " is 5 units, the emoji 2, the space 1: "[[" starts at 8, "ai" at 10.
  assert.deepEqual(t.markerRange, r(0, 10, 0, 12));
  assert.equal(slice(text, t.fields[1].valueRange), '画像');
  assert.deepEqual(t.fields[1].valueRange, r(0, 35, 0, 37));
});

test('a missing value gets an empty range just after the colon; a key without colon is a key', () => {
  const text = '[[ai: image.generated; approval:; Midjourney]]';
  const t = tag(text);
  const approval = t.fields[1];
  assert.equal(approval.value, '');
  assert.deepEqual(approval.valueRange.start, approval.valueRange.end);
  assert.equal(approval.items.length, 0);
  assert.equal(t.fields[2].key, 'midjourney');
  assert.equal(t.fields[2].value, '');
});

test('unterminated quote runs to the end of the tag and is reported', () => {
  const t = tag('[[ai: image.generated; prompt: "never closed; tool: x]]');
  assert.equal(t.fields.length, 2);
  assert.equal(t.fields[1].value, 'never closed; tool: x');
  assert.equal(t.problems.length, 1);
  assert.equal(t.problems[0].ruleId, 'core/tag-syntax');
});

test('not a tag: other notes, `aim:`, a missing colon', () => {
  assert.equal(read('[[This is a writer note]]').result, undefined);
  assert.equal(read('[[aim: high]]').result, undefined);
  assert.equal(read('[[ai image.generated]]').result, undefined);
  assert.ok(read('[[  ai : image.generated]]').result);
});

test('a tag with only separators has no fields and no kind, and reading it is linear', () => {
  const text = `[[ai: ${';'.repeat(200_000)}]]`;
  const t = tag(text);
  assert.equal(t.fields.length, 0);
  assert.equal(t.kind, undefined);
});

test('waivers: rules and reason; a waiver without reason has none', () => {
  const text = '[[ai: image.generated; waive: netflix/final-deliverable -- temp only, replaced in online; waive: apa/cue-sheet-fields]]';
  const { result, index } = read(text);
  const waivers = readWaivers(result as Tag, text, index);
  assert.deepEqual(waivers.map((w) => [w.rules, w.reason]), [
    [['netflix/final-deliverable'], 'temp only, replaced in online'],
    [['apa/cue-sheet-fields'], undefined],
  ]);
  assert.equal(slice(text, waivers[0].ruleRanges[0]), 'netflix/final-deliverable');
});

test('directives: commands, rule lists, reasons; unknown command is reported and inert', () => {
  const d = read('[[ai-lint: disable netflix/final-deliverable, apa/enhancement -- approved by legal 2025-03]]').result as Directive;
  assert.ok(isDirective(d));
  assert.equal(d.command, 'disable');
  assert.deepEqual(d.rules, ['netflix/final-deliverable', 'apa/enhancement']);
  assert.equal(d.reason, 'approved by legal 2025-03');

  const next = read('[[AI-LINT: disable-next]]').result as Directive;
  assert.equal(next.command, 'disable-next');
  assert.deepEqual(next.rules, []);

  const bad = read('[[ai-lint: silence everything]]').result as Directive;
  assert.equal(bad.command, 'invalid');
  assert.equal(bad.problems[0].ruleId, 'core/invalid-directive');
  assert.deepEqual(bad.rules, []);
});

test('a `;` with a digit on each side is part of the value: an unquoted drop-frame timecode is one field', () => {
  const text = '[[ai: video.generated; timecode: 01:00:12;28-01:00:14;02;tool: Sora;stage: final]]';
  const t = tag(text);
  assert.deepEqual(t.fields.map((f) => [f.key, f.value]), [
    ['kind', 'video.generated'],
    ['timecode', '01:00:12;28-01:00:14;02'],
    ['tool', 'Sora'],
    ['stage', 'final'],
  ]);
  assert.equal(slice(text, t.fields[1].valueRange), '01:00:12;28-01:00:14;02');
  // A `;` next to a digit on one side only still separates.
  const u = tag('[[ai: audio.music; x-take: 3; tool: Suno 4;stage: temp]]');
  assert.deepEqual(u.fields.map((f) => [f.key, f.value]), [
    ['kind', 'audio.music'],
    ['x-take', '3'],
    ['tool', 'Suno 4'],
    ['stage', 'temp'],
  ]);
});
