// The CI integrations in the repository, run for real: the GitHub Action's composite steps
// (action.yml) with its declared inputs set as the runner sets them, and the pre-commit hooks
// (.pre-commit-hooks.yaml) through pre-commit itself on a throwaway git repository.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-ci-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

const DOC_ERROR = `Title: Doc
Genre: documentary

INT. ROOM - DAY

A photo. [[ai: image.generated; tool: Midjourney 6.1; depicts: real-person; presented-as: archival; stage: final]]
`;
const CLEAN = 'Title: Ideas\nGenre: drama\n\nINT. ROOM - DAY\n\n[[ai: text.ideation; tool: ChatGPT; stage: ideation]]\n';

let count = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(temp, `p${++count}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

interface Step { uses?: string; run?: string; shell?: string; env?: Record<string, string>; 'working-directory'?: string; with?: Record<string, unknown>; id?: string }
interface Action { inputs: Record<string, { default?: string; description: string }>; outputs: Record<string, { value: string }>; runs: { using: string; steps: Step[] } }
const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

/** `${{ inputs.x }}` and `${{ github.action_path }}` as the runner expands them. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input) return inputs[input[1]!] ?? '';
    if (expr === 'github.action_path') return ROOT;
    throw new Error(`unexpected expression in action.yml: ${expr}`);
  });
}

/** Runs the composite steps that have a shell script, as the runner does (bash -e, env from the step). */
function runAction(cwd: string, given: Record<string, string>) {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, i]) => [name, given[name] ?? i.default ?? '']));
  const outputFile = path.join(cwd, '.github-output');
  fs.writeFileSync(outputFile, '');
  let last = { status: 0 as number | null, stdout: '', stderr: '' };
  for (const step of action.runs.steps.filter((s) => s.run !== undefined)) {
    assert.equal(step.shell, 'bash');
    const env = { ...process.env, GITHUB_OUTPUT: outputFile, NO_COLOR: '1', ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), inputs)])) };
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run!, inputs)], {
      cwd: step['working-directory'] ? expand(step['working-directory'], inputs) : cwd,
      env,
      encoding: 'utf8',
    });
    last = { status: r.status, stdout: r.stdout, stderr: r.stderr };
    if (r.status !== 0) break;
  }
  const outputs = Object.fromEntries(fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { ...last, outputs };
}

test('action.yml validates against the published action schema; the workflow in docs/ci.md against the workflow schema', () => {
  assert.deepEqual(validateAction(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')).errors, []);
  // The validator is not a no-op: a composite action without steps is refused.
  assert.ok(validateAction('name: x\ndescription: y\nruns:\n  using: composite\n').errors.length > 0);
  const ci = fs.readFileSync(path.join(ROOT, 'docs/ci.md'), 'utf8');
  const workflow = /```yaml\n(# \.github\/workflows\/[\s\S]*?)```/.exec(ci)?.[1];
  assert.ok(workflow, 'docs/ci.md shows a workflow');
  assert.deepEqual(validateWorkflow(workflow).errors, []);
  assert.match(workflow, /uses: ai-use-lint\/ai-use-lint@main/);
});

test('action.yml: a composite action whose every declared input is used by a step', () => {
  assert.equal(action.runs.using, 'composite');
  const used = JSON.stringify(action.runs.steps) + JSON.stringify(action.outputs);
  for (const name of Object.keys(action.inputs)) {
    assert.ok(action.inputs[name]!.description, `${name} has a description`);
    assert.match(used, new RegExp(`\\$\\{\\{\\s*inputs\\.${name.replace(/-/g, '\\-')}\\s*\\}\\}`), `input ${name} is never used`);
  }
  for (const m of used.matchAll(/inputs\.([\w-]+)/g)) assert.ok(m[1]! in action.inputs, `a step uses undeclared input ${m[1]}`);
  // Inputs reach the scripts through the environment only, never pasted into the shell text.
  for (const step of action.runs.steps) assert.doesNotMatch(step.run ?? '', /\$\{\{/, 'no expression inside a run script');
});

test('the action\'s steps with its default inputs: annotations, a SARIF log, the step fails on an error', () => {
  const dir = project({ 'ep/a.fountain': DOC_ERROR, 'ep/b.fountain': CLEAN });
  const run = runAction(dir, {});
  assert.equal(run.status, 1, run.stderr);
  const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.ok(annotations.some((l) => /^::error file=ep\/a\.fountain,line=6,/.test(l)), run.stdout);
  assert.equal(run.outputs['sarif-file'], 'ai-use.sarif');
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'ai-use.sarif'), 'utf8'));
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.length >= 3);
  assert.ok(sarif.runs[0].tool.driver.rules.every((r: { helpUri: string }) => /^https:\/\//.test(r.helpUri)));
});

test('the action\'s inputs: paths, config, max-warnings, sarif-file, fail-on-error', () => {
  const dir = project({ 'ep/a.fountain': DOC_ERROR, 'clean/b.fountain': CLEAN, 'strict.yaml': 'genre: documentary\nrules:\n  apa/*: off\n' });
  const clean = runAction(dir, { paths: 'clean', 'sarif-file': '' });
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(clean.outputs['sarif-file'], '');
  assert.ok(!fs.existsSync(path.join(dir, 'ai-use.sarif')));
  const lenient = runAction(dir, { paths: 'ep clean', 'fail-on-error': 'false', 'sarif-file': 'out.sarif' });
  assert.equal(lenient.status, 0, lenient.stderr);
  assert.match(lenient.stdout, /^::error file=ep\/a\.fountain/m);
  assert.ok(fs.existsSync(path.join(dir, 'out.sarif')));
  const warned = project({ 'w.fountain': 'Title: W\nGenre: drama\n\nINT. A - DAY\n\n[[ai: image.generated; tool: Midjourney 6.1; stage: temp; sorce: x]]\n' });
  assert.equal(runAction(warned, {}).status, 0, 'warnings pass by default');
  assert.equal(runAction(warned, { 'max-warnings': '0' }).status, 1, 'max-warnings 0 fails on a warning');
  // config: a config file for every document (this one turns the APA pack's rules off).
  const configured = runAction(dir, { paths: 'ep', config: 'strict.yaml', 'sarif-file': '' });
  assert.doesNotMatch(configured.stdout, /apa\//);
  assert.match(configured.stdout, /netflix\/final-deliverable/);
  assert.match(runAction(dir, { config: 'missing.yaml', 'sarif-file': '' }).stderr, /config file not found: missing\.yaml/);
});

test('pre-commit runs the hooks of .pre-commit-hooks.yaml on a throwaway git repository', { skip: spawnSync('pre-commit', ['--version']).status !== 0 && 'pre-commit is not installed (.ci/run installs it)' }, () => {
  const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string; require_serial?: boolean; name: string }[];
  assert.deepEqual(hooks.map((h) => h.id), ['ai-use-check', 'ai-use-fix']);
  const manifest = spawnSync('pre-commit', ['validate-manifest', path.join(ROOT, '.pre-commit-hooks.yaml')], { encoding: 'utf8', env: { ...process.env, PRE_COMMIT_HOME: path.join(temp, 'pre-commit-home') } });
  assert.equal(manifest.status, 0, manifest.stdout + manifest.stderr);
  // The manifest's hooks as a `repo: local` config: same entry, files and options, with the built
  // CLI for the `ai-use` bin and language system. (language node would make pre-commit
  // `npm install` this repository, which needs the npm registry for the build's dependencies.)
  const cli = `node ${JSON.stringify(path.join(ROOT, 'dist/cli.cjs'))}`;
  const local = (ids: string[]) => ({
    repos: [{ repo: 'local', hooks: hooks.filter((h) => ids.includes(h.id)).map((h) => ({ ...h, language: 'system', entry: h.entry.replace(/^ai-use\b/, cli) })) }],
  });
  const repo = project({ 'ep/a.fountain': DOC_ERROR, 'notes/n.md': '# Notes\n\nNothing AI here.\n', 'script.py': 'print(1)\n' });
  const env = { ...process.env, PRE_COMMIT_HOME: path.join(temp, 'pre-commit-home'), NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1', HOME: temp };
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, env, encoding: 'utf8' });
  assert.equal(git('init', '-q').status, 0);
  fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), stringifyYaml(local(['ai-use-check'])));
  git('add', '.');
  const preCommit = (...args: string[]) => spawnSync('pre-commit', args, { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
  const failed = preCommit('run', '--all-files', '--color', 'never');
  assert.equal(failed.status, 1, failed.stdout + failed.stderr);
  assert.match(failed.stdout, /AI-Use Lint\.+Failed/);
  assert.match(failed.stdout, /^ep\/a\.fountain\n/m);
  assert.match(failed.stdout, /^ {2}6:\d+ +error +.*apa\/synthetic-archival$/m);
  // A commit with only clean documents passes.
  fs.writeFileSync(path.join(repo, 'ep/a.fountain'), CLEAN);
  git('add', '.');
  const passed = preCommit('run', '--all-files', '--color', 'never');
  assert.equal(passed.status, 0, passed.stdout + passed.stderr);
  assert.match(passed.stdout, /AI-Use Lint\.+Passed/);
  // The fix hook applies the safe fixes; pre-commit reports the changed file.
  fs.writeFileSync(path.join(repo, 'ep/a.fountain'), CLEAN.replace('stage: ideation', 'stage: ideaton'));
  fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), stringifyYaml(local(['ai-use-fix'])));
  git('add', '.');
  const fixed = preCommit('run', '--all-files', '--color', 'never');
  assert.equal(fixed.status, 1, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /AI-Use Lint \(fix\)\.+Failed[\s\S]*files were modified by this hook/);
  assert.equal(fs.readFileSync(path.join(repo, 'ep/a.fountain'), 'utf8'), CLEAN);
});
