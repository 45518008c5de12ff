// Open documents kept as lines. vscode-languageserver-textdocument rebuilds the whole text for
// every incremental change (a 165 KB screenplay: about 0.3 ms per typed character here, so a burst
// of 500 edits held a hover up for 150 ms). Here an edit costs the lines it touches; the text is
// joined once when something reads it, and every read goes through that library's TextDocument,
// so positions, offsets and clamping are exactly its own.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextDocumentsConfiguration } from 'vscode-languageserver';

function isBreak(code: number): boolean {
  return code === 13 || code === 10;
}

/** The text as lines, each with its line break (\r\n, \r or \n); the last has none and may be empty. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isBreak(code)) continue;
    if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  lines.push(text.slice(start));
  return lines;
}

class LineDocument implements TextDocument {
  private lines: string[];
  /** Why this copy may no longer be the editor's text: a change that could not be applied. */
  syncProblem: string | undefined;
  /** The problem was logged. */
  syncProblemLogged = false;
  /** The text as one document, built on the first read after an edit. */
  private whole: TextDocument | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    content: string,
  ) {
    this.lines = splitLines(content);
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  private read(): TextDocument {
    this.whole ??= TextDocument.create(this.uri, this.languageId, this.currentVersion, this.lines.join(''));
    return this.whole;
  }

  getText(range?: Range): string {
    return this.read().getText(range);
  }

  positionAt(offset: number): Position {
    return this.read().positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.read().offsetAt(position);
  }

  getLineRange(line: number): Range {
    return this.read().getLineRange(line);
  }

  getEOLCharacters(line: number): string {
    return this.read().getEOLCharacters(line);
  }

  /** Where offsetAt() puts a position, as a line and a column in it (never inside a line break). */
  private clamp(position: Position): [number, number] {
    const last = this.lines.length - 1;
    if (position.line > last) return [last, this.lines[last].length];
    if (position.line < 0 || position.character <= 0) return [Math.max(position.line, 0), 0];
    const line = this.lines[position.line];
    let column = Math.min(position.character, line.length);
    while (column > 0 && isBreak(line.charCodeAt(column - 1))) column--;
    return [position.line, column];
  }

  private lost(reason: string): void {
    if (this.syncProblem !== undefined) return;
    this.syncProblem = reason;
    this.syncProblemLogged = false;
  }

  apply(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    if (!(version > this.currentVersion)) this.lost(`version ${version} came after version ${this.currentVersion}`);
    for (const change of changes) {
      if (!('range' in change) || change.range === undefined) {
        // The whole text: in step with the editor again.
        this.lines = splitLines(change.text);
        this.syncProblem = undefined;
        continue;
      }
      // LSP clamps a column past the end of its line; a line that does not exist has no meaning.
      const { start, end } = change.range;
      const last = this.lines.length - 1;
      if (start.line > last || end.line > last || start.line < 0 || end.line < 0 || start.character < 0 || end.character < 0) {
        this.lost(`a change at line ${Math.max(start.line, end.line) + 1} is outside the document of ${last + 1} lines`);
      }
      let [l1, c1] = this.clamp(change.range.start);
      let [l2, c2] = this.clamp(change.range.end);
      if (l1 > l2 || (l1 === l2 && c1 > c2)) [l1, c1, l2, c2] = [l2, c2, l1, c1];
      let joined = this.lines[l1].slice(0, c1) + change.text + this.lines[l2].slice(c2);
      // A lone \r ending the line before and a \n now starting this one make one line break.
      if (l1 > 0 && joined.charCodeAt(0) === 10 && this.lines[l1 - 1].endsWith('\r')) joined = this.lines[--l1] + joined;
      const pieces = splitLines(joined);
      // Unless it is the last line, the text ends with the old line's break: no empty line after it.
      if (l2 < this.lines.length - 1) pieces.pop();
      // splice() takes the pieces as arguments: a pasted script of many lines is spliced by copying.
      if (pieces.length < 10_000) this.lines.splice(l1, l2 - l1 + 1, ...pieces);
      else this.lines = this.lines.slice(0, l1).concat(pieces, this.lines.slice(l2 + 1));
    }
    this.currentVersion = version;
    this.whole = undefined;
  }
}

/**
 * Why the server's copy of a document may differ from the editor's (a change it could not apply,
 * until the whole text is sent again), or undefined when they agree.
 */
export function syncProblemOf(document: TextDocument): string | undefined {
  return document instanceof LineDocument ? document.syncProblem : undefined;
}

/** The sync problem of a document the first time it is asked for, to be logged once. */
export function newSyncProblem(document: TextDocument): string | undefined {
  if (!(document instanceof LineDocument) || document.syncProblem === undefined || document.syncProblemLogged) return undefined;
  document.syncProblemLogged = true;
  return document.syncProblem;
}

/** For `new TextDocuments(lineDocuments)`: documents updated in place, as the library's are. */
export const lineDocuments: TextDocumentsConfiguration<TextDocument> = {
  create: (uri, languageId, version, content) => new LineDocument(uri, languageId, version, content),
  update: (document, changes, version) => {
    (document as unknown as LineDocument).apply(changes, version);
    return document;
  },
};
