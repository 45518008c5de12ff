// Markdown (`.md`, `.markdown`...): HTML comments `<!-- ai: ... -->` and inline `[[ai: ...]]`,
// front matter keys, headings.

import type { LineIndex } from '../line-index.js';
import { parseMarkdown } from '../markdown.js';
import type { Range, Tag } from '../types.js';
import type { HostAdapter, WriteContext } from './index.js';
import { appendAtEnd, at, directiveAtLine, endOfLine, findSection, lastContentLine, paragraphBefore, type FixEdit } from './text-edits.js';

/** After the front matter, or the first line. */
function fileDirectiveLine({ index }: WriteContext): number {
  if (/^---[ \t]*$/.test(index.lineText(0).replace(/^\ufeff/, ''))) {
    for (let line = 1; line < index.lineCount; line++) {
      if (/^(---|\.\.\.)[ \t]*$/.test(index.lineText(line))) return line + 1;
    }
  }
  return 0;
}

/** A table under `## GenAI cue sheet`; a Markdown section ends at the next heading of any level. */
function cueSheetRow(row: string, header: string, title: string, { doc, index }: WriteContext): FixEdit[] {
  const eol = index.eol;
  const section = findSection(doc, index, new RegExp(`^${title}$`, 'i'), true);
  if (section) {
    let lastRow: number | undefined;
    for (let line = section.heading + 1; line < section.end; line++) {
      const isRow = index.lineText(line).trim().startsWith('|');
      if (isRow) lastRow = line;
      else if (lastRow !== undefined) break;
    }
    if (lastRow !== undefined) return [{ range: endOfLine(index, lastRow), snippet: `${eol}${row}` }];
    return [{ range: endOfLine(index, section.heading), snippet: `${eol}${eol}${header}${eol}${row}` }];
  }
  return [appendAtEnd(index, `## ${title}${eol}${eol}${header}${eol}${row}`)];
}

/** Credits lines are one list under a `## Credits` heading. */
function creditsLine(text: string, { doc, index }: WriteContext): FixEdit[] {
  const eol = index.eol;
  const line = `- ${text}`;
  const section = findSection(doc, index, /^(end )?credits$/i, true);
  if (section) {
    const last = lastContentLine(index, section.heading + 1, section.end);
    if (last === undefined) return [{ range: endOfLine(index, section.heading), snippet: `${eol}${eol}${line}` }];
    return [{ range: endOfLine(index, last), snippet: `${eol}${line}` }];
  }
  return [appendAtEnd(index, `## Credits${eol}${eol}${line}`)];
}

/**
 * The Markdown label line. At the top level, a paragraph before the tagged block. Inside a list
 * item or a block quote a paragraph there would split the list or end the quote, so: a sub-item
 * under the item (`- Shot 12 ... <!-- ai -->` gets `  - **On screen:** ...`), or a line with the
 * quote's own prefix before the tagged line.
 */
function labelEdit(index: LineIndex, anchor: Range, label: string): FixEdit {
  const eol = index.eol;
  const prefix = index.lineText(anchor.start.line).slice(0, anchor.start.character);
  if (prefix.trim() === '') {
    if (prefix === '') return paragraphBefore(index, anchor.start.line, label);
    return { range: at(anchor.start.line), snippet: `${prefix}${label}${eol}` };
  }
  const item = /^((?:[ \t]*>[ \t]?)*)([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)$/.exec(prefix);
  if (item) {
    const indent = `${item[1]}${item[2]}${' '.repeat(item[3].length + item[4].length)}`;
    return { range: endOfLine(index, anchor.end.line), snippet: `${eol}${indent}- ${label}` };
  }
  if (/^(?:[ \t]*>[ \t]?)+$/.test(prefix)) return { range: at(anchor.start.line), snippet: `${prefix}${label}${eol}` };
  return paragraphBefore(index, anchor.start.line, label);
}

export const markdownAdapter: HostAdapter = {
  id: 'markdown',
  label: 'Markdown',
  extensions: ['.md', '.markdown', '.mdown', '.mkd'],
  languageIds: ['markdown'],
  parse: (text) => parseMarkdown(text),
  parseOffThread: true,
  outlineUnit: 'section',
  tagContent(tag: Tag, index: LineIndex) {
    const close = tag.host === 'markdown-comment' ? 3 : 2;
    const start = index.offsetAt(tag.range.start);
    return { start: start + (index.text.startsWith('<!--', start) ? 4 : 2), end: index.offsetAt(tag.range.end) - close };
  },
  write: {
    tag: (body) => `<!-- ${body} -->`,
    text: (snippet) => snippet,
    fieldPerLine: true,
    directive: (body) => `<!-- ${body} -->`,
    fileDirective: (directive, ctx) => directiveAtLine(fileDirectiveLine(ctx), directive, ctx.index),
    disclosure: (tag, text, { index }) => [labelEdit(index, tag.anchor, `**On screen:** ${text}`)],
    cueSheetRow,
    creditsLine,
  },
};
