// Completion inside an AI-use tag: kinds right after `ai:`, keys (not already present) after a
// `;` or a line break, values after `key:` (and after a `,` in list fields). Works on a tag
// still being typed, before its `]]` or `-->` exists, by reading back along the current line.

import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Range,
} from 'vscode-languageserver';
import type { LineIndex } from '../core/line-index.js';
import { loadBuiltinRules } from '../core/rules.js';
import { adapterFor } from '../core/hosts/index.js';
import type { ParsedDocument } from '../core/types.js';
import { IPTC_BASE, KEYS, KINDS, isListKey, keyInfo } from '../core/vocabulary.js';
import type { ServerContext } from './context.js';
import { isPosition, tagIndexAt } from './tagAt.js';

export const COMPLETION_TRIGGERS = [':', ';', ' ', ','];

export type TagCompletion =
  | { type: 'kind'; replace: Range; needsSpace: boolean }
  | { type: 'key'; replace: Range; present: Set<string>; needsSpace: boolean }
  | { type: 'value'; key: string; replace: Range; present: Set<string>; needsSpace: boolean };

/** How far back on a line an unclosed `[[ai:` or `<!-- ai:` is looked for. */
const MAX_LOOKBACK = 4000;

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9._/-]/.test(c);
}

/**
 * Where the text of the tag around `offset` starts (after its `[[` or `<!--`) and ends, for a
 * parsed tag (its host adapter knows its delimiters) or one being typed. A tag being typed must
 * start in prose: `[[ai:` in a boneyard, a code span or a code block is no tag.
 */
function tagBounds(doc: ParsedDocument, offset: number, index: LineIndex): { open: number; close: number } | undefined {
  const { text, tags, prose } = doc;
  const position = index.positionAt(offset);
  const i = tagIndexAt(tags, position);
  if (i >= 0) {
    const content = adapterFor(doc.format).tagContent(tags[i], index);
    return offset <= content.end ? { open: content.start, close: content.end } : undefined;
  }
  const lineStart = index.offsetAt({ line: position.line, character: 0 });
  const from = Math.max(lineStart, offset - MAX_LOOKBACK);
  const before = text.slice(from, offset);
  const open = Math.max(before.lastIndexOf('[['), before.lastIndexOf('<!--'));
  if (open < 0) return undefined;
  const after = before.slice(open);
  if (after.includes(']]') || after.includes('-->')) return undefined;
  const at = from + open;
  if (!prose.some((span) => span.start <= at && at < span.end)) return undefined;
  const rest = text.slice(offset, Math.min(text.length, offset + MAX_LOOKBACK));
  const closeAt = rest.search(/\]\]|-->|\r|\n/);
  return { open: at + (text.startsWith('<!--', at) ? 4 : 2), close: closeAt < 0 ? offset : offset + closeAt };
}

/** Keys written in a tag body (a rough read: the tag may be half typed). */
function presentKeys(body: string): Set<string> {
  const keys = new Set<string>();
  for (const m of body.matchAll(/(?:^|[;\r\n])[ \t]*([A-Za-z][\w-]*)[ \t]*:/g)) keys.add(m[1].toLowerCase());
  return keys;
}

export function completionContext(doc: ParsedDocument, offset: number, index: LineIndex): TagCompletion | undefined {
  const text = doc.text;
  const bounds = tagBounds(doc, offset, index);
  if (!bounds) return undefined;
  const marker = /^[ \t\r\n]*ai[ \t]*:/i.exec(text.slice(bounds.open, Math.min(bounds.close, bounds.open + 200)));
  if (!marker) return undefined;
  const bodyStart = bounds.open + marker[0].length;
  if (offset < bodyStart) return undefined;
  const typed = text.slice(bodyStart, offset);
  // Inside an open quoted value: free text, nothing to offer.
  let quotes = 0;
  let separator = -1;
  for (let i = 0; i < typed.length; i++) {
    const c = typed[i];
    if (c === '"') quotes++;
    else if (quotes % 2 === 0 && (c === ';' || c === '\n' || c === '\r')) separator = i;
  }
  if (quotes % 2 === 1) return undefined;
  const segment = typed.slice(separator + 1);
  let wordStart = offset;
  while (wordStart > bodyStart && isWordChar(text[wordStart - 1])) wordStart--;
  const replace = index.range(wordStart, offset);
  const previous = wordStart > 0 ? text[wordStart - 1] : '';
  const body = text.slice(bodyStart, bounds.close);
  const colon = segment.indexOf(':');
  if (colon >= 0) {
    const key = segment.slice(0, colon).trim().toLowerCase();
    const value = segment.slice(colon + 1);
    const items = isListKey(key) ? value.split(',').slice(0, -1).map((s) => s.trim().toLowerCase()) : [];
    return { type: 'value', key, replace, present: new Set(items), needsSpace: previous === ':' || previous === ',' };
  }
  if (separator < 0) return { type: 'kind', replace, needsSpace: previous === ':' };
  const present = presentKeys(body);
  if (!present.has('kind')) present.add('kind'); // the first field is the kind
  return { type: 'key', replace, present, needsSpace: previous === ';' };
}

function documentation(value: string): { kind: MarkupKind; value: string } {
  return { kind: MarkupKind.Markdown, value };
}

let waiverItems: CompletionItem[] | undefined;

function ruleIdItems(replace: Range, prefix: string): CompletionItem[] {
  if (!waiverItems) {
    try {
      waiverItems = loadBuiltinRules().map((rule) => ({
        label: rule.id,
        kind: CompletionItemKind.Reference,
        detail: rule.title,
        documentation: rule.description ? documentation(rule.description) : undefined,
      }));
    } catch {
      waiverItems = [];
    }
  }
  return waiverItems.map((item) => ({ ...item, textEdit: { range: replace, newText: `${prefix}${item.label} -- ` } }));
}

export function completionItems(context: TagCompletion): CompletionItem[] {
  const { replace } = context;
  switch (context.type) {
    case 'kind':
      return KINDS.map((k, i) => ({
        label: k.kind,
        kind: CompletionItemKind.EnumMember,
        detail: k.iptc ? `IPTC: ${k.iptc}` : 'IPTC: none (not media)',
        documentation: documentation(`${k.description}${k.iptc ? `\n\n[${k.iptc}](${IPTC_BASE}${k.iptc})` : ''}`),
        sortText: String(i).padStart(3, '0'),
        textEdit: { range: replace, newText: `${context.needsSpace ? ' ' : ''}${k.kind}` },
      }));
    case 'key':
      return KEYS.filter((k) => !context.present.has(k.key)).map((k, i) => ({
        label: k.key,
        kind: CompletionItemKind.Property,
        detail: k.type,
        documentation: documentation(
          `${k.description}${k.values ? `\n\n${k.values.map((v) => `- \`${v.value}\`: ${v.description}`).join('\n')}` : ''}`,
        ),
        sortText: String(i).padStart(3, '0'),
        textEdit: { range: replace, newText: `${context.needsSpace ? ' ' : ''}${k.key}: ` },
      }));
    case 'value': {
      const prefix = context.needsSpace ? ' ' : '';
      if (context.key === 'waive') return ruleIdItems(replace, prefix);
      if (context.key === 'kind') return completionItems({ type: 'kind', replace, needsSpace: context.needsSpace });
      const info = keyInfo(context.key);
      return (info?.values ?? [])
        .filter((v) => !context.present.has(v.value))
        .map((v, i) => ({
          label: v.value,
          kind: CompletionItemKind.EnumMember,
          detail: info!.key,
          documentation: documentation(v.description),
          sortText: String(i).padStart(3, '0'),
          textEdit: { range: replace, newText: `${prefix}${v.value}` },
        }));
    }
  }
}

export class CompletionFeature {
  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    this.ctx.connection.onCompletion(async (params) => {
      try {
        return await this.provide(params);
      } catch (error) {
        this.ctx.connection.console.error(`ai-use: completion failed: ${error instanceof Error ? error.stack : String(error)}`);
        return null;
      }
    });
  }

  async provide(params: CompletionParams): Promise<CompletionList | null> {
    if (!isPosition(params?.position)) return null;
    const analysis = await this.ctx.analysisOf(params.textDocument.uri, { wait: false });
    if (!analysis) return null;
    const { index } = analysis;
    const text = analysis.result.doc.text;
    if (params.position.line >= index.lineCount) return null;
    const offset = index.offsetAt(params.position);
    const context = completionContext(analysis.result.doc, offset, index);
    if (!context) return null;
    return { isIncomplete: false, items: completionItems(context) };
  }
}
