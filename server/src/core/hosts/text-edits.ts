// Plain text edits over a parsed document, shared by the host adapters' writers and the fix
// builder (server/src/lsp/fixEdits.ts). Pure functions of the text: no LSP connection.

import type { LineIndex } from '../line-index.js';
import type { ParsedDocument, Range } from '../types.js';

export interface FixEdit {
  range: Range;
  /** Snippet syntax: literal `$`, `}` and `\` are escaped. */
  snippet: string;
}

export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The text a snippet inserts when tab stops are not supported: placeholders keep their text. */
export function snippetToPlain(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i];
    if (c === '\\' && i + 1 < snippet.length && '\\$}'.includes(snippet[i + 1])) {
      out += snippet[++i];
    } else if (c === '$' && snippet[i + 1] === '{') {
      const m = /^\$\{\d+(?::([^}]*))?\}/.exec(snippet.slice(i));
      if (m) {
        out += (m[1] ?? '').replace(/\\([\\$}])/g, '$1');
        i += m[0].length - 1;
      } else out += c;
    } else if (c === '$' && /\d/.test(snippet[i + 1] ?? '')) {
      while (/\d/.test(snippet[i + 1] ?? '')) i++;
    } else out += c;
  }
  return out;
}

export function lineIsBlank(index: LineIndex, line: number): boolean {
  return line < 0 || line >= index.lineCount || index.lineText(line).trim() === '';
}

/** An empty range at `offset`. */
export function pos(index: LineIndex, offset: number): Range {
  const p = index.positionAt(offset);
  return { start: p, end: p };
}

/** An empty range at a line and column. */
export function at(line: number, character = 0): Range {
  return { start: { line, character }, end: { line, character } };
}

export function endOfLine(index: LineIndex, line: number): Range {
  const p = index.positionAt(index.lineContentEnd(line));
  return { start: p, end: p };
}

/** A line (or lines) inserted as its own paragraph before `line`, with blank lines around it. */
export function paragraphBefore(index: LineIndex, line: number, snippet: string): FixEdit {
  const eol = index.eol;
  const before = line > 0 && !lineIsBlank(index, line - 1) ? eol : '';
  return { range: at(line), snippet: `${before}${snippet}${eol}${eol}` };
}

/**
 * The section whose heading matches `title`, and the line where it ends (exclusive): at the next
 * heading of the same or a higher level, or at any next heading when `anyHeadingEnds`.
 */
export function findSection(doc: ParsedDocument, index: LineIndex, title: RegExp, anyHeadingEnds: boolean): { heading: number; end: number } | undefined {
  const sections = doc.outline.filter((n) => n.kind === 'section');
  const i = sections.findIndex((n) => title.test(n.title.trim()));
  if (i < 0) return undefined;
  const heading = sections[i];
  const next = sections.slice(i + 1).find((n) => n.level <= heading.level || anyHeadingEnds);
  return { heading: heading.range.start.line, end: next ? next.range.start.line : index.lineCount };
}

/** Appends text at the end of the document, after a blank line. */
export function appendAtEnd(index: LineIndex, snippet: string): FixEdit {
  const eol = index.eol;
  const lastLine = index.lineCount - 1;
  const end = index.text.length;
  const endsWithBreak = /\r?\n$|\r$/.test(index.text);
  let prefix = '';
  if (index.text.length > 0) {
    if (!endsWithBreak) prefix = eol + eol;
    else if (!lineIsBlank(index, lastLine - 1)) prefix = eol;
  }
  return { range: pos(index, end), snippet: `${prefix}${snippet}${eol}` };
}

/** Last non-blank line in [from, to), or undefined. */
export function lastContentLine(index: LineIndex, from: number, to: number): number | undefined {
  for (let line = Math.min(to, index.lineCount) - 1; line >= from; line--) if (!lineIsBlank(index, line)) return line;
  return undefined;
}

/** A file-wide directive as its own paragraph at `line` (at the end when the line is past it). */
export function directiveAtLine(line: number, directive: string, index: LineIndex): FixEdit {
  const eol = index.eol;
  return line >= index.lineCount ? { range: pos(index, index.text.length), snippet: `${eol}${directive}${eol}` } : { range: at(line), snippet: `${directive}${eol}${eol}` };
}
