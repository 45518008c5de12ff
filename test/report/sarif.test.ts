// SARIF 2.1.0: valid against the official schema (test/fixtures/sarif), with helpUri per rule,
// one result per finding, 1-based UTF-16 regions relative to %SRCROOT%.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Sarif from 'sarif';
import { pathToUriReference, renderSarif, sarifLevel } from '../../server/src/core/report/sarif.js';
import { CLEAN_FOUNTAIN, HOSTILE_FOUNTAIN, NOTES_MD, reportOf } from './helpers.js';
import { assertValid, validateSarif } from './schema.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD, 'ideas.fountain': CLEAN_FOUNTAIN, 'with space/é.md': NOTES_MD });
const log: Sarif.Log = JSON.parse(renderSarif(report));
const run = log.runs[0];
const driver = run.tool.driver;

test('valid against the official SARIF 2.1.0 schema', () => {
  assertValid(validateSarif, log);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
});

test('the schema is really checking: a broken log is rejected', () => {
  const broken = structuredClone(log);
  (broken.runs[0].results![0] as { level: string }).level = 'fatal';
  assert.equal(validateSarif(broken), false);
  const noDriver = structuredClone(log) as unknown as { runs: { tool: object }[] };
  noDriver.runs[0].tool = {};
  assert.equal(validateSarif(noDriver), false);
});

test('tool.driver: name, version, informationUri, and each rule with descriptions, helpUri, level and tags', () => {
  assert.equal(driver.name, 'ai-use-lint');
  assert.equal(driver.version, '0.1.0');
  assert.match(driver.informationUri!, /^https:\/\//);
  const ids = driver.rules!.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'each rule once');
  for (const rule of driver.rules!) {
    assert.ok(rule.shortDescription?.text, rule.id);
    assert.ok(rule.fullDescription?.text, rule.id);
    assert.match(rule.helpUri!, new RegExp(`/docs/rules/${rule.id}\\.md$`));
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration!.level!));
    assert.deepEqual(rule.properties!.tags, ['ai-use', rule.id.split('/')[0]]);
  }
  const archival = driver.rules!.find((r) => r.id === 'apa/synthetic-archival')!;
  assert.notEqual(archival.shortDescription!.text, archival.id, 'titles come from the rule catalogue');
  assert.match(archival.fullDescription!.text, /Archival Producers Alliance/);
});

test('one result per finding: ruleId, matching ruleIndex, level, message, location', () => {
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.equal(run.results!.length, report.findings.length);
  run.results!.forEach((result, i) => {
    const finding = report.findings[i];
    assert.equal(result.ruleId, finding.ruleId);
    assert.equal(driver.rules![result.ruleIndex!].id, result.ruleId);
    assert.equal(result.level, sarifLevel(finding.severity));
    assert.equal(result.message.text, finding.message);
    const location = result.locations![0].physicalLocation!;
    assert.equal(location.artifactLocation!.uriBaseId, '%SRCROOT%');
    assert.equal(location.artifactLocation!.uri, pathToUriReference(finding.file));
    assert.deepEqual(location.region, { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn });
    assert.ok(location.region!.startLine! >= 1 && location.region!.startColumn! >= 1);
  });
  const uris = new Set(run.results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri));
  assert.ok(uris.has('ep101.fountain'));
  assert.ok(uris.has('with%20space/%C3%A9.md'), 'relative URI references, percent-encoded');
});

test('levels: error and warning kept, info and hint become note', () => {
  assert.equal(sarifLevel('error'), 'error');
  assert.equal(sarifLevel('warning'), 'warning');
  assert.equal(sarifLevel('info'), 'note');
  assert.equal(sarifLevel('hint'), 'note');
  assert.ok(run.results!.some((r) => r.level === 'note'), 'the enhancement info finding is a note');
});

test('a clean project is a valid log with no results', () => {
  const clean: Sarif.Log = JSON.parse(renderSarif(reportOf({ 'ideas.fountain': CLEAN_FOUNTAIN })));
  assertValid(validateSarif, clean);
  assert.deepEqual(clean.runs[0].results, []);
  assert.deepEqual(clean.runs[0].tool.driver.rules, []);
});
