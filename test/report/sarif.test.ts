// SARIF 2.1.0: valid against the official schema (test/fixtures/sarif), with helpUri per rule,
// one result per finding, 1-based UTF-16 regions relative to %SRCROOT%.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { buildReport } from '../../server/src/core/report/model.js';
import { findSourceRoot, pathToUriReference, renderSarif, sarifLevel } from '../../server/src/core/report/sarif.js';
import { CLEAN_FOUNTAIN, HOSTILE_FOUNTAIN, lintProject, NOTES_MD, reportOf, ROOT } from './helpers.js';
import { assertValid, validateSarif } from './schema.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD, 'ideas.fountain': CLEAN_FOUNTAIN, 'with space/é.md': NOTES_MD });
const log: Sarif.Log = JSON.parse(renderSarif(report, { root: ROOT, sourceRoot: ROOT }));
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
  const clean: Sarif.Log = JSON.parse(renderSarif(reportOf({ 'ideas.fountain': CLEAN_FOUNTAIN }), { root: ROOT }));
  assertValid(validateSarif, clean);
  assert.deepEqual(clean.runs[0].results, []);
  assert.deepEqual(clean.runs[0].tool.driver.rules, []);
});

test('originalUriBaseIds: %SRCROOT% is a folder file URI, and every result resolves against it to its file', () => {
  const base = run.originalUriBaseIds?.['%SRCROOT%'];
  assert.equal(base?.uri, pathToFileURL(ROOT).href + '/');
  for (const result of run.results!) {
    const location = result.locations![0].physicalLocation!.artifactLocation!;
    const file = fileURLToPath(new URL(location.uri!, base!.uri));
    assert.ok(file.startsWith(ROOT + path.sep), file);
  }
  assert.ok(run.results!.some((r) => fileURLToPath(new URL(r.locations![0].physicalLocation!.artifactLocation!.uri!, base!.uri)) === path.join(ROOT, 'with space', 'é.md')));
});

test('%SRCROOT% is the repository root (nearest .git upward), so paths are the same from any subfolder', () => {
  const repoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-sarif-repo-'));
  try {
    fs.mkdirSync(path.join(repoDir, '.git'));
    const sub = path.join(repoDir, 'episodes', 'ep101');
    fs.mkdirSync(sub, { recursive: true });
    assert.equal(findSourceRoot(sub), repoDir);
    // A worktree's .git is a file: it counts too.
    const worktree = path.join(repoDir, 'wt');
    fs.mkdirSync(worktree);
    fs.writeFileSync(path.join(worktree, '.git'), 'gitdir: ../.git/worktrees/wt\n');
    assert.equal(findSourceRoot(path.join(worktree)), worktree);

    const project = lintProject({ 'ep101.fountain': HOSTILE_FOUNTAIN });
    for (const f of project.files) f.path = path.join(sub, path.basename(f.path));
    const fromSub: Sarif.Log = JSON.parse(renderSarif(buildReport(project, { root: sub, generatedAt: new Date(0), toolVersion: '0.1.0' }), { root: sub }));
    const fromTop: Sarif.Log = JSON.parse(renderSarif(buildReport(project, { root: repoDir, generatedAt: new Date(0), toolVersion: '0.1.0' }), { root: repoDir }));
    for (const l of [fromSub, fromTop]) {
      assertValid(validateSarif, l);
      assert.equal(l.runs[0].originalUriBaseIds!['%SRCROOT%'].uri, pathToFileURL(repoDir).href + '/');
      const uris = new Set(l.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri));
      assert.deepEqual([...uris], ['episodes/ep101/ep101.fountain']);
    }
  } finally {
    fs.rmSync(repoDir, { recursive: true, force: true });
  }
});

test('a file outside %SRCROOT% keeps an absolute file URI (no uriBaseId), still a valid log', () => {
  const outside: Sarif.Log = JSON.parse(renderSarif(report, { root: ROOT, sourceRoot: path.join(ROOT, 'notes') }));
  assertValid(validateSarif, outside);
  const locations = outside.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!);
  const script = locations.find((l) => l.uri!.endsWith('ep101.fountain'))!;
  assert.equal(script.uriBaseId, undefined);
  assert.equal(script.uri, pathToFileURL(path.join(ROOT, 'ep101.fountain')).href);
  assert.ok(locations.some((l) => l.uri === 'ep101.md' && l.uriBaseId === '%SRCROOT%'));
});
