// SPEC §9 security, one test per point: custom rules are data and cannot run code; the matching
// they allow is bounded (no user regular expressions, linear tests); an untrusted workspace can
// run nothing, so the extension supports untrusted workspaces fully; and nothing reaches the
// network (the CLI and the server run with every network API made to throw).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfigFile } from '../../server/src/core/config.js';
import { lintText } from '../../server/src/core/lint.js';
import { ensureBuilt, TestClient } from '../lsp/lsp-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NO_NETWORK = fileURLToPath(new URL('./fixtures/no-network.cjs', import.meta.url));
const temp = mkdtempSync(path.join(tmpdir(), 'ai-use-security-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.ts$/.test(e.name) ? [full] : [];
  });
}

describe('custom rules are data: nothing in a config can run code', () => {
  const canary = path.join(temp, 'ran');
  const attempts = [
    // A condition written as code, a check built into the engine, a fix that runs a command,
    // a message template with an expression, JavaScript under an unknown key.
    `  - id: studio/a\n    title: Attempt a\n    severity: error\n    message: Attempt number one here.\n    source: { title: Studio policy, facts: "§1 x" }\n    when: "require('fs').writeFileSync('${canary}', 'x')"\n`,
    `  - id: studio/b\n    title: Attempt b\n    severity: error\n    message: Attempt number two here.\n    source: { title: Studio policy, facts: "§1 x" }\n    check: unknown-kind\n`,
    `  - id: studio/c\n    title: Attempt c\n    severity: error\n    message: Attempt number three here.\n    source: { title: Studio policy, facts: "§1 x" }\n    when: { kind: image.generated }\n    fixes: [{ type: exec, command: "touch ${canary}" }]\n`,
    `  - id: studio/e\n    title: Attempt e\n    severity: error\n    message: Attempt number five here.\n    source: { title: Studio policy, facts: "§1 x" }\n    when: { js: "process.exit(3)", regex: "(a+)+$" }\n`,
  ];

  it('refuses each attempt with a finding in the config, and runs none of it', () => {
    for (const rule of attempts) {
      const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), `custom-rules:\n${rule}`);
      assert.ok(config.findings.some((f) => f.ruleId === 'core/invalid-config'), `accepted:\n${rule}`);
      // Whatever was accepted runs as data over a document; nothing is executed.
      lintText('INT. A - DAY\n\n[[ai: image.generated]]\n', 'fountain', config);
    }
    assert.equal(existsSync(canary), false, 'something in a custom rule was executed');
  });

  it('takes code in a message as plain text: shown as written, never evaluated', () => {
    const message = `\${require('fs').writeFileSync('${canary}', 'x')} {field:tool}`;
    const rule = `  - id: studio/d\n    title: Attempt d\n    severity: error\n    message: ${JSON.stringify(message)}\n    source: { title: Studio policy, facts: "§1 x" }\n    when: { kind: image.generated }\n`;
    const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), `custom-rules:\n${rule}`);
    assert.deepEqual(config.findings, []);
    const finding = lintText('INT. A - DAY\n\n[[ai: image.generated; tool: `rm -rf /`]]\n', 'fountain', config).findings.find((f) => f.ruleId === 'studio/d');
    assert.equal(finding?.message, message.replace('{field:tool}', '`rm -rf /`'));
    assert.equal(existsSync(canary), false);
  });

  it('our code has no way to run text as code: no eval, new Function, vm, child processes or dynamic import', () => {
    for (const file of [...sourceFiles(path.join(ROOT, 'server/src')), ...sourceFiles(path.join(ROOT, 'client/src'))]) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of [/\beval\s*\(/, /\bnew\s+Function\b/, /from 'node:vm'|require\('vm'\)/, /from 'node:child_process'/, /\bimport\s*\(/, /\brequire\s*\(\s*[^'"\s]/]) {
        assert.ok(!pattern.test(text), `${path.relative(ROOT, file)} matches ${pattern}`);
      }
    }
  });
});

describe('the matching custom rules allow is bounded', () => {
  it('the schema offers no regular expressions and caps every pattern', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'server/schemas/rule.schema.json'), 'utf8'));
    const condition = schema.definitions.condition;
    assert.deepEqual(Object.keys(condition.properties).sort(), ['all', 'any', 'contains', 'documented', 'equals', 'field', 'genre', 'has', 'in', 'kind', 'missing', 'not', 'starts-with', 'undocumented']);
    assert.equal(condition.additionalProperties, false);
    assert.ok(schema.definitions.word.maxLength <= 80);
    assert.ok(condition.properties.all.maxItems <= 20 && condition.properties.in.maxItems <= 40);
  });

  it('the most expensive rules a config may hold finish on a 4 MB tag value: each fires, or says it was not checked', { timeout: 60000 }, () => {
    const word = '*a'.repeat(39) + 'b'; // the longest glob a word may be: the classic backtracking trap
    const rules = Array.from({ length: 50 }, (_, i) => `  - id: studio/r${i}\n    title: Rule ${i} here\n    severity: warning\n    message: Rule number ${i} fired here.\n    source: { title: Studio policy, facts: "§1 x" }\n    when:\n      any:\n${Array.from({ length: 6 }, (_, j) => `        - { field: prompt, contains: ["${'a'.repeat(70)}${j}"] }\n        - { field: prompt, in: ["${word}"] }\n        - { field: note, starts-with: ["${'a'.repeat(79)}"] }`).join('\n')}\n`).join('');
    const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), `custom-rules:\n${rules}`);
    assert.deepEqual(config.findings.map((f) => f.message), []);
    assert.equal(config.customRules.length, 50);
    // On a 4 KB value every rule runs to the end (starts-with matches on the note).
    const small = 'a'.repeat(4096);
    const fired = lintText(`INT. A - DAY\n\n[[ai: image.generated; prompt: "${small}"; note: "${small}"]]\n`, 'fountain', config).findings;
    assert.equal(fired.filter((f) => f.ruleId.startsWith('studio/')).length, 50, 'each rule fired once');
    // On 4 MB values the rules together would read 1.2 GB: each stops within its share of the
    // document's work and says so, by name, where it stopped.
    const value = 'a'.repeat(4 * 1024 * 1024);
    const findings = lintText(`INT. A - DAY\n\n[[ai: image.generated; prompt: "${value}"; note: "${value}"]]\n`, 'fountain', config).findings;
    for (let i = 0; i < 50; i++) {
      const firedHere = findings.some((f) => f.ruleId === `studio/r${i}`);
      const notChecked = findings.some((f) => f.ruleId === 'core/not-checked' && f.message.includes(`\`studio/r${i}\``));
      assert.ok(firedHere !== notChecked, `studio/r${i}: fired ${firedHere}, reported as not checked ${notChecked}`);
    }
  });
});

describe('untrusted workspaces are fully supported because nothing in them runs', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('the manifest says so, and no setting names a program to run', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    const settings = Object.keys(manifest.contributes.configuration.properties).sort();
    assert.deepEqual(settings, ['aiUse.configPath', 'aiUse.enable', 'aiUse.run', 'aiUse.trace.server']);
    // The client starts the server bundled in the extension, never a path from the workspace.
    const client = readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
    assert.match(client, /context\.asAbsolutePath\(/);
    assert.doesNotMatch(client, /getConfiguration\([^)]*\)\.get<string>\('(?:nodePath|serverPath|runtime)/);
  });
});

describe('no network access anywhere', () => {
  const logFile = path.join(temp, 'network.log');
  const env = { ...process.env, AI_USE_NETWORK_LOG: logFile, NODE_OPTIONS: `--require ${NO_NETWORK}` };

  it('ai-use check and ai-use report on the examples, with every network API refused', () => {
    ensureBuilt();
    const check = spawnSync(process.execPath, ['dist/cli.cjs', 'check', 'examples', '--format', 'json'], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(check.status, 1, check.stderr);
    assert.ok(JSON.parse(check.stdout).files.length >= 4);
    const out = path.join(temp, 'report.html');
    const report = spawnSync(process.execPath, ['dist/cli.cjs', 'report', 'examples', '--format', 'html', '--out', out], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(report.status, 0, report.stderr);
    assert.ok(existsSync(out));
    assert.equal(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '', '');
  });

  it('the language server: open, diagnostics, hover, code actions and a report, with every network API refused', async () => {
    const previous = process.env.NODE_OPTIONS;
    const client = new TestClient({ env: { AI_USE_NETWORK_LOG: logFile, NODE_OPTIONS: `--require ${NO_NETWORK}` } });
    try {
      const workspace = path.join(ROOT, 'examples/drama-pilot');
      await client.initialize(pathToFileURL(workspace).href);
      const file = path.join(workspace, 'pilot.fountain');
      const uri = pathToFileURL(file).href;
      await client.open(uri, 'fountain', readFileSync(file, 'utf8'));
      const { diagnostics } = await client.diagnostics(uri, 1);
      assert.ok(diagnostics.length > 5);
      await client.request('textDocument/hover', { textDocument: { uri }, position: diagnostics[0].range.start });
      await client.request('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics: [diagnostics[0]] } });
      const target = path.join(temp, 'lsp-report.json');
      await client.request('aiUse/report', { format: 'json', target, folders: [pathToFileURL(workspace).href] });
      assert.ok(existsSync(target));
    } finally {
      await client.shutdown();
      process.env.NODE_OPTIONS = previous;
    }
    assert.equal(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '', '');
  });

  it('the refusal really works (a probe that tries to connect is caught)', () => {
    const probe = spawnSync(process.execPath, ['-e', "require('node:net').connect(80, '127.0.0.1')"], { env, encoding: 'utf8' });
    assert.notEqual(probe.status, 0);
    assert.match(readFileSync(logFile, 'utf8'), /net\.connect/);
    writeFileSync(logFile, '');
  });
});
