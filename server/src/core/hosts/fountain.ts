// Fountain (`.fountain`, `.spmd`): notes `[[ai: ...]]`, title page keys, scene headings.

import { parseFountain } from '../fountain.js';
import type { LineIndex } from '../line-index.js';
import type { Tag } from '../types.js';
import type { HostAdapter, WriteContext } from './index.js';
import { appendAtEnd, at, directiveAtLine, endOfLine, findSection, lastContentLine, lineIsBlank, paragraphBefore, type FixEdit } from './text-edits.js';

/** The line where a file-wide directive goes: after the title page (its first blank line). */
function fileDirectiveLine({ doc, index }: WriteContext): number {
  if (doc.metadata.size === 0) return 0;
  let first = 0;
  while (first < index.lineCount && !lineIsBlank(index, first)) first++;
  while (first < index.lineCount && lineIsBlank(index, first)) first++;
  // A note or boneyard running across that blank line (a line of spaces does not end a note)
  // would take the directive in as its text: the first line after a blank one where it reads as one.
  for (let line = first; line < index.lineCount; line++) {
    if (line > first && !lineIsBlank(index, line - 1)) continue;
    if (readsAsDirective(index.text, index.lineStarts[line])) return line;
  }
  return first;
}

function readsAsDirective(text: string, offset: number): boolean {
  // Only an open `[[` or `/*` before the place can swallow it: no parse for the usual title page.
  if (!/\[\[|\/\*/.test(text.slice(0, offset))) return true;
  const probe = '[[ai-lint: disable-file core/unknown-genre -- probe]]';
  const probed = parseFountain(`${text.slice(0, offset)}${probe}\n\n${text.slice(offset)}`);
  return probed.directives.some((d) => d.command === 'disable-file' && d.reason === 'probe');
}

/**
 * Fountain has no tables, so the cue sheet sits in a boneyard `/* *\/` under a `# GenAI cue sheet`
 * section: it is kept with the script but never printed, and nothing in a boneyard is read as
 * action (whose tool names would otherwise be untagged mentions) or as a tag.
 */
function cueSheetRow(row: string, header: string, title: string, { doc, index }: WriteContext): FixEdit[] {
  const eol = index.eol;
  const section = findSection(doc, index, new RegExp(`^${title}$`, 'i'), false);
  if (section) {
    for (let line = section.heading + 1; line < section.end; line++) {
      if (index.lineText(line).trim() === '/*') {
        for (let close = line + 1; close < index.lineCount; close++) {
          if (index.lineText(close).trim() === '*/') return [{ range: at(close), snippet: `${row}${eol}` }];
        }
      }
    }
    return [{ range: endOfLine(index, section.heading), snippet: `${eol}${eol}/*${eol}${header}${eol}${row}${eol}*/` }];
  }
  return [appendAtEnd(index, `# ${title}${eol}${eol}/*${eol}${header}${eol}${row}${eol}*/`)];
}

/** Credits lines are separate action paragraphs under a `# Credits` section. */
function creditsLine(text: string, { doc, index }: WriteContext): FixEdit[] {
  const eol = index.eol;
  const section = findSection(doc, index, /^(end )?credits$/i, false);
  if (section) {
    const last = lastContentLine(index, section.heading + 1, section.end);
    if (last === undefined) return [{ range: endOfLine(index, section.heading), snippet: `${eol}${eol}${text}` }];
    return [{ range: endOfLine(index, last), snippet: `${eol}${eol}${text}` }];
  }
  return [appendAtEnd(index, `# Credits${eol}${eol}${text}`)];
}

export const fountainAdapter: HostAdapter = {
  id: 'fountain',
  label: 'Fountain',
  extensions: ['.fountain', '.spmd'],
  languageIds: ['fountain'],
  parse: parseFountain,
  parseOffThread: false,
  outlineUnit: 'scene',
  tagContent(tag: Tag, index: LineIndex) {
    return { start: index.offsetAt(tag.range.start) + 2, end: index.offsetAt(tag.range.end) - 2 };
  },
  write: {
    tag: (body) => `[[${body}]]`,
    text: (snippet) => snippet,
    fieldPerLine: true,
    directive: (body) => `[[${body}]]`,
    fileDirective: (directive, ctx) => directiveAtLine(fileDirectiveLine(ctx), directive, ctx.index),
    disclosure: (tag, text, { index }) => [paragraphBefore(index, tag.anchor.start.line, `SUPER: ${text}`)],
    cueSheetRow,
    creditsLine,
  },
};
