// Which open documents the server reads, and how: a Fountain or Markdown document to lint, a
// project config file (`.ai-use.*`) to validate, or neither.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE_NAMES } from '../core/config.js';
import { adapterForDocument } from '../core/hosts/index.js';
import type { HostFormat } from '../core/types.js';

export type DocumentKind = { type: 'document'; format: HostFormat } | { type: 'config' } | { type: 'other' };

/** The file path of a `file:` URI; undefined for untitled and other schemes. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function isConfigPath(file: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(file));
}

export function documentKind(uri: string, languageId: string): DocumentKind {
  const file = uriToPath(uri);
  if (file && isConfigPath(file)) return { type: 'config' };
  // The language id when it is one of ours; else the file name (clients that send another
  // language id or none, and formats such as Final Draft that editors open as XML).
  const adapter = adapterForDocument(languageId, file ?? uri.replace(/[?#].*$/, ''));
  return adapter ? { type: 'document', format: adapter.id } : { type: 'other' };
}
