// Which open documents the server reads, and how: a Fountain or Markdown document to lint, a
// project config file (`.ai-use.*`) to validate, or neither.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE_NAMES } from '../core/config.js';
import { formatForPath } from '../core/lint.js';
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
  if (languageId === 'fountain') return { type: 'document', format: 'fountain' };
  if (languageId === 'markdown') return { type: 'document', format: 'markdown' };
  // Clients that send another language id (or none) for our file types.
  const format = formatForPath(file ?? uri.replace(/[?#].*$/, ''));
  return format ? { type: 'document', format } : { type: 'other' };
}
