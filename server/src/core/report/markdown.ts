// The Markdown report, for GitHub (pull requests, wikis) and any CommonMark/GFM viewer: headings,
// a summary table, the cue sheet and the findings as GFM tables. Tag text is untrusted, so every
// value is escaped: Markdown syntax, raw HTML, autolinks (`https://`, `www.`, e-mail), @mentions
// and `$` math cannot come alive, and `|` or a line break cannot break a table row.

import { sourcesUrl } from '../docs-url.js';
import { markdownDestination } from '../links.js';
import { REPORT_GENERATOR, SEVERITIES, type Report, type Share } from './model.js';

/** Characters with a meaning in CommonMark, GFM or GitHub's renderer, escaped with a backslash. */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]<>#|~&$]/g;

/**
 * Invisible WORD JOINER. Autolink literals (`https://x`, `www.x`, `a@b.c`) and GitHub @mentions are
 * found in the text after backslash escapes are resolved, so an escape cannot stop them; a joiner
 * inside the pattern does, and the reader sees the same characters.
 */
const JOINER = '\u2060';

/** Escapes one value for inline use; line breaks become spaces. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\r\n?|\n|\u2028|\u2029/g, ' ')
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(/([a-z0-9])(:)(?=\/\/)/gi, `$1${JOINER}$2`)
    .replace(/\b(mailto|xmpp)(:)/gi, `$1${JOINER}$2`)
    .replace(/\b(www)(\.)/gi, `$1${JOINER}$2`)
    .replace(/@/g, `${JOINER}@${JOINER}`);
}

/** Escapes a table cell: as escapeMarkdown, but line breaks are kept as `<br>`. */
export function escapeCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return value
    .split(/\r\n?|\n|\u2028|\u2029/)
    .map(escapeMarkdown)
    .join('<br>');
}

function row(cells: (string | number)[]): string {
  return `| ${cells.map((c) => (typeof c === 'number' ? String(c) : c)).join(' | ')} |`;
}

function tableOf(head: string[], rows: (string | number)[][], rightAligned: readonly number[] = []): string[] {
  return [row(head), row(head.map((_, i) => (rightAligned.includes(i) ? '---:' : '---'))), ...rows.map(row)];
}

/** A link whose text is escaped and whose target is an http(s) URL encoded for Markdown (links.ts); plain text otherwise. */
export function mdLink(label: string, url: string | null | undefined): string {
  const href = markdownDestination(url);
  return href === null ? escapeMarkdown(label) : `[${escapeMarkdown(label)}](${href})`;
}

function pct(share: Share): string {
  return share.percent === null ? 'n/a' : `${share.percent}%`;
}

export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(`<!-- ${REPORT_GENERATOR} ${report.tool.version}: written by \`ai-use report\`; it may be replaced by the next run -->`);
  out.push('', `# AI use report: ${escapeMarkdown(report.project)}`, '');
  out.push(
    ...tableOf(
      ['', ''],
      [
        ['Generated', escapeMarkdown(report.generatedAt)],
        ['Genres', escapeCell(report.genres.join(', '))],
        ['Guidelines applied', escapeCell(report.guidelines.join(', '))],
        ['Documents', `${s.documents} (${s.documentsWithUses} with tagged AI use)`],
        ['Tool', mdLink(`${report.tool.title} ${report.tool.version}`, report.tool.informationUri)],
      ],
    ),
  );

  out.push('', '## Summary', '');
  out.push(
    ...tableOf(
      ['Measure', 'Value'],
      [
        ['AI uses tagged', s.uses],
        ['Findings', `${s.findings} (${SEVERITIES.map((sev) => `${s.findingsBySeverity[sev]} ${sev}`).join(', ')})`],
        ['Disclosed', `${pct(s.disclosed)} (${s.disclosed.count} of ${s.disclosed.of} uses that reach the audience)`],
        ['Approved', `${pct(s.approved)} (${s.approved.count} of ${s.approved.of}; ${s.approved.pending} pending)`],
        ['With consent', `${pct(s.consented)} (${s.consented.count} of ${s.consented.of} uses of a person; ${s.consented.pending} pending)`],
      ],
    ),
  );
  out.push('', '### Uses by kind', '');
  out.push(...(s.usesByKind.length ? tableOf(['Kind', 'Uses'], s.usesByKind.map((c) => [escapeCell(c.name), c.count]), [1]) : ['No uses tagged.']));
  out.push('', '### Uses by stage', '');
  out.push(...(s.usesByStage.length ? tableOf(['Stage', 'Uses'], s.usesByStage.map((c) => [escapeCell(c.name), c.count]), [1]) : ['No uses tagged.']));
  out.push('', '### Findings by severity', '');
  out.push(...tableOf(['Severity', 'Findings'], SEVERITIES.map((sev) => [sev, s.findingsBySeverity[sev]]), [1]));

  out.push('', '## Documents and AI attribution', '');
  out.push(
    'Statements follow the IBM AI Attribution Toolkit grammar, derived from each document\u2019s tags: the proportion says how much of the document\u2019s own text AI wrote; the model slot names the tool that most shaped that text, and the Tools column lists them all.',
    '',
  );
  out.push(
    ...tableOf(
      ['Document', 'Genre', 'Uses', 'Findings', 'AI attribution statement', 'Tools', 'Basis'],
      report.documents.map((d) => [
        escapeCell(d.path),
        escapeCell(d.genre),
        d.uses,
        d.findings,
        escapeCell(d.attribution.statement),
        escapeCell(d.attribution.tools.join('; ')),
        escapeCell(d.attribution.basis),
      ]),
      [2, 3],
    ),
  );

  out.push('', '## GenAI cue sheet', '');
  if (report.cueSheet.length === 0) out.push('No AI use is tagged.');
  else {
    out.push(
      ...tableOf(
        ['#', 'File', 'Line', 'Scene / section', 'Timecode', 'Kind', 'IPTC digital source type', 'Tool', 'Prompt', 'Source', 'Source rights', 'Disclosure', 'Approval', 'Consent', 'Findings'],
        report.cueSheet.map((r) => [
          r.row,
          escapeCell(r.file),
          r.line,
          escapeCell([r.scene, r.section].filter(Boolean).join(' / ')),
          escapeCell(r.timecode),
          escapeCell(r.kind) + (r.id ? `<br>${escapeMarkdown(r.id)}` : ''),
          escapeCell(r.iptcDigitalSourceType),
          escapeCell(r.tool),
          escapeCell(r.prompt),
          escapeCell(r.source),
          escapeCell(r.sourceRights),
          escapeCell(r.disclosure.join(', ')),
          escapeCell(r.approval),
          escapeCell(r.consent),
          r.findings.length ? r.findings.map((f) => `${f.severity} ${escapeMarkdown(f.ruleId)}`).join('<br>') : '—',
        ]),
        [0, 2],
      ),
    );
  }

  out.push('', '## Findings', '');
  if (report.findings.length === 0) out.push('No findings.');
  else {
    out.push(
      ...tableOf(
        ['Severity', 'Rule', 'Message', 'Location', 'Source'],
        report.findings.map((f) => [
          f.severity,
          mdLink(f.ruleId, f.docs),
          escapeCell(f.message),
          escapeMarkdown(`${f.file}:${f.line}:${f.column}`) + (f.cueSheetRow !== null ? ` (cue sheet #${f.cueSheetRow})` : ''),
          f.source ? `${mdLink(f.source.title, f.source.url)} (${mdLink(`sources ${f.source.facts}`, sourcesUrl(f.source.facts))})` : '—',
        ]),
      ),
    );
  }

  if (report.unreadable.length) {
    out.push('', '## Files that could not be read', '');
    for (const u of report.unreadable) out.push(`- ${escapeMarkdown(u.path)}: ${escapeMarkdown(u.reason)}`);
  }
  out.push('', `Generated by ${mdLink(`${report.tool.title} ${report.tool.version}`, report.tool.informationUri)}. Rules are guidance, not legal advice.`, '');
  return out.join('\n');
}
