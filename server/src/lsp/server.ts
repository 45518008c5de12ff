// `ai-use-language-server`: the language server entry. Wiring only (the checks are the core's):
// one connection over stdio, IPC or a socket (createConnection reads `--stdio`, `--node-ipc`,
// `--socket=N` from argv), incrementally synced documents, and one module per feature.

import {
  createConnection,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { format } from 'node:util';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lineDocuments } from './lineDocuments.js';
import { VERSION } from '../core/package-info.js';
import { CodeActionsFeature } from './codeActions.js';
import { CommandsFeature, serverCommands } from './commands.js';
import { COMPLETION_TRIGGERS, CompletionFeature } from './completion.js';
import { ConfigWatchFeature } from './configWatch.js';
import { readClientFeatures, ServerContext } from './context.js';
import { DiagnosticsFeature } from './diagnostics.js';
import { HoverFeature } from './hover.js';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, SERVER_INFO_REQUEST, type InitializationOptions, type ServerInfo } from './protocol.js';
import { FramingGuard } from './framing.js';
import { isReportWorker, ReportFeature, runReportWorker } from './report.js';
import { isParseWorker, runParseWorker } from '../core/parse-budget.js';
import { StatsFeature } from './stats.js';
import { SymbolsFeature } from './symbols.js';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments<TextDocument>(lineDocuments);
  const ctx = new ServerContext(connection, documents);
  let hasWorkspaceFolders = false;
  let configWatch: ConfigWatchFeature | undefined;
  let initialized = false;

  // The features register their handlers on initialize: until then every request is answered
  // ServerNotInitialized (-32002), as the protocol says; after it, an unknown method is MethodNotFound.
  connection.onRequest((method) =>
    initialized
      ? new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`)
      : new ResponseError(ErrorCodes.ServerNotInitialized, `The server is not initialized: ${method} was sent before initialize`),
  );

  connection.onInitialize((params): InitializeResult => {
    initialized = true;
    ctx.features = readClientFeatures(params.capabilities, params.initializationOptions as InitializationOptions | undefined);
    hasWorkspaceFolders = params.capabilities.workspace?.workspaceFolders === true;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    ctx.configs.setWorkspaceFolders(folders);

    const diagnostics = new DiagnosticsFeature(ctx);
    diagnostics.register();
    configWatch = new ConfigWatchFeature(ctx, diagnostics);
    configWatch.register();
    new CodeActionsFeature(ctx).register();
    new HoverFeature(ctx).register();
    new CompletionFeature(ctx).register();
    new SymbolsFeature(ctx).register();
    new StatsFeature(ctx).register();
    new ReportFeature(ctx).register();
    new CommandsFeature(ctx).register();
    connection.onRequest(SERVER_INFO_REQUEST, (): ServerInfo => ({ pid: process.pid, version: VERSION }));

    const commands = serverCommands(ctx);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
        documentSymbolProvider: true,
        ...(commands.length > 0 ? { executeCommandProvider: { commands } } : {}),
        ...(ctx.features.pullDiagnostics
          ? { diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: false, workspaceDiagnostics: false } }
          : {}),
        workspace: hasWorkspaceFolders ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
      },
      serverInfo: { name: 'ai-use-language-server', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    void configWatch?.initialized(hasWorkspaceFolders);
  });

  documents.listen(connection);
  connection.listen();
}

/**
 * Over stdio the client's bytes go through the framing guard first (framing.ts): a malformed or
 * oversized message ends the session with the reason on stderr and exit code 1, and the client
 * restarts the server, rather than the server waiting forever or buffering without bound.
 */
function stdioConnection(): Connection {
  const guard = new FramingGuard();
  guard.on('error', (error) => {
    process.stderr.write(`ai-use-language-server: ${error.message}; ending the session.\n`);
    process.exit(1);
  });
  const connection = createConnection(ProposedFeatures.all, process.stdin.pipe(guard), process.stdout);
  // stdout carries the protocol: what the library does for `--stdio` itself, console output goes to the client's log.
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  return connection;
}

const TRANSPORT_FLAGS = /^--(stdio|node-ipc|socket=|pipe=|clientProcessId=)/;

function main(): void {
  // The same bundle is the report request's worker thread (report.ts) and the Markdown parser's
  // (core/parse-budget.ts).
  if (isReportWorker()) {
    runReportWorker();
    return;
  }
  if (isParseWorker()) {
    runParseWorker();
    return;
  }
  const args = process.argv.slice(2);
  if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (!args.some((a) => TRANSPORT_FLAGS.test(a)) && process.send === undefined) {
    process.stderr.write(
      `ai-use-language-server ${VERSION}: the AI-Use Lint language server.\n` +
        'Usage: ai-use-language-server --stdio   (or --node-ipc, --socket=<port>)\n',
    );
    process.exitCode = 2;
    return;
  }
  const connection = args.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all);
  // One bad request must not take every open editor's diagnostics down with it.
  process.on('uncaughtException', (error) => connection.console.error(`ai-use: ${error.stack ?? String(error)}`));
  process.on('unhandledRejection', (error) => connection.console.error(`ai-use: ${error instanceof Error ? error.stack : String(error)}`));
  startServer(connection);
}

main();
