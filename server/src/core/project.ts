// A project scan: find the documents under the given paths (with each config's include/exclude),
// lint each with the config that governs it, and check ids across files. The CLI and the language
// server's report request both call this, so CI and the editor see the same project.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigCache, effectiveGenre, effectivePacks, excludedByConfig, isIncluded, resolveConfigForDocument, type ResolvedConfig } from './config.js';
import { findDuplicateIds } from './engine.js';
import { adapterFor } from './hosts/index.js';
import { formatForPath, lintParsed, parseDocument, type DocumentResult } from './lint.js';
import { MarkdownParser, MarkdownPool } from './parse-budget.js';
import { isOurReportText } from './report/write.js';
import type { Finding, HostFormat } from './types.js';
import type { Genre, Pack } from './genres.js';

export interface FileResult {
  /** Absolute path. */
  path: string;
  kind: 'document' | 'config';
  genre: Genre;
  guidelines: Pack[];
  /** The lint result; undefined for a config file entry. */
  result?: DocumentResult;
  findings: Finding[];
}

export interface ProjectResult {
  files: FileResult[];
  /** Paths given that do not exist or hold no file we read. */
  missing: string[];
  /** Files named in the inputs that their config's include/exclude leaves out, so not checked. */
  ignored?: { path: string; config: string }[];
  /** Files that exist but could not be read, with the reason. */
  unreadable: { path: string; reason: string }[];
  /** Files skipped because they are reports written by `ai-use report`, not documents. */
  reports?: string[];
}

export interface ScanOptions {
  /** An explicit config file for every document (the CLI's --config, the aiUse.configPath setting). */
  configPath?: string;
  /** The base of a relative `configPath` (the editor's workspace folder). */
  workspaceRoot?: string;
  /** Check files named in `inputs` even when their config's include/exclude leaves them out (--no-ignore). */
  noIgnore?: boolean;
  cache?: ConfigCache;
  /** Messages that name another file name it relative to this folder (default: the current one). */
  displayRoot?: string;
  /** Open editor buffers win over the disk (the server passes its documents). */
  readText?: (file: string) => string | undefined;
}

/** Folders never walked into: VCS metadata and installed packages. */
const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.svn', 'node_modules']);

/**
 * Reads a text file as editors show it: invalid UTF-8 becomes U+FFFD, a leading BOM is dropped.
 * A UTF-16 byte order mark (Premiere Pro writes its marker export in UTF-16LE) decodes the rest
 * as UTF-16, so ranges are UTF-16 columns of the decoded text, as an editor shows them.
 */
export function readDocumentText(file: string): string {
  return decodeDocumentBytes(fs.readFileSync(file));
}

/** readDocumentText's decoding of a file's bytes. */
export function decodeDocumentBytes(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  // swap16 needs whole code units: a stray last byte is dropped, as the little-endian decoding does.
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2))).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function configRoot(config: ResolvedConfig, fallback: string): string {
  return config.path ? path.dirname(config.path) : fallback;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** What a directory entry is, following symbolic links; 'dangling' for a link that leads nowhere (or loops). */
function entryKind(entry: fs.Dirent, full: string): 'file' | 'directory' | 'dangling' | 'other' {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  const special = entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice();
  if (special) return 'other';
  // A symlink, or an entry whose type the file system did not say: ask stat, which follows links
  // (a link to a FIFO is 'other': reading it would block).
  try {
    const stat = fs.statSync(full);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch {
    return entry.isSymbolicLink() ? 'dangling' : 'other';
  }
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * The documents under `inputs`. Explicit files (if we read their format) unless the config that
 * governs them excludes them, as the editor does (`noIgnore` checks them anyway); folders walked.
 * Symbolic links are followed, to files and to folders; a folder reached twice (a link loop, or
 * two links to one place) is walked once. A dangling link with a document's name is listed, so
 * reading it fails and it is reported as unreadable instead of vanishing. One file reached by
 * two paths is checked once, under its real path when the walk saw that one.
 */
export function collectDocuments(
  inputs: readonly string[],
  options: ScanOptions = {},
): { documents: string[]; missing: string[]; ignored: { path: string; config: string }[] } {
  const cache = options.cache ?? new ConfigCache();
  const documents = new Set<string>();
  const missing: string[] = [];
  const ignored: { path: string; config: string }[] = [];
  const included = (full: string, root: string) => {
    const config = resolveConfigForDocument(full, { workspaceRoot: options.workspaceRoot, configPath: options.configPath, cache });
    return isIncluded(toPosix(path.relative(configRoot(config, root), full)), config);
  };
  for (const input of inputs) {
    const abs = path.resolve(input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      // A dangling link named on purpose: unreadable, like a file without read permission.
      let link = false;
      try {
        link = fs.lstatSync(abs).isSymbolicLink();
      } catch {
        // does not exist
      }
      if (link && formatForPath(abs)) documents.add(abs);
      else missing.push(input);
      continue;
    }
    if (stat.isFile()) {
      if (!formatForPath(abs)) {
        missing.push(input);
        continue;
      }
      const config = resolveConfigForDocument(abs, { workspaceRoot: options.workspaceRoot, configPath: options.configPath, cache });
      if (!options.noIgnore && excludedByConfig(abs, config)) ignored.push({ path: abs, config: config.path! });
      else documents.add(abs);
      continue;
    }
    // Per input: `ai-use check . sub` walks sub again (and finds its files) rather than calling it empty.
    const walkedDirs = new Set<string>();
    let found = 0;
    const stack = [abs];
    while (stack.length) {
      const dir = stack.pop()!;
      const real = realPath(dir);
      if (walkedDirs.has(real)) continue;
      walkedDirs.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        const kind = entryKind(entry, full);
        if (kind === 'directory') {
          if (!SKIPPED_FOLDERS.has(entry.name)) stack.push(full);
        } else if ((kind === 'file' || kind === 'dangling') && formatForPath(full)) {
          if (included(full, abs)) {
            documents.add(full);
            found++;
          }
        }
      }
    }
    if (found === 0) missing.push(input);
  }
  return { documents: uniqueFiles([...documents].sort()), missing, ignored };
}

/** One path per real file: the real path itself when it is among them, else the first in order. */
function uniqueFiles(sorted: readonly string[]): string[] {
  const byReal = new Map<string, string>();
  for (const file of sorted) {
    const real = realPath(file);
    const kept = byReal.get(real);
    if (kept === undefined || (file === real && kept !== real)) byReal.set(real, file);
  }
  const keep = new Set(byReal.values());
  return sorted.filter((f) => keep.has(f));
}

let sharedParser: MarkdownParser | undefined;

/** Large Markdown files are parsed under the time budget (parse-budget.ts), one worker per process. */
function markdownParser(): MarkdownParser {
  sharedParser ??= new MarkdownParser(undefined, undefined, 'sync');
  return sharedParser;
}

export function scanProject(inputs: readonly string[], options: ScanOptions = {}): ProjectResult {
  const cache = options.cache ?? new ConfigCache();
  const { documents, missing, ignored } = collectDocuments(inputs, { ...options, cache });
  const files: FileResult[] = [];
  const unreadable: ProjectResult['unreadable'] = [];
  const configs = new Map<string, ResolvedConfig>();
  const configOf = new Map<string, ResolvedConfig>();
  const reports: string[] = [];
  const toLint: { file: string; text: string; format: HostFormat; config: ResolvedConfig }[] = [];
  for (const file of documents) {
    let text: string | undefined;
    try {
      text = options.readText?.(file) ?? readDocumentText(file);
    } catch (error) {
      unreadable.push({ path: file, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (isOurReportText(text)) {
      reports.push(file);
      continue;
    }
    const config = resolveConfigForDocument(file, { workspaceRoot: options.workspaceRoot, configPath: options.configPath, cache });
    if (config.path) configs.set(config.path, config);
    configOf.set(file, config);
    toLint.push({ file, text, format: formatForPath(file)!, config });
  }
  const results = new Map<string, DocumentResult>();
  const lintFountain = () => {
    for (const d of toLint) if (!adapterFor(d.format).parseOffThread) results.set(d.file, lintParsed(parseDocument(d.text, d.format), d.config));
  };
  const markdown = toLint.filter((d) => adapterFor(d.format).parseOffThread);
  const pool = new MarkdownPool();
  if (pool.pays(markdown.map((d) => d.text))) {
    // remark is most of a scan: Markdown goes to worker threads while this one reads the Fountain
    // and then takes its share of the short notes (the pool evens out the work as it goes).
    const docs = pool.parseAll(
      markdown.map((d) => d.text),
      lintFountain,
    );
    markdown.forEach((d, i) => results.set(d.file, lintParsed(docs[i], d.config)));
  } else {
    lintFountain();
    for (const d of markdown) results.set(d.file, lintParsed(markdownParser().parseSync(d.text), d.config));
  }
  for (const { file } of toLint) {
    const result = results.get(file)!;
    files.push({ path: file, kind: 'document', genre: result.genre, guidelines: result.guidelines, result, findings: result.findings });
  }
  // Ids must be unique across the project, not just within one file. Each reuse is reported with
  // the severity set by the config that governs the file it is in (configs differ per folder).
  const documentResults = files.filter((f) => f.result);
  const displayRoot = options.displayRoot ?? process.cwd();
  const shownPath = (file: string) => toPosix(path.relative(displayRoot, file)) || file;
  const duplicates = findDuplicateIds(documentResults.map((f) => ({ path: shownPath(f.path), doc: f.result!.doc, severities: configOf.get(f.path)?.rules })));
  for (const dup of duplicates) {
    const file = documentResults.find((f) => shownPath(f.path) === dup.path);
    if (file && !file.findings.some((f) => f.ruleId === dup.finding.ruleId && sameRange(f, dup.finding))) {
      file.findings.push(dup.finding);
      file.findings.sort(byPosition);
    }
  }
  for (const config of configs.values()) {
    if (config.findings.length === 0) continue;
    files.push({
      path: config.path!,
      kind: 'config',
      // What the config gives a document that sets neither: with no `guidelines:` key, the genre's
      // default packs, not an empty list (which would read as "checked against nothing").
      genre: effectiveGenre(config),
      guidelines: effectivePacks(config, effectiveGenre(config)),
      findings: config.findings,
    });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, missing, unreadable, ignored, reports };
}

function sameRange(a: Finding, b: Finding): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
