// The `aiUse.*` settings, per document. Pulled with workspace/configuration when the client
// supports it (VS Code: per resource), otherwise taken from didChangeConfiguration's payload
// (Neovim, eglot send `{ aiUse: {...} }` there). Cached, so an edit never waits on a round trip.

import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type AiUseSettings } from './protocol.js';

function normalise(raw: unknown): AiUseSettings {
  const value = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    run: value.run === 'onSave' ? 'onSave' : 'onType',
    configPath: typeof value.configPath === 'string' ? value.configPath : DEFAULT_SETTINGS.configPath,
  };
}

export class SettingsStore {
  private readonly perDocument = new Map<string, Promise<AiUseSettings>>();
  /** Settings pushed by didChangeConfiguration, for clients without workspace/configuration. */
  private pushed: AiUseSettings = { ...DEFAULT_SETTINGS };

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  get(uri: string): Promise<AiUseSettings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    let settings = this.perDocument.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'aiUse' })
        .then(normalise, () => ({ ...DEFAULT_SETTINGS }));
      this.perDocument.set(uri, settings);
    }
    return settings;
  }

  /** The client says settings changed; `payload` is didChangeConfiguration's `settings`. */
  changed(payload: unknown): void {
    this.perDocument.clear();
    if (payload && typeof payload === 'object' && 'aiUse' in payload) {
      this.pushed = normalise((payload as { aiUse: unknown }).aiUse);
    }
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }
}
