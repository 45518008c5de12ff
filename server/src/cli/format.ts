// Text output formats of `ai-use check`: `stylish` (ESLint's default look) and `line`
// (`path:line:col: severity rule message`, for editors' problem matchers and grep).

import * as path from 'node:path';
import type { ProjectResult } from '../core/project.js';
import type { Severity } from '../core/types.js';

export interface Colours {
  enabled: boolean;
}

const CODES = { red: 31, yellow: 33, blue: 34, grey: 90, bold: 1, underline: 4, green: 32 } as const;

function paint(colours: Colours, style: keyof typeof CODES, text: string): string {
  return colours.enabled ? `\u001b[${CODES[style]}m${text}\u001b[${style === 'bold' ? 22 : style === 'underline' ? 24 : 39}m` : text;
}

const SEVERITY_STYLE: Record<Severity, keyof typeof CODES> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'grey' };

/** Control characters in tag text must not drive the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/\n/g, ' ');
}

export function countBySeverity(project: ProjectResult): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of project.files) for (const f of file.findings) counts[f.severity]++;
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatStylish(project: ProjectResult, cwd: string, colours: Colours): string {
  const out: string[] = [];
  for (const file of project.files) {
    if (file.findings.length === 0) continue;
    out.push('', paint(colours, 'underline', path.relative(cwd, file.path) || file.path));
    const rows = file.findings.map((f) => [
      `${f.range.start.line + 1}:${f.range.start.character + 1}`,
      f.severity,
      printable(f.message),
      f.ruleId,
    ]);
    const posWidth = Math.max(...rows.map((r) => r[0].length));
    const sevWidth = Math.max(...rows.map((r) => r[1].length));
    for (const [pos, severity, message, rule] of rows) {
      out.push(
        `  ${paint(colours, 'grey', pos.padEnd(posWidth))}  ${paint(colours, SEVERITY_STYLE[severity as Severity], severity.padEnd(sevWidth))}  ${message}  ${paint(colours, 'grey', rule)}`,
      );
    }
  }
  const counts = countBySeverity(project);
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const documents = project.files.filter((f) => f.kind === 'document');
  const tags = documents.reduce((n, f) => n + (f.result?.doc.tags.length ?? 0), 0);
  const scanned = `${plural(documents.length, 'document')}, ${plural(tags, 'AI-use tag')}`;
  out.push('');
  if (total === 0) {
    out.push(paint(colours, 'green', `✔ No problems (${scanned})`));
  } else {
    const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
    if (counts.info) parts.push(`${counts.info} info`);
    if (counts.hint) parts.push(plural(counts.hint, 'hint'));
    const style = counts.error ? 'red' : counts.warning ? 'yellow' : 'blue';
    out.push(paint(colours, style, paint(colours, 'bold', `✖ ${plural(total, 'problem')} (${parts.join(', ')}) in ${scanned}`)));
  }
  return out.join('\n') + '\n';
}

export function formatLine(project: ProjectResult, cwd: string): string {
  const out: string[] = [];
  for (const file of project.files) {
    const name = path.relative(cwd, file.path) || file.path;
    for (const f of file.findings) {
      out.push(`${name}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.ruleId} ${printable(f.message)}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** The editor shows nothing for such a file, so the CLI says why it skips it (as ESLint's "File ignored"). */
export function ignoredNote(prefix: string, ignored: { path: string; config: string }, cwd: string): string {
  const shown = (p: string) => path.relative(cwd, p) || p;
  return `${prefix}: skipping ${shown(ignored.path)}: ${shown(ignored.config)} excludes it (include/exclude); use --no-ignore to check it anyway\n`;
}
