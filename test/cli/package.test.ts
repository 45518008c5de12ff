// The npm package as a user gets it: `npm pack` (its prepack builds the minified bundles) on a
// copy of the sources, then `npm install -g` of the tarball into a temporary prefix, offline, and
// the two bins it puts on the PATH run from there, with no node_modules anywhere above them.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, TestClient } from '../lsp/lsp-client.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-package-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const prefix = path.join(temp, 'prefix');
const bin = path.join(prefix, 'bin');

/** npm without the npm_* variables of an outer `npm test` (its prefix, its lifecycle event). */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8', env, timeout: 240_000 });
  assert.equal(result.status, 0, `npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

let packed: { filename: string; size: number; files: { path: string }[] };

before(() => {
  // A copy of what the build reads, so that prepack's minified build does not replace the dist/
  // the other test files are running from at the same time.
  const source = path.join(temp, 'source');
  for (const entry of ['package.json', 'scripts', 'server', 'client', 'syntaxes', 'docs', 'README.md', 'LICENSE', 'tsconfig.json']) {
    fs.cpSync(path.join(ROOT, entry), path.join(source, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', temp], source));
  npm(['install', '-g', '--offline', '--prefix', prefix, path.join(temp, packed.filename)], temp);
});

test('npm pack: the bundles, schemas, packs, rule docs, README and LICENSE only (and the grammars the extension manifest names), under 2 MB', () => {
  assert.equal(packed.filename, `${pkg.name}-${pkg.version}.tgz`);
  assert.ok(packed.size < 2 * 1024 * 1024, `tarball is ${packed.size} bytes`);
  const files = packed.files.map((f) => f.path).sort();
  const allowed = /^(package\.json|README\.md|LICENSE|dist\/(cli|server|client)\.cjs|dist\/packs\/[\w-]+\.(yaml|json)|dist\/schemas\/[\w.-]+\.json|client\/language-configuration\.json|syntaxes\/[\w.-]+\.json|docs\/rules\/.+\.md|docs\/sources\.md|docs\/report\.schema\.json)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), [], 'nothing else in the tarball (no sources, tests, benches, maps)');
  for (const needed of ['dist/cli.cjs', 'dist/server.cjs', 'LICENSE', 'README.md', 'docs/sources.md', 'docs/rules/apa/cue-sheet-fields.md', 'dist/schemas/ai-use-config.schema.json']) {
    assert.ok(files.includes(needed), `${needed} is in the tarball`);
  }
  const packs = fs.readdirSync(path.join(ROOT, 'server/packs')).filter((f) => f.endsWith('.yaml'));
  for (const p of packs) assert.ok(files.includes(`dist/packs/${p}`), `dist/packs/${p} is in the tarball`);
});

test('the installed package has no node_modules: the bundles need none', () => {
  const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
  assert.ok(fs.existsSync(path.join(installed, 'dist/cli.cjs')));
  assert.ok(!fs.existsSync(path.join(installed, 'node_modules')));
});

test('ai-use on the PATH of the prefix: --version and check on the examples', () => {
  const env = { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: temp };
  const version = spawnSync('ai-use', ['--version'], { cwd: temp, encoding: 'utf8', env });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);
  const check = spawnSync('ai-use', ['check', path.join(ROOT, 'examples'), '--format', 'json'], { cwd: temp, encoding: 'utf8', env });
  assert.equal(check.status, 1, `the examples have error findings: exit 1\n${check.stderr}`);
  const out = JSON.parse(check.stdout);
  assert.ok(out.files.length >= 4, `${out.files.length} files checked`);
  const findings = out.files.flatMap((f: { findings: { ruleId: string }[] }) => f.findings);
  assert.ok(findings.some((f: { ruleId: string }) => f.ruleId.startsWith('apa/')), 'the packs were read from the installed package');
});

test('ai-use-language-server --stdio from the prefix: initialize, open a script, diagnostics', async () => {
  const client = new TestClient({ command: [path.join(bin, 'ai-use-language-server'), '--stdio'], env: { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin` } });
  try {
    const init = await client.initialize(null);
    assert.equal(init.serverInfo?.name && typeof init.serverInfo.name, 'string');
    const uri = pathToFileURL(path.join(temp, 'scene.fountain')).href;
    await client.open(uri, 'fountain', 'Title: T\nGenre: documentary\n\nINT. ROOM - DAY\n\n[[ai: image.generated; tool: Midjourney; depicts: real-person; presented-as: archival; stage: final]]\n');
    const published = await client.diagnosticsWhere(uri, (p) => p.diagnostics.length > 0, 15_000);
    assert.ok(published.diagnostics.some((d) => d.source === 'ai-use' && String(d.code).includes('/')), JSON.stringify(published.diagnostics));
  } finally {
    await client.shutdown();
  }
});

test('npm run test:vscode without Chromium names the Debian package and stops before installing anything', () => {
  const cache = path.join(temp, 'vscode-cache');
  const run = spawnSync(process.execPath, [path.join(ROOT, 'test/vscode/run.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AI_USE_CHROMIUM: path.join(temp, 'no-chromium'), AI_USE_VSCODE_CACHE: cache },
    timeout: 60_000,
  });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /needs the Debian package chromium/);
  assert.match(run.stderr, /apt-get install -y --no-install-recommends chromium/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!fs.existsSync(cache) || fs.readdirSync(cache).length === 0, 'nothing installed');
});

test('every docs link the installed CLI prints (rules, check, SARIF, reports) is a file of the package, and its anchor a heading there', () => {
  const env = { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: temp };
  const run = (args: string[]) => spawnSync('ai-use', args, { cwd: temp, encoding: 'utf8', env });
  const examples = path.join(ROOT, 'examples');
  const outputs = [
    run(['rules', '--format', 'json']).stdout,
    run(['rules']).stdout,
    run(['check', examples, '--format', 'json']).stdout,
    run(['check', examples, '--format', 'sarif']).stdout,
  ];
  for (const format of ['html', 'md', 'json', 'sarif']) {
    const out = path.join(temp, `report.${format}`);
    const report = run(['report', examples, '--format', format, '--out', out]);
    assert.equal(report.status, 0, report.stderr);
    outputs.push(fs.readFileSync(out, 'utf8'));
  }
  const base = `${pkg.homepage}/blob/main/`;
  const shipped = new Set(packed.files.map((f) => f.path));
  const links = new Set(outputs.flatMap((o) => [...o.matchAll(/https:\/\/[^\s"'<>)\]]+/g)].map((m) => m[0].replace(/&amp;/g, '&'))));
  const ours = [...links].filter((l) => l.startsWith(pkg.homepage));
  assert.ok(ours.filter((l) => l.includes('/docs/rules/')).length >= 30, `${ours.length} links to our docs`);
  assert.ok(ours.some((l) => l.includes('/docs/sources.md#')), 'citations link docs/sources.md');
  const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
  for (const link of ours) {
    if (link === pkg.homepage || link.startsWith(`${pkg.homepage}#`)) continue;
    assert.ok(link.startsWith(base), `${link} is not a file of the repository`);
    const [file, anchor] = decodeURIComponent(link.slice(base.length)).split('#');
    assert.ok(shipped.has(file!), `${link}: ${file} is not in the package`);
    if (anchor) {
      const headings = [...fs.readFileSync(path.join(installed, file!), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-'));
      assert.ok(headings.includes(anchor), `${link}: no heading #${anchor} in ${file}`);
    }
  }
});
