// The project config for each open document, through the same resolver and cache as the CLI
// (resolveConfigForDocument + ConfigCache), so the editor and CI never disagree. Documents see the
// config as saved on disk; an open config buffer gets its own diagnostics from its unsaved text.

import * as path from 'node:path';
import { ConfigCache, defaultConfig, excludedByConfig, loadConfigFile, resolveConfigForDocument, type ResolvedConfig } from '../core/config.js';
import type { Finding } from '../core/types.js';
import { isConfigPath, uriToPath } from './documentKind.js';
import type { AiUseSettings } from './protocol.js';

export class ProjectConfigs {
  readonly cache = new ConfigCache();
  private folders: string[] = [];
  /**
   * Config files the `**\/.ai-use.*` watcher of the workspace does not see: named by
   * aiUse.configPath, or found above the workspace folder. They get watchers of their own.
   */
  private readonly unwatched = new Set<string>();
  /** Called with each such config file the first time a document uses it. */
  onUnwatchedConfig: (file: string) => void = () => undefined;

  setWorkspaceFolders(uris: readonly string[]): void {
    this.folders = uris.map(uriToPath).filter((p): p is string => p !== undefined).map((p) => path.resolve(p));
  }

  /** The innermost workspace folder holding `file` (the base of a relative aiUse.configPath); undefined for a single file opened alone. */
  workspaceRootOf(file: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders) {
      const inside = file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
      if (inside && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }

  /** The config that governs a document, found as the CLI finds it (walking up to the filesystem root); the defaults for untitled documents. */
  forDocument(uri: string, settings: AiUseSettings): ResolvedConfig {
    const file = uriToPath(uri);
    const workspaceRoot = file ? this.workspaceRootOf(file) : this.folders[0];
    const configPath = settings.configPath.trim() || undefined;
    if (!file && !configPath) return defaultConfig();
    const config = resolveConfigForDocument(file ?? path.join(workspaceRoot ?? process.cwd(), 'untitled'), { workspaceRoot, configPath, cache: this.cache });
    if (config.path && (configPath || !this.workspaceRootOf(config.path))) this.noteUnwatched(path.resolve(config.path));
    return config;
  }

  /** Whether the config's include/exclude let a document be checked (untitled ones always are); the CLI's rule too. */
  includes(uri: string, config: ResolvedConfig): boolean {
    const file = uriToPath(uri);
    return !file || !excludedByConfig(file, config);
  }

  /** Problems in a config file, read from its (maybe unsaved) editor text. */
  configFindings(uri: string, text: string): Finding[] {
    const file = uriToPath(uri);
    if (!file) return [];
    return loadConfigFile(file, text).findings;
  }

  private noteUnwatched(file: string): void {
    if (this.unwatched.has(file)) return;
    this.unwatched.add(file);
    this.onUnwatchedConfig(file);
  }

  /** A `.ai-use.*` file, or a config file some document uses (aiUse.configPath). */
  isConfigFile(file: string): boolean {
    return isConfigPath(file) || this.unwatched.has(path.resolve(file));
  }

  /** A config file changed on disk (or was created or deleted). */
  invalidate(file?: string): void {
    this.cache.invalidate(file);
  }
}
