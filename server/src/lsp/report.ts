// `aiUse/report`: the annotation report of the whole workspace, written by the server (VS Code's
// "AI Use: Export Report...", or any client that sends the request). The scan is the CLI's
// (scanProject + buildReport + the format's writer), with the open documents' text winning over
// the disk. It runs in a worker thread so that the server keeps answering hovers and edits while
// a large project is scanned, reports per-file progress through $/progress, and stops (terminates
// the worker, writes nothing) when the client cancels. The file is written atomically by the main
// thread, after a last check of the target.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { LSPErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { ConfigCache } from '../core/config.js';
import { collectDocuments, scanProject, type ProjectResult } from '../core/project.js';
import { buildReport, builtinRuleCatalogue } from '../core/report/model.js';
import { REPORT_FORMAT_INFO, renderReport, resolveReportFormat, type ReportFormat } from '../core/report/index.js';
import { checkReportTarget, writeFileAtomic } from '../core/report/write.js';
import { VERSION } from '../core/package-info.js';
import type { ServerContext } from './context.js';
import { uriToPath } from './documentKind.js';
import { REPORT_REQUEST, type ReportParams, type ReportResult } from './protocol.js';

const WORKER_KIND = 'aiUse/report-worker';

/** One scan: a folder (with its workspace root and config setting) or loose files. */
interface ScanJob {
  inputs: string[];
  workspaceRoot?: string;
  configPath?: string;
}

interface WorkerInput {
  kind: typeof WORKER_KIND;
  jobs: ScanJob[];
  /** Open documents: absolute path -> text. */
  openTexts: Record<string, string>;
  format: ReportFormat;
  root: string;
  name?: string;
  inputs: string[];
  generatedAt: string;
}

type WorkerMessage =
  | { type: 'total'; total: number }
  | { type: 'file'; done: number; file: string }
  | { type: 'result'; content: string; documents: number; uses: number; findings: ReportResult['findings']; missing: string[] }
  | { type: 'error'; message: string };


/** The scan and the rendering, the same whether in a worker or (fallback) on the main thread. */
export function buildReportContent(input: WorkerInput, onProgress: (message: WorkerMessage) => void): Extract<WorkerMessage, { type: 'result' }> {
  const readText = (file: string) => input.openTexts[file];
  const caches = input.jobs.map(() => new ConfigCache());
  let total = 0;
  input.jobs.forEach((job, i) => {
    total += collectDocuments(job.inputs, { workspaceRoot: job.workspaceRoot, configPath: job.configPath, cache: caches[i] }).documents.length;
  });
  onProgress({ type: 'total', total });
  let done = 0;
  const merged: ProjectResult = { files: [], missing: [], unreadable: [], reports: [] };
  input.jobs.forEach((job, i) => {
    const result = scanProject(job.inputs, {
      workspaceRoot: job.workspaceRoot,
      configPath: job.configPath,
      cache: caches[i],
      displayRoot: input.root,
      readText: (file) => {
        onProgress({ type: 'file', done: ++done, file });
        return readText(file);
      },
    });
    merged.files.push(...result.files);
    merged.missing.push(...result.missing);
    merged.unreadable.push(...result.unreadable);
    merged.reports!.push(...(result.reports ?? []));
  });
  merged.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const model = buildReport(merged, {
    root: input.root,
    generatedAt: new Date(input.generatedAt),
    toolVersion: VERSION,
    projectName: input.name,
    rules: builtinRuleCatalogue(),
    inputs: input.inputs,
  });
  const s = model.summary;
  return {
    type: 'result',
    content: renderReport(model, input.format, { root: input.root }),
    documents: s.documents,
    uses: s.uses,
    findings: { ...s.findingsBySeverity },
    missing: merged.missing,
  };
}

/** True inside the worker thread that the report request starts (server.ts checks it first). */
export function isReportWorker(): boolean {
  return !isMainThread && (workerData as { kind?: unknown } | undefined)?.kind === WORKER_KIND;
}

export function runReportWorker(): void {
  const port = parentPort!;
  try {
    const result = buildReportContent(workerData as WorkerInput, (m) => port.postMessage(m));
    port.postMessage(result);
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
  }
}

function pathOf(uriOrPath: string): string | undefined {
  if (uriOrPath.startsWith('file:')) return uriToPath(uriOrPath);
  return path.isAbsolute(uriOrPath) ? path.resolve(uriOrPath) : undefined;
}

/** The deepest folder that holds every path. */
function commonRoot(paths: readonly string[]): string {
  if (paths.length === 0) return process.cwd();
  let root = paths[0];
  for (const p of paths.slice(1)) {
    while (!(p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep))) {
      const up = path.dirname(root);
      if (up === root) break;
      root = up;
    }
  }
  return root;
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The report was cancelled; nothing was written.');
}

export class ReportFeature {
  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    this.ctx.connection.onRequest(REPORT_REQUEST, (params: ReportParams, token: CancellationToken) => this.report(params, token));
  }

  private async workspaceFolders(): Promise<string[]> {
    try {
      const folders = await this.ctx.connection.workspace.getWorkspaceFolders();
      return (folders ?? []).map((f) => f.uri);
    } catch {
      return [];
    }
  }

  async report(params: ReportParams, token: CancellationToken): Promise<ReportResult> {
    const format = typeof params?.format === 'string' ? resolveReportFormat(params.format) : undefined;
    if (!format) throw new ResponseError(-32602, `Unknown report format "${String(params?.format)}" (use ${Object.keys(REPORT_FORMAT_INFO).join(', ')}).`);
    const target = typeof params.target === 'string' ? pathOf(params.target) : undefined;
    if (!target) throw new ResponseError(-32602, 'The report needs a target: an absolute path or a file: URI.');

    const check = checkReportTarget(target, { force: params.overwrite === true });
    if (!check.ok) throw new ResponseError(-32602, `Not writing ${target}: ${check.reason}.`);

    const folderUris = (Array.isArray(params.folders) ? params.folders : await this.workspaceFolders()).filter((u): u is string => typeof u === 'string');
    const folders: string[] = [];
    const jobs: ScanJob[] = [];
    for (const uri of folderUris) {
      const folder = pathOf(uri);
      if (!folder) continue;
      folders.push(folder);
      const settings = await this.ctx.settings.get(uri.startsWith('file:') ? uri : pathToFileURL(folder).href);
      const configPath = settings.configPath.trim() ? path.resolve(folder, settings.configPath.trim()) : undefined;
      jobs.push({ inputs: [folder], workspaceRoot: folder, configPath });
    }
    const files = (Array.isArray(params.files) ? params.files : []).filter((u) => typeof u === 'string').map(pathOf).filter((p): p is string => p !== undefined);
    if (folders.length === 0 && files.length === 0) throw new ResponseError(-32602, 'Nothing to report on: open a folder (or pass folders or files).');

    if (files.length) jobs.push({ inputs: files, workspaceRoot: folders.length === 1 ? folders[0] : undefined });

    const openTexts: Record<string, string> = {};
    for (const document of this.ctx.documents.all()) {
      const file = uriToPath(document.uri);
      if (file) openTexts[file] = document.getText();
    }
    const inputs = [...folders, ...files];
    const input: WorkerInput = {
      kind: WORKER_KIND,
      jobs,
      openTexts,
      format,
      root: folders.length === 1 ? folders[0] : commonRoot(inputs.map((p) => (files.includes(p) ? path.dirname(p) : p))),
      name: typeof params.name === 'string' && params.name.trim() ? params.name : undefined,
      inputs,
      generatedAt: new Date().toISOString(),
    };

    const progress = this.ctx.connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('AI Use: report', 0, 'Finding documents...', true);
    try {
      if (token.isCancellationRequested) throw cancelled();
      const result = await this.runWorker(input, token, progress);
      if (token.isCancellationRequested) throw cancelled();
      if (result.files === 0) {
        throw new ResponseError(-32602, 'No Fountain or Markdown documents were found to report on.');
      }
      progress.report(100, `Writing ${path.basename(target)}`);
      // Again: the scan took a while and the file may have appeared meanwhile.
      const again = checkReportTarget(target, { force: params.overwrite === true });
      if (!again.ok) throw new ResponseError(-32602, `Not writing ${target}: ${again.reason}.`);
      try {
        writeFileAtomic(target, result.content, { overwrite: again.exists });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new ResponseError(-32603, `Could not write ${target}: ${code === 'EEXIST' ? 'a file appeared there while the report was being made' : (error as Error).message}`);
      }
      return { path: target, format, replaced: again.exists, documents: result.documents, uses: result.uses, findings: result.findings };
    } finally {
      progress.done();
    }
  }

  private runWorker(
    input: WorkerInput,
    token: CancellationToken,
    progress: WorkDoneProgressReporter,
  ): Promise<Extract<WorkerMessage, { type: 'result' }> & { files: number }> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      let total = 0;
      try {
        worker = new Worker(fileURLToPath(import.meta.url), { workerData: input });
      } catch {
        // No worker (an unusual embedding): scan on this thread; progress and cancellation are lost.
        try {
          const result = buildReportContent(input, () => {});
          resolve({ ...result, files: result.documents });
        } catch (error) {
          reject(new ResponseError(-32603, `The report failed: ${error instanceof Error ? error.message : String(error)}`));
        }
        return;
      }
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        subscription.dispose();
        void worker.terminate();
        fn();
      };
      const subscription = token.onCancellationRequested(() => finish(() => reject(cancelled())));
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'total') {
          total = m.total;
          progress.report(0, `${total} ${total === 1 ? 'document' : 'documents'}`);
        } else if (m.type === 'file') {
          if (total > 0) progress.report(Math.min(99, Math.floor((m.done / total) * 100)), `${m.done}/${total} ${path.basename(m.file)}`);
        } else if (m.type === 'result') {
          finish(() => resolve({ ...m, files: total }));
        } else if (m.type === 'error') {
          finish(() => reject(new ResponseError(-32603, `The report failed: ${m.message}`)));
        }
      });
      worker.on('error', (error) => finish(() => reject(new ResponseError(-32603, `The report failed: ${error.message}`))));
      worker.on('exit', (code) => finish(() => reject(new ResponseError(-32603, `The report worker stopped (exit code ${code}).`))));
    });
  }
}
