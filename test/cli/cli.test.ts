// The CLI end to end: the built bundle (dist/cli.cjs, as `npm start` and the `ai-use` bin run it)
// on temporary projects and on examples/.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/cli.cjs');
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-cli-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function runCli(args: string[], cwd = temp, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(temp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const BROKEN_DOC = `Title: The Pan Case
Genre: true-crime

INT. LIVING ROOM - NIGHT

A photo of the family on the mantel. [[ai: image.generated; tool: Midjourney 6.1; depicts: real-person; subject: Mara Quinn; realism: photoreal; presented-as: archival; stage: final; disclosure: none]]
`;

const CLEAN_DOC = `Title: Ideas
Genre: drama

INT. WRITERS ROOM - DAY

[[ai: text.ideation; tool: ChatGPT; stage: ideation]]

The writers argue.
`;

test('json output: the version 1 contract, 1-based positions, every file listed', () => {
  const dir = project('json', { 'a/broken.fountain': BROKEN_DOC, 'b/clean.fountain': CLEAN_DOC });
  const { code, stdout } = runCli(['check', '--format', 'json', '.'], dir);
  assert.equal(code, 1, 'an error finding exits 1');
  const out = JSON.parse(stdout);
  assert.equal(out.version, 1);
  assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['a/broken.fountain', 'b/clean.fountain']);
  const [broken, clean] = out.files;
  assert.equal(broken.genre, 'true-crime');
  assert.deepEqual(broken.guidelines, ['netflix', 'apa', 'eu-ai-act']);
  assert.equal(broken.tags.length, 1);
  const tag = broken.tags[0];
  assert.equal(tag.kind, 'image.generated');
  assert.equal(tag.line, 6);
  assert.equal(tag.column, 'A photo of the family on the mantel. '.length + 1);
  assert.equal(tag.fields.tool, 'Midjourney 6.1');
  assert.equal(tag.scene, 'INT. LIVING ROOM - NIGHT');
  const rules = broken.findings.map((f: { ruleId: string }) => f.ruleId);
  assert.ok(rules.includes('apa/synthetic-archival'), rules.join(', '));
  const archival = broken.findings.find((f: { ruleId: string }) => f.ruleId === 'apa/synthetic-archival');
  assert.equal(archival.severity, 'error');
  assert.equal(archival.line, 6);
  // The finding underlines the offending value: `archival` of presented-as.
  const lineText = BROKEN_DOC.split('\n')[5];
  assert.equal(lineText.slice(archival.column - 1, archival.endColumn - 1), 'archival');
  assert.match(archival.docs, /docs\/rules\/apa\/synthetic-archival\.md$/);
  for (const key of ['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'docs']) assert.ok(key in archival, key);
  assert.equal(clean.genre, 'scripted');
  assert.deepEqual(clean.findings, []);
  assert.equal(clean.tags.length, 1);
});

test('exit 0 when there is no error finding; --max-warnings turns warnings into a failure', () => {
  const warnOnly = `Title: Pilot

INT. OFFICE - DAY

[[ai: image.generated; tool: Firefly; element: background; stage: temp; disclosure: credits; data: enterprise]]

The office hums. [[ai: image.conept; stage: ideation]]
`;
  const dir = project('warn', { 'pilot.fountain': warnOnly });
  const plain = runCli(['check', '--format', 'json'], dir);
  const findings = JSON.parse(plain.stdout).files[0].findings;
  assert.ok(findings.length > 0 && findings.every((f: { severity: string }) => f.severity !== 'error'), JSON.stringify(findings));
  assert.equal(plain.code, 0);
  const warnings = findings.filter((f: { severity: string }) => f.severity === 'warning').length;
  assert.equal(runCli(['check', '--max-warnings', String(warnings)], dir).code, 0);
  const over = runCli(['check', '--max-warnings', String(warnings - 1)], dir);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /too many warnings/);
});

test('stylish output: file heading, line:col, severity, message, rule id, and a summary', () => {
  const dir = project('stylish', { 'ep.fountain': BROKEN_DOC });
  const { code, stdout } = runCli(['check'], dir);
  assert.equal(code, 1);
  assert.match(stdout, /^ep\.fountain$/m);
  assert.match(stdout, /^\s+6:\d+\s+error\s+.+apa\/synthetic-archival$/m);
  assert.match(stdout, /✖ \d+ problems \(\d+ errors?, \d+ warnings?.*\) in 1 document, 1 AI-use tag/);
  assert.doesNotMatch(stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  const coloured = runCli(['check', '--color'], dir);
  assert.match(coloured.stdout, /\u001b\[31merror/);
});

test('line output: path:line:col: severity rule message', () => {
  const dir = project('line', { 'ep.fountain': BROKEN_DOC });
  const { stdout } = runCli(['check', '--format', 'line'], dir);
  const lines = stdout.trim().split('\n');
  assert.ok(lines.length > 1);
  for (const line of lines) assert.match(line, /^ep\.fountain:\d+:\d+: (error|warning|info|hint) [a-z-]+\/[a-z-]+ \S/);
});

test('usage errors exit 2 with a message', () => {
  assert.equal(runCli(['check', '--format', 'xml']).code, 2);
  assert.equal(runCli(['frobnicate']).code, 2);
  assert.equal(runCli(['check', '--max-warnings', 'many']).code, 2);
  const missing = runCli(['check', 'no-such-folder']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such-folder/);
  assert.equal(runCli(['check', '--bogus-flag']).code, 2);
});

test('include/exclude from the config decide what a folder walk reads', () => {
  const dir = project('globs', {
    '.ai-use.yaml': 'genre: documentary\nexclude: ["drafts/**"]\n',
    'ep.fountain': CLEAN_DOC,
    'drafts/old.fountain': BROKEN_DOC,
    'notes/edit.md': '# Notes\n\n<!-- ai: audio.enhanced; tool: iZotope RX -->\n',
    'readme.txt': 'not ours',
  });
  const out = JSON.parse(runCli(['check', '--format', 'json'], dir).stdout);
  assert.deepEqual(out.files.map((f: { path: string }) => f.path), ['ep.fountain', 'notes/edit.md']);
  assert.equal(out.files[1].genre, 'documentary');
});

test('a broken config file is listed with its findings at their place; the defaults apply', () => {
  const dir = project('badconfig', {
    '.ai-use.yaml': 'genre: documentry\nrules:\n  netflix/no-such-rule: error\n',
    'ep.fountain': CLEAN_DOC,
  });
  const out = JSON.parse(runCli(['check', '--format', 'json'], dir).stdout);
  const config = out.files.find((f: { path: string }) => f.path === '.ai-use.yaml');
  assert.ok(config, JSON.stringify(out.files.map((f: { path: string }) => f.path)));
  const genre = config.findings.find((f: { ruleId: string }) => f.ruleId === 'core/unknown-genre');
  assert.deepEqual([genre.line, genre.column], [1, 8]);
  assert.match(genre.message, /documentary/);
  const rule = config.findings.find((f: { ruleId: string }) => f.ruleId === 'core/unknown-rule');
  assert.deepEqual([rule.line, rule.column], [3, 3]);
  // With no guidelines key, the entry shows the packs its documents get: the default genre's.
  assert.equal(config.genre, 'scripted');
  assert.deepEqual(config.guidelines, ['netflix', 'sag-aftra', 'wga']);
  // The document itself is still checked, with the default genre and packs.
  const doc = out.files.find((f: { path: string }) => f.path === 'ep.fountain');
  assert.equal(doc.tags.length, 1);
});

test('an id reused across files follows the rules: severity of the config that governs the reusing file', () => {
  const tagged = (id: string) => `Title: X\nGenre: drama\n\nINT. ROOM - DAY\n\n[[ai: text.ideation; tool: ChatGPT; stage: ideation; id: ${id}]]\n`;
  const dir = project('dup-ids', {
    '.ai-use.yaml': 'rules:\n  core/duplicate-id: warning\n',
    'a.fountain': tagged('SH-1'),
    'b.fountain': tagged('SH-1'),
    'quiet/.ai-use.yaml': 'rules:\n  core/duplicate-id: off\n',
    'quiet/c.fountain': tagged('SH-1'),
  });
  const { code, stdout } = runCli(['check', '--format', 'json', '.'], dir);
  const out = JSON.parse(stdout);
  const dups = (file: string) =>
    out.files.find((f: { path: string }) => f.path === file).findings.filter((f: { ruleId: string }) => f.ruleId === 'core/duplicate-id').map((f: { severity: string }) => f.severity);
  assert.deepEqual(dups('a.fountain'), []);
  assert.deepEqual(dups('b.fountain'), ['warning'], 'the root config makes it a warning');
  assert.deepEqual(dups('quiet/c.fountain'), [], 'the folder\'s own config turns it off');
  assert.equal(code, 0, 'a warning does not fail the run');
  // Without a config it is an error again, so the run fails.
  const plain = project('dup-ids-default', { 'a.fountain': tagged('SH-2'), 'b.fountain': tagged('SH-2') });
  assert.equal(runCli(['check', '.'], plain).code, 1);
});

test('symlinks: linked files and folders are checked once, loops end, a dangling link is reported as unreadable', () => {
  const tagged = (id: string) => `Title: X\nGenre: drama\n\nINT. ROOM - DAY\n\n[[ai: text.ideation; tool: ChatGPT; stage: ideation; id: ${id}]]\n`;
  const shared = project('links-shared', { 'common.fountain': tagged('C-1'), 'deeper/more.md': '# More\n\n<!-- ai: text.ideation; id: M-1 -->\n' });
  const dir = project('links', { 'own.fountain': tagged('O-1'), 'real.fountain': tagged('R-1') });
  fs.symlinkSync(path.join(shared, 'common.fountain'), path.join(dir, 'linked.fountain'));
  fs.symlinkSync(shared, path.join(dir, 'shared'), 'dir');
  fs.symlinkSync(dir, path.join(dir, 'loop'), 'dir'); // back to itself
  fs.symlinkSync(path.join(dir, 'real.fountain'), path.join(dir, 'alias.fountain')); // a second path to a file in the walk
  const json = runCli(['check', '--format', 'json', '.'], dir);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  const paths = out.files.map((f: { path: string }) => f.path);
  // shared/common.fountain and linked.fountain are one file; real.fountain is kept over its alias.
  assert.deepEqual(paths, ['linked.fountain', 'own.fountain', 'real.fountain', 'shared/deeper/more.md']);
  assert.deepEqual(out.files.flatMap((f: { findings: { ruleId: string }[] }) => f.findings.map((x) => x.ruleId)), [], 'a file seen twice is not a duplicate id');

  fs.symlinkSync(path.join(dir, 'gone.fountain'), path.join(dir, 'dangling.fountain'));
  const broken = runCli(['check', '.'], dir);
  assert.match(broken.stderr, /cannot read dangling\.fountain/);
  assert.equal(broken.code, 2, 'an unreadable file fails the run, as for any other unreadable file');
});

test('overlapping inputs: a folder inside another folder given is not "empty"', () => {
  const dir = project('overlap', { 'sub/a.fountain': CLEAN_DOC });
  const { code, stdout, stderr } = runCli(['check', '--format', 'json', '.', 'sub'], dir);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout).files.map((f: { path: string }) => f.path), ['sub/a.fountain']);
});

test('a named file the config excludes is skipped with a note, as the editor skips it; --no-ignore checks it', () => {
  const dir = project('named-excluded', {
    '.ai-use.yaml': 'genre: documentary\nexclude: ["drafts/**"]\n',
    'drafts/old.fountain': BROKEN_DOC,
    'ep.fountain': CLEAN_DOC,
  });
  const skipped = runCli(['check', '--format', 'json', 'drafts/old.fountain', 'ep.fountain'], dir);
  assert.equal(skipped.code, 0, 'the broken draft is not checked, so no error');
  assert.match(skipped.stderr, /skipping drafts\/old\.fountain: \.ai-use\.yaml excludes it .*--no-ignore/);
  assert.deepEqual(JSON.parse(skipped.stdout).files.map((f: { path: string }) => f.path), ['ep.fountain']);
  const forced = runCli(['check', '--format', 'json', '--no-ignore', 'drafts/old.fountain'], dir);
  assert.equal(forced.code, 1);
  assert.equal(forced.stderr, '');
  assert.deepEqual(JSON.parse(forced.stdout).files.map((f: { path: string }) => f.path), ['drafts/old.fountain']);
  // The report skips it the same way.
  const report = runCli(['report', '--format', 'json', '--out', '-', 'drafts/old.fountain', 'ep.fountain'], dir);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stderr, /skipping drafts\/old\.fountain/);
  assert.ok(!report.stdout.includes('old.fountain'));
});

test('the config is found above the folder being checked, all the way up', () => {
  const dir = project('walk-up', { '.ai-use.yaml': 'genre: documentary\n', 'season/one/ep.fountain': CLEAN_DOC.replace('Genre: drama\n', '') });
  const out = JSON.parse(runCli(['check', '--format', 'json', '.'], path.join(dir, 'season/one')).stdout);
  assert.equal(out.files[0].genre, 'documentary');
});

test('a config entry in the JSON shows the genre default packs its documents are checked with', () => {
  const dir = project('config-packs', { '.ai-use.yaml': 'genre: documentary\nrules:\n  apa/no-such-rule: error\n', 'ep.fountain': CLEAN_DOC.replace('Genre: drama\n', '') });
  const out = JSON.parse(runCli(['check', '--format', 'json'], dir).stdout);
  const [config, doc] = ['.ai-use.yaml', 'ep.fountain'].map((p) => out.files.find((f: { path: string }) => f.path === p));
  assert.deepEqual(config.guidelines, ['netflix', 'apa', 'eu-ai-act']);
  assert.deepEqual(config.guidelines, doc.guidelines);
  assert.equal(config.genre, 'documentary');
});

test('explicit files are read whatever the globs; BOM and CRLF give editor columns', () => {
  const crlf = '\uFEFFTitle: X\r\n\r\nINT. ROOM - DAY\r\n\r\nA 🎬 shot. [[ai: image.generated; stage: final; element: key-visual]]\r\n';
  const dir = project('bom', { 'x.fountain': crlf });
  const out = JSON.parse(runCli(['check', '--format', 'json', 'x.fountain'], dir).stdout);
  const tag = out.files[0].tags[0];
  // "A 🎬 shot. " is 11 UTF-16 units (the emoji is 2); the BOM is not a column.
  assert.deepEqual([tag.line, tag.column], [5, 12]);
  const keyCreative = out.files[0].findings.find((f: { ruleId: string }) => f.ruleId === 'netflix/key-creative');
  const line = crlf.slice(1).split('\r\n')[4];
  assert.equal(line.slice(keyCreative.column - 1, keyCreative.endColumn - 1), 'key-visual');
});

test('ai-use rules lists every rule with its docs page; init writes a config once', () => {
  const rules = runCli(['rules', '--format', 'json']);
  assert.equal(rules.code, 0);
  const list = JSON.parse(rules.stdout);
  assert.ok(list.some((r: { id: string }) => r.id === 'apa/synthetic-archival'));
  for (const r of list) assert.ok(fs.existsSync(path.join(repo, 'docs/rules', `${r.id}.md`)), `docs page for ${r.id}`);
  const dir = project('init', {});
  assert.equal(runCli(['init', '--genre', 'True Crime'], dir).code, 0);
  assert.match(fs.readFileSync(path.join(dir, '.ai-use.yaml'), 'utf8'), /genre: true-crime/);
  const again = runCli(['init'], dir);
  assert.equal(again.code, 2, 'never overwrites without --force');
  assert.match(fs.readFileSync(path.join(dir, '.ai-use.yaml'), 'utf8'), /genre: true-crime/);
});

test('examples/: checked as npm start does; every file listed; both projects have errors and clean tags', () => {
  const { code, stdout } = runCli(['check', '--format', 'json', 'examples'], repo);
  assert.equal(code, 1);
  const out = JSON.parse(stdout);
  const paths: string[] = out.files.map((f: { path: string }) => f.path);
  assert.ok(paths.some((p) => p.endsWith('.fountain')) && paths.some((p) => p.endsWith('.md')));
  const docs = out.files.filter((f: { path: string }) => !f.path.endsWith('.ai-use.yaml'));
  const genres = new Set(docs.map((f: { genre: string }) => f.genre));
  assert.ok(genres.has('true-crime') && genres.has('scripted'), [...genres].join());
  const tags = docs.flatMap((f: { tags: unknown[] }) => f.tags);
  assert.ok(tags.length >= 20, `${tags.length} tags`);
  const ruleIds = new Set(docs.flatMap((f: { findings: { ruleId: string }[] }) => f.findings.map((x) => x.ruleId)));
  assert.ok(ruleIds.size >= 15, [...ruleIds].join(', '));
  const human = runCli(['check', 'examples', '--no-exit'], repo);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /examples\/true-crime-docuseries\/ep101-narration\.fountain/);
});

test('a Markdown file too complex to parse in the time budget is reported as not checked, and the rest is checked', () => {
  const dir = project('budget', {
    'big.md': '<!-- ai: image.generated; stage: final -->\n\n' + '[['.repeat(512 * 1024),
    'ok.md': '<!-- ai: image.generated; stage: final -->\n',
  });
  const { code, stdout } = runCli(['check', '--format', 'json', '.'], dir, { AI_USE_PARSE_BUDGET_MS: '800' });
  assert.equal(code, 1);
  const files = JSON.parse(stdout).files as { path: string; findings: { ruleId: string; message: string; line: number }[] }[];
  const big = files.find((f) => f.path === 'big.md')!;
  assert.deepEqual(big.findings.map((f) => [f.ruleId, f.line]), [['core/not-checked', 1]]);
  assert.match(big.findings[0].message, /too large or too complex to check: reading it took longer than 800 ms/);
  assert.deepEqual(files.find((f) => f.path === 'ok.md')!.findings.map((f) => f.ruleId), ['netflix/final-deliverable']);
});

test('a project with much Markdown is read in parallel: the same findings as file by file, and an overrunning file does not hold up the rest', () => {
  const note = (i: number) => `# Reel ${i}\n\n${'Notes on the cut, nothing generated here. '.repeat(400)}\n\n<!-- ai: video.generated; tool: Veo 3; id: R${i} -->\n`;
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) files[`notes/reel-${String(i).padStart(2, '0')}.md`] = note(i);
  files['notes/reel-05b.md'] = '<!-- ai: image.generated; stage: final -->\n\n' + '[['.repeat(400 * 1024);
  files['ep1.fountain'] = 'INT. A - DAY\n\nShot. [[ai: image.generated; stage: final; id: R3]]\n';
  const dir = project('pool', files);
  const env = { AI_USE_PARSE_BUDGET_MS: '1500' };
  const whole = JSON.parse(runCli(['check', '--format', 'json', '.'], dir, env).stdout).files as { path: string; findings: { ruleId: string; line: number; column: number }[] }[];
  assert.equal(whole.length, 14);
  for (const file of whole) {
    if (file.path === 'notes/reel-05b.md') {
      assert.deepEqual(file.findings.map((f) => f.ruleId), ['core/not-checked']);
      continue;
    }
    // Checked alone (no pool, no other file), the file gets the same findings, duplicate ids aside.
    const alone = JSON.parse(runCli(['check', '--format', 'json', file.path], dir, env).stdout).files[0];
    const key = (f: { ruleId: string; line: number; column: number }) => `${f.ruleId}@${f.line}:${f.column}`;
    assert.deepEqual(file.findings.filter((f) => f.ruleId !== 'core/duplicate-id').map(key), alone.findings.map(key), file.path);
  }
  assert.ok(whole.find((f) => f.path === 'notes/reel-03.md')!.findings.some((f) => f.ruleId === 'core/duplicate-id'));
});

test('the bundle reads each pack as the build checked it, and the YAML itself once that has changed', async () => {
  const { parse } = await import('yaml');
  const packs = path.join(repo, 'dist/packs');
  for (const file of fs.readdirSync(packs).filter((f) => f.endsWith('.yaml'))) {
    const built = JSON.parse(fs.readFileSync(path.join(packs, file.replace(/\.yaml$/, '.json')), 'utf8'));
    assert.deepEqual(built.data, parse(fs.readFileSync(path.join(packs, file), 'utf8')), file);
  }
  // A copy of the bundle whose core pack was edited after the build: the edit is what it reports.
  const copy = path.join(temp, 'edited-bundle');
  fs.mkdirSync(copy);
  fs.copyFileSync(cli, path.join(copy, 'cli.cjs'));
  fs.cpSync(packs, path.join(copy, 'packs'), { recursive: true });
  fs.cpSync(path.join(repo, 'dist/schemas'), path.join(copy, 'schemas'), { recursive: true });
  const core = path.join(copy, 'packs/core.yaml');
  fs.writeFileSync(core, fs.readFileSync(core, 'utf8').replace('title: Every tag names a known kind of AI use', 'title: Edited after the build'));
  const edited = spawnSync(process.execPath, [path.join(copy, 'cli.cjs'), 'rules'], { cwd: temp, encoding: 'utf8' });
  assert.equal(edited.status, 0, edited.stderr);
  assert.match(edited.stdout, /core\/unknown-kind\s+warning\s+Edited after the build/);
  assert.match(runCli(['rules']).stdout, /core\/unknown-kind\s+warning\s+Every tag names a known kind of AI use/);
});

test('a big HTML report, its cue sheet half rendered on a second thread, is the page the core renders on one', async () => {
  const { scanProject } = await import('../../server/src/core/project.js');
  const { buildReport, builtinRuleCatalogue } = await import('../../server/src/core/report/model.js');
  const { renderReport } = await import('../../server/src/core/report/index.js');
  const { VERSION } = await import('../../server/src/core/package-info.js');
  const episode = (n: number) => `Title: Ep ${n}\n\nINT. A - DAY\n\n` + Array.from({ length: 800 }, (_, i) => `Shot ${i}. [[ai: image.generated; tool: Midjourney 6.1; stage: temp; prompt: "<i>${n}.${i}</i> & 狼"]]\n\n`).join('');
  const dir = project('big-report', { 'ep1.fountain': episode(1), 'ep2.fountain': episode(2), 'ep3.fountain': episode(3) });
  const run = runCli(['report', '.', '--format', 'html', '--out', 'r.html'], dir);
  assert.equal(run.code, 0, run.stderr);
  const written = fs.readFileSync(path.join(dir, 'r.html'), 'utf8');
  const cwd = process.cwd();
  process.chdir(dir);
  let inProcess: string;
  try {
    const model = buildReport(scanProject(['.']), { root: dir, generatedAt: new Date(0), toolVersion: VERSION, rules: builtinRuleCatalogue(), inputs: ['.'] });
    assert.ok(model.cueSheet.length >= 2000);
    inProcess = renderReport(model, 'html', { root: dir });
  } finally {
    process.chdir(cwd);
  }
  const undated = (html: string) => html.replace(/(<dt>Generated<\/dt><dd>)[^<]*/, '$1');
  assert.equal(undated(written), undated(inProcess));
});
