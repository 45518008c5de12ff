// What every feature of the server shares: the connection, the open documents, settings, configs
// and the per-version lint results, plus what the client said it supports.

import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, type Analysis } from './analysis.js';
import { documentKind } from './documentKind.js';
import { ProjectConfigs } from './projectConfig.js';
import type { InitializationOptions } from './protocol.js';
import { SettingsStore } from './settings.js';

export interface ClientFeatures {
  /** The client pulls diagnostics (textDocument/diagnostic); we push otherwise. */
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  snippetEdits: boolean;
  documentChanges: boolean;
  hierarchicalSymbols: boolean;
  configurationPull: boolean;
  watchedFilesRegistration: boolean;
  showDocument: boolean;
  codeDescription: boolean;
  /** Commands the client runs itself (initializationOptions.clientCommands). */
  clientCommands: string[];
  /** Send aiUse/documentStatsChanged (the VS Code client's status bar asks for it). */
  statsNotifications: boolean;
}

export function readClientFeatures(capabilities: ClientCapabilities, options: InitializationOptions | undefined): ClientFeatures {
  const text = capabilities.textDocument;
  const workspace = capabilities.workspace;
  return {
    pullDiagnostics: text?.diagnostic !== undefined,
    diagnosticRefresh: workspace?.diagnostics?.refreshSupport === true,
    snippetEdits: (workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport === true && workspace?.workspaceEdit?.documentChanges === true,
    documentChanges: workspace?.workspaceEdit?.documentChanges === true,
    hierarchicalSymbols: text?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
    configurationPull: workspace?.configuration === true,
    watchedFilesRegistration: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    showDocument: capabilities.window?.showDocument?.support === true,
    codeDescription: text?.publishDiagnostics?.codeDescriptionSupport !== false,
    clientCommands: Array.isArray(options?.clientCommands) ? options.clientCommands.filter((c) => typeof c === 'string') : [],
    statsNotifications: (options as { statsNotifications?: unknown } | undefined)?.statsNotifications === true,
  };
}

export class ServerContext {
  readonly configs = new ProjectConfigs();
  readonly analyzer = new Analyzer(this.configs);
  readonly settings: SettingsStore;
  features!: ClientFeatures;

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
  ) {
    this.settings = new SettingsStore(connection, () => this.features?.configurationPull === true);
  }

  /**
   * The lint result for an open Fountain or Markdown document; undefined for anything else or when
   * disabled. `wait: false` (hover, completion, symbols) answers undefined rather than wait for a
   * large Markdown document that is being parsed.
   */
  async analysisOf(uri: string, { wait = true }: { wait?: boolean } = {}): Promise<Analysis | undefined> {
    try {
      if (!this.documents.get(uri)) return undefined;
      const settings = await this.settings.get(uri);
      const document = this.documents.get(uri);
      if (!document || !settings.enable) return undefined;
      const kind = documentKind(document.uri, document.languageId);
      if (kind.type !== 'document') return undefined;
      return wait ? await this.analyzer.get(document, kind.format, settings) : this.analyzer.now(document, kind.format, settings);
    } catch (error) {
      this.connection.console.error(`ai-use: analysing ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return undefined;
    }
  }
}
