// Quick-fixes for the findings under the cursor (the edits come from fixEdits.ts), the generic
// actions every finding gets (waive, disable for the file, show documentation), and
// `source.fixAll.ai-use` with every safe fix at once.

import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { lintText } from '../core/lint.js';
import { adapterFor } from '../core/hosts/index.js';
import type { Finding, Range } from '../core/types.js';
import type { Analysis } from './analysis.js';
import type { ServerContext } from './context.js';
import { toDiagnostic, type DiagnosticData } from './diagnostics.js';
import { disableForFileFix, fixResolves, hasTabStops, isAboutDirective, planFixes, safeFixes, snippetToPlain, waiveFix, type FixContext, type FixEdit, type PlannedFix } from './fixEdits.js';
import { GUARDED_MIN_LENGTH } from '../core/parse-budget.js';
import { isRange } from './tagAt.js';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, SHOW_DOCUMENTATION_COMMAND } from './protocol.js';

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function intersects(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** The findings a code action request is about, with their index in the analysis. */
function findingsFor(analysis: Analysis, params: CodeActionParams): number[] {
  const diagnostics = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
  const ours = diagnostics.filter((d) => d?.source === DIAGNOSTIC_SOURCE && isRange(d.range));
  const chosen = new Set<number>();
  for (const diagnostic of ours) {
    const data = diagnostic.data as Partial<DiagnosticData> | undefined;
    const byData = data && data.version === analysis.version && typeof data.finding === 'number' ? analysis.findings[data.finding] : undefined;
    if (byData && byData.ruleId === diagnostic.code) {
      chosen.add(data!.finding!);
      continue;
    }
    // From another version, or a client that drops `data`: match by rule and place.
    const i = analysis.findings.findIndex((f) => f.ruleId === diagnostic.code && sameRange(f.range, diagnostic.range));
    if (i >= 0) chosen.add(i);
  }
  if (ours.length === 0 && isRange(params.range)) {
    analysis.findings.forEach((f, i) => {
      if (intersects(f.range, params.range)) chosen.add(i);
    });
  }
  return [...chosen].sort((a, b) => a - b);
}

export class CodeActionsFeature {
  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    this.ctx.connection.onCodeAction(async (params) => {
      try {
        return await this.provide(params);
      } catch (error) {
        this.ctx.connection.console.error(`ai-use: code actions failed: ${error instanceof Error ? error.stack : String(error)}`);
        return [];
      }
    });
  }

  async provide(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    const analysis = await this.ctx.analysisOf(uri);
    if (!analysis) return [];
    const only = Array.isArray(params.context?.only) ? params.context.only : undefined;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const fixContext: FixContext = { doc: analysis.result.doc, index: analysis.index, disclosures: analysis.config.disclosures };
    // Quick-fixes are tried before they are offered; fix-all takes only safe ones, untried. Not on
    // large Markdown: a recheck per fix would run remark on the main thread again and again.
    const cheap = !adapterFor(analysis.result.format).parseOffThread || analysis.result.doc.text.length < GUARDED_MIN_LENGTH;
    const quickFixContext: FixContext = cheap
      ? { ...fixContext, findings: analysis.result.findings, recheck: (text) => lintText(text, analysis.result.format, analysis.config).findings }
      : fixContext;
    // The generic fixes too: a waiver or a disable directive that cannot silence its finding is not offered.
    const works = (fix: PlannedFix | undefined, finding: Finding): fix is PlannedFix => fix !== undefined && fixResolves(fix, finding, quickFixContext) !== false;
    const actions: CodeAction[] = [];

    if (wants(CodeActionKind.QuickFix)) {
      const generic: CodeAction[] = [];
      const seenRules = new Set<string>();
      for (const i of findingsFor(analysis, params)) {
        const finding = analysis.findings[i];
        const diagnostic = toDiagnostic(finding, analysis.version, i);
        for (const fix of planFixes(finding, quickFixContext)) actions.push(this.action(fix, diagnostic, analysis));
        const waive = waiveFix(finding, fixContext);
        if (works(waive, finding)) generic.push(this.action(waive, diagnostic, analysis));
        if (!seenRules.has(finding.ruleId)) {
          seenRules.add(finding.ruleId);
          // No directive silences a finding about a directive: the fix would not remove it.
          const disable = isAboutDirective(finding, fixContext.doc) ? undefined : disableForFileFix(finding, fixContext);
          if (works(disable, finding)) generic.push(this.action(disable, diagnostic, analysis));
          generic.push(this.docsAction(finding, diagnostic));
        }
      }
      actions.sort((a, b) => Number(b.isPreferred ?? false) - Number(a.isPreferred ?? false));
      actions.push(...generic);
    }

    if (wants(FIX_ALL_KIND)) {
      const fixAll = this.fixAll(analysis, fixContext);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  private action(fix: PlannedFix, diagnostic: Diagnostic, analysis: Analysis): CodeAction {
    return {
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: fix.isPreferred || undefined,
      edit: this.workspaceEdit(analysis, fix.edits),
    };
  }

  private docsAction(finding: Finding, diagnostic: Diagnostic): CodeAction {
    const title = `Show documentation for ${finding.ruleId}`;
    return {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title, command: SHOW_DOCUMENTATION_COMMAND, arguments: [finding.ruleId, finding.docs] },
    };
  }

  /** Every safe fix in the document (fixEdits.ts safeFixes, which `ai-use check --fix` applies too). */
  private fixAll(analysis: Analysis, fixContext: FixContext): CodeAction | undefined {
    const taken = safeFixes(analysis.findings, fixContext).flatMap((c) => c.fix.edits);
    if (taken.length === 0) return undefined;
    return { title: 'Fix all safe AI-use problems', kind: FIX_ALL_KIND, edit: this.workspaceEdit(analysis, taken, false) };
  }

  /**
   * Snippet edits only where the client takes them; one edit per action at most is a snippet
   * (the one with tab stops), since clients run one snippet session at a time.
   */
  private workspaceEdit(analysis: Analysis, edits: FixEdit[], snippets = true): WorkspaceEdit {
    const features = this.ctx.features;
    const useSnippets = snippets && features.snippetEdits;
    let snippetUsed = false;
    const lspEdits = edits.map((edit) => {
      if (useSnippets && !snippetUsed && hasTabStops(edit.snippet)) {
        snippetUsed = true;
        return { range: edit.range, snippet: { kind: 'snippet' as const, value: edit.snippet } };
      }
      return { range: edit.range, newText: snippetToPlain(edit.snippet) } satisfies TextEdit;
    });
    if (features.documentChanges) {
      // The version makes the client refuse the edit if the document changed since.
      return { documentChanges: [{ textDocument: { uri: analysis.uri, version: analysis.version }, edits: lspEdits as TextEdit[] }] };
    }
    return { changes: { [analysis.uri]: lspEdits as TextEdit[] } };
  }
}
