// SARIF 2.1.0, for code-scanning UIs (GitHub code scanning, Azure DevOps, the SARIF viewer in
// VS Code): one run, the rules that fired with their docs page as `helpUri`, one result per
// finding. Paths are relative to %SRCROOT% (the folder the command ran in); columns are UTF-16
// code units, 1-based, as in the rest of the report.

import type * as Sarif from 'sarif';
import { TOOL_NAME, TOOL_TITLE, type Report, type ReportRule } from './model.js';
import type { Severity } from '../types.js';

export const SARIF_SCHEMA_URL = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
export function pathToUriReference(relative: string): string {
  return relative.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}

function ruleDescriptor(rule: ReportRule): Sarif.ReportingDescriptor {
  const source = rule.source ? `Source: ${rule.source.title} (FACTS.md ${rule.source.facts}).` : '';
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

export function toSarifLog(report: Report): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = report.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId)!,
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUriReference(f.file), uriBaseId: '%SRCROOT%' },
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
        columnKind: 'utf16CodeUnits',
        results,
        properties: { project: report.project, genres: report.genres, guidelines: report.guidelines, generatedAt: report.generatedAt },
      },
    ],
  };
}

export function renderSarif(report: Report): string {
  return JSON.stringify(toSarifLog(report), null, 2) + '\n';
}
