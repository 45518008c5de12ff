// Document symbols (the Outline view): sections nest by level, scenes sit under their section,
// and each tag sits under the scene heading or section it belongs to. Hierarchical
// DocumentSymbols when the client supports them, a flat list with container names otherwise.

import {
  SymbolKind,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type SymbolInformation,
} from 'vscode-languageserver';
import type { LineIndex } from '../core/line-index.js';
import type { OutlineNode, ParsedDocument, Position, Range, Tag } from '../core/types.js';
import type { ServerContext } from './context.js';
import { before } from './tagAt.js';

function tagName(tag: Tag): string {
  const kind = tag.kind ?? 'AI use';
  const label = tag.fields.find((f) => f.key === 'id' && f.value)?.value ?? tag.fields.find((f) => f.key === 'tool' && f.value)?.value;
  return label ? `${kind} (${label})` : kind;
}

interface Node {
  symbol: DocumentSymbol;
  /** 0 for scenes; a section's `#` count. */
  level: number;
  isScene: boolean;
}

function lastPosition(index: LineIndex): Position {
  return index.positionAt(index.text.length);
}

/** The end of the line before `line` (where a symbol ends when the next one starts). */
function endBefore(index: LineIndex, line: number): Position {
  if (line <= 0) return { line: 0, character: 0 };
  return index.positionAt(index.lineContentEnd(line - 1));
}

export function documentSymbols(doc: ParsedDocument, index: LineIndex): DocumentSymbol[] {
  const roots: DocumentSymbol[] = [];
  const stack: Node[] = [];
  const outline = [...doc.outline].sort((a, b) => a.range.start.line - b.range.start.line);
  const tags = doc.tags;
  let t = 0;
  const close = (untilLine: number, keep: (n: Node) => boolean) => {
    while (stack.length > 0 && !keep(stack[stack.length - 1])) {
      const node = stack.pop()!;
      node.symbol.range = { start: node.symbol.range.start, end: endBefore(index, untilLine) };
      if (before(node.symbol.range.end, node.symbol.selectionRange.end)) node.symbol.range.end = node.symbol.selectionRange.end;
    }
  };
  const add = (symbol: DocumentSymbol) => {
    const parent = stack[stack.length - 1];
    if (parent) (parent.symbol.children ??= []).push(symbol);
    else roots.push(symbol);
  };
  const addTagsBefore = (p: Position | undefined) => {
    while (t < tags.length && (!p || before(tags[t].range.start, p))) {
      const tag = tags[t++];
      add({ name: tagName(tag), kind: SymbolKind.Event, range: tag.range, selectionRange: tag.markerRange, detail: tag.fields.find((f) => f.key === 'tool')?.value });
    }
  };
  for (const node of outline as OutlineNode[]) {
    addTagsBefore(node.range.start);
    const line = node.range.start.line;
    // A section closes scenes and deeper-or-equal sections; a scene closes the previous scene.
    if (node.kind === 'section') close(line, (n) => !n.isScene && n.level < node.level);
    else close(line, (n) => !n.isScene);
    const symbol: DocumentSymbol = {
      name: node.title || (node.kind === 'scene' ? 'Scene' : 'Section'),
      kind: node.kind === 'scene' ? SymbolKind.Class : SymbolKind.Namespace,
      range: { start: node.range.start, end: node.range.end },
      selectionRange: node.range,
      children: [],
    };
    add(symbol);
    stack.push({ symbol, level: node.level, isScene: node.kind === 'scene' });
  }
  addTagsBefore(undefined);
  const end = lastPosition(index);
  while (stack.length > 0) {
    const node = stack.pop()!;
    node.symbol.range = { start: node.symbol.range.start, end };
  }
  return roots;
}

function flatten(symbols: DocumentSymbol[], uri: string, container?: string, out: SymbolInformation[] = []): SymbolInformation[] {
  for (const s of symbols) {
    out.push({ name: s.name, kind: s.kind, location: { uri, range: s.range as Range }, containerName: container });
    if (s.children) flatten(s.children, uri, s.name, out);
  }
  return out;
}

export class SymbolsFeature {
  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    this.ctx.connection.onDocumentSymbol(async (params) => {
      try {
        return await this.provide(params);
      } catch (error) {
        this.ctx.connection.console.error(`ai-use: document symbols failed: ${error instanceof Error ? error.stack : String(error)}`);
        return [];
      }
    });
  }

  async provide(params: DocumentSymbolParams): Promise<DocumentSymbol[] | SymbolInformation[]> {
    const analysis = await this.ctx.analysisOf(params.textDocument.uri);
    if (!analysis) return [];
    const symbols = documentSymbols(analysis.result.doc, analysis.index);
    return this.ctx.features.hierarchicalSymbols ? symbols : flatten(symbols, analysis.uri);
  }
}
