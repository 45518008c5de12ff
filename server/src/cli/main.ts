// `ai-use`: the command line. Exit codes like ESLint's: 0 clean (or only warnings within
// --max-warnings), 1 when there is an error finding or too many warnings, 2 on a usage error.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { toCheckJson } from '../core/check-json.js';
import { defaultConfig, isIncluded, resolveConfigForDocument, starterConfig, type ResolvedConfig } from '../core/config.js';
import { GENRES, resolveGenre } from '../core/genres.js';
import { formatForPath, lintText } from '../core/lint.js';
import { scanProject, type FileResult, type ProjectResult } from '../core/project.js';
import { loadBuiltinRules } from '../core/rules.js';
import { ruleDocsUrl } from '../core/docs-url.js';
import { writeFileAtomic } from '../core/report/write.js';
import { countBySeverity, formatLine, formatStylish, ignoredNote } from './format.js';
import { formatGithub, formatJunit } from './ci-formats.js';
import { fixDiff, fixDocument, writeFix, type FileFix } from './fix.js';
import { printConfig, PRINT_CONFIG_HELP } from './print-config.js';
import { VERSION } from '../core/package-info.js';
import { CliUsageError, missingInputMessage, parseCommand } from './args.js';
import { runReport, sarifForProject, skippedReportsNote } from './report-command.js';
const HELP = `ai-use ${VERSION}: check AI-use tags in Fountain screenplays and Markdown notes

Usage:
  ai-use check [paths or globs...]   Lint files and folders (default: the current folder)
  ai-use report [paths...]           Write the annotation report (see "ai-use report --help")
  ai-use print-config <file>         The config, genre, packs and rule severities for one file
  ai-use rules                       List the rules with their docs pages
  ai-use init [--genre G]            Write a starter .ai-use.yaml in the current folder

Run "ai-use <command> --help" for a command's options.
  -h, --help                  Show this help
  -v, --version               Show the version

Exit codes: 0 no errors; 1 errors found or too many warnings; 2 usage or config error.
`;

const CHECK_FORMATS = ['stylish', 'line', 'json', 'sarif', 'github', 'junit'] as const;

const CHECK_HELP = `Usage: ai-use check [paths or globs...] [options]

Lint Fountain screenplays and Markdown notes (default: the current folder). A quoted glob
('episodes/**/*.fountain') is matched like the config's include patterns.

Options:
  -f, --format <name>         stylish (default), line, json, sarif (SARIF 2.1.0), github
                              (GitHub Actions annotations) or junit (JUnit XML)
  -o, --output-file <file>    Write the output to <file> instead of stdout
  --quiet                     Report errors only (no warnings, info or hints)
  --max-warnings <n>          Exit 1 when there are more than n warnings
  --fix                       Apply the safe fixes (those of source.fixAll.ai-use in the
                              editor) to the files, then report what is left
  --fix-dry-run               Print the safe fixes as a unified diff; change nothing
  --stdin                     Lint the text on standard input
  --stdin-filename <path>     The path of that text: its format, config and genre come from it
  -c, --config <file>         Use this config file for every document
  --no-ignore                 Check files named on the command line even when the config's
                              include/exclude leaves them out (they are skipped, with a note)
  --no-error-on-unmatched-pattern
                              A path or glob that matches no document is not an error
  --no-exit                   Exit 0 even when there are errors (for demos and reports)
  --color / --no-color        Force colours on or off (default: on for a terminal)
  -h, --help                  Show this help

Exit codes: 0 no errors; 1 errors found or too many warnings; 2 usage or config error.
`;

const RULES_HELP = `Usage: ai-use rules [--format text|json]

List every built-in rule with its severity, title and docs page.
`;

const INIT_HELP = `Usage: ai-use init [--genre <genre>] [--force]

Write a starter .ai-use.yaml in the current folder for a genre (default: scripted; genres:
${GENRES.join(', ')}). An existing config is kept unless --force is given.
`;

const UsageError = CliUsageError;

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Standard input, read whole (for --stdin). */
  readStdin?: () => string;
}

export function run(argv: string[], io: Io): number {
  try {
    return dispatch(argv, io);
  } catch (error) {
    if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const command = COMMANDS.includes(argv[0] as (typeof COMMANDS)[number]) ? ` ${argv[0]}` : '';
      io.stderr(`ai-use${command}: ${(error as Error).message}\nRun "ai-use${command} --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

const COMMANDS = ['check', 'report', 'print-config', 'rules', 'init'] as const;

function dispatch(argv: string[], io: Io): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  switch (command) {
    case 'check':
      return check(rest, io);
    case 'report':
      return runReport(rest, io);
    case 'print-config':
      return printConfigCommand(rest, io);
    case 'rules':
      return listRules(rest, io);
    case 'init':
      return init(rest, io);
    default: {
      // `ai-use --fix` or `ai-use episodes/`: ESLint users type check's options without `check`.
      const better = command.startsWith('-') ? undefined : [...COMMANDS].find((c) => c.startsWith(command.slice(0, 3)) && command.length >= 3);
      throw new UsageError(`unknown command "${command}"${better ? `: did you mean "${better}"?` : ` (commands: ${COMMANDS.join(', ')})`}`);
    }
  }
}

/** A glob argument: special characters in it, and no file of that very name. */
function isGlob(arg: string, cwd: string): boolean {
  return /[*?[\]{}]/.test(arg) && !fs.existsSync(path.resolve(cwd, arg));
}

/**
 * The documents a glob argument names: the folder before its first special character walked as
 * a path argument would be (configs and their include/exclude apply), then kept when the rest of
 * the path matches the glob, through the matcher of the config's `include` (config.ts isIncluded).
 */
function expandGlob(glob: string, cwd: string, scan: (inputs: string[]) => ProjectResult): ProjectResult {
  const posix = glob.split(path.sep).join('/');
  const segments = posix.split('/');
  const firstGlob = segments.findIndex((s) => /[*?[\]{}]/.test(s));
  const base = segments.slice(0, firstGlob).join('/') || (posix.startsWith('/') ? '/' : '.');
  const pattern = segments.slice(firstGlob).join('/');
  const root = path.resolve(cwd, base);
  const matcher: ResolvedConfig = { ...defaultConfig(), include: [pattern], exclude: [] };
  if (!fs.existsSync(root)) return { files: [], missing: [glob], unreadable: [] };
  const project = scan([root]);
  const keep = (file: string) => isIncluded(path.relative(root, file).split(path.sep).join('/'), matcher);
  const files = project.files.filter((f) => f.kind === 'config' || keep(f.path));
  return { ...project, files, missing: files.some((f) => f.kind === 'document') ? [] : [glob] };
}

function mergeProjects(parts: ProjectResult[]): ProjectResult {
  const seen = new Set<string>();
  const files: FileResult[] = [];
  for (const part of parts) for (const f of part.files) if (!seen.has(`${f.kind}:${f.path}`)) (seen.add(`${f.kind}:${f.path}`), files.push(f));
  return {
    files,
    missing: parts.flatMap((p) => p.missing),
    ignored: parts.flatMap((p) => p.ignored ?? []),
    unreadable: parts.flatMap((p) => p.unreadable),
    reports: [...new Set(parts.flatMap((p) => p.reports ?? []))],
  };
}

function check(args: string[], io: Io): number {
  const { values, positionals } = parseCommand(args, {
    format: { type: 'string', short: 'f', default: 'stylish' },
    'output-file': { type: 'string', short: 'o' },
    quiet: { type: 'boolean', default: false },
    'max-warnings': { type: 'string' },
    fix: { type: 'boolean', default: false },
    'fix-dry-run': { type: 'boolean', default: false },
    stdin: { type: 'boolean', default: false },
    'stdin-filename': { type: 'string' },
    config: { type: 'string', short: 'c' },
    'no-ignore': { type: 'boolean', default: false },
    'no-error-on-unmatched-pattern': { type: 'boolean', default: false },
    'no-exit': { type: 'boolean', default: false },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  const format = values.format!;
  if (!(CHECK_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}" (use ${CHECK_FORMATS.join(', ')})`);
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    if (!/^-?\d+$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings needs a whole number, got "${values['max-warnings']}"`);
    maxWarnings = Number(values['max-warnings']);
  }
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run together: choose one');
  if (values['stdin-filename'] !== undefined && !values.stdin) throw new UsageError('--stdin-filename goes with --stdin');
  if (values.stdin && positionals.length) throw new UsageError('--stdin reads standard input: give no paths (use --stdin-filename to name it)');
  if (values.stdin && values.fix) throw new UsageError('--fix writes files, and standard input is not one: use --fix-dry-run to see the fixes');
  let configPath: string | undefined;
  if (values.config !== undefined) {
    configPath = path.resolve(io.cwd, values.config);
    if (!fs.existsSync(configPath)) throw new UsageError(`config file not found: ${values.config}`);
  }
  let outputFile: string | undefined;
  if (values['output-file'] !== undefined) {
    if (values['output-file'].trim() === '') throw new UsageError('--output-file needs a file name');
    outputFile = path.resolve(io.cwd, values['output-file']);
  }

  const scan = (inputs: string[]) => scanProject(inputs, { configPath, noIgnore: values['no-ignore'], displayRoot: io.cwd });
  let project: ProjectResult;
  let inputs: string[];
  if (values.stdin) {
    const name = path.resolve(io.cwd, values['stdin-filename'] ?? 'stdin.fountain');
    inputs = [name];
    project = lintStdin(name, io, configPath);
  } else {
    const args = positionals.length ? positionals : ['.'];
    inputs = args.map((p) => path.resolve(io.cwd, p));
    const plain = args.filter((a) => !isGlob(a, io.cwd));
    const globs = args.filter((a) => isGlob(a, io.cwd));
    project = mergeProjects([...(plain.length ? [scan(plain.map((p) => path.resolve(io.cwd, p)))] : []), ...globs.map((g) => expandGlob(g, io.cwd, scan))]);
  }
  if (project.missing.length && !values['no-error-on-unmatched-pattern']) {
    const say = (m: string) =>
      isGlob(m, io.cwd) ? `no Fountain or Markdown files match the pattern "${m}"` : missingInputMessage(path.resolve(io.cwd, m), path.relative(io.cwd, path.resolve(io.cwd, m)) || m);
    throw new UsageError(project.missing.map(say).join('\n'));
  }
  for (const i of project.ignored ?? []) io.stderr(ignoredNote('ai-use', i, io.cwd));
  for (const u of project.unreadable) io.stderr(`ai-use: cannot read ${path.relative(io.cwd, u.path)}: ${u.reason}\n`);
  const skipped = skippedReportsNote(project, io.cwd, 'ai-use');
  if (skipped) io.stderr(skipped);

  const shown = (file: string) => (path.relative(io.cwd, file) || file).split(path.sep).join('/');
  if (values.fix || values['fix-dry-run']) {
    const fixes = fixProject(project, configPath);
    if (values['fix-dry-run']) {
      // The diff is the output; what would be left is said on stderr.
      writeOutput(fixes.map((f) => fixDiff(f, shown(f.path))).join(''), outputFile, io);
      const left = fixes.length ? rescan(project, fixes, io, configPath) : project;
      const counts = countBySeverity(left);
      io.stderr(`ai-use: ${fixes.length ? `${plural(fixes.reduce((n, f) => n + f.applied.length, 0), 'fix')} in ${plural(fixes.length, 'file')} would leave` : 'no safe fixes;'} ${plural(counts.error, 'error')} and ${plural(counts.warning, 'warning')}\n`);
      return exitCode(left, values, maxWarnings, format, io);
    }
    const written: FileFix[] = [];
    for (const fix of fixes) {
      const notWritten = writeFix(fix);
      if (notWritten) io.stderr(`ai-use: not fixing ${shown(fix.path)}: ${notWritten}\n`);
      else written.push(fix);
    }
    for (const fix of written) {
      const rules = [...new Set(fix.applied.map((a) => a.ruleId))].join(', ');
      io.stderr(`ai-use: fixed ${shown(fix.path)}: ${plural(fix.applied.length, 'fix')} (${rules})\n`);
    }
    if (written.length === 0) io.stderr('ai-use: no safe fixes to apply\n');
    if (written.length) project = rescan(project, written, io, configPath);
  }

  if (values.quiet) project = { ...project, files: project.files.map((f) => ({ ...f, findings: f.findings.filter((x) => x.severity === 'error') })) };
  const colour = outputFile ? false : values['no-color'] ? false : values.color ? true : io.isTTY && !io.env.NO_COLOR;
  let output: string;
  if (format === 'json') output = JSON.stringify(toCheckJson(project, io.cwd), null, 2) + '\n';
  else if (format === 'sarif') output = sarifForProject(project, io.cwd, inputs);
  else if (format === 'line') output = formatLine(project, io.cwd);
  else if (format === 'github') output = formatGithub(project, io.cwd);
  else if (format === 'junit') output = formatJunit(project, io.cwd);
  else output = formatStylish(project, io.cwd, { enabled: colour });
  writeOutput(output, outputFile, io);
  return exitCode(project, values, maxWarnings, format, io);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('x') ? 'es' : 's'}`;
}

function exitCode(project: ProjectResult, values: { 'no-exit'?: boolean }, maxWarnings: number, format: string, io: Io): number {
  const counts = countBySeverity(project);
  if (values['no-exit']) return project.unreadable.length ? 2 : 0;
  if (counts.error > 0) return 1;
  if (maxWarnings >= 0 && counts.warning > maxWarnings) {
    if (format === 'stylish') io.stderr(`ai-use found too many warnings (maximum: ${maxWarnings}).\n`);
    return 1;
  }
  return project.unreadable.length ? 2 : 0;
}

/** stdout, or -o FILE written atomically (a half-written result file never stays behind). */
function writeOutput(text: string, outputFile: string | undefined, io: Io): void {
  if (outputFile === undefined) {
    io.stdout(text);
    return;
  }
  try {
    fs.mkdirSync(path.dirname(outputFile), { recursive: true });
    writeFileAtomic(outputFile, text, { overwrite: true });
  } catch (error) {
    throw new UsageError(`cannot write ${path.relative(io.cwd, outputFile) || outputFile}: ${(error as Error).message}`);
  }
}

/** The text on standard input, checked as the file `name` would be (its config, genre and format). */
function lintStdin(name: string, io: Io, configPath: string | undefined): ProjectResult {
  const format = formatForPath(name);
  if (!format) throw new UsageError(`--stdin-filename ${path.relative(io.cwd, name) || name}: not a Fountain or Markdown file name (.fountain, .spmd, .md)`);
  let text = (io.readStdin ?? (() => fs.readFileSync(0, 'utf8')))();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const config = resolveConfigForDocument(name, { configPath });
  const result = lintText(text, format, config);
  const files: FileResult[] = [{ path: name, kind: 'document', genre: result.genre, guidelines: result.guidelines, result, findings: result.findings }];
  if (config.path && config.findings.length) files.push({ path: config.path, kind: 'config', genre: result.genre, guidelines: result.guidelines, findings: config.findings });
  return { files, missing: [], unreadable: [] };
}

/** The safe fixes of every checked document (none for config files). */
function fixProject(project: ProjectResult, configPath: string | undefined): FileFix[] {
  const fixes: FileFix[] = [];
  for (const file of project.files) {
    if (file.kind !== 'document' || !file.result) continue;
    const fix = fixDocument(file, resolveConfigForDocument(file.path, { configPath }));
    if (fix) fixes.push(fix);
  }
  return fixes;
}

/** The project with the fixed files linted again (their texts as fixed, the others as they were). */
function rescan(project: ProjectResult, fixes: readonly FileFix[], io: Io, configPath: string | undefined): ProjectResult {
  const fixed = new Map(fixes.map((f) => [f.path, f.after]));
  const inputs = project.files.filter((f) => f.kind === 'document').map((f) => f.path);
  const again = scanProject(inputs, { configPath, noIgnore: true, displayRoot: io.cwd, readText: (file) => fixed.get(file) });
  return { ...again, ignored: project.ignored, unreadable: project.unreadable, reports: project.reports, missing: project.missing };
}

function printConfigCommand(args: string[], io: Io): number {
  const { values, positionals } = parseCommand(args, {
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(PRINT_CONFIG_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('print-config takes one file: ai-use print-config <file>');
  let configPath: string | undefined;
  if (values.config !== undefined) {
    configPath = path.resolve(io.cwd, values.config);
    if (!fs.existsSync(configPath)) throw new UsageError(`config file not found: ${values.config}`);
  }
  io.stdout(JSON.stringify(printConfig(path.resolve(io.cwd, positionals[0]!), io.cwd, configPath), null, 2) + '\n');
  return 0;
}

function listRules(args: string[], io: Io): number {
  const { values, positionals } = parseCommand(args, { format: { type: 'string', short: 'f', default: 'text' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(RULES_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`rules takes no arguments, got "${positionals[0]}"`);
  const rules = loadBuiltinRules();
  if (values.format === 'json') {
    io.stdout(JSON.stringify(rules.map((r) => ({ id: r.id, severity: r.severity, title: r.title, docs: ruleDocsUrl(r.id) })), null, 2) + '\n');
    return 0;
  }
  if (values.format !== 'text') throw new UsageError(`unknown format "${values.format}" (use text or json)`);
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  for (const rule of rules) io.stdout(`${rule.id.padEnd(idWidth)}  ${rule.severity.padEnd(7)}  ${rule.title}\n${''.padEnd(idWidth)}  ${ruleDocsUrl(rule.id)}\n`);
  return 0;
}

function init(args: string[], io: Io): number {
  const { values, positionals } = parseCommand(args, { genre: { type: 'string', short: 'g', default: 'scripted' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`init takes no arguments, got "${positionals[0]}" (use --genre)`);
  const genre = resolveGenre(values.genre!);
  if (!genre) throw new UsageError(`unknown genre "${values.genre}" (genres: ${GENRES.join(', ')})`);
  const target = path.join(io.cwd, '.ai-use.yaml');
  const existing = ['.ai-use.yaml', '.ai-use.yml', '.ai-use.json'].map((n) => path.join(io.cwd, n)).find((p) => fs.existsSync(p));
  if (existing && !values.force) {
    throw new UsageError(`${path.basename(existing)} already exists here; not overwriting it (use --force to replace .ai-use.yaml)`);
  }
  fs.writeFileSync(target, starterConfig(genre), { flag: values.force ? 'w' : 'wx' });
  io.stdout(`Wrote ${path.relative(io.cwd, target)} for genre ${genre}.\n`);
  return 0;
}
