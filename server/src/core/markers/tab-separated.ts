// The two tab-separated marker lists (SPEC §2.4):
// - Avid Media Composer's marker list (Markers window > Export Markers, `.txt`): one marker a line,
//   `user⇥timecode⇥track⇥colour⇥comment⇥duration`, newer versions adding `⇥user⇥colour`;
// - Premiere Pro's "Export Markers" text (`.csv` or `.txt`, UTF-16LE with a BOM or UTF-8): a header
//   `Marker Name⇥Description⇥In⇥Out⇥Duration⇥Marker Type`, then one marker a line.
// A `.txt` or `.csv` file is read as one of them only when its first line has that shape
// (sniffAvidMarkers / sniffPremiereMarkers), so a screenplay or a note saved as `.txt` never is.

import { LineIndex } from '../line-index.js';
import { addFrames, formatTimecode, parseTimecode, type FrameRate } from '../timecode.js';
import type { ParsedDocument, ParseProblem } from '../types.js';
import { buildMarkerDocument, MarkerSink, timecodeValue, type MarkerText } from './common.js';
import { MARKER_FILE_RULE, type MarkerParseOptions } from './edl.js';

/** Avid's marker colours, as its marker list writes them. */
export const AVID_COLOURS = ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black', 'white'] as const;

export const PREMIERE_HEADER = ['Marker Name', 'Description', 'In', 'Out', 'Duration', 'Marker Type'] as const;

interface Cell {
  start: number;
  end: number;
}

/** The cells of one line, split on tabs. */
function cells(text: string, start: number, end: number): Cell[] {
  const out: Cell[] = [];
  let s = start;
  // A loop over the line, not indexOf: a line without a tab must not search the rest of the file.
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 9) {
      out.push({ start: s, end: i });
      s = i + 1;
    }
  }
  out.push({ start: s, end });
  return out;
}

const cellText = (text: string, c: Cell | undefined): string => (c ? text.slice(c.start, c.end) : '');

/** The first line's content: [start, end) after a BOM the reader did not strip. */
function firstLine(text: string): [number, number] {
  const s = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let e = s;
  while (e < text.length && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
  return [s, e];
}

function isAvidLine(text: string, row: Cell[]): boolean {
  if (row.length !== 6 && row.length !== 8) return false;
  const tc = cellText(text, row[1]);
  return /^\d{2}[:;]\d{2}[:;]\d{2}[:;]\d{2}$/.test(tc)
    && (AVID_COLOURS as readonly string[]).includes(cellText(text, row[3]).toLowerCase())
    && /^\d+$/.test(cellText(text, row[5]));
}

/** True when `text` is an Avid marker list: its first line is a marker of that exact shape. */
export function sniffAvidMarkers(text: string): boolean {
  const [s, e] = firstLine(text);
  return e - s < 100_000 && isAvidLine(text, cells(text, s, e));
}

/** True when `text` is a Premiere Pro marker export: it starts with that header. */
export function sniffPremiereMarkers(text: string): boolean {
  const [s, e] = firstLine(text);
  const header = cells(text, s, Math.min(e, s + 200)).map((c) => cellText(text, c).trim());
  return PREMIERE_HEADER.every((h, i) => header[i] === h);
}

function trimmed(text: string, c: Cell): Cell {
  let { start, end } = c;
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 0xa0)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 0xa0)) end--;
  return { start, end };
}

function textOf(text: string, c: Cell): MarkerText {
  return trimmed(text, c);
}

function lines(index: LineIndex, from = 0): [number, number][] {
  const out: [number, number][] = [];
  for (let line = from; line < index.lineCount; line++) {
    const s = index.lineStarts[line] + (line === 0 && index.text.charCodeAt(0) === 0xfeff ? 1 : 0);
    const e = index.lineContentEnd(line);
    let i = s;
    while (i < e && (index.text.charCodeAt(i) === 32 || index.text.charCodeAt(i) === 9)) i++;
    if (i < e) out.push([s, e]);
  }
  return out;
}

function rateFor(options: MarkerParseOptions, dropFrame: boolean): FrameRate | undefined {
  const fps = options.frameRate?.fps ?? (dropFrame ? 29.97 : undefined);
  return fps === undefined ? undefined : ({ fps, dropFrame: dropFrame || (options.frameRate?.dropFrame ?? false) } as FrameRate);
}

function badLine(index: LineIndex, s: number, e: number, columns: string, found: number, timecodeColumn: string): ParseProblem {
  const what = found < 6
    ? `has ${found} tab-separated column${found === 1 ? '' : 's'} where a marker has six (${columns})`
    : `has no timecode in its ${timecodeColumn} column`;
  return {
    ruleId: MARKER_FILE_RULE,
    severity: 'error',
    message: `This marker line ${what}, so it is not read as a marker: export the marker list again, or restore the missing columns.`,
    range: index.range(s, e),
  };
}

/** Reads an Avid marker list. Never throws; a line with missing columns is one finding. */
export function parseAvidMarkers(text: string, options: MarkerParseOptions = {}): ParsedDocument {
  const index = LineIndex.of(text);
  const problems: ParseProblem[] = [];
  const sink = new MarkerSink(text);
  let dropFrame: boolean | undefined;
  for (const [s, e] of lines(index)) {
    const row = cells(text, s, e);
    const tcCell = row[1] ? trimmed(text, row[1]) : undefined;
    const parts = tcCell ? parseTimecode(text.slice(tcCell.start, tcCell.end)) : undefined;
    if (row.length < 6 || !parts || parts.frames === undefined) {
      problems.push(badLine(index, s, e, 'user, timecode, track, colour, comment, duration', row.length, 'second'));
      continue;
    }
    if (parts.dropFrame) dropFrame = true;
    const comment = textOf(text, row[4]);
    const name = textOf(text, row[0]);
    if (!sink.mayHoldTag(name.start, name.end, comment.start, comment.end)) continue;
    const durationCell = row[5];
    const value = () => {
      const duration = Number(cellText(text, durationCell).trim());
      const rate = rateFor(options, parts.dropFrame);
      const end = rate && Number.isSafeInteger(duration) && duration > 1 ? addFrames(parts, duration, rate) : undefined;
      return timecodeValue(formatTimecode(parts), end);
    };
    sink.records.push({ texts: [comment, name], anchorStart: s, anchorEnd: e, timecode: { value, start: tcCell!.start, end: tcCell!.end } });
  }
  return buildMarkerDocument({ format: 'avid-markers', text, index, records: sink.records, prose: sink.prose, problems, frameRate: dropFrame ? { fps: options.frameRate?.fps === 59.94 ? 59.94 : 29.97, dropFrame } : undefined });
}

/** Reads a Premiere Pro marker export. Never throws; a line with missing columns is one finding. */
export function parsePremiereMarkers(text: string, options: MarkerParseOptions = {}): ParsedDocument {
  const index = LineIndex.of(text);
  const problems: ParseProblem[] = [];
  const sink = new MarkerSink(text);
  let dropFrame: boolean | undefined;
  const all = lines(index);
  if (all.length > 0 && !sniffPremiereMarkers(text)) {
    const [s, e] = all[0];
    problems.push({ ruleId: MARKER_FILE_RULE, severity: 'error', message: `A Premiere Pro marker export starts with the header ${PREMIERE_HEADER.join(' ⇥ ')}; this one does not, so its columns are read in that order.`, range: index.range(s, e) });
  }
  for (const [s, e] of all.slice(sniffPremiereMarkers(text) ? 1 : 0)) {
    const row = cells(text, s, e);
    const inCell = row[2] ? trimmed(text, row[2]) : undefined;
    const start = inCell ? parseTimecode(text.slice(inCell.start, inCell.end)) : undefined;
    if (row.length < 6 || !start) {
      problems.push(badLine(index, s, e, 'name, description, in, out, duration, type', row.length, 'In'));
      continue;
    }
    if (start.dropFrame) dropFrame = true;
    const name = textOf(text, row[0]);
    const description = textOf(text, row[1]);
    if (!sink.mayHoldTag(name.start, name.end, description.start, description.end)) continue;
    const outCell = row[3];
    const value = () => {
      const out = parseTimecode(cellText(text, outCell));
      return timecodeValue(formatTimecode(start), out ? formatTimecode(out) : undefined);
    };
    sink.records.push({ texts: [description, name], anchorStart: s, anchorEnd: e, timecode: { value, start: inCell!.start, end: inCell!.end } });
  }
  return buildMarkerDocument({ format: 'premiere-markers', text, index, records: sink.records, prose: sink.prose, problems, frameRate: dropFrame ? { fps: options.frameRate?.fps === 59.94 ? 59.94 : 29.97, dropFrame } : undefined });
}
