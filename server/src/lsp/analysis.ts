// The lint result of each open document, computed once per version and settings and shared by
// diagnostics, code actions, hover, completion, symbols and the status counts.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ResolvedConfig } from '../core/config.js';
import { ruleDocsUrl } from '../core/docs-url.js';
import { adapterFor } from '../core/hosts/index.js';
import { LineIndex } from '../core/line-index.js';
import { lintParsed, lintText, type DocumentResult } from '../core/lint.js';
import { MarkdownParser } from '../core/parse-budget.js';
import { isOurReportText } from '../core/report/write.js';
import type { Finding, HostFormat } from '../core/types.js';
import { syncProblemOf } from './lineDocuments.js';
import type { AiUseSettings } from './protocol.js';
import type { ProjectConfigs } from './projectConfig.js';

export interface Analysis {
  uri: string;
  version: number;
  result: DocumentResult;
  config: ResolvedConfig;
  index: LineIndex;
  /** False when the config's include/exclude leave the document out, or it is one of our reports: no findings shown. */
  included: boolean;
  /** What the user sees: the findings, or none when the document is not included. */
  findings: Finding[];
}

export class Analyzer {
  private readonly cache = new Map<string, { analysis: Analysis; settings: AiUseSettings }>();
  /** Large Markdown documents being parsed in the worker, by URI. */
  private readonly inFlight = new Map<string, { version: number; settings: AiUseSettings; done: Promise<Analysis> }>();
  private readonly markdown = new MarkdownParser();

  constructor(private readonly configs: ProjectConfigs) {}

  /** The analysis of this version, computing it if needed (large Markdown off the main thread). */
  async get(document: TextDocument, format: HostFormat, settings: AiUseSettings): Promise<Analysis> {
    const ready = this.now(document, format, settings);
    if (ready) return ready;
    const running = this.inFlight.get(document.uri);
    if (running && running.version === document.version && running.settings === settings) return running.done;
    const text = document.getText();
    const { uri, version } = document;
    const done = this.markdown.parse(text).then((doc) => {
      const analysis = this.analyse(uri, version, text, format, settings, () => lintParsed(doc, this.config(uri, settings)));
      if (this.inFlight.get(uri)?.done === done) this.inFlight.delete(uri);
      return analysis;
    });
    this.inFlight.set(uri, { version, settings, done });
    return done;
  }

  /**
   * The analysis of this version if it is ready or cheap to compute now; undefined while a large
   * Markdown document is being parsed (hover and completion answer without waiting for it).
   */
  now(document: TextDocument, format: HostFormat, settings: AiUseSettings): Analysis | undefined {
    const cached = this.cache.get(document.uri);
    if (cached && cached.analysis.version === document.version && cached.settings === settings) return cached.analysis;
    const text = document.getText();
    const unsynced = syncProblemOf(document);
    if (unsynced !== undefined) {
      const message = `AI-Use Lint did not check this document: the editor's text and the server's no longer agree (${unsynced}). Close and reopen the document to check it again.`;
      return this.analyse(document.uri, document.version, text, format, settings, () => notCheckedResult(text, format, message));
    }
    if (adapterFor(format).parseOffThread && this.markdown.guards(text)) return undefined;
    return this.analyse(document.uri, document.version, text, format, settings, () => lintText(text, format, this.config(document.uri, settings)));
  }

  private config(uri: string, settings: AiUseSettings): ResolvedConfig {
    return this.configs.forDocument(uri, settings);
  }

  private analyse(uri: string, version: number, text: string, format: HostFormat, settings: AiUseSettings, lint: () => DocumentResult): Analysis {
    const config = this.config(uri, settings);
    // An earlier ai-use report opened in the editor is output, not a document: no findings on it.
    const included = this.configs.includes(uri, config) && !isOurReportText(text);
    let result: DocumentResult;
    try {
      result = lint();
    } catch (error) {
      // A bug in a rule must not take the server down: say so on the document instead.
      result = failedResult(text, format, error);
    }
    const analysis: Analysis = { uri, version, result, config, index: LineIndex.of(text), included, findings: included ? result.findings : [] };
    // A parse that finished after a newer version was analysed must not replace it.
    const cached = this.cache.get(uri);
    if (!cached || cached.analysis.version <= version) this.cache.set(uri, { analysis, settings });
    return analysis;
  }

  /** The last analysis of a document, whatever its version (for requests that cannot wait). */
  peek(uri: string): Analysis | undefined {
    return this.cache.get(uri)?.analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.inFlight.delete(uri);
  }

  clear(): void {
    this.cache.clear();
    this.inFlight.clear();
  }
}

function failedResult(text: string, format: HostFormat, error: unknown): DocumentResult {
  return notCheckedResult(text, format, `AI-Use Lint could not check this document (${error instanceof Error ? error.message : String(error)}). Please report this.`);
}

function notCheckedResult(text: string, format: HostFormat, message: string): DocumentResult {
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    format,
    genre: 'scripted',
    guidelines: [],
    doc: { format, text, metadata: new Map(), tags: [], directives: [], outline: [], prose: [], problems: [] },
    findings: [
      {
        ruleId: 'core/not-checked',
        severity: 'error',
        message,
        range: zero,
        docs: ruleDocsUrl('core/not-checked'),
        fixes: [],
      },
    ],
  };
}
