// CMX3600 edit decision lists (`.edl`), as Avid, Premiere and DaVinci Resolve export them:
//   TITLE: Reel 3 lock
//   FCM: DROP FRAME
//   004  ZZ100_50 V     C        01:00:10:01 01:00:14:20 00:59:58:00 01:00:02:19
//   * FROM CLIP NAME:  ZZ100_504C (LAY1)
//   * LOC: 01:00:01:14 RED     ANIM FIX NEEDED
//   * ai: video.generated; tool: Runway Gen-4
//   * tool-version: 4.1                       <- a `* key: value` line continues the tag above
// `* ` comment lines belong to the event above them: a tag there gets the event's record in and
// out as its timecode; a `* LOC:` locator has its own. DaVinci Resolve's "Timeline Markers to EDL"
// writes each marker as a one-frame event followed by `note |C:ResolveColorBlue |M:name |D:frames`.
// One pass over the lines, no regular expression that can backtrack over a whole line.

import { LineIndex } from '../line-index.js';
import { addFrames, formatTimecode, parseTimecode, type FrameRate } from '../timecode.js';
import type { MetadataEntry, ParsedDocument, ParseProblem } from '../types.js';
import { isCustomKey, keyInfo } from '../vocabulary.js';
import { buildMarkerDocument, MappedText, MarkerSink, timecodeValue, type MarkerRecord } from './common.js';

export const MARKER_FILE_RULE = 'core/invalid-marker-file';

export interface MarkerParseOptions {
  /** The config's `fps` / `drop-frame`, used where the file does not say (durations in frames). */
  frameRate?: Partial<FrameRate>;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

/** The blank-separated words of `[start, end)` with their offsets. */
function tokens(text: string, start: number, end: number): Token[] {
  const out: Token[] = [];
  let i = start;
  while (i < end) {
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const s = i;
    while (i < end && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
    if (i > s) out.push({ text: text.slice(s, i), start: s, end: i });
  }
  return out;
}

function isDigits(s: string): boolean {
  return s.length > 0 && /^\d+$/.test(s);
}

/** A full `HH:MM:SS:FF` (or `;`) timecode as EDLs write them. */
function isEdlTimecode(s: string): boolean {
  return s.length <= 12 && /^\d{2}[:;]\d{2}[:;]\d{2}[:;.]\d{2}$/.test(s);
}

interface Event {
  number: string;
  recIn: Token;
  recOut: Token;
  lineStart: number;
  lineEnd: number;
  /** Its `* ` comment lines and the Resolve marker line: [start, end) of each line's content. */
  lines: [number, number, ResolveMarker?][];
}

/** A `* key: value` line whose key is a tag key: it continues the tag on the lines above. */
function continuesTag(text: string, start: number, end: number): boolean {
  let i = start + 1;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  const k = i;
  while (i < end && /[A-Za-z0-9-]/.test(text[i])) i++;
  const key = text.slice(k, i).toLowerCase();
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i >= end || text.charCodeAt(i) !== 58 || key === '' || key === 'ai' || key === 'ai-lint') return false;
  return key === 'kind' || keyInfo(key) !== undefined || isCustomKey(key);
}

interface ResolveMarker {
  noteEnd: number;
  name: Token;
  colour: string;
  duration: number;
}

/** The first `needle` at or after an offset; offsets asked for only grow, so a whole file costs one scan. */
class Finder {
  private at = -2;
  constructor(private readonly text: string, private readonly needle: string) {}

  /** The first occurrence in [from, end), or -1. */
  find(from: number, end: number): number {
    if (this.at !== -1 && this.at < from) this.at = this.text.indexOf(this.needle, from);
    return this.at >= 0 && this.at + this.needle.length <= end ? this.at : -1;
  }

  /** The last occurrence in [from, end), or -1. */
  last(from: number, end: number): number {
    let found = -1;
    for (let i = this.find(from, end); i >= 0; i = this.find(i + 1, end)) found = i;
    return found;
  }
}

/** Finds Resolve's ` |C:colour |M:name |D:frames` on a line: the note is the text before it. */
class ResolveMarkers {
  private readonly colour: Finder;
  private readonly name: Finder;
  private readonly duration: Finder;
  constructor(private readonly text: string) {
    this.colour = new Finder(text, '|C:');
    this.name = new Finder(text, ' |M:');
    this.duration = new Finder(text, ' |D:');
  }

  /** Lines must be asked for in order. */
  at(start: number, end: number): ResolveMarker | undefined {
    const text = this.text;
    const c = this.colour.find(start, end);
    if (c < 0) return undefined;
    const m = this.name.find(c, end);
    if (m < 0) return undefined;
    const d = this.duration.last(m, end);
    if (d < 0) return undefined;
    const frames = text.slice(d + 4, end).trim();
    if (!isDigits(frames)) return undefined;
    const noteEnd = c > start && text.charCodeAt(c - 1) === 32 ? c - 1 : c;
    return { noteEnd, name: { text: text.slice(m + 4, d), start: m + 4, end: d }, colour: text.slice(c + 3, m), duration: Number(frames) };
  }
}

/** Reads an EDL. Never throws; a line that breaks the format is one finding and the rest is read. */
export function parseEdl(text: string, options: MarkerParseOptions = {}): ParsedDocument {
  const index = LineIndex.of(text);
  const problems: ParseProblem[] = [];
  const metadata = new Map<string, MetadataEntry>();
  const sink = new MarkerSink(text);
  let dropFrame: boolean | undefined;
  let fcmSeen = false;
  const events: Event[] = [];
  let current: Event | undefined;
  const starts = index.lineStarts;
  const resolveMarkers = new ResolveMarkers(text);
  for (let line = 0; line < starts.length; line++) {
    const s = starts[line];
    const e = index.lineContentEnd(line);
    let i = s;
    while (i < e && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= e) continue;
    const c = text.charCodeAt(i);
    // Resolve's marker line follows its event line and starts with the note (or ` |C:`); the note
    // may start with a digit, so this comes before the event test.
    const resolve = current && c !== 42 ? resolveMarkers.at(i, e) : undefined;
    if (current && resolve) {
      current.lines.push([i, e, resolve]);
      continue;
    }
    if (c === 42 /* * */) {
      if (current) current.lines.push([i, e]);
      else commentRecords(sink, text, [[i, e]], undefined, options, dropFrame);
      continue;
    }
    if (c >= 48 && c <= 57) {
      const words = tokens(text, i, e);
      const ok = words.length >= 7 && isDigits(words[0].text) && words.slice(-4).every((w) => isEdlTimecode(w.text));
      if (!ok) {
        problems.push({
          ruleId: MARKER_FILE_RULE,
          severity: 'error',
          message: `This EDL event line is cut short or malformed: an event is \`001  REEL  V  C  <source in> <source out> <record in> <record out>\`, so its markers and comments are read without a timecode.`,
          range: index.range(i, e),
        });
        current = { number: words[0]?.text ?? '', recIn: { text: '', start: i, end: i }, recOut: { text: '', start: i, end: i }, lineStart: i, lineEnd: e, lines: [] };
        events.push(current);
        continue;
      }
      current = { number: words[0].text, recIn: words[words.length - 2], recOut: words[words.length - 1], lineStart: i, lineEnd: e, lines: [] };
      events.push(current);
      continue;
    }
    const head = text.slice(i, Math.min(e, i + 6)).toUpperCase();
    if (head.startsWith('TITLE:')) {
      let v = i + 6;
      while (v < e && (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 9)) v++;
      let ve = e;
      while (ve > v && (text.charCodeAt(ve - 1) === 32 || text.charCodeAt(ve - 1) === 9)) ve--;
      if (!metadata.has('title')) metadata.set('title', { key: 'TITLE', keyRange: index.range(i, i + 5), value: text.slice(v, ve), valueRange: index.range(v, ve) });
      continue;
    }
    if (head.startsWith('FCM:')) {
      const value = text.slice(i + 4, e).trim().toUpperCase();
      fcmSeen = true;
      if (value === 'DROP FRAME') dropFrame = true;
      else if (value === 'NON-DROP FRAME' || value === 'NON DROP FRAME') dropFrame = false;
      continue;
    }
    // Anything else (M2 speed lines, SPLIT:, >>> SOURCE, AUD) carries no marker.
  }
  for (const event of events) commentRecords(sink, text, event.lines, event, options, dropFrame);
  const rate: ParsedDocument['frameRate'] = {};
  if (fcmSeen && dropFrame !== undefined) rate.dropFrame = dropFrame;
  if (dropFrame) rate.fps = options.frameRate?.fps === 59.94 ? 59.94 : 29.97;
  return buildMarkerDocument({ format: 'edl', text, index, records: sink.records, prose: sink.prose, problems, metadata, frameRate: rate });
}

/** The rate for frame arithmetic: the file's drop-frame with the config's rate, when both are known. */
function arithmeticRate(options: MarkerParseOptions, dropFrame: boolean | undefined): FrameRate | undefined {
  const fps = dropFrame ? (options.frameRate?.fps === 59.94 ? 59.94 : 29.97) : options.frameRate?.fps;
  if (fps === undefined) return undefined;
  return { fps, dropFrame: dropFrame ?? options.frameRate?.dropFrame ?? false } as FrameRate;
}

function canonical(tc: string, dropFrame: boolean | undefined): string {
  const parts = parseTimecode(tc);
  if (!parts) return tc;
  return formatTimecode(dropFrame && parts.frames !== undefined ? { ...parts, dropFrame: true } : parts);
}

/** The markers of one event's comment lines (or of the comments before the first event). */
function commentRecords(
  sink: MarkerSink,
  text: string,
  lines: [number, number, ResolveMarker?][],
  event: Event | undefined,
  options: MarkerParseOptions,
  dropFrame: boolean | undefined,
): void {
  const records = sink.records;
  let clip: MarkerRecord['clip'];
  // The clip name comes before or after the comments: find it first.
  for (const [s, e, resolve] of lines) {
    if (resolve) continue;
    let b = s + 1;
    while (b < e && (text.charCodeAt(b) === 32 || text.charCodeAt(b) === 9)) b++;
    if (startsWithWord(text, b, e, 'FROM CLIP NAME:')) {
      let a = b + 15;
      while (a < e && text.charCodeAt(a) === 32) a++;
      let z = e;
      while (z > a && text.charCodeAt(z - 1) === 32) z--;
      if (z > a) clip = { value: text.slice(a, z), start: a, end: z };
    }
  }
  const hasTimecode = event !== undefined && event.recIn.text !== '';
  const eventTimecode = (): MarkerRecord['timecode'] => {
    if (!event || !hasTimecode) return undefined;
    const value = () => {
      const start = canonical(event.recIn.text, dropFrame);
      const out = canonical(event.recOut.text, dropFrame);
      const rate = arithmeticRate(options, dropFrame);
      const startParts = parseTimecode(event.recIn.text);
      // A one-frame event (every Resolve marker) is a point, not a range.
      const oneFrame = rate && startParts ? addFrames(startParts, 1, rate) === out : false;
      return timecodeValue(start, oneFrame ? undefined : out);
    };
    return { value, start: event.recIn.start, end: event.recIn.end };
  };
  for (let n = 0; n < lines.length; n++) {
    const [s, e, resolve] = lines[n];
    const anchorStart = event ? event.lineStart : s;
    if (resolve) {
      // Resolve's marker line: note |C:colour |M:name |D:frames.
      const marker = resolve;
      if (!sink.mayHoldTag(s, marker.noteEnd, marker.name.start, marker.name.end)) continue;
      let timecode = eventTimecode();
      if (timecode && event) {
        const value = () => {
          const rate = arithmeticRate(options, dropFrame);
          const startParts = parseTimecode(event.recIn.text);
          const end = rate && startParts && marker.duration > 1 ? addFrames(startParts, marker.duration, rate) : undefined;
          return timecodeValue(canonical(event.recIn.text, dropFrame), end);
        };
        timecode = { ...timecode, value };
      }
      records.push({
        texts: [
          { start: s, end: marker.noteEnd },
          { start: marker.name.start, end: marker.name.end },
        ],
        anchorStart,
        anchorEnd: e,
        timecode,
        clip,
      });
      continue;
    }
    let b = s + 1;
    while (b < e && (text.charCodeAt(b) === 32 || text.charCodeAt(b) === 9)) b++;
    if (startsWithWord(text, b, e, 'LOC:')) {
      // * LOC: 01:00:01:14 RED     text
      const words = tokens(text, b + 4, e);
      const tc = words[0];
      if (!tc || !isEdlTimecode(tc.text)) continue;
      const colour = words[1];
      const ts = colour ? colour.end : tc.end;
      let t = ts;
      while (t < e && (text.charCodeAt(t) === 32 || text.charCodeAt(t) === 9)) t++;
      let te = e;
      while (te > t && (text.charCodeAt(te - 1) === 32 || text.charCodeAt(te - 1) === 9)) te--;
      if (!sink.mayHoldTag(t, te)) continue;
      records.push({
        texts: [{ start: t, end: te }],
        anchorStart: b,
        anchorEnd: e,
        timecode: { value: () => canonical(tc.text, dropFrame), start: tc.start, end: tc.end },
        clip,
      });
      continue;
    }
    if (startsWithWord(text, b, e, 'FROM CLIP NAME:') || startsWithWord(text, b, e, 'TO CLIP NAME:') || startsWithWord(text, b, e, 'SOURCE FILE:')) continue;
    // A plain comment, continued by the `* key: value` lines after it when it is a tag.
    let te = e;
    while (te > b && (text.charCodeAt(te - 1) === 32 || text.charCodeAt(te - 1) === 9)) te--;
    if (!sink.mayHoldTag(b, te)) continue;
    let end = te;
    let lastLine = e;
    const isTag = (text.charCodeAt(b) | 0x20) === 0x61 && (text.charCodeAt(b + 1) | 0x20) === 0x69 && text.slice(b, b + 7).toLowerCase() !== 'ai-lint';
    const mapped = isTag ? new MappedText().copy(text, b, te) : undefined;
    while (mapped && n + 1 < lines.length && text.charCodeAt(lines[n + 1][0]) === 42 && continuesTag(text, lines[n + 1][0], lines[n + 1][1])) {
      n++;
      const [ns, ne] = lines[n];
      let nb = ns + 1;
      while (nb < ne && (text.charCodeAt(nb) === 32 || text.charCodeAt(nb) === 9)) nb++;
      let nte = ne;
      while (nte > nb && (text.charCodeAt(nte - 1) === 32 || text.charCodeAt(nte - 1) === 9)) nte--;
      // The line break and the `* ` prefix stand for one field separator.
      mapped.stand('\n', end, nb).copy(text, nb, nte);
      end = nte;
      lastLine = ne;
    }
    records.push({ texts: [{ start: b, end, read: mapped && (() => mapped) }], anchorStart, anchorEnd: Math.max(lastLine, event ? event.lineEnd : e), timecode: eventTimecode(), clip });
  }
}

/** `text` at `at` starts with `word` (ASCII, any case), within `end`. */
function startsWithWord(text: string, at: number, end: number, word: string): boolean {
  if (at + word.length > end) return false;
  for (let i = 0; i < word.length; i++) {
    let c = text.charCodeAt(at + i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** The colour names of Resolve's marker EDL (`|C:ResolveColorBlue`). */
export const RESOLVE_COLOURS = ['Blue', 'Cyan', 'Green', 'Yellow', 'Red', 'Pink', 'Purple', 'Fuchsia', 'Rose', 'Lavender', 'Sky', 'Mint', 'Lemon', 'Sand', 'Cocoa', 'Cream'] as const;
