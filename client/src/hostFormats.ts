// The host formats the server checks, from its adapter table (server/src/core/hosts/index.ts):
// scripts/build.mjs writes the table's editor view into this bundle as AI_USE_HOST_FORMATS, so
// the client has no list of formats of its own.

import type * as vscode from 'vscode';
import type { EditorHostFormat } from '../../server/src/core/hosts/index.js';

declare const AI_USE_HOST_FORMATS: EditorHostFormat[];

export const HOST_FORMATS: readonly EditorHostFormat[] = AI_USE_HOST_FORMATS;

/** The documents to send to the server, in each of `schemes`. */
export function hostDocumentSelector(schemes: readonly string[]): { scheme: string; language?: string; pattern?: string }[] {
  return schemes.flatMap((scheme) =>
    HOST_FORMATS.flatMap((f) => [...f.languageIds.map((language) => ({ scheme, language })), ...(f.pattern ? [{ scheme, pattern: f.pattern }] : [])]),
  );
}

/** The format of an open document: by its language id, else by its file name. */
export function hostFormatOf(document: vscode.TextDocument): EditorHostFormat | undefined {
  const name = document.fileName.toLowerCase();
  return HOST_FORMATS.find((f) => f.languageIds.includes(document.languageId)) ?? HOST_FORMATS.find((f) => f.extensions.some((e) => name.endsWith(e)));
}
