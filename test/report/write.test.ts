// Writing report files: atomic replacement (temp file + rename), no temp file left behind on
// failure, and the overwrite rule: new files and earlier reports yes, anything else only by force.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPORT_FORMATS, renderReport, renderReportChunks } from '../../server/src/core/report/index.js';
import { checkReportTarget, isOurReportHead, writeFileAtomic } from '../../server/src/core/report/write.js';
import { CSV_HEADER_LINE } from '../../server/src/core/report/csv.js';
import { HOSTILE_FOUNTAIN, reportOf, ROOT } from './helpers.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-write-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));
const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN });

function folder(name: string): string {
  const dir = path.join(temp, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

test('every format carries a marker that recognises it as ours', () => {
  for (const format of REPORT_FORMATS) {
    const text = renderReport(report, format, { root: ROOT });
    // An Avid marker list is nothing but markers: with no use that has a timecode it is empty, and
    // an empty file is no report of ours (it is never replaced unasked). With a use, it is ours.
    if (format === 'avid-markers' && text === '') continue;
    assert.ok(isOurReportHead(text.slice(0, 4096)), format);
  }
  const timed = reportOf({ 'ep101.fountain': 'INT. A - DAY\n\nShot. [[ai: image.generated; tool: Sora; timecode: 01:00:00:10]]\n' });
  assert.ok(isOurReportHead(renderReport(timed, 'avid-markers', { root: ROOT })));
});

test('a CSV cue sheet from an earlier version (no Finding details column) is still ours', () => {
  const earlier = renderReport(report, 'csv', { root: ROOT }).replace(/,Finding details\r\n/, '\r\n');
  assert.ok(!earlier.startsWith(`\ufeff${CSV_HEADER_LINE}`));
  assert.ok(isOurReportHead(earlier));
  assert.equal(isOurReportHead('\ufeffRow,File,Line,Scene\r\n'), false, 'a shorter header is not ours');
});

test('other files are not recognised as our reports', () => {
  const others = [
    '# My edit notes\n\n<!-- ai: image.generated -->\n',
    '<!doctype html><html><head><title>ai-use-lint report</title></head></html>',
    '{"name": "ai-use-lint", "version": "0.1.0"}',
    '{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{"tool": {"driver": {"name": "eslint"}}}]}',
    'Row,File,Line\r\n1,a,2\r\n',
    'Title: My screenplay\n\nINT. HOUSE - DAY\n',
    '',
  ];
  for (const text of others) assert.equal(isOurReportHead(text), false, text);
});

test('checkReportTarget: new file ok, earlier report ok, anything else refused unless forced', () => {
  const dir = folder('check');
  assert.deepEqual(checkReportTarget(path.join(dir, 'new.html')), { ok: true, exists: false });
  const earlier = path.join(dir, 'report.md');
  fs.writeFileSync(earlier, renderReport(report, 'md', { root: ROOT }));
  assert.deepEqual(checkReportTarget(earlier), { ok: true, exists: true, reason: 'previous-report' });
  const notes = path.join(dir, 'notes.md');
  fs.writeFileSync(notes, '# Notes\n');
  const refused = checkReportTarget(notes);
  assert.equal(refused.ok, false);
  assert.match((refused as { reason: string }).reason, /not a report written by ai-use.*--force/);
  assert.deepEqual(checkReportTarget(notes, { force: true }), { ok: true, exists: true, reason: 'forced' });
  assert.equal(checkReportTarget(dir, { force: true }).ok, false, 'never a folder, even forced');
  assert.equal(checkReportTarget(path.join(dir, 'missing-folder', 'r.html')).ok, false);
});

test('writeFileAtomic: writes a new file and replaces an old one by rename (a new inode), no temp left', () => {
  const dir = folder('atomic');
  const target = path.join(dir, 'ai-use-report.html');
  writeFileAtomic(target, 'first', { overwrite: false });
  assert.equal(fs.readFileSync(target, 'utf8'), 'first');
  const before = fs.statSync(target).ino;
  // A second name for the old file keeps the old content: the file was replaced, not rewritten.
  fs.linkSync(target, path.join(dir, 'old-link.html'));
  writeFileAtomic(target, 'second', { overwrite: true });
  assert.equal(fs.readFileSync(target, 'utf8'), 'second');
  assert.notEqual(fs.statSync(target).ino, before);
  assert.equal(fs.readFileSync(path.join(dir, 'old-link.html'), 'utf8'), 'first');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['ai-use-report.html', 'old-link.html']);
});

test('a report written in pieces is the same file as the report rendered whole', () => {
  const dir = folder('pieces');
  for (const format of REPORT_FORMATS) {
    const target = path.join(dir, `report.${format}`);
    const pieces = renderReportChunks(report, format, { root: ROOT });
    writeFileAtomic(target, pieces, { overwrite: false });
    assert.equal(fs.readFileSync(target, 'utf8'), renderReport(report, format, { root: ROOT }), format);
  }
  // Non-Latin text across pieces is encoded piece by piece without damage.
  writeFileAtomic(path.join(dir, 'utf8.txt'), ['Ōkami ', '狼 ', '😀'], { overwrite: false });
  assert.equal(fs.readFileSync(path.join(dir, 'utf8.txt'), 'utf8'), 'Ōkami 狼 😀');
});

test('writeFileAtomic without overwrite never replaces a file that appeared meanwhile', () => {
  const dir = folder('no-overwrite');
  const target = path.join(dir, 'r.csv');
  fs.writeFileSync(target, 'somebody else');
  assert.throws(() => writeFileAtomic(target, 'ours', { overwrite: false }), { code: 'EEXIST' });
  assert.equal(fs.readFileSync(target, 'utf8'), 'somebody else');
  assert.deepEqual(fs.readdirSync(dir), ['r.csv'], 'temp file removed');
});

test('writeFileAtomic: a failed rename leaves the target as it was and no temp file', () => {
  const dir = folder('fails');
  const target = path.join(dir, 'busy');
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'keep.txt'), 'kept');
  assert.throws(() => writeFileAtomic(target, 'x', { overwrite: true }));
  assert.deepEqual(fs.readdirSync(dir), ['busy']);
  assert.equal(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8'), 'kept');
  assert.throws(() => writeFileAtomic(path.join(dir, 'no-such-folder', 'r.html'), 'x'), { code: 'ENOENT' });
});

test('writeFileAtomic removes the temp files a killed earlier write left, and nothing else', () => {
  const dir = fs.mkdtempSync(path.join(temp, 'stale-'));
  const target = path.join(dir, 'r.json');
  // A pid that is certainly gone: a process that has exited.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
  const stale = `.r.json.${dead}.0123456789ab.tmp`;
  const live = `.r.json.${process.pid}.ba9876543210.tmp`; // a write of this very process, in progress
  const other = `.other.json.${dead}.0123456789ab.tmp`; // another target's
  const mine = '.r.json.notes.tmp'; // the user's own file, not our pattern
  for (const f of [stale, live, other, mine]) fs.writeFileSync(path.join(dir, f), 'x');
  writeFileAtomic(target, '{}');
  assert.deepEqual(fs.readdirSync(dir).sort(), [live, mine, other, 'r.json'].sort());
});
