// The AI-use tag grammar of SPEC §2 and the `ai-lint:` directives of §2.3. Host parsers (Fountain,
// Markdown) find a note or comment and hand its content span here. One pass, linear in the
// content length whatever it holds.

import type { LineIndex } from './line-index.js';
import type { Directive, DirectiveCommand, ParseProblem, Position, Range, Tag, TagField, TagHost, TagValue } from './types.js';
import { isListKey } from './vocabulary.js';

export interface AnnotationContext {
  host: TagHost;
  /** The whole note or comment, delimiters included. */
  range: Range;
  /** The element the tag annotates (see Tag.anchor). */
  anchor: Range;
}

/** What the readers below need of a LineIndex: ranges of offsets. */
interface Ranges {
  range(start: number, end: number): Range;
}

/**
 * LineIndex positions for the offsets of one annotation. They lie close together, so each is found
 * by a short walk from the line of the previous one rather than a binary search over every line
 * of the document (a tag has a few dozen ranges). A long jump falls back to the binary search,
 * so no input makes it slower than LineIndex itself. Same results as LineIndex.positionAt.
 */
class NearbyPositions implements Ranges {
  private line = -1;

  constructor(private readonly index: LineIndex) {}

  position(offset: number): Position {
    const starts = this.index.lineStarts;
    const clamped = Math.max(0, Math.min(offset, this.index.text.length));
    let line = this.line;
    if (line >= 0) {
      let steps = 0;
      while (line > 0 && starts[line] > clamped && steps++ < 8) line--;
      while (line + 1 < starts.length && starts[line + 1] <= clamped && steps++ < 8) line++;
      if (starts[line] <= clamped && (line + 1 >= starts.length || starts[line + 1] > clamped)) {
        this.line = line;
        return { line, character: clamped - starts[line] };
      }
    }
    const position = this.index.positionAt(clamped);
    this.line = position.line;
    return position;
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

const DIRECTIVE_COMMANDS: readonly DirectiveCommand[] = ['disable', 'enable', 'disable-next', 'disable-file'];

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A `;` ends a field, except with a digit on each side: the drop-frame timecode `01:00:12;28` is
 * one value (SPEC §2).
 */
function isFieldSeparator(text: string, i: number): boolean {
  return text.charCodeAt(i) === 59 && !(isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1)));
}

function skipBlank(text: string, i: number, end: number): number {
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** Trim [start, end) to non-blank characters. */
function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/**
 * Where the content of a note or comment starts with an `ai:` or `ai-lint:` marker, returns
 * which one and the offsets of the marker word and of the text after its colon.
 */
export function findMarker(
  text: string,
  contentStart: number,
  contentEnd: number,
): { type: 'tag' | 'directive'; markerStart: number; markerEnd: number; bodyStart: number } | undefined {
  const i = skipBlank(text, contentStart, contentEnd);
  const lower2 = text.slice(i, i + 2).toLowerCase();
  if (lower2 !== 'ai') return undefined;
  let j = i + 2;
  let type: 'tag' | 'directive' = 'tag';
  if (text.slice(j, j + 5).toLowerCase() === '-lint') {
    j += 5;
    type = 'directive';
  }
  const markerEnd = j;
  while (j < contentEnd && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
  if (j >= contentEnd || text.charCodeAt(j) !== 58 /* : */) return undefined;
  return { type, markerStart: i, markerEnd, bodyStart: j + 1 };
}

/** Reads a note or comment; returns a tag, a directive, or undefined when it is neither. */
export function parseAnnotation(
  text: string,
  contentStart: number,
  contentEnd: number,
  index: LineIndex,
  context: AnnotationContext,
): Tag | Directive | undefined {
  const marker = findMarker(text, contentStart, contentEnd);
  if (!marker) return undefined;
  const ranges = new NearbyPositions(index);
  const markerRange = ranges.range(marker.markerStart, marker.markerEnd);
  if (marker.type === 'directive') {
    return parseDirectiveBody(text, marker.bodyStart, contentEnd, ranges, context.range, markerRange);
  }
  const problems: ParseProblem[] = [];
  const fields = parseFields(text, marker.bodyStart, contentEnd, ranges, problems);
  const kindField = fields.find((f) => f.key === 'kind');
  return {
    host: context.host,
    range: context.range,
    markerRange,
    fields,
    kind: kindField && kindField.value ? kindField.value.toLowerCase() : undefined,
    anchor: context.anchor,
    problems,
  };
}

export function isDirective(annotation: Tag | Directive): annotation is Directive {
  return (annotation as Directive).command !== undefined;
}

function parseFields(text: string, start: number, end: number, index: Ranges, problems: ParseProblem[]): TagField[] {
  const fields: TagField[] = [];
  let i = start;
  while (i < end) {
    // Skip separators and blanks between fields.
    const c = text.charCodeAt(i);
    if (c === 59 /* ; */ || isBlank(c)) {
      i++;
      continue;
    }
    const fieldStart = i;
    // Read the key: up to ':' or the end of the field (';' or a line break).
    let colon = -1;
    let j = i;
    while (j < end) {
      const d = text.charCodeAt(j);
      if (d === 58 /* : */) {
        colon = j;
        break;
      }
      if ((d === 59 && isFieldSeparator(text, j)) || isLineBreak(d)) break;
      // A quote before any colon starts a key-less quoted value; read it as a value.
      if (d === 34 /* " */ && j === fieldStart) break;
      j++;
    }
    const first = fields.length === 0;
    if (colon < 0) {
      // No colon: the key-less first field is the kind; elsewhere a key with no value.
      const value = readValue(text, fieldStart, end, index, problems);
      const [ks, ke] = [value.valueStart, value.valueEnd];
      const keyRange = index.range(ks, ke);
      if (first) {
        fields.push(makeField('kind', '', keyRange, value.value, keyRange, splitItems('kind', value, text, index, keyRange), keyRange));
      } else {
        const rawKey = text.slice(ks, ke);
        const empty = index.range(ke, ke);
        fields.push(makeField(rawKey.toLowerCase(), rawKey, keyRange, '', empty, [], keyRange));
      }
      i = value.next;
      continue;
    }
    const [ks, ke] = trimSpan(text, fieldStart, colon);
    const rawKey = text.slice(ks, ke);
    const keyRange = index.range(ks, ke);
    if (ks === ke) {
      problems.push({ ruleId: 'core/tag-syntax', message: 'A field has a value but no key: write `key: value`.', range: index.range(fieldStart, colon + 1) });
    }
    const value = readValue(text, colon + 1, end, index, problems);
    const key = rawKey.toLowerCase();
    const valueRange = index.range(value.valueStart, value.valueEnd);
    const fieldEnd = value.valueEnd > value.valueStart ? value.valueEnd : colon + 1;
    // Ranges share their positions where they meet: a project scan holds every tag of every file.
    const range = ks < ke && fieldEnd === value.valueEnd ? { start: keyRange.start, end: valueRange.end } : index.range(ks < ke ? ks : fieldStart, fieldEnd);
    fields.push(makeField(key, rawKey, keyRange, value.value, valueRange, splitItems(key, value, text, index, valueRange), range));
    i = value.next;
  }
  return fields;
}

function makeField(key: string, rawKey: string, keyRange: Range, value: string, valueRange: Range, items: TagValue[], range: Range): TagField {
  return { key, rawKey, keyRange, value, valueRange, items, range };
}

interface ReadValue {
  /** The value text, quotes removed, trimmed. */
  value: string;
  /** Trimmed value span (quotes included). */
  valueStart: number;
  valueEnd: number;
  /** Content span without quotes. */
  contentStart: number;
  contentEnd: number;
  quoted: boolean;
  /** Where the next field may start. */
  next: number;
}

/** Reads a value starting at `start` (after the colon) up to `;`, a line break, or the end. */
function readValue(text: string, start: number, end: number, index: Ranges, problems: ParseProblem[]): ReadValue {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 0xa0)) i++;
  if (i < end && text.charCodeAt(i) === 34 /* " */) {
    const close = text.indexOf('"', i + 1);
    if (close < 0 || close >= end) {
      problems.push({ ruleId: 'core/tag-syntax', message: 'This quoted value has no closing `"`: it runs to the end of the tag.', range: index.range(i, i + 1) });
      const [, e] = trimSpan(text, i, end);
      return { value: text.slice(i + 1, e).trim(), valueStart: i, valueEnd: e, contentStart: i + 1, contentEnd: e, quoted: true, next: end };
    }
    // Text after the closing quote, up to the separator, is not part of the value.
    let j = close + 1;
    while (j < end && text.charCodeAt(j) !== 59 && !isLineBreak(text.charCodeAt(j))) j++;
    const [ts, te] = trimSpan(text, close + 1, j);
    if (te > ts) {
      problems.push({ ruleId: 'core/tag-syntax', message: 'Text after a closing `"` is ignored: put it inside the quotes or after a `;`.', range: index.range(ts, te) });
    }
    return { value: text.slice(i + 1, close).trim(), valueStart: i, valueEnd: close + 1, contentStart: i + 1, contentEnd: close, quoted: true, next: j };
  }
  let j = i;
  while (j < end && !isFieldSeparator(text, j) && !isLineBreak(text.charCodeAt(j))) j++;
  const [s, e] = trimSpan(text, i, j);
  return { value: text.slice(s, e), valueStart: s, valueEnd: e, contentStart: s, contentEnd: e, quoted: false, next: j };
}

/** The items of a value; an item that spans the whole value shares the value's range. */
function splitItems(key: string, value: ReadValue, text: string, index: Ranges, valueRange: Range): TagValue[] {
  if (value.value === '') return [];
  const rangeOf = (a: number, b: number) => (a === value.valueStart && b === value.valueEnd ? valueRange : index.range(a, b));
  if (value.quoted || !isListKey(key)) {
    const [s, e] = trimSpan(text, value.contentStart, value.contentEnd);
    return [{ text: text.slice(s, e), range: rangeOf(s, e) }];
  }
  const items: TagValue[] = [];
  let s = value.contentStart;
  for (let i = value.contentStart; i <= value.contentEnd; i++) {
    if (i === value.contentEnd || text.charCodeAt(i) === 44 /* , */) {
      const [a, b] = trimSpan(text, s, i);
      if (b > a) items.push({ text: text.slice(a, b), range: rangeOf(a, b) });
      s = i + 1;
    }
  }
  return items;
}

/** Splits `rule-a, rule-b -- reason` (the body of a waiver or a directive after its command). */
export function splitRulesAndReason(
  text: string,
  start: number,
  end: number,
  index: Ranges,
): { rules: string[]; ruleRanges: Range[]; reason?: string; reasonRange?: Range } {
  let sep = -1;
  for (let i = start; i + 1 < end; i++) {
    if (text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 45) {
      sep = i;
      break;
    }
  }
  const rulesEnd = sep < 0 ? end : sep;
  const rules: string[] = [];
  const ruleRanges: Range[] = [];
  let s = start;
  for (let i = start; i <= rulesEnd; i++) {
    const c = i < rulesEnd ? text.charCodeAt(i) : 44;
    if (c === 44 || isBlank(c)) {
      if (i > s) {
        rules.push(text.slice(s, i).toLowerCase());
        ruleRanges.push(index.range(s, i));
      }
      s = i + 1;
    }
  }
  if (sep < 0) return { rules, ruleRanges };
  const [rs, re] = trimSpan(text, sep + 2, end);
  return re > rs ? { rules, ruleRanges, reason: text.slice(rs, re), reasonRange: index.range(rs, re) } : { rules, ruleRanges };
}

/** A `waive` field: which rules it waives, and why. */
export interface Waiver {
  rules: string[];
  ruleRanges: Range[];
  reason?: string;
  field: TagField;
}

export function readWaivers(tag: Tag, text: string, index: LineIndex): Waiver[] {
  const waivers: Waiver[] = [];
  for (const field of tag.fields) {
    if (field.key !== 'waive') continue;
    const start = index.offsetAt(field.valueRange.start);
    const end = index.offsetAt(field.valueRange.end);
    let s = start;
    let e = end;
    // A quoted waiver: read inside the quotes.
    if (text.charCodeAt(s) === 34) {
      s++;
      if (e > s && text.charCodeAt(e - 1) === 34) e--;
    }
    const parts = splitRulesAndReason(text, s, e, index);
    waivers.push({ rules: parts.rules, ruleRanges: parts.ruleRanges, reason: parts.reason, field });
  }
  return waivers;
}

function parseDirectiveBody(text: string, start: number, end: number, index: Ranges, range: Range, markerRange: Range): Directive {
  const problems: ParseProblem[] = [];
  const cs = skipBlank(text, start, end);
  let ce = cs;
  while (ce < end && !isBlank(text.charCodeAt(ce))) ce++;
  const word = text.slice(cs, ce).toLowerCase();
  const command: DirectiveCommand | undefined =
    (DIRECTIVE_COMMANDS as readonly string[]).includes(word) ? (word as DirectiveCommand)
      : word === 'disable-next-line' ? 'disable-next'
        : word === 'disable-line' ? 'disable-next'
          : undefined;
  if (!command) {
    problems.push({
      ruleId: 'core/invalid-directive',
      message: `Unknown ai-lint command "${text.slice(cs, ce)}": use disable, enable, disable-next or disable-file.`,
      range: cs < ce ? index.range(cs, ce) : markerRange,
    });
  }
  const parts = splitRulesAndReason(text, ce, end, index);
  return {
    command: command ?? 'invalid',
    rules: command ? parts.rules : [],
    ruleRanges: command ? parts.ruleRanges : [],
    reason: parts.reason,
    range,
    markerRange,
    problems,
  };
}
