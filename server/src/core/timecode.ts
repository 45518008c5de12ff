// SMPTE timecodes (SPEC §2.2 `timecode`, §3 `fps` / `drop-frame`): reading `HH:MM:SS:FF` (non-drop)
// and `HH:MM:SS;FF` (drop-frame), checking frames against a frame rate, and converting frame counts
// and FCPXML rational seconds to timecodes. The drop-frame arithmetic (frame numbers 0 and 1, or
// 0-3 at 59.94, skipped at every minute but each tenth) is the `smpte-timecode` package's; it
// assumes 29.97 drop-frame when given no rate, so every call here passes one.

import SmpteTimecode from 'smpte-timecode';

/** The frame rates a project may set (config `fps`); the config schema's enum is checked against it. */
export const FRAME_RATES = [23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60] as const;
export type FrameRateValue = (typeof FRAME_RATES)[number];

/** Rates whose timecodes may be drop-frame. */
export const DROP_FRAME_RATES: readonly FrameRateValue[] = [29.97, 59.94];

export interface FrameRate {
  fps: FrameRateValue;
  dropFrame: boolean;
}

/** The exact rate as a fraction (29.97 is 30000/1001), which the library and FCPXML use. */
export function exactRate(fps: FrameRateValue): [number, number] {
  const nominal = Math.round(fps);
  return fps === nominal ? [fps, 1] : [nominal * 1000, 1001];
}

/** Frames per second as counted in a timecode: 30 for 29.97, 24 for 23.976. */
export function timebase(fps: FrameRateValue): number {
  return Math.round(fps);
}

export function isFrameRate(value: unknown): value is FrameRateValue {
  return typeof value === 'number' && (FRAME_RATES as readonly number[]).includes(value);
}

/** One timecode as written, split into its numbers; `dropFrame` when the frames follow a `;`. */
export interface TimecodeParts {
  hours: number;
  minutes: number;
  seconds: number;
  /** Undefined for `HH:MM:SS`. */
  frames?: number;
  dropFrame: boolean;
}

// Premiere writes drop-frame timecodes with a `;` between every pair (`00;00;05;12`); the SPEC's
// form has it before the frames only. Both are read; hours are one or two digits.
const TIMECODE_PATTERN = /^(\d{1,2})([:;])(\d{2})([:;])(\d{2})(?:([:;.])(\d{2}))?$/;

export function parseTimecode(text: string): TimecodeParts | undefined {
  const m = TIMECODE_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const parts: TimecodeParts = { hours: +m[1], minutes: +m[3], seconds: +m[5], dropFrame: m[6] === ';' };
  if (m[7] !== undefined) parts.frames = +m[7];
  if (parts.minutes > 59 || parts.seconds > 59) return undefined;
  // Premiere's all-semicolon form is drop-frame too.
  if (m[7] !== undefined && m[2] === ';' && m[4] === ';' && m[6] === ';') parts.dropFrame = true;
  return parts;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM:SS:FF`, or `HH:MM:SS;FF` when drop-frame. */
export function formatTimecode(parts: TimecodeParts): string {
  const head = `${pad(parts.hours)}:${pad(parts.minutes)}:${pad(parts.seconds)}`;
  return parts.frames === undefined ? head : `${head}${parts.dropFrame ? ';' : ':'}${pad(parts.frames)}`;
}

/**
 * What is wrong with one timecode at a rate (undefined when nothing is): frames at or above the
 * rate's timebase, a drop-frame `;` at a rate that has no drop-frame, or a frame number that
 * drop-frame skips. The words fit after "`01:00:00;00` ...".
 */
export function timecodeRateProblem(parts: TimecodeParts, rate: Partial<FrameRate>): string | undefined {
  const { fps } = rate;
  if (parts.dropFrame && fps !== undefined && !DROP_FRAME_RATES.includes(fps)) {
    return `is written drop-frame (\`;\` before the frames), but drop-frame exists only at 29.97 and 59.94 fps and this project runs at ${fps}: write \`:\``;
  }
  if (parts.frames === undefined || fps === undefined) return undefined;
  const base = timebase(fps);
  if (parts.frames >= base) return `has frame ${pad(parts.frames)}, but at ${fps} fps frames run 00-${pad(base - 1)}`;
  const dropFrame = parts.dropFrame || (rate.dropFrame === true && DROP_FRAME_RATES.includes(fps));
  if (dropFrame && parts.seconds === 0 && parts.minutes % 10 !== 0) {
    const skipped = base > 30 ? 4 : 2;
    if (parts.frames < skipped) {
      return `names a frame that drop-frame skips: at ${fps} fps drop-frame, frames 00-${pad(skipped - 1)} of minute ${pad(parts.minutes)} do not exist (the next frame is ${formatTimecode({ ...parts, frames: skipped, dropFrame: true })})`;
    }
  }
  return undefined;
}

/** A range `A-B` (or a single timecode) split into its timecodes, or undefined when one is not a timecode. */
export function parseTimecodeRange(text: string): TimecodeParts[] | undefined {
  const pieces = text.split(/\s*[-–]\s*/);
  if (pieces.length < 1 || pieces.length > 2) return undefined;
  const parts = pieces.map(parseTimecode);
  return parts.every((p): p is TimecodeParts => p !== undefined) ? parts : undefined;
}

function library(value: number | string, rate: FrameRate): SmpteTimecode.TimecodeInstance {
  const dropFrame = rate.dropFrame && DROP_FRAME_RATES.includes(rate.fps);
  return new SmpteTimecode(value, exactRate(rate.fps), dropFrame);
}

/** The timecode of frame `frames` (counted from 00:00:00:00), or undefined past 24 hours or below 0. */
export function framesToTimecode(frames: number, rate: FrameRate): string | undefined {
  if (!Number.isFinite(frames) || frames < 0) return undefined;
  const dayFrames = Math.round((exactRate(rate.fps)[0] / exactRate(rate.fps)[1]) * 86400);
  if (frames >= dayFrames) return undefined;
  try {
    const tc = library(Math.round(frames), rate);
    return formatTimecode({ hours: tc.hours, minutes: tc.minutes, seconds: tc.seconds, frames: tc.frames, dropFrame: tc.dropFrame });
  } catch {
    return undefined;
  }
}

/** The frame count of a timecode with frames at `rate`, or undefined when it is not valid there. */
export function timecodeToFrames(parts: TimecodeParts, rate: FrameRate): number | undefined {
  if (parts.frames === undefined || parts.hours > 23 || timecodeRateProblem(parts, rate)) return undefined;
  try {
    return library(formatTimecode({ ...parts, dropFrame: rate.dropFrame }), rate).frameCount;
  } catch {
    return undefined;
  }
}

/** `start` plus `frames` frames, as a timecode; undefined when start is not valid at the rate. */
export function addFrames(start: TimecodeParts, frames: number, rate: FrameRate): string | undefined {
  const at = timecodeToFrames(start, rate);
  return at === undefined ? undefined : framesToTimecode(at + frames, rate);
}

/** FCPXML rational seconds: `3853/30s`, `0s`, `3600/1s`. */
export interface Rational {
  num: number;
  den: number;
}

export function parseRationalTime(text: string): Rational | undefined {
  const m = /^\s*(-?\d+)(?:\/(\d+))?s\s*$/.exec(text);
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = m[2] === undefined ? 1 : Number(m[2]);
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den === 0) return undefined;
  return { num, den };
}

/**
 * The frame rate of an FCPXML `frameDuration` (`1001/30000s` is 29.97) with the sequence's
 * `tcFormat` (`DF` is drop-frame, where the rate has it), or undefined for a rate no project uses.
 */
export function rateFromFrameDuration(duration: Rational, tcFormat: string | undefined): FrameRate | undefined {
  if (duration.num <= 0) return undefined;
  const fps = duration.den / duration.num;
  const match = FRAME_RATES.find((r) => {
    const [n, d] = exactRate(r);
    return Math.abs(n / d - fps) < 1e-6;
  });
  if (match === undefined) return undefined;
  return { fps: match, dropFrame: tcFormat === 'DF' && DROP_FRAME_RATES.includes(match) };
}

/** Seconds as a number (FCPXML times are added and subtracted before they become frames). */
export function rationalSeconds(time: Rational): number {
  return time.num / time.den;
}

/** Seconds as a whole frame count at `rate` (FCPXML times fall on frame boundaries). */
export function secondsToFrames(seconds: number, rate: FrameRate): number {
  const [n, d] = exactRate(rate.fps);
  // A little slack: 27248221/7500 s at 30000/1001 fps is exactly frame 108884, give or take the float.
  return Math.floor((seconds * n) / d + 1e-4);
}
