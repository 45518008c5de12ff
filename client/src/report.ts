// "AI Use: Export Report...": pick a format, pick where to save it, and let the server scan the
// workspace and write the file (aiUse/report) under a cancellable progress notification; then offer
// to open it. Called with `{ format, target }` (the integration tests do), it skips the dialogs and
// the final message and returns the server's ReportResult.

import * as vscode from 'vscode';
import { State, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { REPORT_REQUEST, type ReportParams, type ReportResult } from '../../server/src/lsp/protocol.js';
import { hostFormatOf } from './hostFormats.js';

export const EXPORT_REPORT_COMMAND = 'aiUse.exportReport';

interface FormatChoice extends vscode.QuickPickItem {
  format: 'html' | 'md' | 'csv' | 'json' | 'sarif';
  extension: string;
  filter: string;
}

export const REPORT_FORMAT_CHOICES: readonly FormatChoice[] = [
  { format: 'html', extension: 'html', filter: 'HTML', label: 'HTML', description: 'printable page with charts', detail: 'One self-contained file for the showrunner, legal or the network: summary, GenAI cue sheet, findings.' },
  { format: 'md', extension: 'md', filter: 'Markdown', label: 'Markdown', description: 'for a repository or a wiki', detail: 'The same report as GitHub-flavoured Markdown tables.' },
  { format: 'csv', extension: 'csv', filter: 'CSV', label: 'CSV', description: 'GenAI cue sheet for spreadsheets', detail: 'One row per AI use: file, line, scene, timecode, kind, tool, prompt, source, disclosure, approval, consent, findings.' },
  { format: 'json', extension: 'json', filter: 'JSON', label: 'JSON', description: 'versioned schema, for scripts', detail: 'Everything in the report, as described by docs/report.schema.json.' },
  { format: 'sarif', extension: 'sarif', filter: 'SARIF', label: 'SARIF 2.1.0', description: 'code scanning', detail: 'The findings with rule help links, for GitHub code scanning and other SARIF viewers.' },
];

/** What the test hook (and other extensions) may pass instead of using the dialogs. */
export interface ExportReportArgs {
  format: string;
  /** Absolute path or file URI. */
  target: string;
  overwrite?: boolean;
}

function isArgs(value: unknown): value is ExportReportArgs {
  return !!value && typeof value === 'object' && typeof (value as ExportReportArgs).format === 'string' && typeof (value as ExportReportArgs).target === 'string';
}

/** `<workspace>-ai-use-report-<YYYY-MM-DD>.<ext>`, safe as a file name. */
export function defaultReportName(workspaceName: string | undefined, extension: string, date = new Date()): string {
  const base = (workspaceName ?? '').replace(/\s*\(workspace\)$/i, '').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'project';
  const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  return `${base}-ai-use-report-${day}.${extension}`;
}

/** The workspace's name without the " (Workspace)" VS Code adds to multi-root workspaces. */
function workspaceName(): string | undefined {
  return vscode.workspace.name?.replace(/\s*\(workspace\)$/i, '') || undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summary(result: ReportResult): string {
  const f = result.findings;
  const open = f.error + f.warning + f.info + f.hint;
  return `${plural(result.documents, 'document')}, ${plural(result.uses, 'AI use')}, ${plural(open, 'open finding')} (${plural(f.error, 'error')}, ${plural(f.warning, 'warning')})`;
}

/** What to scan: the workspace folders, or the open Fountain/Markdown files when no folder is open. */
function scope(): Pick<ReportParams, 'folders' | 'files'> | undefined {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.toString());
  if (folders.length) return { folders };
  const files = vscode.workspace.textDocuments
    .filter((d) => d.uri.scheme === 'file' && hostFormatOf(d) !== undefined)
    .map((d) => d.uri.toString());
  return files.length ? { folders: [], files } : undefined;
}

function defaultFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (folder) return folder.uri;
  return active?.scheme === 'file' ? vscode.Uri.joinPath(active, '..') : undefined;
}

async function runReport(client: LanguageClient, params: ReportParams, title: string): Promise<ReportResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const workDoneToken = `aiUse-report-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      let percentage = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const next = typeof value.percentage === 'number' ? value.percentage : percentage;
        progress.report({ message: value.message, increment: Math.max(0, next - percentage) });
        percentage = Math.max(percentage, next);
      });
      try {
        return await client.sendRequest<ReportResult>(REPORT_REQUEST, { ...params, workDoneToken }, token);
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        throw error;
      } finally {
        listener.dispose();
      }
    },
  );
}

async function openReport(result: ReportResult): Promise<void> {
  const uri = vscode.Uri.file(result.path);
  const actions = result.format === 'html' ? ['Open in Browser', 'Open in Editor'] : ['Open'];
  const choice = await vscode.window.showInformationMessage(`AI-use report written to ${vscode.workspace.asRelativePath(uri)}: ${summary(result)}.`, ...actions);
  if (choice === 'Open in Browser') await vscode.env.openExternal(uri);
  else if (choice === 'Open' || choice === 'Open in Editor') await vscode.window.showTextDocument(uri, { preview: false });
}

export function registerExportReport(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand(EXPORT_REPORT_COMMAND, async (arg?: unknown): Promise<ReportResult | undefined> => {
    const client = getClient();
    const hook = isArgs(arg) ? arg : undefined;
    if (!client || client.state !== State.Running) {
      const message = 'The AI-Use Lint server is not running: the report cannot be exported. Try "AI Use: Restart Server".';
      if (hook) throw new Error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    const what = scope();
    if (!what) {
      const message = 'Open a folder (or a Fountain or Markdown file) to export its AI-use report.';
      if (hook) throw new Error(message);
      void vscode.window.showInformationMessage(message);
      return undefined;
    }

    if (hook) {
      return runReport(client, { ...what, format: hook.format, target: hook.target, overwrite: hook.overwrite === true, name: workspaceName() }, 'AI Use: exporting the report');
    }

    const choice = await vscode.window.showQuickPick(REPORT_FORMAT_CHOICES, {
      title: 'AI Use: Export Report',
      placeHolder: 'Report format',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!choice) return undefined;
    const folder = defaultFolder();
    const name = defaultReportName(vscode.workspace.name, choice.extension);
    const target = await vscode.window.showSaveDialog({
      title: `Export the AI-use report (${choice.label})`,
      saveLabel: 'Export',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [choice.filter]: [choice.extension] },
    });
    if (!target) return undefined;
    if (target.scheme !== 'file') {
      void vscode.window.showErrorMessage(`The report can only be written to a local file, not ${target.toString()}.`);
      return undefined;
    }
    try {
      // The save dialog already asked before replacing an existing file.
      const result = await runReport(
        client,
        { ...what, format: choice.format, target: target.toString(), overwrite: true, name: workspaceName() },
        `AI Use: exporting ${choice.label} report`,
      );
      if (!result) {
        void vscode.window.showInformationMessage('AI-use report cancelled; nothing was written.');
        return undefined;
      }
      void openReport(result);
      return result;
    } catch (error) {
      void vscode.window.showErrorMessage(`AI-use report failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  });
}
