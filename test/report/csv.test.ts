// The CSV cue sheet: RFC 4180 (header row, CRLF records, quoting of commas, quotes and line
// breaks) read back by a strict parser, and spreadsheet formulas neutralised.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, neutraliseFormula, renderCsv } from '../../server/src/core/report/csv.js';
import { FORMULA_PAYLOAD, HOSTILE_FOUNTAIN, NOTES_MD, reportOf, SCRIPT_PAYLOAD } from './helpers.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD });
const csv = renderCsv(report);
const records: string[][] = parse(csv, { bom: true, record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false });
const header = records[0];
const column = (name: string) => {
  const i = header.indexOf(name);
  assert.ok(i >= 0, `column ${name}`);
  return i;
};

test('header row, then one record per cue sheet row, every record the same width', () => {
  assert.deepEqual(header, CSV_COLUMNS.map((c) => c.header));
  for (const name of ['File', 'Line', 'Scene', 'Section', 'Timecode', 'Kind', 'IPTC digital source type', 'Tool', 'Prompt', 'Source', 'Source rights', 'Disclosure', 'Approval', 'Consent', 'Findings', 'Finding details']) column(name);
  assert.equal(records.length, 1 + report.cueSheet.length);
  const image = records[1];
  assert.equal(image[column('File')], 'ep101.fountain');
  assert.equal(image[column('Line')], '6');
  assert.equal(image[column('Scene')], 'INT. LIVING ROOM - NIGHT');
  assert.equal(image[column('Kind')], 'image.generated');
  assert.equal(image[column('IPTC digital source type')], 'trainedAlgorithmicMedia');
  assert.equal(image[column('Tool')], SCRIPT_PAYLOAD);
  assert.match(image[column('Findings')], /apa\/synthetic-archival \(error\)/);
});

test('Finding details: every finding on the use, one per line, as rule (severity): message', () => {
  const details = column('Finding details');
  report.cueSheet.forEach((row, i) => {
    const cell = records[i + 1][details];
    const expected = report.findings.filter((f) => f.cueSheetRow === row.row).map((f) => `${f.ruleId} (${f.severity}): ${f.message}`);
    assert.deepEqual(cell === '' ? [] : cell.split('\n'), expected, `row ${row.row}`);
  });
  const image = records[1][details].split('\n');
  assert.ok(image.length > 2, 'the hostile archival image has several findings');
  assert.ok(image.some((l) => /^apa\/synthetic-archival \(error\): .*presented as archival/.test(l)), image.join('\n'));
});

test('RFC 4180: CRLF between records, a BOM first, commas, quotes and line breaks survive a round trip', () => {
  assert.ok(csv.startsWith('\ufeffRow,File,Line,'), 'UTF-8 BOM then the header');
  assert.ok(csv.endsWith('\r\n'));
  // Outside quoted fields every line break is CRLF.
  const unquoted = csv.replace(/"(?:[^"]|"")*"/g, '');
  assert.ok(!/[^\r]\n/.test(unquoted), 'no bare LF between records');
  const video = records[4];
  assert.equal(video[column('Source')], 'KPEL-TV news,\n15 Nov 1998', 'comma and line break inside one field');
  assert.ok(csv.includes('"KPEL-TV news,\n15 Nov 1998"'), 'quoted in the file');
  const transcript = records[3];
  assert.equal(transcript[column('Tool')], 'Descript 6, "pro"');
  assert.ok(csv.includes('"Descript 6, ""pro"""'), 'quotes doubled inside a quoted field');
});

test('formula injection: cells starting with = + - @ get a leading apostrophe', () => {
  const image = records[1];
  assert.equal(image[column('Source')], `'${FORMULA_PAYLOAD}`);
  assert.equal(image[column('Consent')], "'+SUM(1,2)");
  assert.equal(image[column('Approval')], "'-2+3");
  assert.equal(image[column('Reviewed by')], "'@cmd|' /C calc'!A0");
  for (const record of records.slice(1)) {
    for (const cell of record) assert.ok(!/^[=+\-@\t\r]/.test(cell), `live formula cell: ${cell}`);
  }
});

test('neutraliseFormula: every dangerous first character, and nothing else', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(neutraliseFormula(`${start}1`), `'${start}1`);
  for (const safe of ['Midjourney', '00:08:12:04', ' =not first', "'quoted", '']) assert.equal(neutraliseFormula(safe), safe);
});

test('an empty cue sheet is the header row alone', () => {
  const empty = renderCsv(reportOf({ 'a.md': '# Nothing tagged\n' }));
  assert.equal(empty, `\ufeff${CSV_COLUMNS.map((c) => c.header).join(',')}\r\n`);
});
