// A Fountain 1.1 parser (https://fountain.io/syntax) that keeps exact source ranges. Three linear
// passes: find notes `[[ ]]` and boneyards `/* */` (one left-to-right scan whose searches only move
// forward), describe each line's visible text (what is left outside notes and boneyards), then
// classify the lines into elements. Regular expressions only ever see a few characters of one line.
// Elements live in typed arrays while parsing: `parseFountain` (the linter's hot path) allocates
// no object per element, which keeps a long screenplay out of the garbage collector's way.

import { LineIndex } from './line-index.js';
import { findMarker, isDirective, parseAnnotation } from './tag.js';
import type { Directive, MetadataEntry, OutlineNode, ParseProblem, ParsedDocument, Position, Range, Span, Tag } from './types.js';

export type FountainElementType =
  | 'scene-heading'
  | 'section'
  | 'synopsis'
  | 'character'
  | 'dialogue'
  | 'parenthetical'
  | 'transition'
  | 'centered'
  | 'lyrics'
  | 'page-break'
  | 'action';

export interface FountainElement {
  type: FountainElementType;
  /** From the first to the last visible character of the element (forcing characters included). */
  range: Range;
  /** Display text: no forcing character, no `#1A#` scene number, notes and boneyard removed; lines joined with '\n'. */
  text: string;
  /** Scene headings: the number written as `#1A#`, without the `#`. */
  sceneNumber?: string;
  /** Sections: the number of `#`. */
  level?: number;
  /** Characters: the second speaker of dual dialogue (`^`). */
  dual?: boolean;
}

export interface FountainNote {
  /** The whole note, `[[` and `]]` included. */
  range: Range;
  /** Offsets of the text between `[[` and `]]`. */
  contentStart: number;
  contentEnd: number;
}

export interface FountainScript {
  titlePage: MetadataEntry[];
  elements: FountainElement[];
  notes: FountainNote[];
  boneyards: Span[];
}

/** The element-level parse of a Fountain document. Never throws; linear in the text length. */
export function parseFountainScript(text: string): FountainScript {
  const scan = scanFountain(text, true);
  const { els, at } = scan;
  const elements: FountainElement[] = new Array(els.count);
  for (let i = 0; i < els.count; i++) {
    const el: FountainElement = {
      type: TYPES[els.type[i]],
      range: { start: at(els.startLine[i], els.start[i]), end: at(els.endLine[i], els.end[i]) },
      text: els.text.get(i) ?? '',
    };
    const sceneNumber = els.sceneNumber.get(i);
    if (sceneNumber !== undefined) el.sceneNumber = sceneNumber;
    if (els.type[i] === T_SECTION) el.level = els.level[i];
    if (els.dual[i]) el.dual = true;
    elements[i] = el;
  }
  const boneyards: Span[] = [];
  for (let i = 0; i < scan.maskStarts.length; i++) {
    if (!scan.maskIsNote[i]) boneyards.push({ start: scan.maskStarts[i], end: scan.maskEnds[i] });
  }
  return { titlePage: scan.titlePage, elements, notes: scan.notes, boneyards };
}

/** What the rule engine and the server use: metadata, tags, directives, outline and prose. */
export function parseFountain(text: string): ParsedDocument {
  const scan = scanFountain(text, false);
  const { index, els, at } = scan;
  const metadata = new Map<string, MetadataEntry>();
  for (const entry of scan.titlePage) {
    const key = entry.key.toLowerCase();
    // Of two entries with one key, the first wins: it is the one a reader of the title page sees.
    if (!metadata.has(key)) metadata.set(key, entry);
  }
  const tags: Tag[] = [];
  const directives: Directive[] = [];
  for (let i = 0; i < scan.notes.length; i++) {
    const note = scan.notes[i];
    const annotation = parseAnnotation(text, note.contentStart, note.contentEnd, index, {
      host: 'fountain-note',
      range: note.range,
      anchor: scan.noteAnchors[i],
    });
    if (!annotation) continue;
    if (isDirective(annotation)) {
      directives.push(annotation);
      continue;
    }
    const scene = scan.noteScenes[i];
    const section = scan.noteSections[i];
    if (scene !== undefined) annotation.scene = scene;
    if (section !== undefined) annotation.section = section;
    tags.push(annotation);
  }
  const outline: OutlineNode[] = [];
  for (let i = 0; i < els.count; i++) {
    const type = els.type[i];
    if (type !== T_HEADING && type !== T_SECTION) continue;
    outline.push({
      kind: type === T_HEADING ? 'scene' : 'section',
      title: els.text.get(i) ?? '',
      level: type === T_SECTION ? els.level[i] : 0,
      range: { start: at(els.startLine[i], els.start[i]), end: at(els.endLine[i], els.end[i]) },
    });
  }
  return {
    format: 'fountain',
    text,
    metadata,
    tags,
    directives,
    outline,
    prose: proseSpans(scan),
    problems: scan.problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Element types as small integers, for the typed arrays.

const TYPES: readonly FountainElementType[] = [
  'scene-heading', 'section', 'synopsis', 'character', 'dialogue', 'parenthetical',
  'transition', 'centered', 'lyrics', 'page-break', 'action',
];
const T_HEADING = 0;
const T_SECTION = 1;
const T_SYNOPSIS = 2;
const T_CHARACTER = 3;
const T_DIALOGUE = 4;
const T_PARENTHETICAL = 5;
const T_TRANSITION = 6;
const T_CENTERED = 7;
const T_LYRICS = 8;
const T_PAGE_BREAK = 9;
const T_ACTION = 10;

/** After these a line may start a heading, character or transition without a blank line first. */
function endsBlock(type: number): boolean {
  return type === T_HEADING || type === T_TRANSITION || type === T_PAGE_BREAK || type === T_SECTION || type === T_SYNOPSIS;
}

/** Sections, synopses and page breaks do not print: untagged mentions are not looked for there. */
function prints(type: number): boolean {
  return type !== T_SECTION && type !== T_SYNOPSIS && type !== T_PAGE_BREAK;
}

// Line kinds after notes and boneyards are taken out.
const BLANK = 0;
/** Only notes, boneyard and blanks: invisible to the element structure. */
const SKIP = 1;
const CONTENT = 2;
/** Whitespace only, two characters or more: Fountain's "two spaces" line that keeps an element going. */
const CONNECTOR = 3;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0xfeff || c === 0x3000 || c === 11 || c === 12;
}

const RE_UPPER = /\p{Lu}/u;
const RE_LOWER = /\p{Ll}/u;
const RE_ALNUM = /^[\p{L}\p{N}]/u;
const RE_TITLE_KEY = /^[\p{L}\p{N}][\p{L}\p{N} _'-]*$/u;
const RE_SCENE_NUMBER = /^[\p{L}\p{N}.-]+$/u;
/** INT, EXT, EST, INT./EXT, INT/EXT, I/E, then a period (ASCII or ideographic) or a space. At most 9 characters. */
const RE_HEADING_PREFIX = /^(?:int\.?\/ext|i\/e|int|ext|est)[. \u3002]/i;

/** Whether s[a, b) has an uppercase letter and no lowercase one (Latin, Cyrillic, Greek...). */
function isUppercase(s: string, a: number, b: number): boolean {
  let upper = false;
  let other = false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 128) other = true;
  }
  if (other) {
    const part = s.slice(a, b);
    if (RE_LOWER.test(part)) return false;
    upper ||= RE_UPPER.test(part);
  }
  return upper;
}

function trimmedSlice(s: string, a: number, b: number): string {
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

// ---------------------------------------------------------------------------------------------
// Pass 1: notes and boneyards.

interface Masks {
  notes: Span[];
  /** Notes and boneyards together, in text order; boneyards are the ones not in `notes`. */
  maskStarts: number[];
  maskEnds: number[];
  maskIsNote: Uint8Array;
  /** `[[` that open no note although an `ai:`/`ai-lint:` marker follows. */
  unclosedAnnotations: number[];
}

/**
 * Whichever opener comes first wins, so a note inside a boneyard is boneyard and a `/*` inside a
 * note is note text. Every search resumes where the previous one of its kind stopped, so even
 * megabytes of unclosed `[[` or `/*` are read once.
 */
function findMasks(text: string, index: LineIndex): Masks {
  const n = text.length;
  const starts = index.lineStarts;
  const notes: Span[] = [];
  const maskStarts: number[] = [];
  const maskEnds: number[] = [];
  const unclosedAnnotations: number[] = [];

  // The first truly blank line (empty or one blank character) starting after `p`: a note cannot
  // cross it. `p` only grows between calls, so the line cursor only moves forward.
  let blankLine = 0;
  const nextBlankLineStart = (p: number): number => {
    while (blankLine < starts.length) {
      const ls = starts[blankLine];
      if (ls > p) {
        const len = index.lineContentEnd(blankLine) - ls;
        if (len === 0 || (len === 1 && isSpace(text.charCodeAt(ls)))) return ls;
      }
      blankLine++;
    }
    return Infinity;
  };

  // -2: not searched yet; -1: none left in the text.
  let noteOpen = -2;
  let noteClose = -2;
  let boneOpen = -2;
  let boneClose = -2;
  let pos = 0;
  while (pos < n) {
    if (noteOpen !== -1 && noteOpen < pos) noteOpen = text.indexOf('[[', pos);
    if (boneOpen !== -1 && boneOpen < pos) boneOpen = text.indexOf('/*', pos);
    if (noteOpen === -1 && boneOpen === -1) break;
    if (noteOpen !== -1 && (boneOpen === -1 || noteOpen < boneOpen)) {
      if (noteClose !== -1 && noteClose < noteOpen + 2) noteClose = text.indexOf(']]', noteOpen + 2);
      if (noteClose !== -1 && nextBlankLineStart(noteOpen) > noteClose) {
        notes.push({ start: noteOpen, end: noteClose + 2 });
        maskStarts.push(noteOpen);
        maskEnds.push(noteClose + 2);
        pos = noteClose + 2;
      } else {
        if (startsWithA(text, noteOpen + 2) && findMarker(text, noteOpen + 2, n)) unclosedAnnotations.push(noteOpen);
        pos = noteOpen + 1;
      }
    } else {
      if (boneClose !== -1 && boneClose < boneOpen + 2) boneClose = text.indexOf('*/', boneOpen + 2);
      if (boneClose === -1) {
        // No `*/` after this point: no later `/*` can close either; unclosed ones are plain text.
        boneOpen = -1;
        continue;
      }
      maskStarts.push(boneOpen);
      maskEnds.push(boneClose + 2);
      pos = boneClose + 2;
    }
  }
  const maskIsNote = new Uint8Array(maskStarts.length);
  for (let i = 0, j = 0; i < maskStarts.length && j < notes.length; i++) {
    if (maskStarts[i] === notes[j].start) {
      maskIsNote[i] = 1;
      j++;
    }
  }
  return { notes, maskStarts, maskEnds, maskIsNote, unclosedAnnotations };
}

/** Whether the first non-blank character from `i` is an `a`: a cheap test before findMarker. */
function startsWithA(text: string, i: number): boolean {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return (text.charCodeAt(i) | 32) === 97;
}

// ---------------------------------------------------------------------------------------------
// Pass 2: each line's visible text.

/** A line holding a note or boneyard and visible text: its text outside them, and where it came from. */
interface MaskedLine {
  /** Visible text, trimmed. */
  text: string;
  /** Source pieces [s0, e0, s1, e1...] that make up the untrimmed visible text. */
  spans: number[];
  /** Blank characters trimmed off the front. */
  lead: number;
}

interface Lines {
  count: number;
  kind: Uint8Array;
  /** Offset of the first and just past the last visible non-blank character (CONTENT lines). */
  vStart: Int32Array;
  vEnd: Int32Array;
  masked: Map<number, MaskedLine>;
}

function describeLines(text: string, index: LineIndex, maskStarts: number[], maskEnds: number[]): Lines {
  const starts = index.lineStarts;
  const count = starts.length;
  const kind = new Uint8Array(count);
  const vStart = new Int32Array(count);
  const vEnd = new Int32Array(count);
  const masked = new Map<number, MaskedLine>();
  const maskCount = maskStarts.length;
  let m = 0;
  for (let line = 0; line < count; line++) {
    // A leading BOM is not text, but it stays a code unit of line 0 in every range.
    const ls = line === 0 && text.charCodeAt(0) === 0xfeff ? 1 : starts[line];
    const le = Math.max(ls, index.lineContentEnd(line));
    while (m < maskCount && maskEnds[m] <= ls) m++;
    // An empty line is covered by a mask that starts before it; a non-empty one by any that starts on it.
    const lineLimit = Math.max(le, ls + 1);
    if (m >= maskCount || maskStarts[m] >= lineLimit) {
      let a = ls;
      let b = le;
      while (a < b && isSpace(text.charCodeAt(a))) a++;
      while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
      if (a === b) {
        kind[line] = le - ls >= 2 ? CONNECTOR : BLANK;
      } else {
        kind[line] = CONTENT;
        vStart[line] = a;
        vEnd[line] = b;
      }
      continue;
    }
    const spans: number[] = [];
    let cursor = ls;
    while (m < maskCount && maskStarts[m] < lineLimit) {
      if (maskStarts[m] > cursor) spans.push(cursor, maskStarts[m]);
      if (maskEnds[m] > cursor) cursor = maskEnds[m];
      if (maskEnds[m] > le) break; // goes on into the next line
      m++;
    }
    if (cursor < le) spans.push(cursor, le);
    // One join, not a chain of concatenations to flatten (a line of `/*/*/*...` has millions).
    const pieces: string[] = new Array(spans.length / 2);
    for (let i = 0; i < spans.length; i += 2) pieces[i / 2] = text.slice(spans[i], spans[i + 1]);
    const full = pieces.join('');
    let a = 0;
    let b = full.length;
    while (a < b && isSpace(full.charCodeAt(a))) a++;
    while (b > a && isSpace(full.charCodeAt(b - 1))) b--;
    if (a === b) {
      kind[line] = SKIP;
      continue;
    }
    kind[line] = CONTENT;
    const entry: MaskedLine = { text: full.slice(a, b), spans, lead: a };
    masked.set(line, entry);
    vStart[line] = mapPieces(entry, 0);
    vEnd[line] = mapPieces(entry, b - a - 1) + 1;
  }
  return { count, kind, vStart, vEnd, masked };
}

/** Source offset of character `k` of a masked line's trimmed visible text. */
function mapPieces(entry: MaskedLine, k: number): number {
  let rest = k + entry.lead;
  const { spans } = entry;
  for (let i = 0; i < spans.length; i += 2) {
    const len = spans[i + 1] - spans[i];
    if (rest < len) return spans[i] + rest;
    rest -= len;
  }
  return spans.length ? spans[spans.length - 1] : 0;
}

/** Source offset of character `k` of a content line's trimmed visible text. */
function visibleOffset(lines: Lines, line: number, k: number): number {
  const entry = lines.masked.get(line);
  return entry ? mapPieces(entry, k) : lines.vStart[line] + k;
}

/** A content line's trimmed visible text. */
function lineString(text: string, lines: Lines, line: number): string {
  return lines.masked.get(line)?.text ?? text.slice(lines.vStart[line], lines.vEnd[line]);
}

/** Leading indentation of a content line in columns (a tab counts as four; a BOM not at all). */
function indentOf(text: string, lines: Lines, starts: number[], line: number): number {
  let cols = 0;
  const from = line === 0 && text.charCodeAt(0) === 0xfeff ? 1 : starts[line];
  for (let i = from; i < lines.vStart[line]; i++) cols += text.charCodeAt(i) === 9 ? 4 : 1;
  return cols;
}

// ---------------------------------------------------------------------------------------------
// Pass 3: title page and elements.

/** Index of the `:` (or full-width `：`) ending a title page key, or -1 when the line is no `Key: value`. */
function titleKeyColon(t: string): number {
  let c = -1;
  for (let i = 0; i < t.length && i <= 64; i++) {
    const ch = t.charCodeAt(i);
    if (ch === 58 || ch === 0xff1a) {
      c = i;
      break;
    }
  }
  if (c <= 0) return -1;
  return RE_TITLE_KEY.test(t.slice(0, c).trimEnd()) ? c : -1;
}

/**
 * Whether the first content line opens a title page. `FADE IN:` or `CUT TO:` alone at the top is
 * a transition, not a key: an upper-case key with no value counts only when indented lines follow.
 */
function isTitlePageStart(text: string, lines: Lines, first: number, starts: number[]): boolean {
  const t = lineString(text, lines, first);
  const colon = titleKeyColon(t);
  if (colon <= 0) return false;
  if (t.slice(colon + 1).trim() !== '' || !isUppercase(t, 0, colon)) return true;
  const baseIndent = indentOf(text, lines, starts, first);
  for (let l = first + 1; l < lines.count; l++) {
    const k = lines.kind[l];
    if (k === SKIP) continue;
    return k === CONTENT && indentOf(text, lines, starts, l) > baseIndent;
  }
  return false;
}

interface TitleEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  keyLine: number;
  value: string;
  valueStart: number;
  valueEnd: number;
  valueStartLine: number;
  valueEndLine: number;
}

function readTitleKeyLine(lines: Lines, line: number, t: string, colon: number): TitleEntry {
  const key = t.slice(0, colon).trimEnd();
  const keyStart = lines.vStart[line];
  const keyEnd = key.length ? visibleOffset(lines, line, key.length - 1) + 1 : keyStart;
  let i = colon + 1;
  while (i < t.length && isSpace(t.charCodeAt(i))) i++;
  const afterColon = visibleOffset(lines, line, colon) + 1;
  const hasValue = i < t.length;
  return {
    key,
    keyStart,
    keyEnd,
    keyLine: line,
    value: hasValue ? t.slice(i) : '',
    valueStart: hasValue ? visibleOffset(lines, line, i) : afterColon,
    valueEnd: hasValue ? visibleOffset(lines, line, t.length - 1) + 1 : afterColon,
    valueStartLine: line,
    valueEndLine: line,
  };
}

/** Elements as parallel arrays; an element starts on its own line, so `count` lines bound them. */
interface Elements {
  count: number;
  type: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  startLine: Int32Array;
  endLine: Int32Array;
  /** The first element of the block: the character of a dialogue block, else the element itself. */
  head: Int32Array;
  level: Uint8Array;
  dual: Uint8Array;
  /** Display text: always for headings and sections, for every element when asked for. A map, as it is sparse. */
  text: Map<number, string>;
  sceneNumber: Map<number, string>;
}

interface Scan {
  index: LineIndex;
  at: (line: number, offset: number) => Position;
  titlePage: MetadataEntry[];
  els: Elements;
  notes: FountainNote[];
  /** Per note: the range of the element it annotates (where a disclosure goes), and the scene and section it stands in. */
  noteAnchors: Range[];
  noteScenes: (string | undefined)[];
  noteSections: (string | undefined)[];
  maskStarts: number[];
  maskEnds: number[];
  maskIsNote: Uint8Array;
  problems: ParseProblem[];
}

function scanFountain(text: string, withText: boolean): Scan {
  const index = LineIndex.of(text);
  const starts = index.lineStarts;
  const masks = findMasks(text, index);
  const lines = describeLines(text, index, masks.maskStarts, masks.maskEnds);
  const { count, kind, vStart, vEnd, masked } = lines;
  const at = (line: number, offset: number): Position => ({ line, character: offset - starts[line] });

  const noteCount = masks.notes.length;
  // Owner of each note: an element index; -1 for none (yet); -(entry + 2) for a title page entry.
  const noteOwner = new Int32Array(noteCount).fill(-1);
  let nextNote = 0;
  let pending: number[] = [];
  const assignNotes = (line: number, owner: number): void => {
    const limit = line + 1 < count ? starts[line + 1] : text.length;
    while (nextNote < noteCount && masks.notes[nextNote].start < limit) {
      if (owner === -1) pending.push(nextNote);
      else noteOwner[nextNote] = owner;
      nextNote++;
    }
  };

  // Title page: `Key: value` lines at the top (after blank lines and notes), up to the first blank line.
  const entries: TitleEntry[] = [];
  let bodyStart = 0;
  let first = 0;
  while (first < count && kind[first] !== CONTENT) first++;
  if (first < count && isTitlePageStart(text, lines, first, starts)) {
    const baseIndent = indentOf(text, lines, starts, first);
    let line = 0;
    for (; line < count; line++) {
      const k = kind[line];
      if (line >= first && (k === BLANK || k === CONNECTOR)) break;
      if (k === CONTENT) {
        const t = lineString(text, lines, line);
        // Indented lines continue the value, whatever they hold ("e-mail: ..."); so do lines with no key.
        const c = indentOf(text, lines, starts, line) <= baseIndent ? titleKeyColon(t) : -1;
        if (c > 0 || entries.length === 0) {
          entries.push(readTitleKeyLine(lines, line, t, Math.max(c, 0)));
        } else {
          const entry = entries[entries.length - 1];
          if (entry.value === '') {
            entry.value = t;
            entry.valueStart = vStart[line];
            entry.valueStartLine = line;
          } else {
            entry.value += '\n' + t;
          }
          entry.valueEnd = vEnd[line];
          entry.valueEndLine = line;
        }
      }
      assignNotes(line, entries.length ? -(entries.length - 1) - 2 : -1);
    }
    bodyStart = line;
  }

  const els: Elements = {
    count: 0,
    type: new Uint8Array(count),
    start: new Int32Array(count),
    end: new Int32Array(count),
    startLine: new Int32Array(count),
    endLine: new Int32Array(count),
    head: new Int32Array(count),
    level: new Uint8Array(count),
    dual: new Uint8Array(count),
    text: new Map(),
    sceneNumber: new Map(),
  };
  let prevBlank = true;
  /** The element the previous non-skipped line belongs to; -1 after a blank line. */
  let last = -1;
  let inDialogue = false;
  // The current line's visible text is src[a, b): the document itself, or a masked line's own string.
  let src = text;
  let a = 0;
  let b = 0;

  const open = (type: number, line: number, head = -1): number => {
    const i = els.count++;
    els.type[i] = type;
    els.start[i] = vStart[line];
    els.end[i] = vEnd[line];
    els.startLine[i] = line;
    els.endLine[i] = line;
    els.head[i] = head < 0 ? i : head;
    last = i;
    for (const p of pending) noteOwner[p] = i;
    if (pending.length) pending = [];
    return i;
  };
  /** Sets the display text of element i to src[from, to), trimmed, if texts are wanted. */
  const setText = (i: number, from: number, to: number, always = false): string | undefined => {
    if (!withText && !always) return undefined;
    const s = trimmedSlice(src, from, to);
    els.text.set(i, s);
    return s;
  };
  const extend = (line: number, from: number): void => {
    els.end[last] = vEnd[line];
    els.endLine[last] = line;
    if (withText) els.text.set(last, els.text.get(last) + '\n' + trimmedSlice(src, from, b));
  };
  const nextIsContent = (line: number): boolean => {
    for (let l = line + 1; l < count; l++) {
      if (kind[l] !== SKIP) return kind[l] === CONTENT;
    }
    return false;
  };

  /** A line that may start any element: heading, transition, character or action. */
  const classifyBlockStart = (line: number): void => {
    const c0 = src.charCodeAt(a);
    const forcedHeading = c0 === 46 /* . */ && b - a > 1 && RE_ALNUM.test(src.slice(a + 1, a + 3));
    const prefixLetter = c0 | 32; // i, e
    if (forcedHeading || ((prefixLetter === 105 || prefixLetter === 101) && RE_HEADING_PREFIX.test(src.slice(a, a + 9)))) {
      const i = open(T_HEADING, line);
      let to = b;
      if (src.charCodeAt(b - 1) === 35 /* # */) {
        let hash = b - 2;
        while (hash > a && src.charCodeAt(hash) !== 35) hash--;
        if (hash > a) {
          const candidate = src.slice(hash + 1, b - 1);
          if (RE_SCENE_NUMBER.test(candidate)) {
            els.sceneNumber.set(i, candidate);
            to = hash;
          }
        }
      }
      setText(i, forcedHeading ? a + 1 : a, to, true);
      return;
    }
    const forcedCharacter = c0 === 64 /* @ */;
    if (!forcedCharacter && b - a >= 3 && src.charCodeAt(b - 1) === 58 && src.charCodeAt(b - 2) === 79 && src.charCodeAt(b - 3) === 84 && isUppercase(src, a, b)) {
      // Ends in "TO:".
      setText(open(T_TRANSITION, line), a, b);
      return;
    }
    if (nextIsContent(line)) {
      let from = forcedCharacter ? a + 1 : a;
      let to = b;
      const dual = src.charCodeAt(to - 1) === 94; /* ^ */
      if (dual) to--;
      while (from < to && isSpace(src.charCodeAt(from))) from++;
      while (to > from && isSpace(src.charCodeAt(to - 1))) to--;
      // Extensions such as (V.O.) or (cont'd) may be lower-case; the name itself may not.
      let paren = from;
      while (paren < to && src.charCodeAt(paren) !== 40 && src.charCodeAt(paren) !== 0xff08) paren++;
      if (to > from && (forcedCharacter || isUppercase(src, from, paren))) {
        const i = open(T_CHARACTER, line);
        setText(i, from, to);
        if (dual) els.dual[i] = 1;
        inDialogue = true;
        return;
      }
    }
    setText(open(T_ACTION, line), a, b);
  };

  for (let line = bodyStart; line < count; line++) {
    const k = kind[line];
    if (k === SKIP) {
      assignNotes(line, last);
      continue;
    }
    const lastType = last >= 0 ? els.type[last] : -1;
    if (k === BLANK || k === CONNECTOR) {
      // Two spaces keep action or dialogue going; anywhere else the line is blank.
      if (k === CONNECTOR && (lastType === T_ACTION || (inDialogue && last >= 0))) {
        if (withText) els.text.set(last, els.text.get(last) + '\n');
        continue;
      }
      prevBlank = true;
      inDialogue = false;
      last = -1;
      continue;
    }
    const maskedLine = masked.get(line);
    if (maskedLine) {
      src = maskedLine.text;
      a = 0;
      b = src.length;
    } else {
      src = text;
      a = vStart[line];
      b = vEnd[line];
    }
    const c0 = src.charCodeAt(a);
    const cLast = src.charCodeAt(b - 1);
    if (inDialogue && last >= 0) {
      const head = els.head[last];
      if ((c0 === 40 || c0 === 0xff08) && (cLast === 41 || cLast === 0xff09)) setText(open(T_PARENTHETICAL, line, head), a, b);
      else if (c0 === 126 /* ~ */) setText(open(T_LYRICS, line, head), a + 1, b);
      else if (lastType === T_DIALOGUE) extend(line, a);
      else setText(open(T_DIALOGUE, line, head), a, b);
    } else if (c0 === 33 /* ! */) {
      // Forced action.
      if (!prevBlank && lastType === T_ACTION) extend(line, a + 1);
      else setText(open(T_ACTION, line), a + 1, b);
    } else if (c0 === 61 /* = */ && isPageBreak(src, a, b)) {
      open(T_PAGE_BREAK, line);
    } else if (c0 === 35 /* # */) {
      let level = a + 1;
      while (level < b && src.charCodeAt(level) === 35) level++;
      const i = open(T_SECTION, line);
      els.level[i] = Math.min(level - a, 255);
      setText(i, level, b, true);
    } else if (c0 === 61 /* = */) {
      setText(open(T_SYNOPSIS, line), a + 1, b);
    } else if (c0 === 126 /* ~ */) {
      setText(open(T_LYRICS, line), a + 1, b);
    } else if (c0 === 62 /* > */) {
      if (b - a >= 2 && cLast === 60 /* < */) setText(open(T_CENTERED, line), a + 1, b - 1);
      else setText(open(T_TRANSITION, line), a + 1, b);
    } else if (prevBlank || (lastType >= 0 && endsBlock(lastType))) {
      classifyBlockStart(line);
    } else if (lastType === T_ACTION) {
      extend(line, a);
    } else {
      setText(open(T_ACTION, line), a, b);
    }
    prevBlank = false;
    assignNotes(line, last);
  }

  const notes: FountainNote[] = masks.notes.map((s) => ({
    range: index.range(s.start, s.end),
    contentStart: s.start + 2,
    contentEnd: s.end - 2,
  }));
  const noteAnchors: Range[] = [];
  const noteScenes: (string | undefined)[] = [];
  const noteSections: (string | undefined)[] = [];
  if (noteCount > 0) {
    // A dialogue block (character, parentheticals, dialogue) is one anchor: a disclosure goes before the character.
    const blockEnd = new Int32Array(els.count);
    for (let i = 0; i < els.count; i++) blockEnd[els.head[i]] = i;
    // Scene and section are where the note stands in the text: the last scene heading or section
    // starting on or before the note's first line. Not the anchor's: a standalone note at the end
    // of scene A annotates the element after it (that is where a disclosure goes), which may be
    // the next scene heading, yet it belongs to scene A. Notes and elements are both in text
    // order, so one walk serves them all.
    let walked = 0;
    let s: string | undefined;
    let sec: string | undefined;
    for (let i = 0; i < noteCount; i++) {
      const owner = noteOwner[i];
      const noteLine = notes[i].range.start.line;
      for (; walked < els.count && els.startLine[walked] <= noteLine; walked++) {
        if (els.type[walked] === T_HEADING) s = els.text.get(walked);
        else if (els.type[walked] === T_SECTION) {
          s = undefined;
          sec = els.text.get(walked);
        }
      }
      if (owner >= 0) {
        const head = els.head[owner];
        const tail = blockEnd[head];
        noteAnchors.push({ start: at(els.startLine[head], els.start[head]), end: at(els.endLine[tail], els.end[tail]) });
        noteScenes.push(s);
        noteSections.push(sec);
      } else if (owner <= -2) {
        const entry = entries[-owner - 2];
        noteAnchors.push({ start: at(entry.keyLine, entry.keyStart), end: at(entry.valueEndLine, entry.valueEnd) });
        noteScenes.push(undefined);
        noteSections.push(undefined);
      } else {
        // No element after it: the note annotates itself.
        noteAnchors.push(notes[i].range);
        noteScenes.push(s);
        noteSections.push(sec);
      }
    }
  }

  const problems: ParseProblem[] = masks.unclosedAnnotations.map((offset) => ({
    ruleId: 'core/tag-syntax',
    severity: 'warning',
    message: 'This `[[ai:` note is never closed with `]]`, so it is not read as a tag (a blank line ends a note: put two spaces on it to keep the note going).',
    range: index.range(offset, Math.min(text.length, offset + 2)),
  }));

  return {
    index,
    at,
    titlePage: entries.map((e) => ({
      key: e.key,
      keyRange: { start: at(e.keyLine, e.keyStart), end: at(e.keyLine, e.keyEnd) },
      value: e.value,
      valueRange: { start: at(e.valueStartLine, e.valueStart), end: at(e.valueEndLine, e.valueEnd) },
    })),
    els,
    notes,
    noteAnchors,
    noteScenes,
    noteSections,
    maskStarts: masks.maskStarts,
    maskEnds: masks.maskEnds,
    maskIsNote: masks.maskIsNote,
    problems,
  };
}

function isPageBreak(s: string, a: number, b: number): boolean {
  if (b - a < 3) return false;
  for (let i = a; i < b; i++) if (s.charCodeAt(i) !== 61 /* = */) return false;
  return true;
}

/**
 * Printing elements' text minus the notes and boneyards inside them. Consecutive printing
 * elements with nothing masked between them make one span (the blank lines between are harmless),
 * so a screenplay without notes is a handful of spans, not one per element.
 */
function proseSpans(scan: Scan): Span[] {
  const spans: Span[] = [];
  const { maskStarts, maskEnds, els } = scan;
  let m = 0;
  let runStart = -1;
  let runEnd = -1;
  const flush = (): void => {
    if (runStart >= 0 && runEnd > runStart) spans.push({ start: runStart, end: runEnd });
    runStart = -1;
  };
  for (let i = 0; i < els.count; i++) {
    const start = els.start[i];
    const end = els.end[i];
    if (!prints(els.type[i])) {
      flush();
      continue;
    }
    while (m < maskStarts.length && maskEnds[m] <= start) m++;
    // A note or boneyard between the previous printing element and this one ends the run.
    if (runStart >= 0 && m > 0 && maskEnds[m - 1] > runEnd) flush();
    let cursor = start;
    for (let k = m; k < maskStarts.length && maskStarts[k] < end; k++) {
      if (maskStarts[k] > cursor) {
        if (runStart < 0) runStart = cursor;
        runEnd = maskStarts[k];
        flush();
      }
      if (maskEnds[k] > cursor) cursor = maskEnds[k];
    }
    if (cursor < end) {
      if (runStart < 0) runStart = cursor;
      runEnd = end;
    }
  }
  flush();
  return spans;
}
