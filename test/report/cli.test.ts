// `ai-use report` and `ai-use check --format sarif` end to end: the built bundle (dist/cli.cjs,
// built by `npm run build` before the tests) on temporary projects and on examples/.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { fromHtml } from 'hast-util-from-html';
import { HOSTILE_FOUNTAIN, NOTES_MD, repo } from './helpers.js';
import { assertValid, validateReportJson, validateSarif } from './schema.js';

const cli = path.join(repo, 'dist/cli.cjs');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-report-cli-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

test('the CLI bundle is built', () => {
  assert.ok(fs.existsSync(cli), 'run `npm run build` first');
});

function runCli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let count = 0;
/** A fresh workspace: `project/` holds the documents, `out/` is somewhere else to write to. */
function workspace(): { root: string; project: string; out: string } {
  const root = path.join(temp, `ws${++count}`);
  const project = path.join(root, 'project');
  fs.mkdirSync(path.join(project, 'notes'), { recursive: true });
  fs.mkdirSync(path.join(root, 'out'));
  fs.writeFileSync(path.join(project, 'ep101.fountain'), HOSTILE_FOUNTAIN);
  fs.writeFileSync(path.join(project, 'notes', 'ep101.md'), NOTES_MD);
  return { root, project, out: path.join(root, 'out') };
}

const listing = (dir: string) => fs.readdirSync(dir).sort();

test('default: HTML to ai-use-report.html in the current folder, exit 0 despite error findings', () => {
  const ws = workspace();
  const { code, stdout, stderr } = runCli(['report', '../project'], ws.out);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^Wrote ai-use-report\.html: 2 documents, 4 AI uses, \d+ findings \(\d+ errors/);
  assert.deepEqual(listing(ws.out), ['ai-use-report.html']);
  const html = fs.readFileSync(path.join(ws.out, 'ai-use-report.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('AI use report: project'));
  assert.deepEqual(listing(ws.project), ['ep101.fountain', 'notes'], 'nothing written into the scanned folder');
  // `check` on the same project fails: report is an export, check is the gate.
  assert.equal(runCli(['check', '../project'], ws.out).code, 1);
});

test('every format with --out: the file a user would open, with the right content', () => {
  const ws = workspace();
  const outputs: Record<string, string> = {};
  for (const [format, file] of [['html', 'r.html'], ['md', 'r.md'], ['csv', 'r.csv'], ['json', 'r.json'], ['sarif', 'r.sarif']]) {
    const { code, stderr } = runCli(['report', 'project', '--format', format, '--out', `out/${file}`, '--name', 'Lantern Road'], ws.root);
    assert.equal(code, 0, `${format}: ${stderr}`);
    outputs[format] = fs.readFileSync(path.join(ws.out, file), 'utf8');
  }
  const html = fromHtml(outputs.html);
  assert.ok(JSON.stringify(html).includes('AI use report: Lantern Road'));
  assert.match(outputs.md, /^<!-- ai-use-lint report [\d.]+/);
  assert.match(outputs.md, /\n# AI use report: Lantern Road\n/);
  assert.match(outputs.md, /\n## GenAI cue sheet\n/);
  const rows: string[][] = parse(outputs.csv, { bom: true });
  assert.equal(rows.length, 5);
  assert.equal(rows[1][1], 'project/ep101.fountain', 'paths relative to the current folder');
  const json = JSON.parse(outputs.json);
  assertValid(validateReportJson, json);
  assert.equal(json.project, 'Lantern Road');
  assert.equal(json.cueSheet.length, 4);
  const sarif = JSON.parse(outputs.sarif);
  assertValid(validateSarif, sarif);
  assert.equal(sarif.runs[0].results.length, json.findings.length);
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'project/ep101.fountain');
});

test('--format markdown is md; --out - prints the report to stdout and writes nothing', () => {
  const ws = workspace();
  const { code, stdout } = runCli(['report', 'project', '--format', 'markdown', '--out', '-'], ws.root);
  assert.equal(code, 0);
  assert.match(stdout, /^<!-- ai-use-lint report/);
  assert.deepEqual(listing(ws.root), ['out', 'project']);
});

test('a bare `ai-use report` in the project root writes ai-use-report.html there; run again, it replaces its own report and never reads it', () => {
  const ws = workspace();
  const first = runCli(['report'], ws.project);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^Wrote ai-use-report\.html: 2 documents/);
  assert.deepEqual(listing(ws.project), ['ai-use-report.html', 'ep101.fountain', 'notes']);
  const again = runCli(['report'], ws.project);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /replaced the earlier report\): 2 documents/);
  // The format follows --out's extension.
  const md = runCli(['report', '--out', 'r.md'], ws.project);
  assert.equal(md.code, 0, md.stderr);
  assert.match(fs.readFileSync(path.join(ws.project, 'r.md'), 'utf8'), /^<!-- ai-use-lint report/);
  assert.match(runCli(['report', '-o', 'r.sarif'], ws.project).stdout, /^Wrote r\.sarif/);
  assert.equal(JSON.parse(fs.readFileSync(path.join(ws.project, 'r.sarif'), 'utf8')).version, '2.1.0');
  // A --format that the extension contradicts is refused, and nothing is written.
  const mismatch = runCli(['report', '--format', 'md', '--out', 'x.html'], ws.project);
  assert.equal(mismatch.code, 2);
  assert.match(mismatch.stderr, /--format md writes md, but --out x\.html is a \.html file: change one of them/);
  assert.ok(!fs.existsSync(path.join(ws.project, 'x.html')));
  // An extension that names no format leaves the choice to --format (default html).
  assert.equal(runCli(['report', '-f', 'csv', '-o', 'cue.txt'], ws.project).code, 0);
  assert.match(fs.readFileSync(path.join(ws.project, 'cue.txt'), 'utf8'), /^\uFEFFRow,File,Line/);
});

test('our own reports inside a scanned folder are never read as documents, in any format', () => {
  const copy = path.join(temp, `examples-copy-${++count}`);
  fs.cpSync(path.join(repo, 'examples'), copy, { recursive: true });
  const checkJson = () => {
    const run = runCli(['check', '.', '--format', 'json'], copy);
    return { run, data: JSON.parse(run.stdout) as { files: { path: string; findings: unknown[] }[] } };
  };
  const before = checkJson().data;
  const findingsBefore = before.files.reduce((n, f) => n + f.findings.length, 0);
  const wrote: string[] = [];
  for (let i = 0; i < 3; i++) {
    const run = runCli(['report', '.', '-f', 'md', '--out', 'r.md'], copy);
    assert.equal(run.code, 0, run.stderr);
    wrote.push(run.stdout);
    if (i > 0) assert.match(run.stderr, /skipped 1 earlier report written by ai-use report \(not documents\): r\.md/);
  }
  // Same documents and findings every time: the report did not count itself.
  const summaries = wrote.map((w) => w.replace(/ \(replaced the earlier report\)/, ''));
  assert.equal(new Set(summaries).size, 1, summaries.join(''));
  assert.match(summaries[0], new RegExp(`${before.files.length} documents, \\d+ AI uses, ${findingsBefore} findings`));
  // A report saved under a document's extension (an HTML report named .md, a JSON one) is skipped too.
  // (through stdout: --out refuses an extension that contradicts --format)
  fs.writeFileSync(path.join(copy, 'drama-pilot/notes/report.html.md'), runCli(['report', '.', '-f', 'html', '--out', '-'], copy).stdout);
  fs.writeFileSync(path.join(copy, 'true-crime-docuseries/report.json.md'), runCli(['report', '.', '-f', 'json', '--out', '-'], copy).stdout);
  const after = checkJson();
  assert.deepEqual(after.data.files.map((f) => f.path), before.files.map((f) => f.path), 'check lists the same documents');
  assert.equal(after.data.files.reduce((n, f) => n + f.findings.length, 0), findingsBefore);
  assert.match(after.run.stderr, /ai-use: skipped 3 earlier reports/);
  // A user's own Markdown that merely mentions the report is still a document.
  fs.writeFileSync(path.join(copy, 'about.md'), 'We keep <!-- ai-use-lint report --> outputs in r.md.\n');
  assert.ok(checkJson().data.files.some((f) => f.path === 'about.md'));
});

test('overwrite rule: an earlier report is replaced; any other file is refused (exit 2) unless --force', () => {
  const ws = workspace();
  const target = path.join(ws.out, 'report.md');
  assert.equal(runCli(['report', 'project', '-f', 'md', '-o', 'out/report.md'], ws.root).code, 0);
  const again = runCli(['report', 'project', '-f', 'md', '-o', 'out/report.md'], ws.root);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /replaced the earlier report/);

  const notes = path.join(ws.out, 'notes.md');
  fs.writeFileSync(notes, '# My own notes\n');
  const refused = runCli(['report', 'project', '-f', 'md', '-o', 'out/notes.md'], ws.root);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /not writing out\/notes\.md: it exists and is not a report written by ai-use \(use --force/);
  assert.equal(fs.readFileSync(notes, 'utf8'), '# My own notes\n', 'untouched');

  // An earlier report of another format is still ours: an HTML report can replace an old CSV one.
  assert.equal(runCli(['report', 'project', '-f', 'csv', '-o', 'out/cue.txt'], ws.root).code, 0);
  assert.equal(runCli(['report', 'project', '-f', 'html', '-o', 'out/cue.txt'], ws.root).code, 0);

  const forced = runCli(['report', 'project', '-f', 'md', '-o', 'out/notes.md', '--force'], ws.root);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /replaced the existing file: --force/);
  assert.match(fs.readFileSync(notes, 'utf8'), /^<!-- ai-use-lint report/);
  assert.ok(fs.existsSync(target));
  assert.deepEqual(listing(ws.out), ['cue.txt', 'notes.md', 'report.md'], 'no temp files left');

  assert.equal(runCli(['report', 'project', '-o', 'out', '--force'], ws.root).code, 2, 'a folder is never replaced');
});

test('usage errors exit 2: unknown format, missing path, missing --out folder', () => {
  const ws = workspace();
  const bad = runCli(['report', 'project', '--format', 'pdf', '-o', 'out/x'], ws.root);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown format "pdf" \(use html, md, csv, json, sarif, edl, avid-markers\)/);
  const missing = runCli(['report', 'nowhere', '-o', 'out/x.html'], ws.root);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file or folder: "nowhere"/);
  fs.mkdirSync(path.join(ws.root, 'empty'));
  assert.match(runCli(['report', 'empty', '-o', 'out/x.html'], ws.root).stderr, /no Fountain or Markdown files found at "empty"/);
  const noFolder = runCli(['report', 'project', '-o', 'no/such/dir/x.html'], ws.root);
  assert.equal(noFolder.code, 2);
  assert.match(noFolder.stderr, /does not exist/);
  assert.equal(runCli(['report', '--bogus'], ws.root).code, 2);
  assert.deepEqual(listing(ws.out), []);
  const help = runCli(['report', '--help'], ws.root);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--format <name>\s+html, md, csv, json, sarif, edl \(DaVinci Resolve markers\) or\s+avid-markers \(Avid marker list\) \(default: the extension of --out,\s+else html\)/);
  assert.match(help.stdout, /csv is the GenAI cue\s+sheet only: one record per tag, with the findings on that tag and their messages/);
  assert.match(runCli(['--help'], ws.root).stdout, /ai-use report \[paths\.\.\.\]/);
});

test('check --format sarif: a valid SARIF log on stdout, and check still gates (exit 1 on errors)', () => {
  const ws = workspace();
  const { code, stdout } = runCli(['check', '--format', 'sarif', 'project'], ws.root);
  assert.equal(code, 1);
  const log = JSON.parse(stdout);
  assertValid(validateSarif, log);
  assert.ok(log.runs[0].results.length > 0);
  assert.ok(log.runs[0].tool.driver.rules.every((r: { helpUri: string }) => /^https:\/\//.test(r.helpUri)));
  assert.deepEqual(listing(ws.root), ['out', 'project']);
});

test('SARIF from a git repository: paths relative to its root, the same from the root or a subfolder', () => {
  const ws = workspace();
  fs.mkdirSync(path.join(ws.root, '.git'));
  const fromRoot = runCli(['report', 'project', '-f', 'sarif', '-o', '-'], ws.root);
  const fromProject = runCli(['report', '.', '-f', 'sarif', '-o', '-'], ws.project);
  const fromCheck = runCli(['check', '--format', 'sarif'], path.join(ws.project, 'notes'));
  for (const run of [fromRoot, fromProject, fromCheck]) {
    const log = JSON.parse(run.stdout);
    assertValid(validateSarif, log);
    const base = log.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
    assert.equal(base, pathToFileURL(ws.root).href + '/');
    const uris = new Set(log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }) => {
      const a = r.locations[0].physicalLocation.artifactLocation;
      assert.equal(a.uriBaseId, '%SRCROOT%');
      assert.ok(fs.existsSync(fileURLToPath(new URL(a.uri, base))), a.uri);
      return a.uri;
    }));
    assert.ok(uris.has('project/notes/ep101.md'), [...uris].join(', '));
  }
  // Outside any repository %SRCROOT% is the current folder, as before.
  const plain = workspace();
  const log = JSON.parse(runCli(['report', '.', '-f', 'sarif', '-o', '-'], plain.project).stdout);
  assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(plain.project).href + '/');
  assert.ok(log.runs[0].results.some((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri === 'notes/ep101.md'));
});

test('examples/: every format from the example projects, with their tags and findings', () => {
  const examples = path.join(repo, 'examples');
  const ws = workspace();
  const json = runCli(['report', examples, '-f', 'json', '-o', '-'], ws.out);
  assert.equal(json.code, 0, json.stderr);
  const data = JSON.parse(json.stdout);
  assertValid(validateReportJson, data);
  assert.ok(data.summary.uses >= 10, 'the examples tag many uses');
  assert.ok(data.documents.some((d: { genre: string }) => d.genre === 'true-crime'));
  assert.ok(data.documents.some((d: { attribution: { statement: string | null } }) => /^AIA (PAI|HAb|Ph) /.test(d.attribution.statement ?? '')));
  assert.equal(new Set(data.cueSheet.map((r: { row: number }) => r.row)).size, data.cueSheet.length);
  for (const format of ['html', 'md', 'csv', 'sarif']) {
    const { code, stdout, stderr } = runCli(['report', examples, '-f', format, '-o', '-'], ws.out);
    assert.equal(code, 0, `${format}: ${stderr}`);
    if (format === 'sarif') {
      const log = JSON.parse(stdout);
      assertValid(validateSarif, log);
      assert.equal(log.runs[0].results.length, data.findings.length);
    }
    if (format === 'csv') assert.equal((parse(stdout, { bom: true }) as string[][]).length, 1 + data.cueSheet.length);
    if (format === 'md') assert.equal(stdout.split('\n').filter((l) => /^\| \d+ \| /.test(l)).length, data.cueSheet.length);
    if (format === 'html') assert.equal((stdout.match(/<tr id="use-\d+"/g) ?? []).length, data.cueSheet.length);
  }
  assert.deepEqual(listing(ws.out), [], 'stdout only');
});
