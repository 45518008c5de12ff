import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintParsed } from '../../server/src/core/lint.js';
import { parseFcpxml } from '../../server/src/core/markers/index.js';
import { fixture, hostTimecode, slice } from './markers-helpers.js';

test('FCPXML markers: clip offset + marker start - clip start, from the sequence\'s tcStart, at 29.97 drop-frame', () => {
  const text = fixture('harbour-doc.fcpxml');
  const doc = parseFcpxml(text);
  assert.equal(doc.metadata.get('title')?.value, 'Harbour Doc R3 v12');
  assert.deepEqual(doc.frameRate, { fps: 29.97, dropFrame: true });
  assert.deepEqual(doc.tags.map((t) => t.kind), ['audio.enhanced', 'video.generated']);
  const [enhanced, aerial] = doc.tags;
  // tcStart is frame 107892 = 01:00:00;00; the marker is 150 frames into a clip that starts there.
  assert.equal(hostTimecode(enhanced), '01:00:05;00');
  assert.equal(slice(text, enhanced.hostFields![0].valueRange), '150150/30000s');
  assert.equal(enhanced.section, 'HD0301_INTERVIEW_A');
  // Second clip: offset 108192 frames, start 30, marker start 60, duration 90 frames.
  assert.equal(hostTimecode(aerial), '01:00:11;00-01:00:14;00');
  assert.match(slice(text, aerial.anchor), /^<marker start="60060\/30000s".*\/>$/);
});

test('FCPXML: entities are decoded for the tag grammar and ranges land on the characters as written', () => {
  const text = fixture('harbour-doc.fcpxml');
  const aerial = parseFcpxml(text).tags[1];
  const prompt = aerial.fields.find((f) => f.key === 'prompt')!;
  assert.equal(prompt.value, 'aerial of a 1970s harbour & cranes');
  assert.equal(slice(text, prompt.valueRange), '&quot;aerial of a 1970s harbour &amp; cranes&quot;');
  assert.equal(slice(text, aerial.fields.find((f) => f.key === 'source')!.valueRange), 'none');
  assert.match(slice(text, aerial.range), /^ai: video\.generated.*re-creation$/);
});

test('Info.fcpxml of an .fcpxmld bundle: chapter markers, gaps, markers in a secondary storyline, &#10; as a line break', () => {
  const text = fixture('Harbour Doc R3.fcpxmld/Info.fcpxml');
  const doc = parseFcpxml(text);
  assert.deepEqual(doc.frameRate, { fps: 25, dropFrame: false });
  assert.deepEqual(doc.tags.map((t) => [t.kind, hostTimecode(t)]), [
    ['text.research', '01:00:00:00'],
    ['image.generated', '01:00:08:00'],
    ['image.composite', '01:00:06:00'],
  ]);
  const title = doc.tags[1];
  // `&#10;` is a line break: it separates fields like one typed in a note.
  assert.deepEqual(title.fields.map((f) => [f.key, f.value]), [['kind', 'image.generated'], ['tool', 'Midjourney 6.1'], ['stage', 'final']]);
  assert.equal(slice(text, title.fields[2].keyRange), 'stage');
  assert.equal(doc.tags[0].section, undefined, 'a gap is no clip');
});

test('FCPXML that is not well-formed: one finding where it breaks; the markers before it are kept', () => {
  const text = fixture('harbour-doc.fcpxml');
  const broken = text.replace('</asset-clip>\n                        <asset-clip ref="r3"', '</asset-clip\n                        <asset-clip ref="r3"');
  assert.notEqual(broken, text);
  const doc = parseFcpxml(broken);
  assert.equal(doc.problems.length, 1);
  assert.match(doc.problems[0].message, /not well-formed/);
  assert.equal(doc.tags[0].kind, 'audio.enhanced');
  assert.equal(hostTimecode(doc.tags[0]), '01:00:05;00');
  const cut = parseFcpxml(text.slice(0, text.indexOf('<marker start="60060/30000s" duration="90090')));
  assert.equal(cut.problems.length, 1);
  assert.equal(cut.tags.length, 1);
});

test('an impossible frame rate: one finding at the frame duration; the tags are still read, without a timecode', () => {
  const text = fixture('harbour-doc.fcpxml').replace('frameDuration="1001/30000s"', 'frameDuration="1/7s"');
  const doc = parseFcpxml(text);
  assert.equal(doc.problems.length, 1);
  assert.equal(slice(text, doc.problems[0].range), '1/7s');
  assert.match(doc.problems[0].message, /not a frame rate a project runs at/);
  assert.equal(doc.tags.length, 2);
  assert.equal(hostTimecode(doc.tags[0]), undefined);
  const findings = lintParsed(doc, { genre: 'documentary' }).findings;
  assert.equal(findings.filter((f) => f.ruleId === 'core/invalid-marker-file').length, 1);
});
