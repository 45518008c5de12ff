// `aiUse/report` over stdio: the server scans the workspace with the CLI's code, the open buffers
// winning over the disk, reports progress with $/progress, honours cancellation, and writes the
// report atomically where the client said, never over a file that is not an earlier report.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, LSPErrorCodes, ResponseError, WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { REPORT_REQUEST, type ReportParams, type ReportResult } from '../../server/src/lsp/protocol.js';
import { ensureBuilt, ROOT, TestClient } from './lsp-client.js';

const EXAMPLE = path.join(ROOT, 'examples/true-crime-docuseries');

interface JsonReport {
  project: string;
  summary: { documents: number; uses: number; findings: number; findingsBySeverity: Record<string, number> };
  cueSheet: { file: string; line: number; kind: string | null; tool: string | null }[];
  findings: { ruleId: string; file: string; line: number }[];
}

function cliReport(folder: string): JsonReport {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.cjs'), 'report', folder, '--format', 'json', '--out', '-'], { encoding: 'utf8', cwd: folder });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as JsonReport;
}

describe('aiUse/report over stdio', () => {
  let dir: string;
  let workspace: string;
  let out: string;
  let client: TestClient;
  const progress: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];

  before(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'ai-use-report-lsp-'));
    workspace = path.join(dir, 'lantern-road');
    out = path.join(dir, 'out');
    mkdirSync(out);
    cpSync(EXAMPLE, workspace, { recursive: true });
    client = new TestClient();
    // The server asks for the folders when the request names none.
    client.connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(workspace).href, name: 'lantern-road' }]);
    await client.initialize(pathToFileURL(workspace).href);
  });

  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same JSON report as `ai-use report`, with progress from begin to end', async () => {
    const target = path.join(out, 'report.json');
    const token = 'report-1';
    const disposable = client.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      progress.push(value);
    });
    const result = await client.request<ReportResult>(REPORT_REQUEST, {
      format: 'json',
      target: pathToFileURL(target).href,
      folders: [pathToFileURL(workspace).href],
      workDoneToken: token,
    } satisfies ReportParams);
    disposable.dispose();

    assert.equal(result.path, target);
    assert.equal(result.replaced, false);
    const written = JSON.parse(readFileSync(target, 'utf8')) as JsonReport;
    const cli = cliReport(workspace);
    assert.equal(written.project, 'lantern-road');
    assert.deepEqual(written.summary, cli.summary);
    assert.deepEqual(
      written.cueSheet.map((r) => [r.file, r.line, r.kind]),
      cli.cueSheet.map((r) => [r.file, r.line, r.kind]),
    );
    assert.deepEqual(
      written.findings.map((f) => [f.ruleId, f.file, f.line]),
      cli.findings.map((f) => [f.ruleId, f.file, f.line]),
    );
    assert.equal(result.uses, cli.summary.uses);
    assert.equal(result.documents, 2);

    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    const messages = progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report').map((p) => p.message ?? '');
    assert.ok(messages.some((m) => m.includes('ep101-narration.fountain')), messages.join('\n'));
    // Only the report in the out folder: no temp file left behind.
    assert.deepEqual(readdirSync(out), ['report.json']);
  });

  it('uses the open buffer, not the disk, and the client\'s workspace folders when none are given', async () => {
    const file = path.join(workspace, 'edit-notes', 'extra.md');
    writeFileSync(file, '# Extra\n');
    const uri = pathToFileURL(file).href;
    await client.open(uri, 'markdown', '# Extra\n\n<!-- ai: audio.music; tool: Suno v4; stage: temp; disclosure: credits -->\n');
    const target = path.join(out, 'report.csv');
    const result = await client.request<ReportResult>(REPORT_REQUEST, { format: 'csv', target });
    await client.close(uri);
    const csv = readFileSync(target, 'utf8');
    assert.match(csv, /edit-notes\/extra\.md,3,.*audio\.music/);
    assert.match(csv, /Suno v4/);
    assert.equal(result.uses, cliReport(workspace).summary.uses + 1);
    assert.equal(result.documents, 3);
    rmSync(file);
  });

  it('replaces an earlier report but not another file unless told to', async () => {
    const earlier = path.join(out, 'report.json');
    const again = await client.request<ReportResult>(REPORT_REQUEST, { format: 'json', target: earlier, folders: [pathToFileURL(workspace).href] });
    assert.equal(again.replaced, true);

    const precious = path.join(out, 'notes.md');
    writeFileSync(precious, 'my own notes\n');
    await assert.rejects(
      client.request(REPORT_REQUEST, { format: 'md', target: precious, folders: [pathToFileURL(workspace).href] }),
      (error: unknown) => error instanceof ResponseError && /is not a report written by ai-use/.test(error.message),
    );
    assert.equal(readFileSync(precious, 'utf8'), 'my own notes\n');

    const replaced = await client.request<ReportResult>(REPORT_REQUEST, { format: 'md', target: precious, folders: [pathToFileURL(workspace).href], overwrite: true });
    assert.equal(replaced.replaced, true);
    assert.match(readFileSync(precious, 'utf8'), /^<!-- ai-use-lint report /);
    rmSync(precious);
  });

  it('skips its own earlier reports saved in the workspace, and shows no findings on one opened in the editor', async () => {
    const folders = [pathToFileURL(workspace).href];
    const first = await client.request<ReportResult>(REPORT_REQUEST, { format: 'json', target: path.join(out, 'before.json'), folders });
    // The VS Code save dialog suggests the workspace folder: a Markdown report lands among the notes.
    const inside = path.join(workspace, 'edit-notes', 'ai-use-report.md');
    await client.request<ReportResult>(REPORT_REQUEST, { format: 'md', target: inside, folders });
    const second = await client.request<ReportResult>(REPORT_REQUEST, { format: 'md', target: inside, folders });
    assert.equal(second.replaced, true);
    assert.equal(second.documents, first.documents, 'the report is not one of the documents');
    assert.deepEqual(second.findings, first.findings);

    // Opened in the editor (outside the project, so the default rules apply): the report names
    // tools, which are untagged mentions in a document, but the report itself gets no findings.
    const text = readFileSync(inside, 'utf8');
    const asNotes = pathToFileURL(path.join(out, 'copied-into-notes.md')).href;
    await client.open(asNotes, 'markdown', text.replace(/^<!-- ai-use-lint report [^\n]*\n/, ''));
    assert.ok((await client.diagnostics(asNotes, 1)).diagnostics.some((d) => d.code === 'core/untagged-mention'), 'without its marker it reads as notes');
    const asReport = pathToFileURL(path.join(out, 'opened-report.md')).href;
    await client.open(asReport, 'markdown', text);
    assert.deepEqual((await client.diagnostics(asReport, 1)).diagnostics, []);
    await client.close(asNotes);
    await client.close(asReport);
    rmSync(inside);
    rmSync(path.join(out, 'before.json'));
  });

  it('rejects an unknown format and a missing folder with a message', async () => {
    await assert.rejects(client.request(REPORT_REQUEST, { format: 'pdf', target: path.join(out, 'x.pdf') }), /Unknown report format "pdf"/);
    await assert.rejects(client.request(REPORT_REQUEST, { format: 'html', target: path.join(dir, 'no-such-folder', 'r.html') }), /does not exist/);
  });

  it('stops when cancelled, writes nothing, and keeps answering meanwhile', async () => {
    // A project big enough that the scan is still running when the cancel arrives.
    const big = path.join(dir, 'big');
    const script = readFileSync(path.join(EXAMPLE, 'ep101-narration.fountain'), 'utf8');
    mkdirSync(big);
    cpSync(path.join(EXAMPLE, '.ai-use.yaml'), path.join(big, '.ai-use.yaml'));
    for (let i = 0; i < 400; i++) writeFileSync(path.join(big, `ep${String(i).padStart(3, '0')}.fountain`), script.repeat(4));
    const target = path.join(out, 'cancelled.html');
    const source = new CancellationTokenSource();
    const token = 'report-cancel';
    let firstFile!: () => void;
    const started = new Promise<void>((resolve) => (firstFile = resolve));
    const disposable = client.connection.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'report' && value.message?.includes('.fountain')) firstFile();
    });
    const request = client.connection.sendRequest(REPORT_REQUEST, { format: 'html', target, folders: [pathToFileURL(big).href], workDoneToken: token }, source.token);
    await started;
    // The scan runs off the main thread: a stats request still answers while it runs.
    const t0 = performance.now();
    await client.request('aiUse/documentStats', { uri: pathToFileURL(path.join(big, 'ep000.fountain')).href });
    const answeredIn = performance.now() - t0;
    source.cancel();
    await assert.rejects(request, (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled);
    disposable.dispose();
    assert.ok(answeredIn < 500, `a request took ${answeredIn.toFixed(0)} ms during the scan`);
    assert.equal(existsSync(target), false);
    assert.deepEqual(readdirSync(out).filter((f) => f.includes('cancelled')), []);
  });
});
