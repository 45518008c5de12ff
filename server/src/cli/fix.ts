// `ai-use check --fix` and `--fix-dry-run`: the safe fixes of `source.fixAll.ai-use`, chosen by
// the same function the language server uses (lsp/fixEdits.ts safeFixes), applied to the text
// as an editor would, and written atomically. A file is written only when its bytes are the text
// we linted (UTF-8, with or without a BOM, unchanged since the scan), so a fix never garbles an
// encoding we do not write or a change made meanwhile.

import * as fs from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { LineIndex } from '../core/line-index.js';
import { lintText } from '../core/lint.js';
import type { FileResult } from '../core/project.js';
import type { ResolvedConfig } from '../core/config.js';
import { writeFileAtomic } from '../core/report/write.js';
import { applyEdits, safeFixes, snippetToPlain } from '../lsp/fixEdits.js';

export interface FileFix {
  path: string;
  /** The text before and after (without the BOM). */
  before: string;
  after: string;
  /** What was fixed: one entry per fix applied (rule id and the fix's title). */
  applied: { ruleId: string; title: string }[];
  /** Why the file was left alone although it had safe fixes. */
  skipped?: string;
}

/** Passes over one file: a fix can make another one possible (ESLint also loops, at most 10 times). */
const MAX_PASSES = 10;

/** The safe fixes of one checked document, applied until none is left (or MAX_PASSES). */
export function fixDocument(file: FileResult, config: ResolvedConfig): FileFix | undefined {
  const result = file.result;
  if (!result) return undefined;
  const before = result.doc.text;
  let text = before;
  let findings = file.findings;
  let doc = result.doc;
  const applied: FileFix['applied'] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const index = new LineIndex(text);
    const chosen = safeFixes(findings, { doc, index, disclosures: config.disclosures });
    if (chosen.length === 0) break;
    const edits = chosen.flatMap((c) => c.fix.edits.map((e) => ({ range: e.range, newText: snippetToPlain(e.snippet) })));
    const next = applyEdits(text, index, edits);
    if (next === text) break;
    applied.push(...chosen.map((c) => ({ ruleId: c.finding.ruleId, title: c.fix.title })));
    text = next;
    const relinted = lintText(text, result.format, config);
    findings = relinted.findings;
    doc = relinted.doc;
  }
  if (applied.length === 0) return undefined;
  return { path: file.path, before, after: text, applied };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Writes a fixed file atomically, keeping its BOM and mode; undefined when written, else why not. */
export function writeFix(fix: FileFix): string | undefined {
  let raw: Buffer;
  let mode: number;
  try {
    raw = fs.readFileSync(fix.path);
    mode = fs.statSync(fix.path).mode & 0o7777;
  } catch (error) {
    return `cannot read it again: ${error instanceof Error ? error.message : String(error)}`;
  }
  const bom = raw.subarray(0, 3).equals(BOM);
  const body = bom ? raw.subarray(3) : raw;
  if (!body.equals(Buffer.from(fix.before, 'utf8'))) {
    return 'its bytes are not the UTF-8 text that was checked (another encoding, or changed since): not written';
  }
  writeFileAtomic(fix.path, bom ? Buffer.concat([BOM, Buffer.from(fix.after, 'utf8')]) : fix.after, { overwrite: true });
  try {
    fs.chmodSync(fix.path, mode);
  } catch {
    // the mode could not be restored; the content is written
  }
  return undefined;
}

/** A unified diff of one fix, paths as shown to the user (`a/` and `b/` as git writes them). */
export function fixDiff(fix: FileFix, shownPath: string): string {
  return createTwoFilesPatch(`a/${shownPath}`, `b/${shownPath}`, fix.before, fix.after, undefined, undefined, { context: 3 });
}
