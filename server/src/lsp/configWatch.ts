// Keeps documents in step with the project config: a changed, created or deleted `.ai-use.*`
// (workspace/didChangeWatchedFiles, with the watcher registered dynamically when the client
// can), a saved config buffer (for clients that watch no files), changed `aiUse.*` settings or
// workspace folders: each revalidates every open document.

import { DidChangeWatchedFilesNotification, WatchKind } from 'vscode-languageserver';
import type { ServerContext } from './context.js';
import type { DiagnosticsFeature } from './diagnostics.js';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { uriToPath } from './documentKind.js';

export const CONFIG_GLOB = '**/.ai-use.{yaml,yml,json}';

export class ConfigWatchFeature {
  constructor(
    private readonly ctx: ServerContext,
    private readonly diagnostics: DiagnosticsFeature,
  ) {}

  register(): void {
    const { connection, documents } = this.ctx;
    connection.onDidChangeWatchedFiles((params) => {
      let relevant = false;
      for (const change of params.changes) {
        const file = uriToPath(change.uri);
        if (file && this.ctx.configs.isConfigFile(file)) {
          this.ctx.configs.invalidate(file);
          relevant = true;
        }
      }
      if (relevant) this.diagnostics.revalidateAll();
    });
    documents.onDidSave((e) => {
      const file = uriToPath(e.document.uri);
      if (file && this.ctx.configs.isConfigFile(file)) {
        this.ctx.configs.invalidate(file);
        this.diagnostics.revalidateAll();
      }
    });
    connection.onDidChangeConfiguration((params) => {
      this.ctx.settings.changed(params.settings);
      this.ctx.configs.invalidate();
      this.diagnostics.revalidateAll();
    });
  }

  /** After `initialized`: ask the client to watch config files, and follow workspace folders. */
  async initialized(hasWorkspaceFolderCapability: boolean): Promise<void> {
    const { connection } = this.ctx;
    if (this.ctx.features.watchedFilesRegistration) {
      // A config named by aiUse.configPath may have any name and live anywhere, and one found
      // above the workspace folder is outside the workspace watcher: watch each of them too.
      this.ctx.configs.onUnwatchedConfig = (file) => {
        void connection.client
          .register(DidChangeWatchedFilesNotification.type, {
            watchers: [{ globPattern: { baseUri: pathToFileURL(path.dirname(file)).href, pattern: path.basename(file) }, kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete }],
          })
          .catch((error: unknown) => connection.console.warn(`ai-use: could not watch ${file}: ${String(error)}`));
      };
      await connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: CONFIG_GLOB, kind: WatchKind.Create | WatchKind.Change | WatchKind.Delete }],
        })
        .catch((error: unknown) => connection.console.warn(`ai-use: could not watch config files: ${String(error)}`));
    }
    if (hasWorkspaceFolderCapability) {
      connection.workspace.onDidChangeWorkspaceFolders(async () => {
        const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
        this.ctx.configs.setWorkspaceFolders(folders.map((f) => f.uri));
        this.ctx.configs.invalidate();
        this.diagnostics.revalidateAll();
      });
    }
  }
}
