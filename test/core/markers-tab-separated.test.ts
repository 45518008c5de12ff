import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lintParsed } from '../../server/src/core/lint.js';
import { parseAvidMarkers, parsePremiereMarkers, sniffAvidMarkers, sniffMarkerList, sniffPremiereMarkers } from '../../server/src/core/markers/index.js';
import { fieldsOf, fixture, FIXTURES, hostTimecode, slice } from './markers-helpers.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/fountain/', import.meta.url));

test('Avid marker list: the comment column is the tag, the timecode column its timecode, duration in frames its end', () => {
  const text = fixture('avid-marker-list.txt');
  assert.ok(sniffAvidMarkers(text));
  const doc = parseAvidMarkers(text);
  assert.deepEqual(doc.frameRate, { fps: 29.97, dropFrame: true });
  assert.deepEqual(doc.tags.map((t) => t.kind), ['image.composite', 'video.generated', 'audio.voice-synthetic']);
  const [still, shot, voice] = doc.tags;
  assert.equal(hostTimecode(still), '01:00:06;02');
  assert.equal(slice(text, still.hostFields![0].valueRange), '01:00:06;02');
  assert.equal(slice(text, still.fields[3].valueRange), 'licensed');
  assert.equal(still.range.start.line, 0);
  // 150 frames at 29.97 drop-frame after 01:00:10;24.
  assert.equal(hostTimecode(shot), '01:00:10;24-01:00:15;24');
  assert.equal(hostTimecode(voice), '01:00:16;00');
  assert.deepEqual(doc.problems, []);
});

test('Avid\'s newer eight-column lines read the same; a line with missing columns is one finding and the rest is kept', () => {
  const text = 'Ed\t01:00:00:10\tV1\tred\tai: image.generated; tool: Midjourney 6.1\t1\tEd\tred\nEd\t01:00:02:00\tV1\nEd\t01:00:03:00\tV1\tblue\tai: audio.sfx; tool: ElevenLabs SFX\t1\n';
  const doc = parseAvidMarkers(text);
  assert.deepEqual(doc.tags.map((t) => t.kind), ['image.generated', 'audio.sfx']);
  assert.equal(doc.problems.length, 1);
  assert.match(doc.problems[0].message, /has 3 tab-separated columns where a marker has six/);
  assert.equal(doc.problems[0].range.start.line, 1);
  assert.equal(lintParsed(doc).findings.filter((f) => f.ruleId === 'core/invalid-marker-file').length, 1);
});

test('no screenplay, note or prose saved as .txt is ever read as a marker list', () => {
  const texts = [
    ...readdirSync(CORPUS).filter((f) => f.endsWith('.fountain')).map((f) => readFileSync(CORPUS + f, 'utf8')),
    'Notes from the edit\n\nReel 3: the aerial at 01:00:10:24 is a Runway shot.\n',
    'Ed\t01:00:00:10\tV1\tpurple-ish\tcomment\t1\n', // not an Avid colour
    'Marker Name, Description, In, Out\n', // commas, not Premiere's tabs
    '',
  ];
  for (const text of texts) assert.equal(sniffMarkerList(text), undefined, text.slice(0, 60));
  assert.equal(sniffMarkerList(fixture('avid-marker-list.txt')), 'avid-markers');
  assert.equal(sniffMarkerList(fixture('premiere-markers.csv')), 'premiere-markers');
});

test('Premiere Pro marker export in UTF-16LE with a BOM: UTF-16 columns of the decoded text, non-Latin text intact', () => {
  const bytes = readFileSync(FIXTURES + 'premiere-markers.csv');
  assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xfe]);
  const text = fixture('premiere-markers.csv');
  assert.ok(sniffPremiereMarkers(text));
  const doc = parsePremiereMarkers(text);
  assert.deepEqual(doc.tags.map((t) => t.kind), ['video.generated', 'image.enhanced', 'image.generated']);
  const [aerial, upres, portrait] = doc.tags;
  assert.equal(hostTimecode(aerial), '00:00:10:12-00:00:15:12');
  assert.equal(slice(text, aerial.fields[2].valueRange), '"harbour at dawn, 16mm"');
  // The tag in the name column; a point marker (In = Out) is one timecode.
  assert.equal(slice(text, upres.range), 'ai: image.enhanced; tool: Topaz Video AI');
  assert.equal(hostTimecode(upres), '00:01:02:00');
  const subject = portrait.fields.find((f) => f.key === 'subject')!;
  assert.equal(slice(text, subject.valueRange), 'Ёжиков Пётр');
  assert.equal(subject.valueRange.start.character, text.split(/\r\n/)[4].indexOf('Ёжиков'));
  assert.deepEqual(doc.problems, []);
});

test('Premiere\'s drop-frame export (all semicolons, UTF-8) becomes HH:MM:SS;FF timecodes', () => {
  const text = fixture('premiere-markers-df.txt');
  const doc = parsePremiereMarkers(text);
  assert.deepEqual(fieldsOf(doc.tags[0]).at(-1), ['host:timecode', '00:01:00;02-00:01:04;02']);
  assert.equal(slice(text, doc.tags[0].hostFields![0].valueRange), '00;01;00;02');
  assert.deepEqual(doc.frameRate, { fps: 29.97, dropFrame: true });
});

test('a Premiere line with missing columns is one finding; the other markers are read', () => {
  const text = 'Marker Name\tDescription\tIn\tOut\tDuration\tMarker Type\nA\tai: image.generated; tool: Midjourney 6.1\t00:00:01:00\nB\tai: audio.music; tool: Suno 4\t00:00:02:00\t00:00:02:00\t00:00:00:00\tComment\n';
  const doc = parsePremiereMarkers(text);
  assert.deepEqual(doc.tags.map((t) => t.kind), ['audio.music']);
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0].range.start.line, 1);
});
