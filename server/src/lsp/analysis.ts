// The lint result of each open document, computed once per version and settings and shared by
// diagnostics, code actions, hover, completion, symbols and the status counts.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ResolvedConfig } from '../core/config.js';
import { ruleDocsUrl } from '../core/docs-url.js';
import { LineIndex } from '../core/line-index.js';
import { lintText, type DocumentResult } from '../core/lint.js';
import { isOurReportText } from '../core/report/write.js';
import type { Finding, HostFormat } from '../core/types.js';
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

  constructor(private readonly configs: ProjectConfigs) {}

  get(document: TextDocument, format: HostFormat, settings: AiUseSettings): Analysis {
    const cached = this.cache.get(document.uri);
    if (cached && cached.analysis.version === document.version && cached.settings === settings) return cached.analysis;
    const text = document.getText();
    const config = this.configs.forDocument(document.uri, settings);
    // An earlier ai-use report opened in the editor is output, not a document: no findings on it.
    const included = this.configs.includes(document.uri, config) && !isOurReportText(text);
    let result: DocumentResult;
    try {
      result = lintText(text, format, config);
    } catch (error) {
      // A bug in a rule must not take the server down: say so on the document instead.
      result = failedResult(text, format, error);
    }
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      result,
      config,
      index: new LineIndex(text),
      included,
      findings: included ? result.findings : [],
    };
    this.cache.set(document.uri, { analysis, settings });
    return analysis;
  }

  /** The last analysis of a document, whatever its version (for requests that cannot wait). */
  peek(uri: string): Analysis | undefined {
    return this.cache.get(uri)?.analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}

function failedResult(text: string, format: HostFormat, error: unknown): DocumentResult {
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
        message: `AI-Use Lint could not check this document (${error instanceof Error ? error.message : String(error)}). Please report this.`,
        range: zero,
        docs: ruleDocsUrl('core/not-checked'),
        fixes: [],
      },
    ],
  };
}
