// A real JSON-RPC LSP client for the tests: spawns `node dist/server.cjs --stdio`, answers the
// server's requests (workspace/configuration, client/registerCapability...) and records what
// it pushes (diagnostics, refresh requests, custom notifications).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER = path.join(ROOT, 'dist/server.cjs');

/** npm test builds first; a lone run of this file builds when the bundle is missing. */
export function ensureBuilt(): void {
  if (existsSync(SERVER)) return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

export interface ClientOptions {
  pull?: boolean;
  snippets?: boolean;
  configurationPull?: boolean;
  hierarchicalSymbols?: boolean;
  watchedFilesRegistration?: boolean;
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  rootUri?: string | null;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** The server to start, with its arguments (default: node dist/server.cjs --stdio). */
  command?: [string, ...string[]];
}

export function capabilities(options: ClientOptions): ClientCapabilities {
  return {
    workspace: {
      configuration: options.configurationPull ?? true,
      workspaceFolders: true,
      didChangeWatchedFiles: { dynamicRegistration: options.watchedFilesRegistration ?? true },
      diagnostics: options.pull ? { refreshSupport: true } : undefined,
      workspaceEdit: { documentChanges: true, ...(options.snippets ? { snippetEditSupport: true } : {}) },
    },
    textDocument: {
      synchronization: { didSave: true, dynamicRegistration: false },
      publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true, relatedInformation: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true, dataSupport: true },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
      documentSymbol: { hierarchicalDocumentSymbolSupport: options.hierarchicalSymbols ?? true },
      ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
    window: { showDocument: { support: true } },
  };
}

interface Waiter<T> {
  test: (value: T) => boolean;
  resolve: (value: T) => void;
}

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** window/logMessage from the server (its console). */
  readonly logs: { type: number; message: string }[] = [];
  refreshes = 0;
  settings: Record<string, unknown>;
  stderr = '';
  private readonly diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private readonly versions = new Map<string, number>();

  constructor(readonly options: ClientOptions = {}) {
    this.settings = { enable: true, run: 'onType', configPath: '', ...options.settings };
    const [command, ...args] = options.command ?? [process.execPath, SERVER, '--stdio'];
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (const waiter of [...this.diagnosticWaiters]) {
        if (waiter.test(params)) {
          this.diagnosticWaiters.splice(this.diagnosticWaiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => void this.logs.push(params));
    this.connection.onNotification('aiUse/documentStatsChanged', (params: unknown) => void this.notifications.push({ method: 'aiUse/documentStatsChanged', params }));
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'aiUse' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('window/showDocument', () => ({ success: true }));
    this.connection.listen();
  }

  async initialize(rootUri: string | null = null): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'test' }] : null,
      capabilities: capabilities(this.options),
      initializationOptions: this.options.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The next publishDiagnostics for `uri` (and `version`, when given) from now on, or one already received. */
  diagnostics(uri: string, version?: number, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    const test = (p: PublishDiagnosticsParams) => p.uri === uri && (version === undefined || p.version === version);
    const seen = [...this.published].reverse().find(test);
    if (seen && version !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.diagnosticWaiters.push({
        test,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** The next publishDiagnostics for `uri` that passes `test`. */
  diagnosticsWhere(uri: string, test: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; stderr: ${this.stderr}`)), timeoutMs);
      this.diagnosticWaiters.push({
        test: (p) => p.uri === uri && test(p),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental edits, as VS Code does; returns the new version. */
  async change(uri: string, edits: readonly { range: Range; text: string }[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.text })),
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Sorts edits back to front, so applying one does not move the ranges of the others (LSP rule: all ranges refer to the original). */
export function editsBackToFront<T extends { range: Range }>(edits: readonly T[]): T[] {
  // Two inserts at one point keep their order: the later one goes in first.
  return edits
    .map((edit, order) => ({ edit, order }))
    .sort((a, b) => b.edit.range.start.line - a.edit.range.start.line || b.edit.range.start.character - a.edit.range.start.character || b.order - a.order)
    .map((e) => e.edit);
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

export type { Diagnostic, TextEdit };
