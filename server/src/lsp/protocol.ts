// What the VS Code client and the server agree on beyond LSP: custom messages, command ids and
// initialization options. No `vscode` import here: the client bundle and the server both use it.

/** Diagnostic source, and the suffix of `source.fixAll.ai-use`. */
export const DIAGNOSTIC_SOURCE = 'ai-use';

export const FIX_ALL_KIND = 'source.fixAll.ai-use';

/** Opens a rule's docs page. Arguments: [ruleId, docsUrl]. */
export const SHOW_DOCUMENTATION_COMMAND = 'aiUse.showDocumentation';

/**
 * Sent by the client in `initializationOptions`. Commands listed here are run by the client;
 * for any other client (Neovim, Helix...) the server runs them itself through window/showDocument.
 */
export interface InitializationOptions {
  clientCommands?: string[];
}

/** Uses and open findings of one document, for the status bar. */
export interface DocumentStats {
  uri: string;
  /** The document version the counts are for. */
  version: number;
  /** AI-use tags in the document. */
  uses: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** True when the document is not checked (aiUse.enable is off): the status bar hides. */
  disabled?: boolean;
}

/** Request `aiUse/documentStats` {uri} -> DocumentStats | null (null: not a document we check). */
export const DOCUMENT_STATS_REQUEST = 'aiUse/documentStats';

/** Notification `aiUse/documentStats` sent after every validation, so the status bar follows edits. */
export const DOCUMENT_STATS_NOTIFICATION = 'aiUse/documentStatsChanged';

/** The `aiUse.*` settings the server reads. */
export interface AiUseSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  /** A config file for every document, absolute or relative to the workspace folder. */
  configPath: string;
}

export const DEFAULT_SETTINGS: AiUseSettings = { enable: true, run: 'onType', configPath: '' };

/**
 * Request `aiUse/report` ReportParams -> ReportResult: the server scans the workspace folders (the
 * open documents' text wins over the disk) with the CLI's code and writes the report to `target`
 * atomically. Progress through `workDoneToken` ($/progress); $/cancelRequest stops it and
 * writes nothing. Errors: a ResponseError whose message says why (target refused, nothing found).
 */
export const REPORT_REQUEST = 'aiUse/report';

export interface ReportParams {
  /** html | md | csv | json | sarif (`markdown` reads as md). */
  format: string;
  /** Absolute file path or `file:` URI of the report to write. */
  target: string;
  /** Folders (URIs) to scan; default: the client's workspace folders. */
  folders?: string[];
  /** Single files (URIs) to add, e.g. the open documents when no folder is open. */
  files?: string[];
  /** Replace `target` even if it is not an earlier report (the user confirmed it in a save dialog). */
  overwrite?: boolean;
  /** Project name in the report title (default: the folder's name). */
  name?: string;
  workDoneToken?: string | number;
}

export interface ReportResult {
  /** Absolute path of the written file. */
  path: string;
  format: string;
  /** True when an existing file was replaced. */
  replaced: boolean;
  documents: number;
  uses: number;
  findings: { error: number; warning: number; info: number; hint: number };
}

/** Request `aiUse/serverInfo` -> ServerInfo: which server process answers (for the client's tests and logs). */
export const SERVER_INFO_REQUEST = 'aiUse/serverInfo';

export interface ServerInfo {
  pid: number;
  version: string;
}
