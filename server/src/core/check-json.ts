// The `ai-use check --format json` contract: version 1, 1-based lines and 1-based UTF-16 columns.
// Other tools and our own checks read it; change it only with a new version number.

import * as path from 'node:path';
import type { ProjectResult } from './project.js';
import type { Finding, Range, Tag } from './types.js';

export interface CheckJsonTag {
  kind: string | null;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Field values by key; a key written more than once (e.g. `waive`) gives an array. */
  fields: Record<string, string | string[]>;
  scene: string | null;
  section: string | null;
}

export interface CheckJsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  docs: string;
}

export interface CheckJsonFile {
  path: string;
  genre: string;
  guidelines: string[];
  tags: CheckJsonTag[];
  findings: CheckJsonFinding[];
}

export interface CheckJson {
  version: 1;
  files: CheckJsonFile[];
}

function oneBased(range: Range): { line: number; column: number; endLine: number; endColumn: number } {
  return {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

export function tagFields(tag: Tag): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const field of tag.fields) {
    const previous = fields[field.key];
    if (previous === undefined) fields[field.key] = field.value;
    else fields[field.key] = Array.isArray(previous) ? [...previous, field.value] : [previous, field.value];
  }
  return fields;
}

export function toCheckJson(project: ProjectResult, cwd: string): CheckJson {
  return {
    version: 1,
    files: project.files.map((file) => ({
      path: path.relative(cwd, file.path).split(path.sep).join('/'),
      genre: file.genre,
      guidelines: [...file.guidelines],
      tags: (file.result?.doc.tags ?? []).map((tag) => ({
        kind: tag.kind ?? null,
        ...oneBased(tag.range),
        fields: tagFields(tag),
        scene: tag.scene ?? null,
        section: tag.section ?? null,
      })),
      findings: file.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        ...oneBased(f.range),
        docs: f.docs,
      })),
    })),
  };
}
