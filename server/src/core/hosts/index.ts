// The host formats, one adapter each, registered in one table (HOST_ADAPTERS). Everything that
// depends on the format — which files are read, how they are parsed, which editor documents the
// server checks, what a quick-fix writes and where, what a report calls a tag's place — asks the
// table; nothing outside server/src/core/hosts/ compares a format id with a literal
// (test/core/hosts.test.ts greps for that).
//
// A new host format is:
//   1. an adapter file here (parse + writers) and its line in HOST_ADAPTERS;
//   2. its tests (test/core/hosts.test.ts runs the same tag through every adapter in the table);
//   3. its manifest entries in package.json (activationEvents, the Insert Tag `when` clause):
//      test/core/hosts.test.ts checks them against the table. The VS Code client's document
//      selector and Insert Tag come from the table itself (scripts/build.mjs writes
//      `editorHostFormats()` into the client bundle).

import type { LineIndex } from '../line-index.js';
import type { HostFormat, ParsedDocument, Span, Tag } from '../types.js';
import { fountainAdapter } from './fountain.js';
import { markdownAdapter } from './markdown.js';
import type { FixEdit } from './text-edits.js';

/** What a writer needs: the parsed document and its line index. */
export interface WriteContext {
  doc: ParsedDocument;
  index: LineIndex;
}

/**
 * How the quick-fixes write into a format. Text arguments are in snippet syntax (tab stops such
 * as `${1:tool}`, literal `$`, `}` and `\` escaped) and already made inert (one line, no note or
 * comment delimiters); the writer adds the format's own escaping. A writer that returns
 * undefined says the format has no place for that thing: the fix is not offered.
 */
export interface HostWriter {
  /** A new tag holding `body` (`ai: kind; tool: ...`), inserted right after an untagged mention. */
  tag(body: string): string | undefined;
  /** Text written into the document's text (a field, a value, a replacement), escaped for the format. */
  text(snippet: string): string;
  /** Whether a new field may go on a line of its own when the tag is written one field per line. */
  fieldPerLine: boolean;
  /** A directive holding `body` (`ai-lint: ...`). */
  directive(body: string): string;
  /**
   * Inserts a file-wide directive (`directive`, as written by `directive()`) where the format
   * keeps them: after the title page or front matter. Every format has a place for one.
   */
  fileDirective(directive: string, ctx: WriteContext): FixEdit;
  /** The on-screen disclosure line `text` before the tagged element. */
  disclosure(tag: Tag, text: string, ctx: WriteContext): FixEdit[] | undefined;
  /**
   * The cue-sheet row (`row`, one Markdown-table line) added to the document's GenAI cue sheet,
   * created with `header` (the table's header and separator lines) under `title` when missing.
   */
  cueSheetRow(row: string, header: string, title: string, ctx: WriteContext): FixEdit[] | undefined;
  /** A credits line `text` under the document's Credits section, created at the end when missing. */
  creditsLine(text: string, ctx: WriteContext): FixEdit[] | undefined;
}

export interface HostAdapter {
  /** The format id: ParsedDocument.format, DocumentResult.format, the report's `format`. */
  id: HostFormat;
  /** Human name. */
  label: string;
  /** File name endings, lower-case with the dot; matched case-insensitively. */
  extensions: readonly string[];
  /**
   * Editor language ids that are this format whatever the file is called. A format that editors
   * open under a general language id (Final Draft's XML) lists none: its files are known by
   * extension only, so no other file of that language is checked.
   */
  languageIds: readonly string[];
  /** Host text into tags, directives, outline, metadata (genre, guidelines) and prose. */
  parse(text: string): ParsedDocument;
  /**
   * True when parsing can be slow enough to block a server (remark): large documents are parsed
   * in the parse workers (server/src/core/parse-budget.ts) instead of on the calling thread.
   */
  parseOffThread: boolean;
  /** The outline node a tag's place is counted in for the attribution statement. */
  outlineUnit: 'scene' | 'section';
  /** Where a parsed tag's text is, between its delimiters (completion reads it). */
  tagContent(tag: Tag, index: LineIndex): Span;
  write: HostWriter;
}

/** Every host format the product reads. Order matters only where two could claim one file. */
export const HOST_ADAPTERS: readonly HostAdapter[] = [fountainAdapter, markdownAdapter];

const byId = new Map(HOST_ADAPTERS.map((a) => [a.id, a]));

/** The adapter of a format id. Throws for an id not in the table (a bug, not user input). */
export function adapterFor(format: HostFormat): HostAdapter {
  const adapter = byId.get(format);
  if (!adapter) throw new Error(`No host adapter for format "${format}"`);
  return adapter;
}

/** The adapter for a file name, or undefined when we do not read that kind of file. */
export function adapterForPath(path: string): HostAdapter | undefined {
  const lower = path.toLowerCase();
  return HOST_ADAPTERS.find((a) => a.extensions.some((e) => lower.endsWith(e)));
}

/** The adapter for an editor document: its language id first, else its file name. */
export function adapterForDocument(languageId: string, path: string): HostAdapter | undefined {
  return HOST_ADAPTERS.find((a) => a.languageIds.includes(languageId)) ?? adapterForPath(path);
}

/** What the VS Code client needs of each format: which documents to send, how Insert Tag writes. */
export interface EditorHostFormat {
  id: string;
  languageIds: string[];
  /** Glob for files known by extension only (case-insensitive), or undefined. */
  pattern?: string;
  extensions: string[];
  /** The tag around a body, split at the body: [before, after]. */
  tagAround: [string, string] | null;
}

function globOf(endings: string[]): string {
  return endings.length === 1 ? `**/*.${endings[0]}` : `**/*.{${endings.join(',')}}`;
}

export function editorHostFormats(): EditorHostFormat[] {
  return HOST_ADAPTERS.map((a) => {
    const tag = a.write.tag('\ue000');
    const anyCase = (e: string) => [...e.slice(1)].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
    return {
      id: a.id,
      languageIds: [...a.languageIds],
      pattern: a.languageIds.length === 0 ? globOf(a.extensions.map(anyCase)) : undefined,
      extensions: [...a.extensions],
      tagAround: tag === undefined ? null : (tag.split('\ue000') as [string, string]),
    };
  });
}
