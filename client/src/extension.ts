// The VS Code client: starts the language server (dist/server.cjs over IPC), restarts it with a
// visible message when it crashes, registers the commands and keeps the status bar item in step
// with the active document. Everything that checks anything lives in the server.

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  DOCUMENT_STATS_NOTIFICATION,
  DOCUMENT_STATS_REQUEST,
  SERVER_INFO_REQUEST,
  SHOW_DOCUMENTATION_COMMAND,
  type DocumentStats,
  type InitializationOptions,
  type ServerInfo,
} from '../../server/src/lsp/protocol.js';
import { HOST_FORMATS, hostDocumentSelector, hostFormatOf } from './hostFormats.js';
import { EXPORT_REPORT_COMMAND, registerExportReport } from './report.js';
import { ruleDocsPath } from '../../server/src/core/docs-url.js';

const CLIENT_ID = 'aiUse';
const DOCUMENT_SCHEMES = ['file', 'untitled', 'vscode-vfs'];
const CLIENT_NAME = 'AI-Use Lint';
export { EXPORT_REPORT_COMMAND };
/** Returns what the status bar item shows ({ text, tooltip, visible }); for tests and other extensions. */
export const STATUS_TEXT_COMMAND = 'aiUse.statusText';

let client: LanguageClient | undefined;

/** Crashes within this window count towards giving up, as vscode-eslint does. */
const CRASH_WINDOW_MS = 3 * 60 * 1000;
const MAX_RESTARTS = 4;

class RestartingErrorHandler implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly output: vscode.OutputChannel) {}

  error(): ErrorHandlerResult {
    // A single bad message is not a crash: keep the connection.
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length > MAX_RESTARTS) {
      void this.notify(`The ${CLIENT_NAME} server crashed ${this.crashes.length} times in the last 3 minutes and will not be restarted. Use "AI Use: Restart Server" after fixing the cause.`, true);
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    void this.notify(`The ${CLIENT_NAME} server stopped unexpectedly and was restarted.`, false);
    return { action: CloseAction.Restart, handled: true };
  }

  /** The last notification shown, for `aiUse.lastNotice` (notifications cannot be read through the API). */
  lastNotice: { message: string; severity: 'error' | 'warning'; actions: string[] } | undefined;

  private async notify(message: string, isError: boolean): Promise<void> {
    this.lastNotice = { message, severity: isError ? 'error' : 'warning', actions: ['Show Output'] };
    const show = isError ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    if ((await show(message, 'Show Output')) === 'Show Output') this.output.show(true);
  }
}

function statusText(stats: DocumentStats): { text: string; tooltip: string } {
  const open = stats.errors + stats.warnings + stats.infos + stats.hints;
  const uses = `${stats.uses} AI ${stats.uses === 1 ? 'use' : 'uses'}`;
  const parts = [`$(sparkle) ${stats.uses}`];
  if (stats.errors) parts.push(`$(error) ${stats.errors}`);
  if (stats.warnings) parts.push(`$(warning) ${stats.warnings}`);
  if (stats.infos + stats.hints) parts.push(`$(info) ${stats.infos + stats.hints}`);
  if (open === 0) parts.push('$(check)');
  return {
    text: parts.join(' '),
    tooltip: `${uses}, ${open} open ${open === 1 ? 'finding' : 'findings'} (${stats.errors} errors, ${stats.warnings} warnings, ${stats.infos + stats.hints} info). Click to export the AI-use report.`,
  };
}

class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('aiUse.status', vscode.StatusBarAlignment.Right, 100);
  private readonly latest = new Map<string, DocumentStats>();
  private visible = false;

  constructor() {
    this.item.name = CLIENT_NAME;
    this.item.command = EXPORT_REPORT_COMMAND;
  }

  /** A count from the server (a notification after each check, or the answer to our request). */
  update(stats: DocumentStats | null, uri?: string): void {
    if (stats?.disabled) this.latest.delete(stats.uri);
    else if (stats) this.latest.set(stats.uri, stats);
    else if (uri) this.latest.delete(uri);
    this.render();
  }

  forget(uri: string): void {
    this.latest.delete(uri);
  }

  render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const stats = uri ? this.latest.get(uri) : undefined;
    if (!stats) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const { text, tooltip } = statusText(stats);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = stats.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
    this.visible = true;
  }

  /** What the item shows now (the status bar is not readable through the API). */
  snapshot(): { text: string; tooltip: string; visible: boolean } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '', visible: this.visible };
  }

  dispose(): void {
    this.item.dispose();
  }
}

async function requestStats(status: StatusBar): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!client || !document || client.state !== State.Running) {
    status.render();
    return;
  }
  const uri = document.uri.toString();
  try {
    const stats = await client.sendRequest<DocumentStats | null>(DOCUMENT_STATS_REQUEST, { uri });
    status.update(stats, uri);
  } catch {
    status.render();
  }
}

const KIND_CHOICES = 'image.generated,image.composite,image.enhanced,image.concept,video.generated,video.composite,video.enhanced,audio.voice-clone,audio.voice-synthetic,audio.dub,audio.music,audio.sfx,audio.enhanced,likeness.replica,likeness.de-age,likeness.face-swap,likeness.lip-sync,performer.synthetic,text.ideation,text.draft,text.rewrite,text.translation,text.transcription,text.research';

async function insertTag(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const body = `ai: \${1|${KIND_CHOICES}|}; tool: \${2:tool and version}; stage: \${3|final,temp,pitch,development,ideation|}; disclosure: \${4|on-screen,credits,narration,cue-sheet,platform,none|}$0`;
  // The tag as the document's format writes one (the first format's for any other document).
  const [before, after] = hostFormatOf(editor.document)?.tagAround ?? HOST_FORMATS[0].tagAround ?? ['', ''];
  const snippet = `${before}${body}${after}`;
  await editor.insertSnippet(new vscode.SnippetString(snippet));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status);

  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions & { statsNotifications: boolean } = {
    clientCommands: [SHOW_DOCUMENTATION_COMMAND],
    statsNotifications: true,
  };
  const errorHandler = new RestartingErrorHandler(output);
  const clientOptions: LanguageClientOptions = {
    // Files, unsaved buffers and virtual workspaces; not the read-only copies VS Code shows in
    // diff views (git:), notebook cells or output panes, which would repeat every finding.
    documentSelector: [...hostDocumentSelector(DOCUMENT_SCHEMES), ...DOCUMENT_SCHEMES.map((scheme) => ({ scheme, pattern: '**/.ai-use.{yaml,yml,json}' }))],
    synchronize: { configurationSection: 'aiUse' },
    initializationOptions,
    outputChannel: output,
    errorHandler,
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('aiUse.insertTag', insertTag),
    vscode.commands.registerCommand('aiUse.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('aiUse.restartServer', async () => {
      if (!client) return;
      output.appendLine('Restarting the server (AI Use: Restart Server).');
      await client.restart();
      await requestStats(status);
    }),
    vscode.commands.registerCommand(SHOW_DOCUMENTATION_COMMAND, async (ruleId?: unknown, url?: unknown) => {
      // A built-in rule's page ships inside the extension (docs/rules/): open it in the Markdown
      // preview, offline. Custom rules (and a page that is missing) fall back to their address.
      const page = typeof ruleId === 'string' ? await bundledDocsPage(context.extensionUri, ruleId) : undefined;
      if (page) await vscode.commands.executeCommand('markdown.showPreview', page);
      else if (typeof url === 'string' && /^https?:\/\//.test(url)) await vscode.env.openExternal(vscode.Uri.parse(url));
      else void vscode.window.showInformationMessage(`No documentation page for ${String(ruleId)}.`);
      return page?.toString();
    }),
    vscode.commands.registerCommand(STATUS_TEXT_COMMAND, () => status.snapshot()),
    // For tests and bug reports: the server process, and the last crash notice shown.
    vscode.commands.registerCommand('aiUse.serverInfo', () => (client?.state === State.Running ? client.sendRequest<ServerInfo>(SERVER_INFO_REQUEST) : undefined)),
    vscode.commands.registerCommand('aiUse.lastNotice', () => errorHandler.lastNotice),
    registerExportReport(() => client),
    vscode.window.onDidChangeActiveTextEditor(() => void requestStats(status)),
    vscode.workspace.onDidCloseTextDocument((d) => status.forget(d.uri.toString())),
    client.onNotification(DOCUMENT_STATS_NOTIFICATION, (stats: DocumentStats) => status.update(stats)),
    client,
  );

  try {
    await client.start();
    await requestStats(status);
  } catch (error) {
    output.appendLine(`The server could not start: ${error instanceof Error ? error.stack : String(error)}`);
    void vscode.window.showErrorMessage(`The ${CLIENT_NAME} server could not start.`, 'Show Output').then((choice) => choice && output.show(true));
  }
}

/** The rule's page inside the extension (docs/rules/<pack>/<rule>.md), when there is one. */
async function bundledDocsPage(extensionUri: vscode.Uri, ruleId: string): Promise<vscode.Uri | undefined> {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(ruleId)) return undefined;
  const page = vscode.Uri.joinPath(extensionUri, ruleDocsPath(ruleId));
  try {
    await vscode.workspace.fs.stat(page);
    return page;
  } catch {
    return undefined;
  }
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
