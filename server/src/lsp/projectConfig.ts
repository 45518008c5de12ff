// The project config for each open document, through the same resolver and cache as the CLI
// (resolveConfigForDocument + ConfigCache), so the editor and CI never disagree. Documents see the
// config as saved on disk; an open config buffer gets its own diagnostics from its unsaved text.

import * as path from 'node:path';
import { ConfigCache, defaultConfig, isIncluded, loadConfigFile, resolveConfigForDocument, type ResolvedConfig } from '../core/config.js';
import type { Finding } from '../core/types.js';
import { isConfigPath, uriToPath } from './documentKind.js';
import type { AiUseSettings } from './protocol.js';

export class ProjectConfigs {
  readonly cache = new ConfigCache();
  private folders: string[] = [];
  /** Config files named by the aiUse.configPath setting: watched like `.ai-use.*` files. */
  private readonly explicit = new Set<string>();
  /** Called with each explicit config file the first time a document uses it. */
  onExplicitConfig: (file: string) => void = () => undefined;

  setWorkspaceFolders(uris: readonly string[]): void {
    this.folders = uris.map(uriToPath).filter((p): p is string => p !== undefined).map((p) => path.resolve(p));
  }

  /** The innermost workspace folder holding `file`; undefined for a single file opened alone. */
  workspaceRootOf(file: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) {
      const inside = file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
      if (inside && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }

  /** The config that governs a document; the defaults for untitled documents. */
  forDocument(uri: string, settings: AiUseSettings): ResolvedConfig {
    const file = uriToPath(uri);
    const workspaceRoot = file ? this.workspaceRootOf(file) : this.folders[0];
    const configPath = settings.configPath.trim() || undefined;
    if (configPath) this.noteExplicit(path.resolve(workspaceRoot ?? process.cwd(), configPath));
    if (!file) {
      return configPath ? resolveConfigForDocument(path.join(workspaceRoot ?? process.cwd(), 'untitled'), { workspaceRoot, configPath, cache: this.cache }) : defaultConfig();
    }
    return resolveConfigForDocument(file, { workspaceRoot, configPath, cache: this.cache });
  }

  /** Whether the config's include/exclude let a document be checked (untitled ones always are). */
  includes(uri: string, config: ResolvedConfig): boolean {
    const file = uriToPath(uri);
    if (!file || !config.path) return true;
    return isIncluded(path.relative(path.dirname(config.path), file), config);
  }

  /** Problems in a config file, read from its (maybe unsaved) editor text. */
  configFindings(uri: string, text: string): Finding[] {
    const file = uriToPath(uri);
    if (!file) return [];
    return loadConfigFile(file, text).findings;
  }

  private noteExplicit(file: string): void {
    if (this.explicit.has(file)) return;
    this.explicit.add(file);
    this.onExplicitConfig(file);
  }

  /** A `.ai-use.*` file, or a file some document's aiUse.configPath names. */
  isConfigFile(file: string): boolean {
    return isConfigPath(file) || this.explicit.has(path.resolve(file));
  }

  /** A config file changed on disk (or was created or deleted). */
  invalidate(file?: string): void {
    this.cache.invalidate(file);
  }
}
