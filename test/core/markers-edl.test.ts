import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintParsed, lintText } from '../../server/src/core/lint.js';
import { parseEdl } from '../../server/src/core/markers/index.js';
import { fieldsOf, fixture, hostTimecode, slice } from './markers-helpers.js';

test('CMX3600 EDL: comment tags take the event\'s record in/out, locators their own timecode, exact ranges (CRLF)', () => {
  const text = fixture('reel3-lock.edl');
  assert.ok(text.includes('\r\n'));
  const doc = parseEdl(text);
  assert.equal(doc.metadata.get('title')?.value, 'HARBOUR DOC REEL 3 LOCK 0412');
  assert.deepEqual(doc.frameRate, { fps: 29.97, dropFrame: true });
  assert.deepEqual(doc.tags.map((t) => t.kind), ['image.composite', 'video.generated', 'audio.voice-synthetic']);
  const [locator, comment, written] = doc.tags;
  // * LOC: 01:00:06;02 RED     ai: ...
  assert.equal(hostTimecode(locator), '01:00:06;02');
  assert.equal(slice(text, locator.hostFields![0].valueRange), '01:00:06;02');
  assert.equal(slice(text, locator.markerRange), 'ai');
  assert.equal(slice(text, locator.fields[1].valueRange), 'Photoshop Generative Fill');
  assert.equal(locator.section, 'ARCHIVE_HARBOUR_1978');
  // A tag continued on `* key: value` lines; the event's record in-out is its timecode.
  assert.deepEqual(fieldsOf(comment), [
    ['kind', 'video.generated'],
    ['tool', 'Runway Gen-4'],
    ['presented-as', 're-creation'],
    ['prompt', 'aerial of a 1970s harbour at dawn, 16mm'],
    ['source', 'none'],
    ['disclosure', 'on-screen'],
    ['host:timecode', '01:00:10;24-01:00:15;24'],
    ['host:asset', 'GEN_004_HARBOUR_AERIAL'],
  ]);
  assert.equal(slice(text, comment.fields[3].valueRange), '"aerial of a 1970s harbour at dawn, 16mm"');
  assert.equal(slice(text, comment.fields[5].keyRange), 'disclosure');
  assert.match(slice(text, comment.range), /^ai: video\.generated.*\r\n\* prompt: .*\r\n\* source: none; disclosure: on-screen$/);
  assert.equal(slice(text, comment.hostFields![0].valueRange), '01:00:10;24');
  assert.match(slice(text, comment.anchor), /^003  GEN_004/);
  // A tag that writes its own timecode keeps it; the `;` between digits is part of the value.
  assert.equal(written.fields.find((f) => f.key === 'timecode')?.value, '01:00:16;00-01:00:23;24');
  assert.equal(hostTimecode(written), undefined);
  // Comments that are not tags are prose (untagged mentions are looked for there).
  assert.ok(doc.prose.some((s) => text.slice(s.start, s.end).includes('Midjourney frame replaced')));
});

test('DaVinci Resolve marker EDL: the note before |C: or the name after |M: is the tag; |D: frames give the end', () => {
  const text = fixture('resolve-markers.edl');
  const doc = parseEdl(text, { frameRate: { fps: 24 } });
  assert.deepEqual(doc.frameRate, { dropFrame: false });
  assert.equal(doc.tags.length, 2);
  const [note, name] = doc.tags;
  assert.equal(slice(text, note.range), 'ai: image.generated; tool: Midjourney 6.1; presented-as: archival');
  assert.equal(hostTimecode(note), '01:00:12:10');
  assert.equal(slice(text, name.range), 'ai: audio.music; tool: Suno 4; stage: temp');
  assert.equal(slice(text, name.fields[2].valueRange), 'temp');
  // |D:48 at 24 fps: two seconds.
  assert.equal(hostTimecode(name), '01:01:03:00-01:01:05:00');
  // Without a rate the duration cannot be counted: the start alone.
  assert.equal(hostTimecode(parseEdl(text).tags[1]), '01:01:03:00');
  assert.deepEqual(doc.problems, []);
});

test('the marker\'s timecode answers apa/cue-sheet-fields; the same tag text gives the same findings as in Fountain', () => {
  const edl = 'TITLE: T\nFCM: NON-DROP FRAME\n001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00\n* ai: image.generated; tool: Midjourney 6.1\n';
  const fromEdl = lintText(edl, 'edl', { genre: 'documentary' }).findings;
  const cue = fromEdl.find((f) => f.ruleId === 'apa/cue-sheet-fields');
  assert.ok(cue, 'the prompt and source are still missing');
  assert.doesNotMatch(cue.message, /timecode/);
  assert.deepEqual(cue.fixes.map((f) => 'key' in f && f.key), ['prompt', 'source']);
  const fountain = 'INT. HARBOUR - DAY\n\nA still. [[ai: image.generated; tool: Midjourney 6.1]]\n';
  const fromFountain = lintText(fountain, 'fountain', { genre: 'documentary' }).findings;
  const cueFountain = fromFountain.find((f) => f.ruleId === 'apa/cue-sheet-fields')!;
  assert.match(cueFountain.message, /timecode/);
  // Every other rule fires alike in both hosts.
  const ids = (fs: typeof fromEdl) => fs.map((f) => f.ruleId).filter((id) => id !== 'apa/cue-sheet-fields').sort();
  assert.deepEqual(ids(fromEdl), ids(fromFountain));
});

test('a truncated EDL gives one finding at the broken event line and loses nothing else', () => {
  const text = fixture('reel3-lock.edl');
  const cut = text.slice(0, text.indexOf('004  HD0302') + 40);
  const doc = parseEdl(cut);
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0].ruleId, 'core/invalid-marker-file');
  assert.match(slice(cut, doc.problems[0].range), /^004  HD0302/);
  assert.deepEqual(doc.tags.map((t) => t.kind), ['image.composite', 'video.generated']);
  const findings = lintParsed(doc).findings.filter((f) => f.ruleId === 'core/invalid-marker-file');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].severity, 'error');
});

test('timecode frames are checked against the file\'s rate: a finding at the marker\'s timecode', () => {
  // 29.97 drop-frame: 01:01:00;00 does not exist (frames 00 and 01 are skipped at minute 1).
  const edl = 'TITLE: T\nFCM: DROP FRAME\n001  AX  V  C  00:00:00;00 00:00:05;00 01:01:00;00 01:01:05;00\n* ai: audio.music; tool: Suno 4; stage: temp\n';
  const findings = lintText(edl, 'edl').findings.filter((f) => f.ruleId === 'core/invalid-value');
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /drop-frame skips/);
  assert.equal(slice(edl, findings[0].range), '01:01:00;00');
  // The config's fps where the file says only NON-DROP FRAME.
  const ndf = 'FCM: NON-DROP FRAME\n001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:24 01:00:05:00\n* ai: audio.music; tool: Suno 4; stage: temp\n';
  assert.equal(lintText(ndf, 'edl', { fps: 30 }).findings.filter((f) => f.ruleId === 'core/invalid-value').length, 0);
  const at24 = lintText(ndf, 'edl', { fps: 24 }).findings.filter((f) => f.ruleId === 'core/invalid-value');
  assert.equal(at24.length, 1);
  assert.match(at24[0].message, /frame 24, but at 24 fps frames run 00-23/);
});

test('a tag directive in a marker comment is a directive', () => {
  const edl = 'FCM: NON-DROP FRAME\n* ai-lint: disable-file apa/cue-sheet-fields -- cue sheet kept in the delivery spreadsheet\n001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00\n* ai: image.generated; tool: Midjourney 6.1\n';
  const doc = parseEdl(edl);
  assert.equal(doc.directives.length, 1);
  assert.equal(slice(edl, doc.directives[0].ruleRanges[0]), 'apa/cue-sheet-fields');
  assert.ok(!lintParsed(doc, { genre: 'documentary' }).findings.some((f) => f.ruleId === 'apa/cue-sheet-fields'));
});

test('the report\'s cue sheet shows the marker\'s timecode and clip', async () => {
  const { buildReport } = await import('../../server/src/core/report/model.js');
  const text = fixture('reel3-lock.edl');
  const result = lintParsed(parseEdl(text), { genre: 'documentary' });
  const file = { path: '/project/reel3-lock.edl', kind: 'document' as const, genre: result.genre, guidelines: result.guidelines, result, findings: result.findings };
  const report = buildReport({ files: [file], missing: [], unreadable: [] }, { root: '/project', generatedAt: new Date(0), toolVersion: '0' });
  assert.deepEqual(report.cueSheet.map((r) => [r.file, r.timecode, r.kind]), [
    ['reel3-lock.edl', '01:00:06;02', 'image.composite'],
    ['reel3-lock.edl', '01:00:10;24-01:00:15;24', 'video.generated'],
    ['reel3-lock.edl', '01:00:16;00-01:00:23;24', 'audio.voice-synthetic'],
  ]);
});
