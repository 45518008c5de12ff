// The JSON report: versioned, valid against docs/report.schema.json, the same data as the model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson, REPORT_SCHEMA_URL } from '../../server/src/core/report/json.js';
import { CLEAN_FOUNTAIN, HOSTILE_FOUNTAIN, NOTES_MD, reportOf, SCRIPT_PAYLOAD } from './helpers.js';
import { assertValid, validateReportJson } from './schema.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD, 'ideas.fountain': CLEAN_FOUNTAIN });
const text = renderJson(report);
const data = JSON.parse(text);

test('valid against docs/report.schema.json, version 1, $schema first', () => {
  assertValid(validateReportJson, data);
  assert.equal(data.version, 1);
  assert.equal(Object.keys(data)[0], '$schema');
  assert.equal(data.$schema, REPORT_SCHEMA_URL);
  assert.match(data.generator, /^ai-use-lint report 0\.1\.0$/);
});

test('the schema rejects what it should: a missing field, a wrong version, an undeclared field', () => {
  const { summary: _summary, ...noSummary } = data;
  assert.equal(validateReportJson(noSummary), false);
  assert.equal(validateReportJson({ ...data, version: 2 }), false);
  assert.equal(validateReportJson({ ...data, extra: true }), false);
  const badRow = { ...data, cueSheet: [{ ...data.cueSheet[0], line: 0 }] };
  assert.equal(validateReportJson(badRow), false);
});

test('contents a reader relies on: summary, cue sheet, findings, attribution, all values as written', () => {
  assert.equal(data.project, 'The Lantern Road');
  assert.equal(data.summary.uses, 4);
  assert.equal(data.cueSheet.length, 4);
  assert.equal(data.cueSheet[0].tool, SCRIPT_PAYLOAD, 'JSON keeps the value; escaping is the reader\'s job');
  assert.equal(data.cueSheet[0].consent, '+SUM(1,2)', 'no CSV neutralising in JSON');
  assert.equal(data.findings.length, data.summary.findings);
  assert.ok(data.findings.every((f: { line: number; column: number }) => f.line >= 1 && f.column >= 1));
  const attributions = data.documents.map((d: { path: string; attribution: { statement: string | null } }) => [d.path, d.attribution.statement]);
  assert.deepEqual(attributions, [
    ['ep101.fountain', `AIA Ph Nc Hin R ${SCRIPT_PAYLOAD} v1.0`],
    ['ideas.fountain', null],
    ['notes/ep101.md', 'AIA Ph Se Hin R Descript 6, "pro" v1.0'],
  ]);
  const notes = data.documents.find((d: { path: string }) => d.path === 'notes/ep101.md').attribution;
  assert.equal(notes.model, 'Descript 6, "pro"');
  assert.deepEqual(notes.tools, ['Descript 6, "pro"', 'Topaz Video AI 5']);
});
