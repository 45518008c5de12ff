// The command line ESLint and markdownlint-cli2 users expect, through the built bundle
// (dist/cli.cjs): --fix / --fix-dry-run, --stdin, quoted globs, -o, --quiet, --format github and
// junit, print-config, --help everywhere, did-you-mean, a closed pipe, unmatched patterns, and
// the docs-url config key.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SaxesParser } from 'saxes';
import { escapeGithubData, escapeGithubProperty } from '../../server/src/cli/ci-formats.js';
import { ROOT, TestClient, editsBackToFront } from '../lsp/lsp-client.js';

const cli = path.join(ROOT, 'dist/cli.cjs');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-flags-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function runCli(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let count = 0;
function project(files: Record<string, string | Buffer>): string {
  const dir = path.join(temp, `p${++count}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

// A misspelt stage value twice and a misspelt key: each has a safe did-you-mean fix.
const FIXABLE = `Title: Pilot
Genre: drama

INT. ROOM - DAY

[[ai: image.generated; tool: Midjourney 6.1; stage: finale; source-rigths: licensed]]

[[ai: text.ideation; tool: ChatGPT; stage: ideaton]]
`;
const FIXED = FIXABLE.replace('stage: finale; source-rigths', 'stage: final; source-rights').replace('ideaton', 'ideation');

const DOC_ERROR = `Title: Doc
Genre: documentary

INT. ROOM - DAY

A photo. [[ai: image.generated; tool: Midjourney 6.1; depicts: real-person; presented-as: archival; stage: final]]
`;

test('--fix writes the safe fixes atomically, keeps the BOM and mode, says what it changed, and reports what is left', () => {
  const dir = project({ 'a.fountain': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FIXABLE)]), 'clean.fountain': 'Title: X\n\nINT. A - DAY\n\nNothing.\n' });
  fs.chmodSync(path.join(dir, 'a.fountain'), 0o640);
  const before = runCli(['check', '.', '--format', 'json'], dir);
  assert.ok(JSON.parse(before.stdout).files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'core/unknown-key'));
  const run = runCli(['check', '.', '--fix', '--format', 'json'], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, 'ai-use: fixed a.fountain: 3 fixes (core/invalid-value, core/unknown-key)\n');
  const raw = fs.readFileSync(path.join(dir, 'a.fountain'));
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is kept');
  assert.equal(raw.subarray(3).toString('utf8'), FIXED);
  assert.equal(fs.statSync(path.join(dir, 'a.fountain')).mode & 0o777, 0o640, 'the mode is kept');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['a.fountain', 'clean.fountain'], 'no temp file left');
  const after = JSON.parse(run.stdout);
  assert.deepEqual(after.files[0].findings.map((f: { ruleId: string }) => f.ruleId), ['netflix/final-deliverable'], 'the output is of the fixed text');
  const again = runCli(['check', '.', '--fix'], dir);
  assert.match(again.stderr, /no safe fixes to apply/);
});

test('--fix applies exactly what source.fixAll.ai-use applies in the language server', async () => {
  const dir = project({ 'b.fountain': FIXABLE });
  const text = fs.readFileSync(path.join(dir, 'b.fountain'), 'utf8');
  const client = new TestClient();
  let serverText: string;
  try {
    await client.initialize(pathToFileURL(dir).href);
    const uri = pathToFileURL(path.join(dir, 'b.fountain')).href;
    await client.open(uri, 'fountain', text);
    await client.diagnosticsWhere(uri, (p) => p.diagnostics.length > 0, 15_000);
    const actions = await client.request<{ kind: string; edit: { documentChanges?: { edits: { range: never; newText: string }[] }[]; changes?: Record<string, { range: never; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.ai-use'] },
    });
    const fixAll = actions.find((a) => a.kind === 'source.fixAll.ai-use');
    assert.ok(fixAll, 'the server offers fix-all');
    const edits = fixAll.edit.documentChanges?.[0]?.edits ?? Object.values(fixAll.edit.changes ?? {})[0]!;
    const lines = text.split('\n');
    const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    serverText = text;
    for (const e of editsBackToFront(edits as { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[])) {
      serverText = serverText.slice(0, offset(e.range.start)) + e.newText + serverText.slice(offset(e.range.end));
    }
  } finally {
    await client.shutdown();
  }
  assert.notEqual(serverText, text);
  const run = runCli(['check', 'b.fountain', '--fix'], dir);
  assert.match(run.stderr, /fixed b\.fountain: 3 fixes/);
  assert.equal(fs.readFileSync(path.join(dir, 'b.fountain'), 'utf8'), serverText);
});

test('--fix-dry-run prints a unified diff and changes nothing; --fix leaves a file in another encoding alone', () => {
  const dir = project({ 'a.fountain': FIXABLE });
  const run = runCli(['check', 'a.fountain', '--fix-dry-run'], dir);
  assert.equal(fs.readFileSync(path.join(dir, 'a.fountain'), 'utf8'), FIXABLE, 'nothing written');
  assert.match(run.stdout, /^--- a\/a\.fountain\n\+\+\+ b\/a\.fountain\n@@ -3,6 \+3,6 @@\n \n INT\. ROOM - DAY\n \n-\[\[ai: image\.generated; tool: Midjourney 6\.1; stage: finale; source-rigths: licensed\]\]\n\+\[\[ai: image\.generated; tool: Midjourney 6\.1; stage: final; source-rights: licensed\]\]\n \n-\[\[ai: text\.ideation; tool: ChatGPT; stage: ideaton\]\]\n\+\[\[ai: text\.ideation; tool: ChatGPT; stage: ideation\]\]\n/m);
  assert.match(run.stderr, /3 fixes in 1 file would leave 0 errors and 1 warning/);
  assert.equal(runCli(['check', 'a.fountain', '--fix', '--fix-dry-run'], dir).code, 2);
  // Latin-1 bytes: read with U+FFFD, so writing the fixed text back would change other bytes.
  const latin1 = project({ 'l.fountain': Buffer.from(FIXABLE.replace('ROOM', 'CAF\xc9'), 'latin1') });
  const refused = runCli(['check', 'l.fountain', '--fix'], latin1);
  assert.match(refused.stderr, /not fixing l\.fountain: its bytes are not the UTF-8 text that was checked/);
  assert.deepEqual(fs.readFileSync(path.join(latin1, 'l.fountain')), Buffer.from(FIXABLE.replace('ROOM', 'CAF\xc9'), 'latin1'));
});

test('--stdin with --stdin-filename: the config and genre come from that path', () => {
  const dir = project({ 'docs/.ai-use.yaml': 'genre: documentary\n', 'fiction/.ai-use.yaml': 'genre: scripted\n' });
  const text = 'INT. ROOM - DAY\n\n[[ai: image.generated; tool: Midjourney 6.1; depicts: real-person; presented-as: archival; stage: final]]\n';
  const doc = runCli(['check', '--stdin', '--stdin-filename', 'docs/ep1.fountain', '--format', 'json'], dir, text);
  const docJson = JSON.parse(doc.stdout);
  assert.equal(docJson.files[0].path, 'docs/ep1.fountain');
  assert.equal(docJson.files[0].genre, 'documentary');
  assert.ok(docJson.files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'apa/synthetic-archival'));
  assert.equal(doc.code, 1);
  const fiction = JSON.parse(runCli(['check', '--stdin', '--stdin-filename', 'fiction/ep1.fountain', '--format', 'json'], dir, text).stdout);
  assert.equal(fiction.files[0].genre, 'scripted');
  assert.ok(!fiction.files[0].findings.some((f: { ruleId: string }) => f.ruleId.startsWith('apa/')));
  // The file name picks the format.
  const md = JSON.parse(runCli(['check', '--stdin', '--stdin-filename', 'docs/n.md', '--format', 'json'], dir, '# N\n\n<!-- ai: image.generated; tool: Midjourney -->\n').stdout);
  assert.equal(md.files[0].tags.length, 1);
  assert.match(runCli(['check', '--stdin', '--stdin-filename', 'x.docx'], dir, '').stderr, /not a Fountain or Markdown file name/);
  assert.match(runCli(['check', '--stdin', 'a.fountain'], dir, '').stderr, /--stdin reads standard input: give no paths/);
  assert.match(runCli(['check', '--stdin', '--fix'], dir, '').stderr, /use --fix-dry-run/);
  const diff = runCli(['check', '--stdin', '--stdin-filename', 'f.fountain', '--fix-dry-run'], dir, FIXABLE);
  assert.match(diff.stdout, /^\+\+\+ b\/f\.fountain/m);
});

test('quoted globs go through the include matcher; unmatched patterns and missing paths', () => {
  const dir = project({ 'episodes/s1/e1.fountain': DOC_ERROR, 'episodes/s1/notes.md': '# Notes\n', 'episodes/e0.fountain': DOC_ERROR, 'other/x.fountain': DOC_ERROR });
  const json = (args: string[]) => JSON.parse(runCli([...args, '--format', 'json'], dir).stdout).files.map((f: { path: string }) => f.path);
  assert.deepEqual(json(['check', 'episodes/**/*.fountain']), ['episodes/e0.fountain', 'episodes/s1/e1.fountain']);
  assert.deepEqual(json(['check', 'episodes/s1/*.md']), ['episodes/s1/notes.md']);
  assert.deepEqual(json(['check', 'other', 'episodes/*/e?.fountain']), ['other/x.fountain', 'episodes/s1/e1.fountain']);
  const none = runCli(['check', 'episodes/**/*.spmd'], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no Fountain or Markdown files match the pattern "episodes\/\*\*\/\*\.spmd"/);
  const missing = runCli(['check', 'nope.fountain'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file or folder: "nope\.fountain"/);
  fs.mkdirSync(path.join(dir, 'empty'));
  assert.match(runCli(['check', 'empty'], dir).stderr, /no Fountain or Markdown files found at "empty"/);
  const quiet = runCli(['check', 'empty', '--no-error-on-unmatched-pattern'], dir);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stdout, /No problems \(0 documents/);
});

test('-o writes the output to a file; --quiet reports errors only; exit codes as ESLint', () => {
  const dir = project({ 'a.fountain': DOC_ERROR, 'w.fountain': 'Title: W\nGenre: drama\n\nINT. A - DAY\n\n[[ai: image.generated; tool: Midjourney 6.1; stage: temp; stgae: temp]]\n' });
  const out = runCli(['check', '.', '-f', 'json', '-o', 'out/result.json'], dir);
  assert.equal(out.code, 1);
  assert.equal(out.stdout, '');
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'out/result.json'), 'utf8')).version, 1);
  const all = JSON.parse(runCli(['check', '.', '-f', 'json'], dir).stdout);
  const quiet = JSON.parse(runCli(['check', '.', '-f', 'json', '--quiet'], dir).stdout);
  const severities = (r: { files: { findings: { severity: string }[] }[] }) => new Set(r.files.flatMap((f) => f.findings.map((x) => x.severity)));
  assert.ok(severities(all).has('warning'));
  assert.deepEqual([...severities(quiet)], ['error']);
  assert.equal(runCli(['check', 'w.fountain', '--quiet'], dir).code, 0, 'warnings only: exit 0');
  assert.equal(runCli(['check', 'w.fountain', '--max-warnings', '0'], dir).code, 1);
  assert.equal(runCli(['check', '--bogus'], dir).code, 2);
});

test('--format github: one workflow command per finding, with GitHub\'s escaping', () => {
  assert.equal(escapeGithubData('100% done\r\nnext'), '100%25 done%0D%0Anext');
  assert.equal(escapeGithubProperty('a,b:c%\n'), 'a%2Cb%3Ac%25%0A');
  const dir = project({ 'ep 1,a:b.fountain': 'Title: T\nGenre: drama\n\nINT. A - DAY\n\n[[ai: image.100%gen; tool: X]]\n', 'a.fountain': DOC_ERROR });
  const run = runCli(['check', '.', '--format', 'github'], dir);
  assert.equal(run.code, 1);
  const lines = run.stdout.trimEnd().split('\n');
  assert.ok(lines.every((l) => /^::(error|warning|notice) file=[^,]+,line=\d+,endLine=\d+,col=\d+(,endColumn=\d+)?,title=[^,:]+::[^\n\r]+$/.test(l)), lines.join('\n'));
  const odd = lines.find((l) => l.includes('file=ep 1%2Ca%3Ab.fountain'));
  assert.ok(odd, 'the file name is escaped');
  assert.match(odd, /title=core\/unknown-kind \(ai-use\)::.*image\.100%25gen/);
  assert.ok(lines.some((l) => l.startsWith('::error file=a.fountain,line=6,')));
});

test('--format junit: well-formed JUnit XML, tag text escaped', () => {
  const dir = project({ 'a.fountain': DOC_ERROR.replace('presented-as: archival', 'presented-as: <b>&"x"\u0001'), 'clean.fountain': 'Title: X\n\nINT. A - DAY\n\nNothing.\n' });
  const run = runCli(['check', '.', '--format', 'junit'], dir);
  assert.equal(run.code, 1);
  const parser = new SaxesParser();
  const suites: { name: string; tests: number; cases: number }[] = [];
  const failures: string[] = [];
  parser.on('opentag', (tag) => {
    if (tag.name === 'testsuite') suites.push({ name: String(tag.attributes.name), tests: Number(tag.attributes.tests), cases: 0 });
    if (tag.name === 'testcase') suites.at(-1)!.cases++;
    if (tag.name === 'failure' || tag.name === 'error') failures.push(String(tag.attributes.message));
  });
  parser.on('error', (e) => assert.fail(`not well-formed: ${e.message}`));
  parser.write(run.stdout).close();
  assert.deepEqual(suites.map((s) => s.name), ['a.fountain', 'clean.fountain']);
  for (const s of suites) assert.equal(s.cases, s.tests);
  assert.equal(suites[1]!.cases, 1, 'a clean file is one passing test case');
  assert.ok(failures.length >= 3);
  assert.ok(failures.some((m) => m.includes('`<b>&"x"\ufffd` is not a valid `presented-as`')), `tag text round-trips through the escaping (a control character XML forbids becomes U+FFFD): ${failures.join('\n')}`);
});

test('print-config FILE: the config, genre and where it came from, packs and each rule\'s effective severity', () => {
  const dir = project({ '.ai-use.yaml': 'genre: documentary\nrules:\n  apa/cue-sheet-fields: error\n  netflix/data-terms: off\n', 'ep/a.fountain': 'Title: A\nGenre: True Crime\n\nINT. A - DAY\n', 'ep/b.md': '# B\n' });
  const a = JSON.parse(runCli(['print-config', 'ep/a.fountain'], dir).stdout);
  assert.equal(a.config, '.ai-use.yaml');
  assert.equal(a.genre, 'true-crime');
  assert.match(a.genreFrom, /the document's metadata \(genre: True Crime\)/);
  assert.deepEqual(a.guidelines, ['netflix', 'apa', 'eu-ai-act']);
  assert.equal(a.rules['apa/cue-sheet-fields'], 'error');
  assert.equal(a.rules['netflix/data-terms'], 'off');
  assert.equal(a.rules['core/unknown-kind'], 'warning');
  assert.equal(a.rules['wga/ai-source-material'], undefined, 'a pack that is not enabled is not listed');
  const b = JSON.parse(runCli(['print-config', 'ep/b.md'], dir).stdout);
  assert.equal(b.genre, 'documentary');
  assert.equal(b.genreFrom, '.ai-use.yaml (genre: documentary)');
  const none = JSON.parse(runCli(['print-config', 'new.fountain'], project({})).stdout);
  assert.equal(none.config, null);
  assert.equal(none.exists, false);
  assert.equal(none.genreFrom, 'the default');
  assert.equal(runCli(['print-config'], dir).code, 2);
});

test('--help on every command; did-you-mean for a mistyped option or command', () => {
  const dir = project({});
  for (const [command, expected] of [['check', /--fix-dry-run/], ['report', /--format <name>/], ['print-config', /effective severity/], ['rules', /List every built-in rule/], ['init', /starter \.ai-use\.yaml/]] as const) {
    const run = runCli([command, '--help'], dir);
    assert.equal(run.code, 0, command);
    assert.match(run.stdout, expected, command);
  }
  const typo = runCli(['check', '--fromat', 'json'], dir);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /ai-use check: unknown option "--fromat": did you mean "--format"\?\nRun "ai-use check --help" for usage\./);
  assert.match(runCli(['report', '--foce'], dir).stderr, /did you mean "--force"\?/);
  assert.match(runCli(['chek'], dir).stderr, /unknown command "chek": did you mean "check"\?/);
});

test('a closed pipe (| head -1) ends quietly, with no stack trace', () => {
  const dir = project(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`e${i}.fountain`, DOC_ERROR])));
  const run = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" check . --format line | head -1`], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.stdout.split('\n').filter(Boolean).length, 1);
  assert.equal(run.stderr, '', run.stderr);
});

test('docs-url in the config: the docs links point there; a bad one is an exact-place error', () => {
  const dir = project({ '.ai-use.yaml': 'genre: documentary\ndocs-url: https://docs.example.com/ai-use\n', 'a.fountain': DOC_ERROR });
  const json = JSON.parse(runCli(['check', '.', '-f', 'json'], dir).stdout);
  const docs = json.files.flatMap((f: { findings: { docs: string }[] }) => f.findings.map((x) => x.docs));
  assert.ok(docs.length > 0 && docs.every((d: string) => /^https:\/\/docs\.example\.com\/ai-use\/[a-z-]+\/[a-z-]+\.md$/.test(d)), docs.join('\n'));
  const bad = project({ '.ai-use.yaml': 'genre: documentary\ndocs-url: ftp://x\ndocs_url: https://a/\n', 'a.fountain': DOC_ERROR });
  const out = runCli(['check', '.', '-f', 'line'], bad).stdout;
  assert.match(out, /\.ai-use\.yaml:2:11: error core\/invalid-config `docs-url` must be an http or https address/);
  assert.match(out, /\.ai-use\.yaml:3:1: error core\/invalid-config Unknown key `docs_url`\. Did you mean `docs-url`\?/);
});
