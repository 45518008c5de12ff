// Final Cut Pro XML (`.fcpxml`, and `Info.fcpxml` inside an `.fcpxmld` bundle), as Final Cut Pro and
// DaVinci Resolve export it:
//   <format id="r1" frameDuration="1001/30000s" .../>
//   <sequence format="r1" tcStart="3600/1s" tcFormat="NDF"> <spine>
//     <asset-clip offset="3600/1s" start="0s" name="Demo" duration="...">
//       <marker start="3605/1s" duration="1001/30000s" value="ai: video.generated" note="..."/>
// A `<marker>` or `<chapter-marker>` whose `value` (its name) or `note` starts with `ai:` is a tag.
// Times are rational seconds. A marker sits in its parent's time at `start`; each enclosing element
// with an `offset` (a clip, a gap, a secondary storyline) maps its own time t to its parent's as
// offset + t - start, up to the sequence, whose storyline counts from its `tcStart` (Final Cut
// writes the first clip's offset as the tcStart), so that time is the marker's timecode at the
// rate of the sequence's format (`frameDuration`) and `tcFormat` (DF/NDF).
// saxes checks that the file is well-formed and says where each start tag ends; attribute values
// are read from the source so that entities are decoded and ranges still land on the characters
// as written.

import { SaxesParser } from 'saxes';
import { LineIndex } from '../line-index.js';
import { framesToTimecode, parseRationalTime, rateFromFrameDuration, rationalSeconds, secondsToFrames, type FrameRate } from '../timecode.js';
import type { MetadataEntry, ParsedDocument, ParseProblem } from '../types.js';
import { buildMarkerDocument, MappedText, MarkerSink, timecodeValue, type MarkerRecord, type MarkerText } from './common.js';
import { MARKER_FILE_RULE } from './edl.js';

/** A raw attribute of a start tag: where its value is in the file (inside the quotes). */
interface RawAttribute {
  name: string;
  valueStart: number;
  valueEnd: number;
}

/** The attributes of the start tag `text[start, end)`, as written. The tag is well-formed (saxes said so). */
function rawAttributes(text: string, start: number, end: number): RawAttribute[] {
  const out: RawAttribute[] = [];
  let i = start + 1;
  while (i < end && !isXmlSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== 62 && text.charCodeAt(i) !== 47) i++; // the name
  for (;;) {
    while (i < end && isXmlSpace(text.charCodeAt(i))) i++;
    const ns = i;
    while (i < end && text.charCodeAt(i) !== 61 /* = */ && !isXmlSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== 62 && text.charCodeAt(i) !== 47) i++;
    if (i === ns) return out;
    const name = text.slice(ns, i);
    while (i < end && isXmlSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 61) return out;
    i++;
    while (i < end && isXmlSpace(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 34 && quote !== 39) return out;
    const close = text.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close < 0 || close >= end) return out;
    out.push({ name, valueStart: i + 1, valueEnd: close });
    i = close + 1;
  }
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * An attribute value as XML reads it (entities decoded, a literal tab or line break read as a
 * space), with each character's place in the file.
 */
function decodeAttribute(text: string, start: number, end: number): MappedText {
  const mapped = new MappedText();
  let run = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 38 /* & */) {
      let semi = i + 1;
      while (semi < end && semi - i <= 12 && text.charCodeAt(semi) !== 59) semi++;
      if (semi >= end || text.charCodeAt(semi) !== 59) continue;
      const name = text.slice(i + 1, semi);
      let decoded: string | undefined = NAMED_ENTITIES[name];
      if (decoded === undefined && name.startsWith('#')) {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        if (Number.isInteger(code) && code >= 0 && code <= 0x10ffff) decoded = String.fromCodePoint(code);
      }
      if (decoded === undefined) continue;
      mapped.copy(text, run, i).stand(decoded, i, semi + 1);
      run = semi + 1;
      i = semi;
    } else if (c === 9 || c === 10 || c === 13) {
      mapped.copy(text, run, i);
      const pairEnd = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      mapped.stand(' ', i, pairEnd);
      run = pairEnd;
      i = pairEnd - 1;
    }
  }
  return mapped.copy(text, run, end);
}

interface Frame {
  name: string;
  offset?: number;
  start?: number;
  clipName?: { value: string; start: number; end: number };
  sequence?: SequenceInfo;
  /** An offset or start is written but is not a time: the time through this element is unknown. */
  badTime?: boolean;
}

interface SequenceInfo {
  format?: string;
  tcFormat?: string;
  /** Where the sequence names its format, for a finding when the rate cannot be had. */
  at: [number, number];
}

interface PendingMarker {
  record: MarkerRecord;
  sequence?: SequenceInfo;
  /** Seconds in the sequence's time, or undefined when a time on the way could not be read. */
  at?: number;
  duration?: number;
  startAttr?: RawAttribute;
}

const MARKER_ELEMENTS = new Set(['marker', 'chapter-marker']);

/** Reads an FCPXML document. Never throws; a file that is not well-formed is one finding, and the markers before the break are kept. */
export function parseFcpxml(text: string): ParsedDocument {
  const index = LineIndex.of(text);
  const problems: ParseProblem[] = [];
  const metadata = new Map<string, MetadataEntry>();
  const formats = new Map<string, { duration: string; at: [number, number] }>();
  const stack: Frame[] = [];
  const pending: PendingMarker[] = [];
  const sink = new MarkerSink(text);
  let broken = false;
  const parser = new SaxesParser({ position: true });
  parser.on('error', (error) => {
    if (broken) return;
    broken = true;
    let at = Math.min(parser.position, text.length);
    // Never between the \r and \n of a CRLF: that is no position on a line.
    if (at > 0 && text.charCodeAt(at - 1) === 13 && text.charCodeAt(at) === 10) at--;
    if (at > 0 && text.charCodeAt(at - 2) === 13 && text.charCodeAt(at - 1) === 10) at -= 2;
    const message = error.message.replace(/^\d+:\d+: /, '');
    problems.push({
      ruleId: MARKER_FILE_RULE,
      severity: 'error',
      message: `This FCPXML file is not well-formed here (${message}), so markers after this point may be missing: export it from the editing system again.`,
      range: index.range(Math.max(0, at - 1), at),
    });
  });
  parser.on('opentag', (tag) => {
    const end = parser.position;
    const name = tag.name;
    const attrs = tag.attributes as Record<string, string>;
    const frame: Frame = { name };
    const offset = attrs.offset !== undefined ? parseRationalTime(attrs.offset) : undefined;
    const start = attrs.start !== undefined ? parseRationalTime(attrs.start) : undefined;
    if (offset) frame.offset = rationalSeconds(offset);
    if (start) frame.start = rationalSeconds(start);
    if ((attrs.offset !== undefined && !offset) || (attrs.start !== undefined && !start)) frame.badTime = true;
    const interesting = MARKER_ELEMENTS.has(name) || name === 'format' || name === 'sequence' || name === 'project' || (attrs.offset !== undefined && attrs.name !== undefined);
    const raw = interesting ? rawAttributes(text, text.lastIndexOf('<', end - 1), end) : [];
    const rawOf = (n: string) => raw.find((a) => a.name === n);
    if (name === 'format' && attrs.id !== undefined && attrs.frameDuration !== undefined) {
      const a = rawOf('frameDuration');
      formats.set(attrs.id, { duration: attrs.frameDuration, at: a ? [a.valueStart, a.valueEnd] : [end, end] });
    } else if (name === 'sequence') {
      const a = rawOf('format');
      frame.sequence = { format: attrs.format, tcFormat: attrs.tcFormat, at: a ? [a.valueStart, a.valueEnd] : [end, end] };
    } else if (name === 'project' && attrs.name !== undefined && !metadata.has('title')) {
      const a = rawOf('name');
      if (a) metadata.set('title', { key: 'name', keyRange: index.range(a.valueStart, a.valueStart), value: attrs.name, valueRange: index.range(a.valueStart, a.valueEnd) });
    } else if (attrs.offset !== undefined && attrs.name !== undefined && name !== 'gap') {
      const a = rawOf('name');
      if (a) frame.clipName = { value: attrs.name, start: a.valueStart, end: a.valueEnd };
    }
    const note = MARKER_ELEMENTS.has(name) ? rawOf('note') : undefined;
    const value = MARKER_ELEMENTS.has(name) ? rawOf('value') : undefined;
    if (MARKER_ELEMENTS.has(name) && sink.mayHoldTag(note?.valueStart ?? 0, note?.valueEnd ?? 0, value?.valueStart ?? 0, value?.valueEnd ?? 0)) {
      const texts: MarkerText[] = [];
      for (const key of ['note', 'value']) {
        const a = rawOf(key);
        if (a) texts.push({ start: a.valueStart, end: a.valueEnd, read: () => decodeAttribute(text, a.valueStart, a.valueEnd) });
      }
      // Up the enclosing elements to the sequence: each with an offset maps its time to its parent's.
      let at: number | undefined = start ? rationalSeconds(start) : undefined;
      let sequence: SequenceInfo | undefined;
      let clip: Frame['clipName'];
      for (let i = stack.length - 1; i >= 0; i--) {
        const f = stack[i];
        if (f.sequence) {
          sequence = f.sequence;
          break;
        }
        clip ??= f.clipName;
        if (f.badTime) at = undefined;
        else if (at !== undefined && f.offset !== undefined) at = f.offset + at - (f.start ?? 0);
      }
      const duration = attrs.duration !== undefined ? parseRationalTime(attrs.duration) : undefined;
      const startAttr = rawOf('start');
      const tagStart = text.lastIndexOf('<', end - 1);
      pending.push({
        record: { texts, anchorStart: tagStart, anchorEnd: end, clip },
        sequence,
        at,
        duration: duration ? rationalSeconds(duration) : undefined,
        startAttr,
      });
    }
    if (!tag.isSelfClosing) stack.push(frame);
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    // Pop to the matching element (a not-well-formed file may close out of order).
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].name === tag.name) {
        stack.length = i;
        break;
      }
    }
  });
  try {
    parser.write(text).close();
  } catch {
    // The error handler has recorded the problem; saxes may still throw on what follows it.
  }
  const rates = new Map<SequenceInfo, FrameRate | undefined>();
  const rateOf = (sequence: SequenceInfo): FrameRate | undefined => {
    if (rates.has(sequence)) return rates.get(sequence);
    const format = sequence.format !== undefined ? formats.get(sequence.format) : undefined;
    const duration = format ? parseRationalTime(format.duration) : undefined;
    const rate = duration ? rateFromFrameDuration(duration, sequence.tcFormat) : undefined;
    rates.set(sequence, rate);
    if (!rate) {
      const [s, e] = format ? format.at : sequence.at;
      problems.push({
        ruleId: MARKER_FILE_RULE,
        severity: 'error',
        message: format
          ? `The frame duration \`${format.duration}\` is not a frame rate a project runs at (23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60), so the markers of this sequence get no timecode.`
          : `This sequence names format \`${sequence.format ?? ''}\`, which the file's resources do not define, so its markers get no timecode.`,
        range: index.range(s, e),
      });
    }
    return rate;
  };
  const records: MarkerRecord[] = [];
  let docRate: FrameRate | undefined;
  for (const m of pending) {
    const rate = m.sequence ? rateOf(m.sequence) : undefined;
    const at = m.at;
    if (rate && at !== undefined && m.startAttr) {
      docRate ??= rate;
      const value = () => {
        const first = secondsToFrames(at, rate);
        const startTc = framesToTimecode(first, rate);
        const frames = m.duration !== undefined ? secondsToFrames(m.duration, rate) : 0;
        const endTc = frames > 1 ? framesToTimecode(first + frames, rate) : undefined;
        return startTc && timecodeValue(startTc, endTc);
      };
      m.record.timecode = { value, start: m.startAttr.valueStart, end: m.startAttr.valueEnd };
    }
    records.push(m.record);
  }
  return buildMarkerDocument({ format: 'fcpxml', text, index, records, prose: sink.prose, problems, metadata, frameRate: docRate });
}

