// A project scan: find the documents under the given paths (with each config's include/exclude),
// lint each with the config that governs it, and check ids across files. The CLI and the language
// server's report request both call this, so CI and the editor see the same project.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigCache, isIncluded, resolveConfigForDocument, type ResolvedConfig } from './config.js';
import { findDuplicateIds } from './engine.js';
import { formatForPath, lintText, type DocumentResult } from './lint.js';
import { isOurReportText } from './report/write.js';
import type { Finding } from './types.js';
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
  /** Files that exist but could not be read, with the reason. */
  unreadable: { path: string; reason: string }[];
  /** Files skipped because they are reports written by `ai-use report`, not documents. */
  reports?: string[];
}

export interface ScanOptions {
  /** An explicit config file for every document (the CLI's --config, the aiUse.configPath setting). */
  configPath?: string;
  /** Where the walk up for config files stops (the workspace root). */
  workspaceRoot?: string;
  cache?: ConfigCache;
  /** Messages that name another file name it relative to this folder (default: the current one). */
  displayRoot?: string;
  /** Open editor buffers win over the disk (the server passes its documents). */
  readText?: (file: string) => string | undefined;
}

/** Folders never walked into: VCS metadata and installed packages. */
const SKIPPED_FOLDERS = new Set(['.git', '.hg', '.svn', 'node_modules']);

/** Reads a text file as editors show it: invalid UTF-8 becomes U+FFFD, a leading BOM is dropped. */
export function readDocumentText(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function configRoot(config: ResolvedConfig, fallback: string): string {
  return config.path ? path.dirname(config.path) : fallback;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The documents under `inputs`: explicit files always (if we read their format), folders walked. */
export function collectDocuments(
  inputs: readonly string[],
  options: ScanOptions = {},
): { documents: string[]; missing: string[] } {
  const cache = options.cache ?? new ConfigCache();
  const documents = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      missing.push(input);
      continue;
    }
    if (stat.isFile()) {
      if (formatForPath(abs)) documents.add(abs);
      else missing.push(input);
      continue;
    }
    const before = documents.size;
    const stack = [abs];
    while (stack.length) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_FOLDERS.has(entry.name)) stack.push(full);
        } else if (entry.isFile() && formatForPath(full)) {
          const config = resolveConfigForDocument(full, { workspaceRoot: options.workspaceRoot, configPath: options.configPath, cache });
          const relative = toPosix(path.relative(configRoot(config, abs), full));
          if (isIncluded(relative, config)) documents.add(full);
        }
      }
    }
    if (documents.size === before) missing.push(input);
  }
  return { documents: [...documents].sort(), missing };
}

export function scanProject(inputs: readonly string[], options: ScanOptions = {}): ProjectResult {
  const cache = options.cache ?? new ConfigCache();
  const { documents, missing } = collectDocuments(inputs, { ...options, cache });
  const files: FileResult[] = [];
  const unreadable: ProjectResult['unreadable'] = [];
  const configs = new Map<string, ResolvedConfig>();
  const reports: string[] = [];
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
    const result = lintText(text, formatForPath(file)!, config);
    files.push({ path: file, kind: 'document', genre: result.genre, guidelines: result.guidelines, result, findings: result.findings });
  }
  // Ids must be unique across the project, not just within one file.
  const documentResults = files.filter((f) => f.result);
  const displayRoot = options.displayRoot ?? process.cwd();
  const shownPath = (file: string) => toPosix(path.relative(displayRoot, file)) || file;
  const duplicates = findDuplicateIds(documentResults.map((f) => ({ path: shownPath(f.path), doc: f.result!.doc })));
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
      genre: config.genre ?? 'scripted',
      guidelines: config.guidelines ? [...config.guidelines] : [],
      findings: config.findings,
    });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, missing, unreadable, reports };
}

function sameRange(a: Finding, b: Finding): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
