import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addFrames, formatTimecode, framesToTimecode, parseRationalTime, parseTimecode, rateFromFrameDuration,
  secondsToFrames, timecodeRateProblem, timecodeToFrames,
} from '../../server/src/core/timecode.js';

const DF2997 = { fps: 29.97, dropFrame: true } as const;
const DF5994 = { fps: 59.94, dropFrame: true } as const;

test('29.97 drop-frame frame counts give the known timecodes, and back', () => {
  // Known values: ten minutes hold 17982 frames; minute 1 starts at frame 1800 = 00:01:00;02.
  const known: [number, string][] = [
    [0, '00:00:00;00'],
    [1799, '00:00:59;29'],
    [1800, '00:01:00;02'],
    [17982, '00:10:00;00'],
    [17981, '00:09:59;29'],
    [107892, '01:00:00;00'],
  ];
  for (const [frames, tc] of known) {
    assert.equal(framesToTimecode(frames, DF2997), tc, `frame ${frames}`);
    assert.equal(timecodeToFrames(parseTimecode(tc)!, DF2997), frames, tc);
  }
});

test('59.94 drop-frame skips four frame numbers a minute; non-drop counts straight', () => {
  assert.equal(framesToTimecode(3600, DF5994), '00:01:00;04');
  assert.equal(framesToTimecode(35964, DF5994), '00:10:00;00');
  assert.equal(framesToTimecode(107892, { fps: 29.97, dropFrame: false }), '00:59:56:12');
  assert.equal(framesToTimecode(86400, { fps: 24, dropFrame: false }), '01:00:00:00');
  assert.equal(addFrames(parseTimecode('01:00:59;29')!, 1, DF2997), '01:01:00;02');
  assert.equal(addFrames(parseTimecode('00:59:59:24')!, 1, { fps: 25, dropFrame: false }), '01:00:00:00');
});

test('frames must be below the rate; drop-frame only at 29.97 and 59.94; skipped numbers are named', () => {
  assert.equal(timecodeRateProblem(parseTimecode('01:00:00:24')!, { fps: 25 }), undefined);
  assert.match(timecodeRateProblem(parseTimecode('01:00:00:25')!, { fps: 25 })!, /frame 25, but at 25 fps frames run 00-24/);
  assert.match(timecodeRateProblem(parseTimecode('01:00:00:24')!, { fps: 23.976 })!, /frames run 00-23/);
  assert.equal(timecodeRateProblem(parseTimecode('01:00:00:29')!, { fps: 29.97 }), undefined);
  assert.match(timecodeRateProblem(parseTimecode('01:00:00;10')!, { fps: 25 })!, /drop-frame exists only at 29.97 and 59.94/);
  assert.match(timecodeRateProblem(parseTimecode('00:01:00;00')!, { fps: 29.97 })!, /next frame is 00:01:00;02/);
  assert.equal(timecodeRateProblem(parseTimecode('00:10:00;00')!, { fps: 29.97 }), undefined);
  assert.match(timecodeRateProblem(parseTimecode('00:01:00;03')!, { fps: 59.94 })!, /00-03 of minute 01/);
  // A non-drop timecode in a drop-frame project that names a skipped frame.
  assert.match(timecodeRateProblem(parseTimecode('00:01:00:01')!, { fps: 29.97, dropFrame: true })!, /skips/);
  // No rate known: nothing to check against.
  assert.equal(timecodeRateProblem(parseTimecode('00:01:00:45')!, {}), undefined);
});

test('timecodes as NLEs write them: Premiere\'s all-semicolon drop-frame, one-digit hours', () => {
  assert.deepEqual(parseTimecode('00;00;05;12'), { hours: 0, minutes: 0, seconds: 5, frames: 12, dropFrame: true });
  assert.equal(formatTimecode(parseTimecode('00;00;05;12')!), '00:00:05;12');
  assert.equal(formatTimecode(parseTimecode('1:02:03:04')!), '01:02:03:04');
  assert.equal(formatTimecode(parseTimecode('01:02:03')!), '01:02:03');
  assert.equal(parseTimecode('01:62:03:04'), undefined);
  assert.equal(parseTimecode('01:02:03:4'), undefined);
});

test('FCPXML frame durations map to the project rates; rational times to frames', () => {
  assert.deepEqual(rateFromFrameDuration(parseRationalTime('1001/30000s')!, 'DF'), DF2997);
  assert.deepEqual(rateFromFrameDuration(parseRationalTime('1001/30000s')!, 'NDF'), { fps: 29.97, dropFrame: false });
  assert.deepEqual(rateFromFrameDuration(parseRationalTime('100/2400s')!, undefined), { fps: 24, dropFrame: false });
  assert.deepEqual(rateFromFrameDuration(parseRationalTime('1001/24000s')!, 'DF'), { fps: 23.976, dropFrame: false });
  assert.deepEqual(rateFromFrameDuration(parseRationalTime('1/25s')!, undefined), { fps: 25, dropFrame: false });
  assert.equal(rateFromFrameDuration(parseRationalTime('1/7s')!, undefined), undefined);
  assert.equal(rateFromFrameDuration(parseRationalTime('0s')!, undefined), undefined);
  // 27248221/7500 s is frame 108884 at 29.97: 01:00:29:14 non-drop.
  const t = parseRationalTime('27248221/7500s')!;
  assert.equal(secondsToFrames(t.num / t.den, { fps: 29.97, dropFrame: false }), 108884);
  assert.equal(framesToTimecode(108884, { fps: 29.97, dropFrame: false }), '01:00:29:14');
  assert.equal(parseRationalTime('3853/30s')!.num, 3853);
  assert.equal(parseRationalTime('abc'), undefined);
  assert.equal(parseRationalTime('1/0s'), undefined);
});
