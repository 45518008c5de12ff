// SARIF 2.1.0, for code-scanning UIs (GitHub code scanning, Azure DevOps, the SARIF viewer in
// VS Code): one run, the rules that fired with their docs page as `helpUri`, one result per
// finding. Paths are relative to %SRCROOT%, declared in originalUriBaseIds as the repository root
// (the nearest folder with a .git above the folder the report was made in, else that folder), so
// GitHub maps them to its files wherever in the repository the command ran. Columns are UTF-16
// code units, 1-based, as in the rest of the report.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { TOOL_NAME, TOOL_TITLE, type RenderContext, type Report, type ReportRule } from './model.js';
import { SOURCES_PATH, sourcesUrl } from '../docs-url.js';
import type { Severity } from '../types.js';

export const SARIF_SCHEMA_URL = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
export function pathToUriReference(relative: string): string {
  return relative.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}

/** The nearest folder at or above `from` holding `.git` (a folder, or a file in a worktree), else `from`. */
export function findSourceRoot(from: string): string {
  const start = path.resolve(from);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** A folder as a file URI ending with `/`, as originalUriBaseIds wants. */
function folderUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function ruleDescriptor(rule: ReportRule): Sarif.ReportingDescriptor {
  const source = rule.source ? `Source: ${rule.source.title} (${SOURCES_PATH} ${rule.source.facts}: ${sourcesUrl(rule.source.facts)}).` : '';
  const full = [rule.description ?? rule.title, source].filter(Boolean).join(' ');
  return {
    id: rule.id,
    name: rule.id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: rule.title },
    fullDescription: { text: full },
    helpUri: rule.docs,
    help: { text: `${full} Documentation: ${rule.docs}` },
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    properties: { tags: ['ai-use', rule.id.split('/')[0]] },
  };
}

export function toSarifLog(report: Report, context: RenderContext): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const sourceRoot = path.resolve(context.sourceRoot ?? findSourceRoot(context.root));
  /** Relative to %SRCROOT%; a file outside it (`ai-use report ../elsewhere`) keeps an absolute file URI. */
  const artifact = (file: string): Sarif.ArtifactLocation => {
    const absolute = path.resolve(context.root, file);
    const relative = path.relative(sourceRoot, absolute);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
    return { uri: pathToUriReference(relative.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
  };
  const results: Sarif.Result[] = report.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(f.file),
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    ...(f.severity === 'hint' || f.severity === 'info' ? { properties: { severity: f.severity } } : {}),
  }));
  return {
    $schema: SARIF_SCHEMA_URL,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            fullName: TOOL_TITLE,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: report.rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: {
          '%SRCROOT%': { uri: folderUri(sourceRoot), description: { text: 'The repository root: the nearest folder with a .git above the folder the report was made in, or that folder.' } },
        },
        columnKind: 'utf16CodeUnits',
        results,
        properties: { project: report.project, genres: report.genres, guidelines: report.guidelines, generatedAt: report.generatedAt },
      },
    ],
  };
}

export function renderSarif(report: Report, context: RenderContext): string {
  return JSON.stringify(toSarifLog(report, context), null, 2) + '\n';
}
