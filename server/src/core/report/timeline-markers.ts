// The report back onto the editor's timeline (`ai-use report --format edl | avid-markers`): one
// marker per use that has a timecode, coloured by its worst open finding (red an error, yellow a
// warning, blue info or a hint, green none), its note a tag naming the kind, the tool and the open
// rule ids, so the file reads back through our own marker parsers (server/src/core/markers/) to
// the same uses and timecodes. Tag text is untrusted: no tab, line break or `|` from it reaches
// the file, so no value can break a line or a Resolve marker's fields.
//
// EDL: DaVinci Resolve's "Timeline Markers to EDL" shape (Timeline > Import > Timeline Markers
// from EDL reads it back): a one-frame event per marker, then `note |C:ResolveColor… |M:name |D:n`.
// Avid: a Media Composer marker list (Markers window > Import Markers).

import { addFrames, DROP_FRAME_RATES, parseTimecodeRange, timecodeToFrames, type FrameRate, type FrameRateValue, type TimecodeParts } from '../timecode.js';
import type { Severity } from '../types.js';
import type { CueSheetRow, RenderContext, Report } from './model.js';

/** The user column of our Avid marker list and the title of our EDL: how a later run knows the file as ours. */
export const TIMELINE_REPORT_USER = 'ai-use report';

type Colour = 'red' | 'yellow' | 'blue' | 'green';

const RESOLVE_COLOUR: Record<Colour, string> = { red: 'ResolveColorRed', yellow: 'ResolveColorYellow', blue: 'ResolveColorBlue', green: 'ResolveColorGreen' };

function colourOf(severities: readonly Severity[]): Colour {
  if (severities.includes('error')) return 'red';
  if (severities.includes('warning')) return 'yellow';
  return severities.length ? 'blue' : 'green';
}

/** One line of plain text: no tab, line break, `|` or other control character from tag text. */
export function markerSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029|]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A tag value that reads back as one value: quoted when it holds a `;`, with no `"` inside. */
function tagValue(text: string): string {
  const safe = markerSafe(text).replace(/"/g, "'");
  return /[;]|^\s|\s$/.test(safe) ? `"${safe}"` : safe;
}

interface TimelineMarker {
  row: CueSheetRow;
  start: TimecodeParts;
  /** Frames the marker lasts (1 for a point). */
  duration: number;
  colour: Colour;
  note: string;
  name: string;
}

/**
 * The frame rate for the frame arithmetic: a drop-frame timecode says 29.97 DF; else the smallest
 * rate above every frame number written (24, 25, 30, 50, 60), so each timecode is valid at it.
 */
function rateFor(parts: readonly TimecodeParts[], fps?: FrameRateValue): FrameRate {
  const dropFrame = parts.some((p) => p.dropFrame);
  if (fps !== undefined) return { fps, dropFrame: dropFrame && DROP_FRAME_RATES.includes(fps) };
  if (dropFrame) return { fps: 29.97, dropFrame: true };
  const top = Math.max(0, ...parts.map((p) => p.frames ?? 0));
  const fit = ([24, 25, 30, 50, 60] as const).find((r) => top < r) ?? 60;
  return { fps: fit, dropFrame: false };
}

function markersOf(report: Report, fps?: FrameRateValue): { markers: TimelineMarker[]; rate: FrameRate } {
  const candidates: { row: CueSheetRow; parts: TimecodeParts[] }[] = [];
  for (const row of report.cueSheet) {
    const parts = row.timecode ? parseTimecodeRange(row.timecode) : undefined;
    if (!parts) continue;
    candidates.push({ row, parts: parts.map((p) => ({ ...p, frames: p.frames ?? 0 })) });
  }
  const rate = rateFor(candidates.flatMap((c) => c.parts), fps);
  const markers: TimelineMarker[] = [];
  for (const { row, parts } of candidates) {
    const [start, end] = parts;
    const from = timecodeToFrames({ ...start, dropFrame: rate.dropFrame }, rate);
    if (from === undefined) continue;
    const to = end ? timecodeToFrames({ ...end, dropFrame: rate.dropFrame }, rate) : undefined;
    const open = [...new Set(row.findings.map((f) => f.ruleId))];
    const severities = row.findings.map((f) => f.severity);
    const kind = markerSafe(row.kind ?? 'unknown');
    const fields = [`ai: ${tagValue(kind)}`];
    if (row.tool) fields.push(`tool: ${tagValue(row.tool)}`);
    fields.push(`x-open: ${open.length ? open.map(markerSafe).join(', ') : 'none'}`);
    fields.push(`x-file: ${tagValue(`${row.file}:${row.line}`)}`);
    markers.push({
      row,
      start: { ...start, dropFrame: rate.dropFrame },
      duration: to !== undefined && to > from ? to - from : 1,
      colour: colourOf(severities),
      note: fields.join('; '),
      name: markerSafe(`${kind}${row.tool ? ` - ${row.tool}` : ''}`),
    });
  }
  return { markers, rate };
}

const pad3 = (n: number) => String(n % 1000).padStart(3, '0');

function tc(parts: TimecodeParts): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(parts.hours)}:${p(parts.minutes)}:${p(parts.seconds)}${parts.dropFrame ? ';' : ':'}${p(parts.frames ?? 0)}`;
}

/** Resolve's marker EDL of every use with a timecode. */
export function renderEdl(report: Report, context: RenderContext & { fps?: FrameRateValue }): string {
  const { markers, rate } = markersOf(report, context.fps);
  const lines = [`TITLE: ${markerSafe(report.project)} AI uses (${TIMELINE_REPORT_USER})`, `FCM: ${rate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`, ''];
  markers.forEach((m, i) => {
    const inTc = tc(m.start);
    const outTc = addFrames(m.start, 1, rate) ?? inTc;
    lines.push(`${pad3(i + 1)}  001      V     C        ${inTc} ${outTc} ${inTc} ${outTc}  `);
    lines.push(`${m.note} |C:${RESOLVE_COLOUR[m.colour]} |M:${m.name} |D:${m.duration}`);
    lines.push('');
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** An Avid Media Composer marker list of every use with a timecode. */
export function renderAvidMarkers(report: Report, context: RenderContext & { fps?: FrameRateValue }): string {
  const { markers } = markersOf(report, context.fps);
  return markers.map((m) => `${TIMELINE_REPORT_USER}\t${tc(m.start)}\tV1\t${m.colour}\t${m.note}\t${m.duration}\r\n`).join('');
}

/** How a later run recognises these files as reports it wrote (server/src/core/report/write.ts). */
export const TIMELINE_REPORT_HEADS: readonly RegExp[] = [
  new RegExp(`^TITLE: .* \\(${TIMELINE_REPORT_USER}\\)\\r?\\nFCM: `),
  new RegExp(`^${TIMELINE_REPORT_USER}\\t\\d\\d:\\d\\d:\\d\\d[:;]\\d\\d\\tV1\\t(?:red|yellow|blue|green)\\tai: `),
];
