// The GenAI cue sheet as CSV, and only the cue sheet (one record per tag), for spreadsheets and
// for the network's own cue-sheet template; each record carries the findings on its tag, with their
// messages, so a CSV-only reader knows what to fix. Findings that are about no tag (untagged
// mentions, config problems) are in the other formats only.
// RFC 4180 (header row, CRLF between records, fields quoted when they hold a comma, a quote or a
// line break, quotes doubled), UTF-8 with a byte order mark so Excel reads accented names right.
// Tag text is untrusted: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`
// so a spreadsheet shows it as text instead of running it as a formula.

import { stringify } from 'csv-stringify/sync';
import type { CueSheetRow, Report } from './model.js';

/** Column header and the value of each cue sheet row; the header row is the CSV's first record. */
export const CSV_COLUMNS: readonly { header: string; value: (row: CueSheetRow) => string | number }[] = [
  { header: 'Row', value: (r) => r.row },
  { header: 'File', value: (r) => r.file },
  { header: 'Line', value: (r) => r.line },
  { header: 'Scene', value: (r) => r.scene ?? '' },
  { header: 'Section', value: (r) => r.section ?? '' },
  { header: 'Timecode', value: (r) => r.timecode ?? '' },
  { header: 'Kind', value: (r) => r.kind ?? '' },
  { header: 'IPTC digital source type', value: (r) => r.iptcDigitalSourceType ?? '' },
  { header: 'Tool', value: (r) => r.tool ?? '' },
  { header: 'Prompt', value: (r) => r.prompt ?? '' },
  { header: 'Source', value: (r) => r.source ?? '' },
  { header: 'Source rights', value: (r) => r.sourceRights ?? '' },
  { header: 'Disclosure', value: (r) => r.disclosure.join(', ') },
  { header: 'Approval', value: (r) => r.approval ?? '' },
  { header: 'Consent', value: (r) => r.consent ?? '' },
  { header: 'Stage', value: (r) => r.stage ?? '' },
  { header: 'Reviewed by', value: (r) => r.reviewedBy ?? '' },
  { header: 'ID', value: (r) => r.id ?? '' },
  { header: 'Findings', value: (r) => r.findings.map((f) => `${f.ruleId} (${f.severity})`).join('; ') },
  // One finding per line inside the cell: messages contain `;` and `,`, line breaks they do not.
  { header: 'Finding details', value: (r) => r.findings.map((f) => `${f.ruleId} (${f.severity}): ${f.message.replace(/\s*[\r\n]+\s*/g, ' ')}`).join('\n') },
];

export const CSV_HEADER_LINE = CSV_COLUMNS.map((c) => c.header).join(',');

/** Header rows of earlier versions, still recognised as ours so their files are refreshed, not refused. */
export const CSV_EARLIER_HEADER_LINES: readonly string[] = [CSV_HEADER_LINE.replace(/,Finding details$/, '')];

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function renderCsv(report: Report): string {
  const records = report.cueSheet.map((row) =>
    CSV_COLUMNS.map((c) => {
      const value = c.value(row);
      return typeof value === 'number' ? value : neutraliseFormula(value);
    }),
  );
  return stringify([CSV_COLUMNS.map((c) => c.header), ...records], {
    bom: true,
    record_delimiter: 'windows',
    // With an explicit record delimiter csv-stringify would not quote a bare LF or CR: do.
    quote_record_delimiter: true,
    eof: true,
  });
}
