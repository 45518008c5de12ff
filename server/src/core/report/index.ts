// The report formats in one table, for the CLI and (later) the VS Code "Export Report" command.

import { renderCsv } from './csv.js';
import { renderHtml, renderHtmlChunks, type CueSheetHelper } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderAvidMarkers, renderEdl } from './timeline-markers.js';
import type { RenderContext, Report } from './model.js';

export const REPORT_FORMATS = ['html', 'md', 'csv', 'json', 'sarif', 'edl', 'avid-markers'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FORMAT_INFO: Record<ReportFormat, { extension: string; label: string; render: (report: Report, context: RenderContext) => string }> = {
  html: { extension: 'html', label: 'HTML (printable, with charts)', render: renderHtml },
  md: { extension: 'md', label: 'Markdown (GitHub)', render: renderMarkdown },
  csv: { extension: 'csv', label: 'CSV cue sheet (spreadsheets)', render: renderCsv },
  json: { extension: 'json', label: 'JSON (docs/report.schema.json)', render: renderJson },
  sarif: { extension: 'sarif', label: 'SARIF 2.1.0 (code scanning)', render: renderSarif },
  edl: { extension: 'edl', label: 'EDL of timeline markers (DaVinci Resolve)', render: renderEdl },
  'avid-markers': { extension: 'txt', label: 'Avid Media Composer marker list', render: renderAvidMarkers },
};

/** `markdown` reads as `md`; names are case-insensitive. */
export function resolveReportFormat(name: string): ReportFormat | undefined {
  const n = name.trim().toLowerCase();
  if (n === 'markdown') return 'md';
  return (REPORT_FORMATS as readonly string[]).includes(n) ? (n as ReportFormat) : undefined;
}

export function renderReport(report: Report, format: ReportFormat, context: RenderContext): string {
  return REPORT_FORMAT_INFO[format].render(report, context);
}

/**
 * renderReport() in pieces that join into its text: what a writer of big reports should take.
 * `helper` renders part of an HTML cue sheet on another thread (cue-sheet-worker.ts).
 */
export function renderReportChunks(report: Report, format: ReportFormat, context: RenderContext, helper?: CueSheetHelper): string[] {
  return format === 'html' ? renderHtmlChunks(report, helper) : [renderReport(report, format, context)];
}

export { buildReport, type RenderContext, type Report, type ReportOptions } from './model.js';
export { checkReportTarget, isOurReportHead, writeFileAtomic } from './write.js';
