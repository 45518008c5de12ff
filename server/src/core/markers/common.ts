// What the four marker formats share (SPEC §2.4 "Timeline markers"): a marker's name or comment
// that starts with `ai:` is read by the tag grammar of server/src/core/tag.ts, so the same text gives
// the same findings as in Fountain; the marker's timecode becomes a host field of the tag. A
// marker's text is not always a plain slice of the file (XML entities, an EDL comment continued on
// further `* ` lines), so it is read as its own text and every range is mapped back to the file.

import { LineIndex } from '../line-index.js';
import { findMarker, isDirective, parseAnnotation } from '../tag.js';
import type { Directive, HostFormat, MetadataEntry, ParsedDocument, ParseProblem, Range, Span, Tag, TagField } from '../types.js';

/** `length` code units of a marker's text that stand for `sourceLength` code units of the file at `source`. */
interface Piece {
  at: number;
  source: number;
  length: number;
  sourceLength: number;
}

/**
 * A marker's text as the tag grammar reads it, with where each piece of it is in the file. A
 * piece either copies the file (same length) or stands for an entity or a line prefix.
 */
export class MappedText {
  text = '';
  private readonly pieces: Piece[] = [];

  /** Copies the file's text from `start` to `end`. */
  copy(file: string, start: number, end: number): this {
    if (end > start) this.push(file.slice(start, end), start, end - start);
    return this;
  }

  /** `text` stands for the file's `[start, end)` (a decoded entity; a line break between continued lines). */
  stand(text: string, start: number, end: number): this {
    if (text.length > 0) this.push(text, start, end - start);
    return this;
  }

  private push(text: string, source: number, sourceLength: number): void {
    const last = this.pieces[this.pieces.length - 1];
    // Copies that follow each other in the file are one piece.
    if (last && last.length === last.sourceLength && text.length === sourceLength && last.source + last.sourceLength === source) {
      last.length += text.length;
      last.sourceLength += sourceLength;
    } else {
      this.pieces.push({ at: this.text.length, source, length: text.length, sourceLength });
    }
    this.text += text;
  }

  /** The file offset of offset `offset` of the text; `end` for the end of a range. */
  toSource(offset: number, end: boolean): number {
    const pieces = this.pieces;
    if (pieces.length === 0) return 0;
    let lo = 0;
    let hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const at = pieces[mid].at;
      if (at < offset || (!end && at === offset)) lo = mid;
      else hi = mid - 1;
    }
    const p = pieces[lo];
    const within = Math.max(0, Math.min(offset - p.at, p.length));
    if (p.length === p.sourceLength) return p.source + within;
    // Inside a stand-in: a range starts at its start and ends at its end.
    return end && within > 0 ? p.source + p.sourceLength : p.source;
  }

  get sourceStart(): number {
    return this.pieces.length ? this.pieces[0].source : 0;
  }
}

/** One marker's text (its name or its comment) as it sits in the file. */
export interface MarkerText {
  /** The text's place in the file: the tag's range. */
  start: number;
  end: number;
  /**
   * The text as the tag grammar reads it, made only for a text that may be a tag (most markers
   * are plain notes); by default the file's text from start to end.
   */
  read?: () => MappedText;
}

/** One marker as a format parser found it. */
export interface MarkerRecord {
  /** The texts that may hold a tag: the comment first, then the name. */
  texts: MarkerText[];
  /** The whole marker in the file (its line, its event, its element): the tag's anchor. */
  anchorStart: number;
  anchorEnd: number;
  /**
   * The marker's timecode (`01:00:12:00` or a range `A-B`, worked out only for a tag) and where
   * the file writes its start.
   */
  timecode?: { value: () => string | undefined; start: number; end: number };
  /** The clip the marker sits on, and where the file names it. */
  clip?: { value: string; start: number; end: number };
}

/**
 * Where a parser puts what it found: a marker whose texts may hold a tag becomes a record, the
 * text of any other is prose at once (most markers are plain notes: they cost a span, no more).
 */
export class MarkerSink {
  readonly records: MarkerRecord[] = [];
  readonly prose: Span[] = [];
  constructor(private readonly text: string) {}

  /** True when `[s1, e1)` or `[s2, e2)` may be a tag; when neither is, both are prose. */
  mayHoldTag(s1: number, e1: number, s2 = 0, e2 = 0): boolean {
    if ((e1 > s1 && mayBeAnnotation(this.text, s1, e1)) || (e2 > s2 && mayBeAnnotation(this.text, s2, e2))) return true;
    if (e1 > s1) this.prose.push({ start: s1, end: e1 });
    if (e2 > s2) this.prose.push({ start: s2, end: e2 });
    return false;
  }
}

export interface MarkerDocumentParts {
  format: HostFormat;
  text: string;
  index: LineIndex;
  records: MarkerRecord[];
  /** Texts of markers already known to be no tag. */
  prose?: Span[];
  problems: ParseProblem[];
  metadata?: Map<string, MetadataEntry>;
  frameRate?: ParsedDocument['frameRate'];
}

/** Maps every range of a tag or directive read from a MappedText back into the file. */
class RangeMapper {
  private readonly memo = new Map<Range, Range>();
  constructor(private readonly mapped: MappedText, private readonly own: LineIndex, private readonly file: LineIndex) {}

  map(range: Range): Range {
    let out = this.memo.get(range);
    if (!out) {
      const s = this.own.offsetAt(range.start);
      const e = this.own.offsetAt(range.end);
      const start = this.mapped.toSource(s, false);
      const end = e > s ? this.mapped.toSource(e, true) : start;
      out = this.file.range(start, end);
      this.memo.set(range, out);
    }
    return out;
  }

  field(f: TagField): void {
    f.keyRange = this.map(f.keyRange);
    f.valueRange = this.map(f.valueRange);
    f.range = this.map(f.range);
    for (const item of f.items) item.range = this.map(item.range);
  }

  problems(problems: ParseProblem[]): void {
    for (const p of problems) p.range = this.map(p.range);
  }
}

/** Reads one marker text as a tag or directive, or undefined when it does not start with `ai:`. */
export function readMarkerText(marker: MarkerText, file: LineIndex, anchor: Range): Tag | Directive | undefined {
  const mapped = marker.read ? marker.read() : new MappedText().copy(file.text, marker.start, marker.end);
  const own = mapped.text;
  if (!findMarker(own, 0, own.length)) return undefined;
  const ownIndex = new LineIndex(own);
  const range = file.range(marker.start, marker.end);
  const annotation = parseAnnotation(own, 0, own.length, ownIndex, { host: 'timeline-marker', range, anchor });
  if (!annotation) return undefined;
  const mapper = new RangeMapper(mapped, ownIndex, file);
  annotation.markerRange = mapper.map(annotation.markerRange);
  mapper.problems(annotation.problems);
  if (isDirective(annotation)) {
    annotation.ruleRanges = annotation.ruleRanges.map((r) => mapper.map(r));
  } else {
    for (const f of annotation.fields) mapper.field(f);
  }
  annotation.range = range;
  return annotation;
}

/** A field the host gives: its value, and where the file writes it. */
export function hostField(key: string, value: string, range: Range): TagField {
  return { key, rawKey: key, keyRange: range, value, valueRange: range, items: value ? [{ text: value, range }] : [], range };
}

/** The ParsedDocument of a marker file: tags, directives, the text of other markers as prose. */
export function buildMarkerDocument(parts: MarkerDocumentParts): ParsedDocument {
  const { text, index, records } = parts;
  const tags: Tag[] = [];
  const directives: Directive[] = [];
  const prose: Span[] = parts.prose ?? [];
  for (const record of records) {
    let anchor: Range | undefined;
    for (const marker of record.texts) {
      if (marker.end <= marker.start) continue;
      // Only a text whose first word is `ai` can be a tag: the rest is prose, read by no grammar.
      const annotation = mayBeAnnotation(text, marker.start, marker.end) ? readMarkerText(marker, index, (anchor ??= index.range(record.anchorStart, record.anchorEnd))) : undefined;
      if (!annotation) {
        prose.push({ start: marker.start, end: marker.end });
        continue;
      }
      if (isDirective(annotation)) {
        directives.push(annotation);
        continue;
      }
      const hostFields: TagField[] = [];
      const written = new Set(annotation.fields.map((f) => f.key));
      const timecode = record.timecode && !written.has('timecode') ? record.timecode.value() : undefined;
      if (timecode) hostFields.push(hostField('timecode', timecode, index.range(record.timecode!.start, record.timecode!.end)));
      if (record.clip && record.clip.value && !written.has('asset')) {
        hostFields.push(hostField('asset', record.clip.value, index.range(record.clip.start, record.clip.end)));
      }
      if (hostFields.length) annotation.hostFields = hostFields;
      if (record.clip?.value) annotation.section = record.clip.value;
      tags.push(annotation);
    }
  }
  let sorted = true;
  for (let i = 1; i < prose.length && sorted; i++) sorted = prose[i - 1].start <= prose[i].start;
  if (!sorted) prose.sort((a, b) => a.start - b.start);
  const doc: ParsedDocument = {
    format: parts.format,
    text,
    metadata: parts.metadata ?? new Map(),
    tags,
    directives,
    outline: [],
    prose,
    problems: parts.problems,
  };
  if (parts.frameRate && (parts.frameRate.fps !== undefined || parts.frameRate.dropFrame !== undefined)) doc.frameRate = parts.frameRate;
  return doc;
}

/** The text starts (after blanks) with `ai` or with an entity that may spell it. */
export function mayBeAnnotation(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 0xa0)) i++;
  const c = text.charCodeAt(i) | 0x20;
  return c === 0x26 /* & */ || (c === 0x61 /* a */ && (text.charCodeAt(i + 1) | 0x20) === 0x69 /* i */ && i + 1 < end);
}

/** The timecode of a marker: `start`, or `start-end` when it lasts more than one frame. */
export function timecodeValue(start: string, end: string | undefined): string {
  return end && end !== start ? `${start}-${end}` : start;
}
