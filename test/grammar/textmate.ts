// A real TextMate engine (vscode-textmate + vscode-oniguruma, the ones VS Code runs) wired the way
// VS Code wires it: our grammars and their `injectTo` come from package.json `contributes.grammars`;
// the host grammars VS Code ships (Markdown, HTML...) come from the `tm-grammars` package, which
// carries VS Code's own markdown.tmLanguage.json and html.tmLanguage.json.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate') as typeof import('vscode-textmate');
const oniguruma = require('vscode-oniguruma') as typeof import('vscode-oniguruma');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ContributedGrammar {
  language?: string;
  scopeName: string;
  path: string;
  injectTo?: string[];
}

export const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars?: ContributedGrammar[] };
};
export const CONTRIBUTED: ContributedGrammar[] = PACKAGE.contributes.grammars ?? [];

interface TmGrammarInfo {
  name: string;
  scopeName: string;
}

/** scopeName -> file of the grammars in tm-grammars (VS Code's built-in ones among them). */
function tmGrammarFiles(): Map<string, string> {
  const dir = path.dirname(require.resolve('tm-grammars/grammars/markdown.json'));
  const map = new Map<string, string>();
  // index.js is ESM; read its metadata from the JSON files themselves, by name.
  for (const name of ['markdown', 'html', 'html-derivative', 'css', 'javascript', 'yaml', 'json']) {
    const file = path.join(dir, `${name}.json`);
    const grammar = JSON.parse(readFileSync(file, 'utf8')) as TmGrammarInfo;
    map.set(grammar.scopeName, file);
  }
  return map;
}

export interface Token {
  text: string;
  scopes: string[];
  line: number;
  start: number;
  end: number;
}

let registryPromise: Promise<import('vscode-textmate').Registry> | undefined;

/**
 * @param extra grammars loaded besides ours and the built-in ones, keyed by scope name, with the
 * scopes they are injected into (e.g. another Fountain extension's grammar).
 */
async function createRegistry(extra: Map<string, { file: string; injections?: string[] }> = new Map()) {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await loadWasmOnce(wasm);
  const builtIn = tmGrammarFiles();
  const ours = new Map(CONTRIBUTED.map((g) => [g.scopeName, path.join(ROOT, g.path)]));
  return new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = extra.get(scopeName)?.file ?? ours.get(scopeName) ?? builtIn.get(scopeName);
      if (!file) return null;
      return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName: string) => [
      ...CONTRIBUTED.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
      ...[...extra].filter(([, v]) => v.injections?.includes(scopeName)).map(([k]) => k),
    ],
  });
}

let wasmLoaded: Promise<void> | undefined;
function loadWasmOnce(wasm: Buffer): Promise<void> {
  wasmLoaded ??= oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  return wasmLoaded;
}

/** Tokenizes `text` with the grammar `scopeName`, line by line as VS Code does. */
export async function tokenize(scopeName: string, text: string): Promise<Token[]> {
  registryPromise ??= Promise.resolve(createRegistry());
  const registry = await registryPromise;
  return tokenizeWith(registry, scopeName, text);
}

/** Tokenizes with a fresh registry that also knows `extra` grammars. */
export async function tokenizeWithExtra(
  extra: Map<string, { file: string; injections?: string[] }>,
  scopeName: string,
  text: string,
): Promise<Token[]> {
  return tokenizeWith(await createRegistry(extra), scopeName, text);
}

async function tokenizeWith(registry: import('vscode-textmate').Registry, scopeName: string, text: string): Promise<Token[]> {
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  const lines = text.split(/\r?\n/);
  for (let line = 0; line < lines.length; line++) {
    const lineText = lines[line];
    const result = grammar.tokenizeLine(lineText, state, 5000);
    if (result.stoppedEarly) throw new Error(`tokenizing line ${line} took too long`);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end > t.startIndex) tokens.push({ text: lineText.slice(t.startIndex, end), scopes: t.scopes, line, start: t.startIndex, end });
    }
    state = result.ruleStack;
  }
  return tokens;
}

/** Like a TextMate scope selector of one scope: `markup.bold` matches `markup.bold.fountain`. */
export function hasScope(scopes: readonly string[], selector: string): boolean {
  return scopes.some((s) => s === selector || s.startsWith(selector + '.'));
}

/**
 * The tokens that cover the `occurrence`-th (0-based) appearance of `needle` in the text, found
 * line by line. Throws when it does not appear.
 */
export function tokensOf(tokens: readonly Token[], text: string, needle: string, occurrence = 0): Token[] {
  const lines = text.split(/\r?\n/);
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    let from = 0;
    for (;;) {
      const at = lines[line].indexOf(needle, from);
      if (at < 0) break;
      if (seen === occurrence) {
        const end = at + needle.length;
        return tokens.filter((t) => t.line === line && t.end > at && t.start < end);
      }
      seen++;
      from = at + 1;
    }
  }
  throw new Error(`"${needle}" (occurrence ${occurrence}) is not in the text`);
}

/** The scopes every token of the needle shares: what a theme colours the whole needle with. */
export function scopesOf(tokens: readonly Token[], text: string, needle: string, occurrence = 0): string[] {
  const covering = tokensOf(tokens, text, needle, occurrence);
  if (covering.length === 0) return [];
  return covering[0].scopes.filter((s) => covering.every((t) => t.scopes.includes(s)));
}

/** A readable dump of the tokens of one line, for failure messages. */
export function dumpLine(tokens: readonly Token[], line: number): string {
  return tokens
    .filter((t) => t.line === line)
    .map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`)
    .join('\n');
}
