// The JSON report: the Report model as it is, versioned (`"version": 1`) and described by
// docs/report.schema.json. Change a field's meaning only with a new version number.

import { PROJECT_URL } from '../docs-url.js';
import type { Report } from './model.js';

export const REPORT_SCHEMA_URL = `${PROJECT_URL}/blob/main/docs/report.schema.json`;

export function renderJson(report: Report): string {
  // `$schema` first and `generator` near the top: editors pick up the schema, and `ai-use report`
  // recognises its own earlier output from the first lines of the file.
  return JSON.stringify({ $schema: REPORT_SCHEMA_URL, ...report }, null, 2) + '\n';
}
