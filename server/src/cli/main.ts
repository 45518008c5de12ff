// `ai-use`: the command line. Exit codes like ESLint's: 0 clean (or only warnings within
// --max-warnings), 1 when there is an error finding or too many warnings, 2 on a usage error.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { toCheckJson } from '../core/check-json.js';
import { starterConfig } from '../core/config.js';
import { GENRES, resolveGenre } from '../core/genres.js';
import { scanProject } from '../core/project.js';
import { loadBuiltinRules } from '../core/rules.js';
import { ruleDocsUrl } from '../core/docs-url.js';
import { countBySeverity, formatLine, formatStylish, ignoredNote } from './format.js';
import { VERSION } from '../core/package-info.js';
import { runReport, sarifForProject, skippedReportsNote } from './report-command.js';

const HELP = `ai-use ${VERSION}: check AI-use tags in Fountain screenplays and Markdown notes

Usage:
  ai-use check [paths...]     Lint files and folders (default: the current folder)
  ai-use report [paths...]    Write the annotation report (cue sheet, findings, attribution);
                              --format html|md|csv|json|sarif, --out FILE; see "ai-use report --help"
  ai-use rules                List the rules with their docs pages
  ai-use init [--genre G]     Write a starter .ai-use.yaml in the current folder

Options for check:
  -f, --format <name>         stylish (default), line, json or sarif (SARIF 2.1.0 on stdout)
  --max-warnings <n>          Exit 1 when there are more than n warnings
  -c, --config <file>         Use this config file for every document
  --no-ignore                 Check files named on the command line even when the config's
                              include/exclude leaves them out (they are skipped, with a note)
  --no-exit                   Exit 0 even when there are errors (for demos and reports)
  --color / --no-color        Force colours on or off (default: on for a terminal)
  -h, --help                  Show this help
  -v, --version               Show the version

Exit codes: 0 no errors; 1 errors found or too many warnings; 2 usage error.
`;

class UsageError extends Error {}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function run(argv: string[], io: Io): number {
  try {
    return dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`ai-use: ${(error as Error).message}\nRun "ai-use --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

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
    case 'rules':
      return listRules(rest, io);
    case 'init':
      return init(rest, io);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function check(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'stylish' },
      'max-warnings': { type: 'string' },
      config: { type: 'string', short: 'c' },
      'no-ignore': { type: 'boolean', default: false },
      'no-exit': { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const format = values.format!;
  if (!['stylish', 'line', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format "${format}" (use stylish, line, json or sarif)`);
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    if (!/^-?\d+$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings needs a whole number, got "${values['max-warnings']}"`);
    maxWarnings = Number(values['max-warnings']);
  }
  let configPath: string | undefined;
  if (values.config !== undefined) {
    configPath = path.resolve(io.cwd, values.config);
    if (!fs.existsSync(configPath)) throw new UsageError(`config file not found: ${values.config}`);
  }
  const inputs = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
  const project = scanProject(inputs, { configPath, noIgnore: values['no-ignore'] });
  if (project.missing.length) {
    throw new UsageError(
      project.missing.map((m) => `no Fountain or Markdown files found at "${path.relative(io.cwd, m) || m}"`).join('\n'),
    );
  }
  for (const i of project.ignored ?? []) io.stderr(ignoredNote('ai-use', i, io.cwd));
  for (const u of project.unreadable) io.stderr(`ai-use: cannot read ${path.relative(io.cwd, u.path)}: ${u.reason}\n`);
  const skipped = skippedReportsNote(project, io.cwd, 'ai-use');
  if (skipped) io.stderr(skipped);

  const colour = values['no-color'] ? false : values.color ? true : io.isTTY && !io.env.NO_COLOR;
  if (format === 'json') io.stdout(JSON.stringify(toCheckJson(project, io.cwd), null, 2) + '\n');
  else if (format === 'sarif') io.stdout(sarifForProject(project, io.cwd, inputs));
  else if (format === 'line') io.stdout(formatLine(project, io.cwd));
  else io.stdout(formatStylish(project, io.cwd, { enabled: colour }));

  const counts = countBySeverity(project);
  if (values['no-exit']) return project.unreadable.length ? 2 : 0;
  if (counts.error > 0) return 1;
  if (maxWarnings >= 0 && counts.warning > maxWarnings) {
    if (format === 'stylish') io.stderr(`ai-use found too many warnings (maximum: ${maxWarnings}).\n`);
    return 1;
  }
  return project.unreadable.length ? 2 : 0;
}

function listRules(args: string[], io: Io): number {
  const { values } = parseArgs({ args, options: { format: { type: 'string', short: 'f', default: 'text' } } });
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
  const { values } = parseArgs({ args, options: { genre: { type: 'string', short: 'g', default: 'scripted' }, force: { type: 'boolean', default: false } } });
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
