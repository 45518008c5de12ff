// `ai-use report [paths...] --format html|md|csv|json|sarif --out FILE`: the annotation report.
// An export, not a gate: exit 0 whatever the findings, 2 on a usage error or when the file cannot
// be written. Where the file goes (docs/report.md, "Where the report is written"):
// - --out FILE: there; `--out -` prints to stdout.
// - no --out: ai-use-report.<ext> in the current folder, scanned or not: the scan recognises our
//   own reports and never reads them as documents (project.ts isOurReportText).
// - the format: --format, else --out's extension, else html; a --format that --out's extension
//   contradicts (`--format md --out r.html`) is refused.
// - an existing file is replaced only if it is an earlier ai-use report, or with --force.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliUsageError, missingInputMessage, parseCommand } from './args.js';
import { scanProject, type ProjectResult } from '../core/project.js';
import { buildReport, builtinRuleCatalogue } from '../core/report/model.js';
import { REPORT_FORMATS, REPORT_FORMAT_INFO, renderReportChunks, resolveReportFormat, type ReportFormat } from '../core/report/index.js';
import { HELPER_MIN_ROWS } from '../core/report/html.js';
import { startCueSheetWorker } from '../core/report/cue-sheet-worker.js';
import { renderSarif } from '../core/report/sarif.js';
import { checkReportTarget, writeFileAtomic } from '../core/report/write.js';
import { VERSION } from '../core/package-info.js';
import { ignoredNote } from './format.js';

export interface ReportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const REPORT_HELP = `Usage: ai-use report [paths...] [options]

Write the annotation report: summary, GenAI cue sheet (one row per tag), findings with docs
links, and an AI attribution statement per document. Always exits 0 unless the command is wrong
or the file cannot be written (2).

Options:
  -f, --format <name>   html, md, csv, json, sarif, edl (DaVinci Resolve markers) or
                        avid-markers (Avid marker list) (default: the extension of --out,
                        else html)
  -o, --out <file>      Where to write it (default: ai-use-report.<ext> in the current
                        folder; earlier reports are never scanned as documents); "-" prints
                        it to stdout
  --force               Replace <file> even if it is not an earlier ai-use report
  --name <text>         Project name in the title (default: the scanned folder's name)
  -c, --config <file>   Use this config file for every document
  --no-ignore           Include files named on the command line even when the config's
                        include/exclude leaves them out (they are skipped, with a note)
  -h, --help            Show this help

Formats: html, md and json hold the whole report; sarif the findings. csv is the GenAI cue
sheet only: one record per tag, with the findings on that tag and their messages; findings that
are about no tag (untagged tool mentions, config problems) are not in it.

An existing file is replaced only when it is a report that ai-use wrote before (any format);
anything else is left alone unless you pass --force.
`;

const ReportUsageError = CliUsageError;


/** `ai-use check --format sarif`: the same SARIF log as `ai-use report --format sarif`. */
export function sarifForProject(project: ProjectResult, cwd: string, inputs: readonly string[] = []): string {
  return renderSarif(buildReport(project, { root: cwd, generatedAt: new Date(), toolVersion: VERSION, rules: builtinRuleCatalogue(), inputs }), { root: cwd });
}

/** Our own earlier reports among the inputs are skipped by the scan; say so, so no one wonders. */
export function skippedReportsNote(project: ProjectResult, cwd: string, command: string): string {
  const reports = project.reports ?? [];
  if (reports.length === 0) return '';
  const names = reports.map((r) => path.relative(cwd, r) || r).join(', ');
  return `${command}: skipped ${plural(reports.length, 'earlier report')} written by ai-use report (not documents): ${names}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function display(cwd: string, file: string): string {
  return path.relative(cwd, file) || '.';
}

export function runReport(args: string[], io: ReportIo): number {
  try {
    return report(args, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`ai-use report: ${(error as Error).message}\nRun "ai-use report --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

/** --format, else the extension of --out, else html; refused when the two disagree. */
function reportFormat(given: string | undefined, out: string | undefined): ReportFormat {
  const format = given === undefined ? undefined : resolveReportFormat(given);
  if (given !== undefined && !format) throw new ReportUsageError(`unknown format "${given}" (use ${REPORT_FORMATS.join(', ')})`);
  const extension = out && out !== '-' ? path.extname(out).slice(1) : '';
  const fromOut = extension ? resolveReportFormat(extension) : undefined;
  if (format && fromOut && format !== fromOut) {
    throw new ReportUsageError(`--format ${given} writes ${format}, but --out ${out} is a .${extension} file: change one of them`);
  }
  return format ?? fromOut ?? 'html';
}

function report(args: string[], io: ReportIo): number {
  const { values, positionals } = parseCommand(args, {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      force: { type: 'boolean', default: false },
      name: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'no-ignore': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(REPORT_HELP);
    return 0;
  }
  const format = reportFormat(values.format, values.out);

  let configPath: string | undefined;
  if (values.config !== undefined) {
    configPath = path.resolve(io.cwd, values.config);
    if (!fs.existsSync(configPath)) throw new ReportUsageError(`config file not found: ${values.config}`);
  }
  const inputs = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
  // Where the report goes, settled before the (possibly long) scan so a wrong --out fails fast.
  const toStdout = values.out === '-';
  let target: string | undefined;
  if (!toStdout) {
    const fileName = `ai-use-report.${REPORT_FORMAT_INFO[format].extension}`;
    if (values.out !== undefined) {
      if (values.out.trim() === '') throw new ReportUsageError('--out needs a file name');
      target = path.resolve(io.cwd, values.out);
    } else {
      target = path.join(io.cwd, fileName);
    }
    const check = checkReportTarget(target, { force: values.force });
    if (!check.ok) throw new ReportUsageError(`not writing ${display(io.cwd, target)}: ${check.reason}`);
  }

  let rowsWorker: ReturnType<typeof startCueSheetWorker>;
  // In a function of its own, so that the scan (every parsed document) can be freed once the
  // report's model is built, before the page is rendered.
  const scanAndBuild = () => {
    const project = scanProject(inputs, { configPath, noIgnore: values['no-ignore'] });
    // A cue sheet big enough to share: its second thread loads while the model is built.
    const uses = project.files.reduce((n, f) => n + (f.result?.doc.tags.length ?? 0), 0);
    if (format === 'html' && uses >= HELPER_MIN_ROWS) rowsWorker = startCueSheetWorker();
    if (project.missing.length) {
      throw new ReportUsageError(
        project.missing.map((m) => missingInputMessage(path.resolve(io.cwd, m), path.relative(io.cwd, m) || m)).join('\n'),
      );
    }
    for (const i of project.ignored ?? []) io.stderr(ignoredNote('ai-use report', i, io.cwd));
    for (const u of project.unreadable) io.stderr(`ai-use report: cannot read ${path.relative(io.cwd, u.path)}: ${u.reason}\n`);
    const skipped = skippedReportsNote(project, io.cwd, 'ai-use report');
    if (skipped) io.stderr(skipped);

    return buildReport(project, {
      root: io.cwd,
      generatedAt: new Date(),
      toolVersion: VERSION,
      projectName: values.name,
      rules: builtinRuleCatalogue(),
      inputs,
    });
  };
  let model: ReturnType<typeof scanAndBuild>;
  let content: string[];
  try {
    model = scanAndBuild();
    content = renderReportChunks(model, format, { root: io.cwd }, rowsWorker?.helper);
  } finally {
    rowsWorker?.close();
  }
  if (toStdout || target === undefined) {
    for (const piece of content) io.stdout(piece);
    return 0;
  }

  // Check again: the scan may have taken a while, and the file may have appeared meanwhile.
  const check = checkReportTarget(target, { force: values.force });
  if (!check.ok) throw new ReportUsageError(`not writing ${display(io.cwd, target)}: ${check.reason}`);
  try {
    writeFileAtomic(target, content, { overwrite: check.exists });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' ? 'a file appeared there while the report was being made' : (error as Error).message;
    io.stderr(`ai-use report: could not write ${display(io.cwd, target)}: ${reason}\n`);
    return 2;
  }
  const s = model.summary;
  const severity = s.findingsBySeverity;
  const replaced = check.exists ? (check.reason === 'previous-report' ? ' (replaced the earlier report)' : ' (replaced the existing file: --force)') : '';
  io.stdout(
    `Wrote ${display(io.cwd, target)}${replaced}: ${plural(s.documents, 'document')}, ${plural(s.uses, 'AI use')}, ` +
      `${plural(s.findings, 'finding')} (${plural(severity.error, 'error')}, ${plural(severity.warning, 'warning')}, ${severity.info} info, ${plural(severity.hint, 'hint')}).\n`,
  );
  return 0;
}
