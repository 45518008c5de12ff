// The HTML report: one self-contained, printable file (inline CSS, inline SVG charts, no script,
// no remote resource). Built as a hast syntax tree and serialised by rehype-stringify (unified),
// which escapes every text and attribute value: tag text is untrusted and never meets a string
// template.
// A Content-Security-Policy meta tag forbids scripts and remote loads as a second line of defence.

import { h, s } from 'hastscript';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import type { Element, ElementContent, Root } from 'hast';
import { REPORT_GENERATOR, SEVERITIES, type Count, type CueSheetRow, type Report, type Share } from './model.js';
import type { Severity } from '../types.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const SEVERITY_COLOUR: Record<Severity, string> = { error: '#b3261e', warning: '#9a5b00', info: '#1f5fa8', hint: '#5f6368' };
const KIND_COLOUR = '#4a5d8f';
const STAGE_COLOUR = '#3d7a5f';

const CSS = `
:root { color-scheme: light; --fg: #1b1b1f; --muted: #5f6368; --line: #d7d9de; --band: #f4f5f7; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); margin: 0 auto; padding: 24px; max-width: 1400px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--fg); padding-bottom: 2px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 140px; }
.card .value { font-size: 22px; font-weight: 600; display: block; }
.card .label { color: var(--muted); font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { display: block; max-width: 100%; height: auto; }
figure { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border: 1px solid var(--line); padding: 3px 5px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--band); }
td.num { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafafb; }
.sev { display: inline-block; padding: 0 6px; border-radius: 8px; color: #fff; font-size: 11px; font-weight: 600; white-space: nowrap; }
.sev-error { background: ${SEVERITY_COLOUR.error}; } .sev-warning { background: ${SEVERITY_COLOUR.warning}; }
.sev-info { background: ${SEVERITY_COLOUR.info}; } .sev-hint { background: ${SEVERITY_COLOUR.hint}; }
code, .statement { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.muted { color: var(--muted); }
.prompt { white-space: pre-wrap; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  tr, figure, .card { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  a.docs::after { content: " <" attr(href) ">"; font-size: 9px; color: var(--muted); overflow-wrap: anywhere; }
  .sev { color: #000; background: none !important; border: 1px solid #000; }
}
`;

/** hast to HTML text, escaping every text and attribute value; built once. */
const serialiser = unified().use(rehypeStringify).freeze();

/** A value, or a muted dash when absent. Strings are text children for hastscript, never props. */
function dash(value: string | null): Element | string {
  return value === null || value === '' ? h('span.muted', '—') : value;
}

function severityBadge(severity: Severity): Element {
  return h(`span.sev.sev-${severity}`, severity);
}

function percent(share: Share): string {
  return share.percent === null ? 'n/a' : `${share.percent}%`;
}

function card(value: string, label: string, detail?: string): Element {
  return h('div.card', [h('span.value', value), h('span.label', label), ...(detail ? [h('div.label', detail)] : [])]);
}

/** Horizontal bars with the name and the count written beside each bar, readable in print. */
function barChart(id: string, caption: string, rows: { name: string; count: number; colour: string }[]): Element {
  const rowHeight = 22;
  const labelWidth = 190;
  const barWidth = 300;
  const width = labelWidth + barWidth + 50;
  const height = Math.max(rows.length, 1) * rowHeight + 6;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const children: ElementContent[] = [s('title', { id: `${id}-title` }, caption)];
  if (rows.length === 0) {
    children.push(s('text', { x: 0, y: 16, fill: '#5f6368' }, 'None'));
  }
  rows.forEach((row, i) => {
    const y = i * rowHeight + 3;
    const w = row.count === 0 ? 0 : Math.max(2, Math.round((row.count / max) * barWidth));
    const label = row.name.length > 30 ? `${row.name.slice(0, 29)}…` : row.name;
    children.push(
      s('g', [
        s('title', `${row.name}: ${row.count}`),
        s('text', { x: labelWidth - 6, y: y + 14, 'text-anchor': 'end', fill: '#1b1b1f' }, label),
        s('rect', { x: labelWidth, y, width: w, height: rowHeight - 6, rx: 2, fill: row.colour }),
        s('text', { x: labelWidth + w + 6, y: y + 14, fill: '#1b1b1f' }, String(row.count)),
      ]),
    );
  });
  return h('figure.chart', [
    h('figcaption', { id: `${id}-caption` }, caption),
    s(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        viewBox: `0 0 ${width} ${height}`,
        width,
        height,
        role: 'img',
        'aria-labelledby': `${id}-title`,
        'font-family': 'system-ui, sans-serif',
        'font-size': 12,
      },
      children,
    ),
  ]);
}

function countRows(counts: Count[], colour: string) {
  return counts.map((c) => ({ name: c.name, count: c.count, colour }));
}

function table(head: string[], rows: (ElementContent | string)[][], numeric: readonly number[] = []): Element {
  return h('table', [
    h('thead', [h('tr', head.map((cell) => h('th', { scope: 'col' }, [cell])))]),
    h('tbody', rows.map((row) => h('tr', row.map((cell, i) => h(numeric.includes(i) ? 'td.num' : 'td', [cell]))))),
  ]);
}

function location(row: CueSheetRow): Element | string {
  if (row.scene && row.section) return h('span', [row.scene, h('br'), h('span.muted', row.section)]);
  return dash(row.scene ?? row.section);
}

function link(href: string | null, label: string, className?: string): Element | string {
  return href ? h('a', { href, className: className ? [className] : undefined }, label) : label;
}

export function renderHtml(report: Report): string {
  const s_ = report.summary;
  const generated = report.generatedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const header = h('header', [
    h('h1', `AI use report: ${report.project}`),
    h('dl.meta', [
      h('dt', 'Generated'), h('dd', generated),
      h('dt', 'Genres'), h('dd', report.genres.join(', ') || '—'),
      h('dt', 'Guidelines applied'), h('dd', report.guidelines.join(', ') || '—'),
      h('dt', 'Documents'), h('dd', `${s_.documents} (${s_.documentsWithUses} with tagged AI use)`),
      h('dt', 'Tool'), h('dd', [link(report.tool.informationUri, `${report.tool.title} ${report.tool.version}`)]),
    ]),
  ]);

  const summary = h('section', { id: 'summary' }, [
    h('h2', 'Summary'),
    h('div.cards', [
      card(String(s_.uses), 'AI uses tagged'),
      card(String(s_.findingsBySeverity.error), 'errors', `${s_.findingsBySeverity.warning} warnings, ${s_.findingsBySeverity.info} info, ${s_.findingsBySeverity.hint} hints`),
      card(percent(s_.disclosed), 'disclosed', `${s_.disclosed.count} of ${s_.disclosed.of} uses that reach the audience`),
      card(percent(s_.approved), 'approved', `${s_.approved.count} of ${s_.approved.of}; ${s_.approved.pending} pending`),
      card(percent(s_.consented), 'with consent', `${s_.consented.count} of ${s_.consented.of} uses of a person; ${s_.consented.pending} pending`),
    ]),
    h('div.charts', [
      barChart('chart-kinds', 'Uses by kind', countRows(s_.usesByKind, KIND_COLOUR)),
      barChart(
        'chart-severity',
        'Findings by severity',
        SEVERITIES.map((sev) => ({ name: sev, count: s_.findingsBySeverity[sev], colour: SEVERITY_COLOUR[sev] })),
      ),
      barChart('chart-stages', 'Uses by stage', countRows(s_.usesByStage, STAGE_COLOUR)),
    ]),
  ]);

  const documents = h('section', { id: 'documents' }, [
    h('h2', 'Documents and AI attribution'),
    h('p.muted', 'Statements follow the IBM AI Attribution Toolkit grammar, derived from each document\u2019s tags (see docs/report.md).'),
    table(
      ['Document', 'Title', 'Genre', 'Guidelines', 'Uses', 'Findings', 'AI attribution statement'],
      report.documents.map((d) => [
        h('code', d.path),
        dash(d.title),
        d.genre,
        d.guidelines.join(', '),
        String(d.uses),
        String(d.findings),
        d.attribution.statement
          ? h('span', [h('span.statement', d.attribution.statement), h('br'), h('span.muted', d.attribution.basis)])
          : h('span.muted', d.attribution.basis),
      ]),
      [4, 5],
    ),
  ]);

  const cueSheet = h('section', { id: 'cue-sheet' }, [
    h('h2', 'GenAI cue sheet'),
    report.cueSheet.length === 0
      ? h('p', 'No AI use is tagged.')
      : h('table', [
          h(
            'thead',
            h(
              'tr',
              ['#', 'File', 'Line', 'Scene / section', 'Timecode', 'Kind', 'IPTC digital source type', 'Tool', 'Prompt', 'Source', 'Source rights', 'Disclosure', 'Approval', 'Consent', 'Findings'].map((c) =>
                h('th', { scope: 'col' }, c),
              ),
            ),
          ),
          h(
            'tbody',
            report.cueSheet.map((row) =>
              h('tr', { id: `use-${row.row}` }, [
                h('td.num', String(row.row)),
                h('td', h('code', row.file)),
                h('td.num', String(row.line)),
                h('td', [location(row)]),
                h('td', [dash(row.timecode)]),
                h('td', [dash(row.kind), ...(row.id ? [h('br'), h('span.muted', row.id)] : [])]),
                h('td', row.iptcUri ? h('a', { href: row.iptcUri }, row.iptcDigitalSourceType ?? '') : dash(null)),
                h('td', [dash(row.tool)]),
                h('td.prompt', [dash(row.prompt)]),
                h('td', [dash(row.source)]),
                h('td', [dash(row.sourceRights)]),
                h('td', [dash(row.disclosure.join(', '))]),
                h('td', [dash(row.approval)]),
                h('td', [dash(row.consent)]),
                h(
                  'td',
                  row.findings.length === 0
                    ? dash(null)
                    : row.findings.flatMap((f, i) => [...(i ? [h('br')] : []), severityBadge(f.severity), ' ', h('code', f.ruleId)]),
                ),
              ]),
            ),
          ),
        ]),
  ]);

  const findings = h('section', { id: 'findings' }, [
    h('h2', 'Findings'),
    report.findings.length === 0
      ? h('p', 'No findings.')
      : table(
          ['Severity', 'Rule', 'Message', 'Location', 'Source'],
          report.findings.map((f) => [
            severityBadge(f.severity),
            link(f.docs, f.ruleId, 'docs'),
            f.message,
            h('span', [
              h('code', `${f.file}:${f.line}:${f.column}`),
              ...(f.cueSheetRow !== null ? [h('br'), h('a', { href: `#use-${f.cueSheetRow}` }, `cue sheet #${f.cueSheetRow}`)] : []),
            ]),
            f.source ? h('span', [link(f.source.url, f.source.title), h('span.muted', ` (FACTS ${f.source.facts})`)]) : dash(null),
          ]),
        ),
  ]);

  const unreadable =
    report.unreadable.length === 0
      ? []
      : [h('section', { id: 'unreadable' }, [h('h2', 'Files that could not be read'), h('ul', report.unreadable.map((u) => h('li', [h('code', u.path), `: ${u.reason}`])))])];

  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'en' }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { name: 'generator', content: `${REPORT_GENERATOR} ${report.tool.version}` }),
          h('meta', { httpEquiv: 'Content-Security-Policy', content: CSP }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', `AI use report: ${report.project}`),
          h('style', CSS),
        ]),
        h('body', [
          header,
          h('main', [summary, documents, cueSheet, findings, ...unreadable]),
          h('footer', `Generated by ${report.tool.title} ${report.tool.version} (${report.tool.name} report, format version ${report.version}). Rules are guidance, not legal advice.`),
        ]),
      ]),
    ],
  };
  return serialiser.stringify(tree) + '\n';
}
