// Findings to LSP diagnostics, pushed or pulled. Pushed (publishDiagnostics with the document
// version) on open, change and save, because Neovim 0.7 and eglot 1.9 have no pull diagnostics;
// served on textDocument/diagnostic instead when the client advertises it. Validation runs for the
// newest version only: after an open or save on the next turn of the event loop, after a change
// once no other change has arrived for CHANGE_SETTLE_MS, so a burst of edits (a paste, a
// replace-all, a client replaying history) is checked once at its end, not once per edit.

import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { ruleDocsUrl } from '../core/docs-url.js';
import { httpUrl } from '../core/links.js';
import type { Finding, Severity } from '../core/types.js';
import type { Analysis } from './analysis.js';
import type { ServerContext } from './context.js';
import { documentKind } from './documentKind.js';
import { newSyncProblem } from './lineDocuments.js';
import { DIAGNOSTIC_SOURCE, DOCUMENT_STATS_NOTIFICATION, type DocumentStats } from './protocol.js';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What code actions need back from a diagnostic: the rule, the tag, the document version. */
export interface DiagnosticData {
  ruleId: string;
  tagIndex?: number;
  version: number;
  /** Index of the finding in the analysis of `version`. */
  finding: number;
}

export function citation(finding: Finding): string | undefined {
  const source = finding.source;
  if (!source) return undefined;
  return [source.title, source.facts].filter((s) => s && s.trim() !== '').join(', ');
}

export function toDiagnostic(finding: Finding, version: number, findingIndex: number): Diagnostic {
  const cite = citation(finding);
  const data: DiagnosticData = { ruleId: finding.ruleId, tagIndex: finding.tagIndex, version, finding: findingIndex };
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITIES[finding.severity] ?? DiagnosticSeverity.Warning,
    code: finding.ruleId,
    source: DIAGNOSTIC_SOURCE,
    // The citation goes in the message: relatedInformation needs a location in a document, and
    // a guideline is a web page; every client shows the message.
    message: cite ? `${finding.message} (Source: ${cite})` : finding.message,
    data,
  };
  const docs = httpUrl(finding.docs);
  if (docs) diagnostic.codeDescription = { href: docs };
  return diagnostic;
}

/**
 * The most diagnostics sent for one document. A tag-dense 50 MB document had more findings than
 * JSON.stringify can write in one message, so it never got any; past this cap the most severe are
 * sent (in document order within a severity) and one more diagnostic says how many are not shown.
 */
export const MAX_DIAGNOSTICS = 1000;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function diagnosticsOf(analysis: Analysis): Diagnostic[] {
  const findings = analysis.findings;
  if (findings.length <= MAX_DIAGNOSTICS) return findings.map((f, i) => toDiagnostic(f, analysis.version, i));
  const bySeverity = findings.map((_, i) => i).sort((a, b) => SEVERITY_RANK[findings[a].severity] - SEVERITY_RANK[findings[b].severity] || a - b);
  const shown = bySeverity.slice(0, MAX_DIAGNOSTICS).sort((a, b) => a - b);
  const hidden = bySeverity.slice(MAX_DIAGNOSTICS);
  const firstHidden = findings[hidden.reduce((a, b) => Math.min(a, b))];
  const count = hidden.length.toLocaleString('en-US');
  const more: Diagnostic = {
    range: firstHidden.range,
    severity: SEVERITIES[findings[hidden[0]].severity],
    code: 'core/not-checked',
    source: DIAGNOSTIC_SOURCE,
    codeDescription: { href: ruleDocsUrl('core/not-checked') },
    message: `${count} more finding${hidden.length === 1 ? ' is' : 's are'} not shown: the editor gets at most ${MAX_DIAGNOSTICS.toLocaleString('en-US')} per document, the most severe first (the first one not shown is here). \`ai-use check\` lists them all.`,
  };
  return [...shown.map((i) => toDiagnostic(findings[i], analysis.version, i)), more];
}

export function statsOf(analysis: Analysis): DocumentStats {
  const count = (s: Severity) => analysis.findings.filter((f) => f.severity === s).length;
  return {
    uri: analysis.uri,
    version: analysis.version,
    uses: analysis.included ? analysis.result.doc.tags.length : 0,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    hints: count('hint'),
  };
}

/** Quiet time after a change before it is checked: well inside the 30 ms edit-to-diagnostics budget. */
export const CHANGE_SETTLE_MS = 8;

export class DiagnosticsFeature {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private settleTimer: NodeJS.Timeout | undefined;
  /** onSave mode: what was last reported, served to pulls until the next save. */
  private readonly lastReport = new Map<string, Diagnostic[]>();
  private readonly published = new Set<string>();

  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    const { documents, connection } = this.ctx;
    documents.onDidOpen((e) => this.documentOpenedOrSaved(e.document.uri));
    documents.onDidChangeContent((e) => this.documentChanged(e.document.uri));
    documents.onDidSave((e) => {
      this.documentOpenedOrSaved(e.document.uri);
      // onSave mode with pulled diagnostics: the client will not pull on a save by itself.
      if (this.ctx.features.pullDiagnostics && this.ctx.features.diagnosticRefresh) {
        void this.ctx.connection.languages.diagnostics.refresh().catch(() => undefined);
      }
    });
    documents.onDidClose((e) => this.documentClosed(e.document.uri));
    if (this.ctx.features.pullDiagnostics) {
      connection.languages.diagnostics.on(async (params) => this.pull(params.textDocument.uri));
    }
  }

  private async documentChanged(uri: string): Promise<void> {
    const document = this.ctx.documents.get(uri);
    const problem = document && newSyncProblem(document);
    if (problem) this.ctx.connection.console.warn(`ai-use: ${uri} is out of step with the editor (${problem}): marked not checked until it is reopened or its whole text is sent`);
    const settings = await this.ctx.settings.get(uri);
    if (settings.run !== 'onType') return;
    this.pending.add(uri);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.kick();
    }, CHANGE_SETTLE_MS);
  }

  private documentOpenedOrSaved(uri: string): void {
    this.lastReport.delete(uri);
    this.schedule(uri);
  }

  private documentClosed(uri: string): void {
    this.pending.delete(uri);
    this.lastReport.delete(uri);
    this.ctx.analyzer.forget(uri);
    this.ctx.settings.forget(uri);
    // A closed document keeps no diagnostics (pull clients drop them themselves).
    if (this.published.delete(uri) || !this.ctx.features.pullDiagnostics) {
      void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  /** Validate every open document again: the config or the settings changed. */
  revalidateAll(): void {
    this.ctx.analyzer.clear();
    this.lastReport.clear();
    if (this.ctx.features.pullDiagnostics) {
      if (this.ctx.features.diagnosticRefresh) void this.ctx.connection.languages.diagnostics.refresh().catch(() => undefined);
      for (const document of this.ctx.documents.all()) this.schedule(document.uri, true);
      return;
    }
    for (const document of this.ctx.documents.all()) this.schedule(document.uri);
  }

  private schedule(uri: string, statsOnly = false): void {
    if (statsOnly && !this.ctx.features.statsNotifications) return;
    this.pending.add(uri);
    this.kick();
  }

  /** Runs flush() on the next turn, once. */
  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Starts the check of every pending document. Not one after the other: a large Markdown document
   * parsed in the worker must not hold up the others. Each check drops its result when a newer
   * version has arrived by the time it is done (validate).
   */
  private flush(): void {
    this.scheduled = false;
    if (this.settleTimer) return; // edits are still coming; the timer kicks again
    const uris = [...this.pending];
    this.pending.clear();
    for (const uri of uris) {
      this.validate(uri).catch((error) => {
        this.ctx.connection.console.error(`ai-use: validating ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      });
    }
  }

  /** Diagnostics for one document as of now, or undefined when it is not ours to check. */
  private async compute(uri: string): Promise<{ version: number; diagnostics: Diagnostic[] } | undefined> {
    const document = this.ctx.documents.get(uri);
    if (!document) return undefined;
    const kind = documentKind(document.uri, document.languageId);
    if (kind.type === 'config') {
      const settings = await this.ctx.settings.get(uri);
      const current = this.ctx.documents.get(uri);
      if (!current) return undefined;
      const findings = settings.enable ? this.ctx.configs.configFindings(uri, current.getText()) : [];
      return { version: current.version, diagnostics: findings.map((f, i) => toDiagnostic(f, current.version, i)) };
    }
    if (kind.type !== 'document') return undefined;
    const analysis = await this.ctx.analysisOf(uri);
    const current = this.ctx.documents.get(uri);
    if (!current) return undefined;
    if (!analysis) {
      // Disabled: the status bar must stop showing the counts it had.
      if (this.ctx.features.statsNotifications) {
        void this.ctx.connection.sendNotification(DOCUMENT_STATS_NOTIFICATION, { uri, version: current.version, uses: 0, errors: 0, warnings: 0, infos: 0, hints: 0, disabled: true } satisfies DocumentStats);
      }
      return { version: current.version, diagnostics: [] };
    }
    this.sendStats(analysis);
    return { version: analysis.version, diagnostics: diagnosticsOf(analysis) };
  }

  private async validate(uri: string): Promise<void> {
    const result = await this.compute(uri);
    const document = this.ctx.documents.get(uri);
    // Closed, or a newer version arrived while we waited: that version has its own run.
    if (!result || !document || document.version !== result.version) return;
    if (this.ctx.features.pullDiagnostics) return; // the client asks; compute() already sent the counts
    this.lastReport.set(uri, result.diagnostics);
    this.published.add(uri);
    await this.ctx.connection.sendDiagnostics({ uri, version: result.version, diagnostics: result.diagnostics });
  }

  private async pull(uri: string): Promise<DocumentDiagnosticReport> {
    const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
    try {
      const settings = await this.ctx.settings.get(uri);
      const saved = this.lastReport.get(uri);
      if (settings.run === 'onSave' && saved) return { kind: DocumentDiagnosticReportKind.Full, items: saved };
      const result = await this.compute(uri);
      if (!result) return empty;
      this.lastReport.set(uri, result.diagnostics);
      return { kind: DocumentDiagnosticReportKind.Full, items: result.diagnostics };
    } catch (error) {
      this.ctx.connection.console.error(`ai-use: diagnostics for ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return empty;
    }
  }

  private sendStats(analysis: Analysis): void {
    if (!this.ctx.features.statsNotifications) return;
    void this.ctx.connection.sendNotification(DOCUMENT_STATS_NOTIFICATION, statsOf(analysis));
  }
}
