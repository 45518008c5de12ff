// The extension's integration tests, run INSIDE real VS Code (code-server 4.139 / VS Code 1.139 via
// test/vscode/run.mjs, or VS Code desktop via @vscode/test-electron: test/vscode/electron.mjs).
// The harness bundles this file to CommonJS and writes context.json beside the bundle: the
// workspace (a temp copy of examples/true-crime-docuseries) and what `ai-use check --format json`
// says about it, so the editor is compared with the CLI on the same files.
//
// No mocha: a small runner that prints `ok N - name` / `not ok N - name` and a closing
// `N passed, N failed` line, and rejects when a test failed (VS Code then exits with code 1).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface CliFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface Context {
  workspace: string;
  /** `ai-use check --format json` for the workspace, run from inside it. */
  expected: { files: { path: string; findings: CliFinding[] }[] };
  /** Where the export test writes its reports. */
  reportDir: string;
}

const EXTENSION_ID = 'ai-use-lint.ai-use-lint';
const SCRIPT = 'ep101-narration.fountain';
const NOTES = 'edit-notes/ep101-assembly-notes.md';

function loadContext(): Context {
  const file = process.env.AI_USE_VSCODE_CONTEXT || path.join(__dirname, 'context.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Context;
}

// ---------------------------------------------------------------------------------------------
// helpers

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value that is not undefined; fails after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(100);
  }
}

function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  if (code && typeof code === 'object') return String(code.value);
  return String(code ?? '');
}

const SEVERITY: Record<CliFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** `rule@line:col-line:col#severity`, 0-based, as VS Code holds it. */
function keyOfDiagnostic(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${codeOf(d)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}#${d.severity}`;
}

/** The CLI's 1-based, end-exclusive positions as the same key. */
function keyOfCli(f: CliFinding): string {
  return `${f.ruleId}@${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1}#${SEVERITY[f.severity]}`;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ai-use');
}

/** Waits until our diagnostics for `uri` pass `test` (they arrive after a debounce). */
function diagnosticsWhere(uri: vscode.Uri, what: string, test: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 20000): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const ds = ours(uri);
    return test(ds) ? ds : undefined;
  }, timeoutMs);
}

function expectedFor(ctx: Context, relative: string): string[] {
  const file = ctx.expected.files.find((f) => f.path === relative || f.path.endsWith('/' + relative));
  assert.ok(file, `the CLI output has no ${relative}`);
  return file.findings.map(keyOfCli).sort();
}

async function open(ctx: Context, relative: string): Promise<{ uri: vscode.Uri; editor: vscode.TextEditor }> {
  const uri = vscode.Uri.file(path.join(ctx.workspace, relative));
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  return { uri, editor };
}

/** Position of `needle` (the n-th from `from`) plus `delta` characters. */
function positionOf(document: vscode.TextDocument, needle: string, delta = 0, from = 0): vscode.Position {
  const text = document.getText();
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `${needle} not found in ${document.uri.fsPath}`);
  return document.positionAt(at + delta);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

// ---------------------------------------------------------------------------------------------
// the tests

type Test = { name: string; fn: (ctx: Context) => Promise<void> };
const tests: Test[] = [];
function test(name: string, fn: (ctx: Context) => Promise<void>): void {
  tests.push({ name, fn });
}

test('the extension activates', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  await extension.activate();
  assert.equal(extension.isActive, true);
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['aiUse.exportReport', 'aiUse.insertTag', 'aiUse.restartServer', 'aiUse.showOutput', 'aiUse.statusText']) {
    assert.ok(commands.includes(id), `command ${id} is not registered`);
  }
});

test('the Fountain script gets the same diagnostics as `ai-use check`, at the same ranges', async (ctx) => {
  const expected = expectedFor(ctx, SCRIPT);
  const { uri, editor } = await open(ctx, SCRIPT);
  assert.equal(editor.document.languageId, 'fountain');
  const got = await diagnosticsWhere(uri, `${expected.length} diagnostics`, (ds) => ds.length >= expected.length);
  assert.deepEqual(got.map(keyOfDiagnostic).sort(), expected);
  // Every diagnostic links to its rule's docs page.
  for (const d of got) {
    assert.ok(d.code && typeof d.code === 'object' && /^https:\/\//.test(d.code.target.toString()), `${codeOf(d)} has no docs link`);
  }
});

test('the Markdown edit notes get the same diagnostics as `ai-use check`', async (ctx) => {
  const expected = expectedFor(ctx, NOTES);
  const { uri, editor } = await open(ctx, NOTES);
  assert.equal(editor.document.languageId, 'markdown');
  const got = await diagnosticsWhere(uri, `${expected.length} diagnostics`, (ds) => ds.length >= expected.length);
  assert.deepEqual(got.map(keyOfDiagnostic).sort(), expected);
});

test('the status bar shows the uses and open findings of the active document', async (ctx) => {
  const { uri } = await open(ctx, SCRIPT);
  const diagnostics = await diagnosticsWhere(uri, 'diagnostics', (ds) => ds.length > 0);
  const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  const warnings = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
  const status = await waitFor('the status bar item', async () => {
    const s = await vscode.commands.executeCommand<{ text: string; tooltip: string; visible: boolean }>('aiUse.statusText');
    return s?.visible && s.text.includes(`$(error) ${errors}`) ? s : undefined;
  });
  assert.match(status.text, /^\$\(sparkle\) 10 /);
  assert.ok(status.text.includes(`$(warning) ${warnings}`), status.text);
  assert.match(status.tooltip, /^10 AI uses, \d+ open findings/);
});

test('a quick-fix applied through the code action provider removes its diagnostic and adds none', async (ctx) => {
  const { uri, editor } = await open(ctx, SCRIPT);
  const before = await diagnosticsWhere(uri, 'diagnostics', (ds) => ds.some((d) => codeOf(d) === 'core/invalid-value'));
  const target = before.find((d) => codeOf(d) === 'core/invalid-value')!;
  assert.equal(editor.document.getText(target.range), 'finale');
  // executeCodeActionProvider's results carry no `diagnostics`: find the fix by what it says. Asked
  // again while the server may still be catching up with a document reopened by an earlier test.
  let actions: vscode.CodeAction[] = [];
  const fix = await waitFor('a preferred quick-fix', async () => {
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, target.range, vscode.CodeActionKind.QuickFix.value);
    return actions.find((a) => a.isPreferred && /`final`/.test(a.title));
  }, 10000).catch(() => undefined);
  assert.ok(fix?.edit, `no preferred quick-fix among: ${actions.map((a) => a.title).join(' | ')}`);
  assert.match(fix.title, /final/);
  assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
  try {
    const after = await diagnosticsWhere(uri, 'core/invalid-value to go', (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === 'core/invalid-value'));
    assert.equal(after.length, before.length - 1);
    const beforeCodes = new Set(before.map(codeOf));
    assert.deepEqual(after.map(codeOf).filter((c) => !beforeCodes.has(c)), []);
    assert.equal(editor.document.getText(target.range.with({ end: target.range.start.translate(0, 5) })), 'final');
  } finally {
    await revert(editor);
  }
});

test('completion inside a tag offers the keys, with descriptions', async (ctx) => {
  const { uri, editor } = await open(ctx, SCRIPT);
  const position = positionOf(editor.document, '[[ai: image.generated; ', '[[ai: image.generated; '.length);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  // The keys the tag lacks, not those it already has (tool, disclosure, presented-as).
  for (const key of ['approval', 'consent', 'timecode', 'prompt', 'source']) assert.ok(labels.some((l) => l.startsWith(key)), `no ${key} in ${labels.join(', ')}`);
  for (const key of ['tool', 'disclosure', 'presented-as']) assert.ok(!labels.some((l) => l === key || l.startsWith(`${key}:`)), `${key} offered again in ${labels.join(', ')}`);
  const approval = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label).startsWith('approval'));
  assert.ok(approval?.documentation || approval?.detail, 'approval has no description');
});

test('hover on a tag shows its kind, IPTC source type and findings with their rules', async (ctx) => {
  const { uri, editor } = await open(ctx, SCRIPT);
  await diagnosticsWhere(uri, 'diagnostics', (ds) => ds.length > 0);
  const position = positionOf(editor.document, '[[ai: image.generated; ', 8);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  const text = hoverText(hovers);
  assert.match(text, /image\.generated/);
  assert.match(text, /trainedAlgorithmicMedia/);
  for (const rule of ['apa/synthetic-archival', 'netflix/misleading-real', 'eu-ai-act/deep-fake']) assert.ok(text.includes(rule), `hover lacks ${rule}:\n${text}`);
});

test('Show documentation opens the rule page shipped in the extension, in the Markdown preview', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  const opened = await vscode.commands.executeCommand<string | undefined>('aiUse.showDocumentation', 'apa/cue-sheet-fields', 'https://invalid.example/not-used');
  assert.ok(opened, 'the command opened no bundled page');
  const page = vscode.Uri.parse(opened);
  assert.equal(page.toString(), vscode.Uri.joinPath(extension.extensionUri, 'docs/rules/apa/cue-sheet-fields.md').toString());
  assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(page)), /^# apa\/cue-sheet-fields/);
  let preview: vscode.Tab | undefined;
  for (let i = 0; i < 50 && !preview; i++) {
    preview = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /cue-sheet-fields\.md/.test(t.label) && t.input instanceof vscode.TabInputWebview);
    if (!preview) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(preview, `no Markdown preview tab: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
  await vscode.window.tabGroups.close(preview);
});

test('AI Use: Export Report (test hook) writes the report through the server', async (ctx) => {
  const html = path.join(ctx.reportDir, 'lantern-road-report.html');
  const result = await vscode.commands.executeCommand<{ path: string; uses: number; documents: number; findings: { error: number } }>('aiUse.exportReport', { format: 'html', target: html });
  assert.ok(result, 'the command returned no result');
  assert.equal(result.path, html);
  assert.equal(result.uses, 15);
  assert.equal(result.documents, 2);
  assert.ok(existsSync(html));
  const page = readFileSync(html, 'utf8');
  assert.match(page, /^<!doctype html>/i);
  assert.match(page, /Runway Gen-4 Aleph/);

  const json = path.join(ctx.reportDir, 'lantern-road-report.json');
  await vscode.commands.executeCommand('aiUse.exportReport', { format: 'json', target: vscode.Uri.file(json).toString() });
  const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { uses: number; findings: number } };
  const cliFindings = ctx.expected.files.reduce((n, f) => n + f.findings.length, 0);
  assert.equal(report.summary.uses, 15);
  assert.equal(report.summary.findings, cliFindings);
});

test('editing .ai-use.yaml (a rule set to off) changes the diagnostics', async (ctx) => {
  const { uri } = await open(ctx, SCRIPT);
  const before = await diagnosticsWhere(uri, 'apa/cue-sheet-fields', (ds) => ds.some((d) => codeOf(d) === 'apa/cue-sheet-fields'));
  const config = await open(ctx, '.ai-use.yaml');
  const line = positionOf(config.editor.document, 'apa/cue-sheet-fields: error');
  const range = new vscode.Range(line, line.translate(0, 'apa/cue-sheet-fields: error'.length));
  try {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(config.uri, range, 'apa/cue-sheet-fields: off');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    assert.equal(await config.editor.document.save(), true);
    const after = await diagnosticsWhere(uri, 'apa/cue-sheet-fields to go', (ds) => ds.length > 0 && !ds.some((d) => codeOf(d) === 'apa/cue-sheet-fields'));
    assert.equal(after.length, before.length - before.filter((d) => codeOf(d) === 'apa/cue-sheet-fields').length);
  } finally {
    const restore = new vscode.WorkspaceEdit();
    restore.replace(config.uri, new vscode.Range(line, line.translate(0, 'apa/cue-sheet-fields: off'.length)), 'apa/cue-sheet-fields: error');
    await vscode.workspace.applyEdit(restore);
    await config.editor.document.save();
  }
  await diagnosticsWhere(uri, 'apa/cue-sheet-fields to come back', (ds) => ds.some((d) => codeOf(d) === 'apa/cue-sheet-fields'));
});

test('a crashed server is restarted, with a notice that offers Show Output, and checks documents again', async (ctx) => {
  const before = await waitFor("the server", async () => vscode.commands.executeCommand<{ pid: number } | undefined>("aiUse.serverInfo"));
  process.kill(before.pid, 'SIGKILL');
  const notice = await waitFor("the crash notice", async () => vscode.commands.executeCommand<{ message: string; actions: string[] } | undefined>('aiUse.lastNotice'));
  assert.match(notice.message, /stopped unexpectedly and was restarted/);
  assert.deepEqual(notice.actions, ['Show Output']);
  const after = await waitFor('the restarted server', async () => {
    const info = await vscode.commands.executeCommand<{ pid: number } | undefined>('aiUse.serverInfo');
    return info && info.pid !== before.pid ? info : undefined;
  }, 30000);
  assert.notEqual(after.pid, before.pid);
  // The new server checks: an edit that breaks a rule gets its diagnostic.
  const { uri, editor } = await open(ctx, SCRIPT);
  try {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), '[[ai: image.genrated]]\n');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await diagnosticsWhere(uri, 'core/unknown-kind on line 1', (ds) => ds.some((d) => codeOf(d) === 'core/unknown-kind' && d.range.start.line === 0), 30000);
  } finally {
    await revert(editor);
  }
});

export async function run(): Promise<void> {
  const ctx = loadContext();
  let passed = 0;
  let failed = 0;
  for (const [i, t] of tests.entries()) {
    const started = Date.now();
    try {
      await t.fn(ctx);
      passed++;
      console.log(`ok ${i + 1} - ${t.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      console.log(`not ok ${i + 1} - ${t.name}\n  ${(error instanceof Error ? error.stack ?? error.message : String(error)).split('\n').join('\n  ')}`);
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} of ${tests.length} VS Code tests failed`);
}
