// Writing a report file without losing anything: the text goes to a temporary file in the target's
// folder, is flushed to disk, then renamed over the target in one step, so a reader (or a crash)
// sees the old file or the new one, never half of one. And the overwrite rule users can predict:
// a new file is always written; an existing file is replaced only when it is a report that
// `ai-use report` wrote before (recognised by the marker each format carries near its top) or when
// the user says --force. Anything else stays untouched.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CSV_EARLIER_HEADER_LINES, CSV_HEADER_LINE } from './csv.js';
import { REPORT_GENERATOR, TOOL_NAME } from './model.js';
import { TIMELINE_REPORT_HEADS } from './timeline-markers.js';

/** How much of an existing file is read to recognise one of our reports. */
const HEAD_BYTES = 4096;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const GENERATOR = escapeRegExp(REPORT_GENERATOR);

/** The marker of each format, at the place our writers put it. */
const OUR_REPORT_HEADS: readonly RegExp[] = [
  // HTML: <meta name="generator" content="ai-use-lint report 0.1.0"> in the head.
  new RegExp(`^<!doctype html>[\\s\\S]*<meta name="generator" content="${GENERATOR}[ "]`, 'i'),
  // Markdown: the first line is an HTML comment naming the generator.
  new RegExp(`^<!-- ${GENERATOR} `),
  // JSON: "$schema" then "version" then "generator".
  new RegExp(`^\\{\\s*"\\$schema":\\s*"[^"]*report\\.schema\\.json",\\s*"version":\\s*\\d+,\\s*"generator":\\s*"${GENERATOR}[ "]`),
  // SARIF: the first run's driver is ours.
  new RegExp(`^\\{\\s*"\\$schema":\\s*"[^"]*sarif[^"]*",\\s*"version":\\s*"2\\.1\\.0",\\s*"runs":\\s*\\[\\s*\\{\\s*"tool":\\s*\\{\\s*"driver":\\s*\\{\\s*"name":\\s*"${escapeRegExp(TOOL_NAME)}"`),
];

/** True when `head` (the start of a file) is the start of a report written by `ai-use report`. */
export function isOurReportHead(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (OUR_REPORT_HEADS.some((re) => re.test(text)) || TIMELINE_REPORT_HEADS.some((re) => re.test(text))) return true;
  // CSV: exactly our header row (this version's or an earlier one), then a record or the end.
  return [CSV_HEADER_LINE, ...CSV_EARLIER_HEADER_LINES].some((line) => text.startsWith(`${line}\r\n`) || text === line);
}

/**
 * True when a document's text is a report written by `ai-use report` (a Markdown report saved in
 * the project, say): scans skip it, since a report quotes tool names and tags and would otherwise
 * be linted as one more document, growing with every run.
 */
export function isOurReportText(text: string): boolean {
  return isOurReportHead(text.slice(0, HEAD_BYTES));
}

function readHead(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export type TargetCheck =
  | { ok: true; exists: false }
  | { ok: true; exists: true; reason: 'previous-report' | 'forced' }
  | { ok: false; reason: string };

/** May `ai-use report` write `target`? The overwrite rule of docs/report.md. */
export function checkReportTarget(target: string, options: { force?: boolean } = {}): TargetCheck {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const dir = path.dirname(target);
      if (!fs.existsSync(dir)) return { ok: false, reason: `the folder ${dir} does not exist` };
      return { ok: true, exists: false };
    }
    return { ok: false, reason: (error as Error).message };
  }
  if (stat.isDirectory()) return { ok: false, reason: 'it is a folder' };
  if (options.force) return { ok: true, exists: true, reason: 'forced' };
  if (stat.isSymbolicLink()) return { ok: false, reason: 'it is a symbolic link (use --force to replace the link with the report)' };
  if (!stat.isFile()) return { ok: false, reason: 'it is not a regular file' };
  let head: string;
  try {
    head = readHead(target);
  } catch (error) {
    return { ok: false, reason: `it cannot be read to check that it is an earlier report (${(error as Error).message})` };
  }
  if (isOurReportHead(head)) return { ok: true, exists: true, reason: 'previous-report' };
  return { ok: false, reason: 'it exists and is not a report written by ai-use (use --force to replace it)' };
}

export interface AtomicWriteOptions {
  /** false: fail with EEXIST if the target appears meanwhile (it did not exist when checked). */
  overwrite: boolean;
}

/**
 * Writes `content` to `target` atomically: temp file beside it (same file system, so the rename is
 * atomic), fsync, rename, fsync of the folder. On any failure the temp file is removed and the
 * target is as it was.
 */
export function writeFileAtomic(target: string, content: string | Uint8Array | readonly string[], options: AtomicWriteOptions = { overwrite: true }): void {
  const dir = path.dirname(path.resolve(target));
  removeStaleTemps(dir, path.basename(target));
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o666);
    // Pieces are written in turn, so that a big report is never all in memory as UTF-8 at once.
    for (const piece of typeof content === 'string' || content instanceof Uint8Array ? [content] : content) {
      const data = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      let offset = 0;
      while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (options.overwrite) {
      fs.renameSync(temp, target);
    } else {
      // link() fails if the target exists: a file created since the check is never replaced.
      try {
        fs.linkSync(temp, target);
        fs.unlinkSync(temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // File systems without hard links (some network and FUSE mounts): check, then rename.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
        if (fs.existsSync(target)) throw Object.assign(new Error(`EEXIST: file already exists, '${target}'`), { code: 'EEXIST' });
        fs.renameSync(temp, target);
      }
    }
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(dir);
}

/**
 * Temp files of earlier writes to the same target whose process is gone (killed mid-write: it had
 * no chance to clean up). Only ours: `.<name>.<pid>.<12 hex>.tmp`, and only for a dead pid.
 */
function removeStaleTemps(dir: string, name: string): void {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(entry.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, entry), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes the rename itself durable; not possible on every platform (Windows), so best effort. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* best effort */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
