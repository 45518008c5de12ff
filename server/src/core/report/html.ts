// The HTML report: one self-contained, printable file (inline CSS, inline SVG charts, no script,
// no remote resource). Built as a hast syntax tree and serialised by hast-util-to-html, which
// escapes every text and attribute value: tag text is untrusted and never meets a string template.
// A Content-Security-Policy meta tag forbids scripts and remote loads as a second line of defence.

import { s } from 'hastscript';
import { toHtml } from 'hast-util-to-html';
import { stringifyEntities } from 'stringify-entities';
import { randomBytes } from 'node:crypto';
import type { Comment, Element, ElementContent, Root } from 'hast';
import { REPORT_GENERATOR, SEVERITIES, type Count, type CueSheetRow, type Report, type Share } from './model.js';
import { sourcesUrl } from '../docs-url.js';
import type { Severity } from '../types.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const SEVERITY_COLOUR: Record<Severity, string> = { error: '#b3261e', warning: '#9a5b00', info: '#1f5fa8', hint: '#5f6368' };
const KIND_COLOUR = '#4a5d8f';
const STAGE_COLOUR = '#3d7a5f';

const CSS = `
:root { color-scheme: light; --fg: #1b1b1f; --muted: #5f6368; --line: #d7d9de; --band: #f1f3f5; --stripe: #fafafb; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); margin: 0 auto; padding: 24px; max-width: 1600px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--fg); padding-bottom: 2px; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; flex: 1 1 150px; max-width: 260px; }
.card .value { font-size: 22px; font-weight: 600; display: block; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; }
.card.errors .value { color: ${SEVERITY_COLOUR.error}; }
/* Two columns when there is room: the long kinds chart beside the severity and stage charts. */
.charts { columns: 2 480px; column-gap: 32px; }
.chart { break-inside: avoid; margin-bottom: 16px; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart svg { display: block; max-width: 100%; height: auto; }
figure { margin: 0; }
p.note { color: var(--muted); margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; line-height: 1.35; }
/* Cells wrap at spaces only: codes, ids, timecodes and references are never cut mid-token. */
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: normal; word-break: normal; }
th { background: var(--band); font-weight: 600; }
thead th { white-space: nowrap; }
thead th.wrap { white-space: normal; }
tbody tr:nth-child(even) { background: var(--stripe); }
table.cue-sheet tbody tr { background: none; }
tbody.use { border-top: 1.5px solid #b9bdc5; }
tr.detail td, tr.detail th { border-top: 1px dotted var(--line); }
tr.detail td { background: var(--stripe); padding-top: 3px; padding-bottom: 4px; }
thead tr.detail th { font-weight: 500; color: var(--muted); }
.field { display: block; }
.field .label { font-weight: 600; color: var(--muted); }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.nw, .tok { white-space: nowrap; }
/* Long free text (prompts, sources, messages) may break anywhere rather than widen the table. */
.free { overflow-wrap: anywhere; }
/* Width hints for the auto layout: the free text gets the room, short tokens what they need. */
.w-findings { width: 14%; } .w-message { width: 45%; } .w-statement { width: 40%; }
.prompt { white-space: pre-wrap; }
tbody.file th { background: #e6e9ee; font-weight: 600; text-align: left; }
tbody.file th code { font-size: 12px; }
.finding { display: block; }
.finding + .finding { margin-top: 2px; }
.sev { display: inline-block; min-width: 46px; text-align: center; padding: 0 4px; border-radius: 8px; color: #fff; font-size: 10px; font-weight: 600; white-space: nowrap; }
.sev-error { background: ${SEVERITY_COLOUR.error}; } .sev-warning { background: ${SEVERITY_COLOUR.warning}; }
.sev-info { background: ${SEVERITY_COLOUR.info}; } .sev-hint { background: ${SEVERITY_COLOUR.hint}; }
code, .statement, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 11.5px; }
.statement { display: block; font-weight: 600; }
.muted { color: var(--muted); }
.sub { display: block; color: var(--muted); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  h1 { font-size: 18px; }
  .meta { grid-template-columns: max-content 1fr max-content 1fr; margin-top: 4px; }
  .cards { margin: 6px 0 10px; }
  h2 { font-size: 14px; margin-top: 16px; break-after: avoid; }
  table { font-size: 9px; }
  th, td { padding: 2px 4px; }
  code, .statement, .mono, tbody.file th code { font-size: 8.5px; }
  .sev { font-size: 8px; min-width: 40px; }
  .cards { flex-wrap: nowrap; }
  .card { padding: 4px 8px; flex: 1 1 0; max-width: none; }
  .charts { columns: 2; column-gap: 24px; }
  .chart { margin-bottom: 12px; }
  .chart svg { width: 100%; }
  .card .value { font-size: 16px; }
  tr, tbody.use, figure, .card { break-inside: avoid; }
  tbody.file { break-after: avoid; }
  thead { display: table-header-group; }
  tbody tr:nth-child(even) { background: none; }
  a { color: inherit; text-decoration: none; }
  a.docs::after { content: attr(href); display: block; font-size: 7.5px; color: var(--muted); overflow-wrap: anywhere; white-space: normal; }
  .sev { color: #000; background: none !important; border: 1px solid #000; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** The HTML attributes of the hast properties that rows use. */
const ROW_ATTRIBUTES: Readonly<Record<string, string>> = { className: 'class', colSpan: 'colspan', id: 'id', href: 'href', scope: 'scope' };
/** The elements rows are made of (no raw-text element such as style, no SVG). */
const ROW_ELEMENTS = new Set(['tbody', 'tr', 'td', 'th', 'span', 'a', 'code', 'strong', 'wbr']);
const VOID_ELEMENTS = new Set(['wbr']);
// hast-util-to-html's subsets for text and for double-quoted attribute values (module-level
// arrays, which stringify-entities caches its expressions by).
const TEXT_ENTITY_SUBSET = ['<', '&'];
const ATTRIBUTE_ENTITY_SUBSET = ['\0', '"', '&', "'", '`'];

/**
 * What hast-util-to-html writes for one row, written directly: its general serialiser was most of
 * the time of a big report (a lookup per attribute, a handler per node). Same escaping, by the
 * same stringify-entities calls; a node outside the subset above goes to toHtml instead.
 * test/report/html-rows.test.ts checks that the two agree on random rows with hostile text.
 */
export function rowHtml(node: Element): string {
  const out: string[] = [];
  return writeRowElement(node, out) ? out.join('') : toHtml(node);
}

function writeRowElement(node: Element, out: string[]): boolean {
  if (!ROW_ELEMENTS.has(node.tagName)) return false;
  out.push('<', node.tagName);
  for (const key in node.properties) {
    const value = node.properties[key];
    if (value === null || value === undefined) continue;
    const name = ROW_ATTRIBUTES[key];
    if (name === undefined || typeof value === 'boolean' || (typeof value === 'number' && Number.isNaN(value))) return false;
    const text = Array.isArray(value) ? value.join(' ').trim() : String(value);
    out.push(' ', name, '="', stringifyEntities(text, { subset: ATTRIBUTE_ENTITY_SUBSET, attribute: true }), '"');
  }
  out.push('>');
  if (VOID_ELEMENTS.has(node.tagName)) return node.children.length === 0;
  for (const child of node.children) {
    if (child.type === 'text') out.push(stringifyEntities(child.value, { subset: TEXT_ENTITY_SUBSET }));
    else if (child.type !== 'element' || !writeRowElement(child, out)) return false;
  }
  out.push('</', node.tagName, '>');
  return true;
}

type Child = ElementContent | string | Child[];
/** hast property names (`className`, `colSpan`, `httpEquiv`), as hast-util-to-html reads them. */
type Properties = Record<string, string | number | string[] | undefined>;

/**
 * An element from `tag.class.class`, hast properties and children (strings become text): the part
 * of hastscript's h() this page uses, without its per-call property lookups, which cost more than
 * serialising on a cue sheet of tens of thousands of rows. SVG keeps hastscript's s().
 */
function h(selector: string, props?: Properties | Child, children?: Child): Element {
  if (children === undefined && (typeof props !== 'object' || Array.isArray(props) || 'type' in props)) {
    children = props as Child | undefined;
    props = undefined;
  }
  let parsed = selectors.get(selector);
  if (!parsed) {
    const [tagName, ...className] = selector.split('.');
    parsed = { tagName, className };
    selectors.set(selector, parsed);
  }
  const properties: Element['properties'] = {};
  // A fresh array each time: a tree is the caller's to change.
  if (parsed.className.length) properties.className = parsed.className.slice();
  if (props) {
    for (const key in props as Properties) {
      const value = (props as Properties)[key];
      if (value !== undefined) properties[key] = value;
    }
  }
  const content: ElementContent[] = [];
  if (children !== undefined) addChildren(content, children);
  return { type: 'element', tagName: parsed.tagName, properties, children: content };
}

const selectors = new Map<string, { tagName: string; className: string[] }>();

function addChildren(out: ElementContent[], child: Child): void {
  if (typeof child === 'string') out.push({ type: 'text', value: child });
  else if (Array.isArray(child)) for (const c of child) addChildren(out, c);
  else out.push(child);
}

/**
 * The cue sheet and the findings of a big project run to tens of thousands of rows: one tree for
 * all of them took gigabytes at its peak. Their rows are built and serialised a group at a time
 * instead, each still a hast tree written by rowHtml (hast-util-to-html's escaping), and put in
 * place of a comment node
 * carrying a nonce that no escaped value can contain.
 */
class Deferred {
  private readonly nonce = `ai-use-rows-${randomBytes(8).toString('hex')}`;
  private readonly parts: (() => string[])[] = [];

  /** A placeholder node; `render` runs when the page is assembled. */
  node(render: () => string[]): Comment {
    this.parts.push(render);
    return { type: 'comment', value: `${this.nonce}-${this.parts.length - 1}` };
  }

  /** The page in pieces, in order: never the whole cue sheet in one string (see renderHtmlChunks). */
  assemble(html: string): string[] {
    const pieces = html.split(new RegExp(`<!--${this.nonce}-(\\d+)-->`));
    // split() with a capture group: text, index, text, index, ..., text.
    return pieces.flatMap((piece, i) => (i % 2 === 1 ? this.parts[Number(piece)]() : [piece]));
  }
}

/** Rows per piece of the page: big enough to write efficiently, small enough not to matter. */
const ROWS_PER_CHUNK = 256;

/** Serialises `items` one at a time through `build`, joined a few hundred at a time. */
function rowsHtml<T>(items: readonly T[], build: (item: T) => Element | Element[]): string[] {
  const chunks: string[] = [];
  let out: string[] = [];
  for (const item of items) {
    const built = build(item);
    for (const node of Array.isArray(built) ? built : [built]) out.push(rowHtml(node));
    if (out.length >= ROWS_PER_CHUNK) {
      chunks.push(out.join(''));
      out = [];
    }
  }
  if (out.length) chunks.push(out.join(''));
  return chunks;
}

/** A value, or a muted dash when absent. Strings are text children, never props. */
function dash(value: string | null): Element | string {
  return value === null || value === '' ? h('span.muted', '—') : value;
}

function severityBadge(severity: Severity): Element {
  return h(`span.sev.sev-${severity}`, severity);
}

/** "3 errors", "1 warning", "2 info" (info has no plural). */
function severityCount(n: number, severity: Severity): string {
  return `${n} ${severity}${n === 1 || severity === 'info' ? '' : 's'}`;
}

function percent(share: Share): string {
  return share.percent === null ? 'n/a' : `${share.percent}%`;
}

function card(value: string, label: string, detail?: string, className?: string): Element {
  return h(className ? `div.card.${className}` : 'div.card', [h('span.value', value), h('span.label', label), ...(detail ? [h('div.label', detail)] : [])]);
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

/** A header cell: `wrap` lets a long label wrap at its spaces, `num` right-aligns it. */
type Column = { label: string; className?: string };

type Cell = ElementContent | string | (ElementContent | string)[];

function headRow(head: Column[]): Element {
  return h('thead', [h('tr', head.map((c) => h('th', { scope: 'col', className: c.className ? c.className.split(' ') : undefined }, c.label)))]);
}

function bodyRow(row: Cell[], cellClasses: readonly (string | undefined)[]): Element {
  return h('tr', row.map((cell, i) => h('td', { className: cellClasses[i] ? cellClasses[i]!.split('.') : undefined }, Array.isArray(cell) ? cell : [cell])));
}

function table(head: Column[], rows: Cell[][], cellClasses: readonly (string | undefined)[] = []): Element {
  return h('table', [headRow(head), h('tbody', rows.map((row) => bodyRow(row, cellClasses)))]);
}

/** table(), with its rows built and serialised one at a time when the page is assembled. */
function deferredTable<T>(head: Column[], items: readonly T[], cells: (item: T) => Cell[], cellClasses: readonly (string | undefined)[], deferred: Deferred): Element {
  return h('table', [headRow(head), h('tbody', [deferred.node(() => rowsHtml(items, (item) => bodyRow(cells(item), cellClasses)))])]);
}

/**
 * Text that wraps only at its spaces and right after each of the `after` characters (after `/` in
 * a path, `-` in a timecode range), never inside a token: a <wbr> between the pieces of one word.
 */
function tokens(text: string, after = ''): ElementContent[] {
  const out: ElementContent[] = [];
  const split = after ? new RegExp(`(?<=[${after.replace(/[\\\]^-]/g, '\\$&')}])`) : undefined;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (out.length) out.push({ type: 'text', value: ' ' });
    (split ? word.split(split) : [word]).forEach((piece, i) => {
      if (i) out.push(h('wbr'));
      // Browsers never break inside a word here (overflow-wrap: normal), but do after a hyphen:
      // only a piece with one needs the nowrap span (most do not, and big reports have many).
      out.push(piece.includes('-') ? h('span.nw', piece) : { type: 'text', value: piece });
    });
  }
  return out;
}

/** An IPTC code such as compositeWithTrainedAlgorithmicMedia may wrap only between its words. */
function camelTokens(code: string): ElementContent[] {
  return code.split(/(?=[A-Z])/).flatMap((piece, i): ElementContent[] => (i ? [h('wbr'), { type: 'text', value: piece }] : [{ type: 'text', value: piece }]));
}

/** tokens(), or a muted dash when absent. */
function tokensOrDash(value: string | null, after = ''): ElementContent[] {
  return value === null || value.trim() === '' ? [dash(null) as Element] : tokens(value, after);
}

function location(row: CueSheetRow): (ElementContent | string)[] {
  if (row.scene && row.section) return [h('span', row.scene), h('span.sub', row.section)];
  return [dash(row.scene ?? row.section)];
}

function link(href: string | null, label: string | ElementContent[], className?: string): Element | string | ElementContent[] {
  return href ? h('a', { href, className: className ? [className] : undefined }, label) : label;
}

const CUE_SHEET_COLUMNS: readonly Column[] = [
  { label: '#', className: 'num' },
  { label: 'Line', className: 'num' },
  { label: 'Scene / section', className: 'wrap' },
  { label: 'Timecode' },
  { label: 'Kind / ID' },
  { label: 'IPTC digital source type', className: 'wrap' },
  { label: 'Tool' },
  { label: 'Disclosure' },
  { label: 'Approval' },
  { label: 'Consent' },
  { label: 'Stage' },
  { label: 'Findings', className: 'w-findings' },
];

/** The first two columns (# and line) stay empty on a use's detail row, which spans the rest. */
const DETAIL_SPAN = CUE_SHEET_COLUMNS.length - 2;

function field(label: string, value: (ElementContent | string)[], className = 'field'): Element {
  return h(`span.${className}`, [h('span.label', label), ' ', ...value]);
}

/**
 * One use: its row of short values, then (when it has any) a detail row whose one wide cell holds
 * the long free text, prompt and source, so that they get the page's width instead of a sliver.
 */
function cueSheetUse(row: CueSheetRow): Element {
  const main = h('tr', { id: `use-${row.row}` }, [
    h('td.num', String(row.row)),
    h('td.num', String(row.line)),
    h('td', location(row)),
    h('td.mono', tokensOrDash(row.timecode, '-')),
    h('td', [row.kind ? h('span.tok', row.kind) : dash(null), ...(row.id ? [h('span.sub.tok', row.id)] : [])]),
    h('td', row.iptcUri && row.iptcDigitalSourceType ? [h('a', { href: row.iptcUri }, camelTokens(row.iptcDigitalSourceType))] : [dash(null)]),
    h('td', tokensOrDash(row.tool)),
    h('td', row.disclosure.length ? row.disclosure.flatMap((d, i) => [...(i ? [', '] : []), h('span.nw', d)]) : [dash(null)]),
    h('td', tokensOrDash(row.approval)),
    h('td', tokensOrDash(row.consent)),
    h('td.tok', [dash(row.stage)]),
    h(
      'td',
      row.findings.length === 0
        ? [dash(null)]
        : row.findings.map((f) => h('span.finding', [severityBadge(f.severity), ' ', h('code', tokens(f.ruleId, '/'))])),
    ),
  ]);
  const details: Element[] = [];
  if (row.prompt) details.push(field('Prompt', [h('span.prompt', row.prompt)]));
  if (row.source || row.sourceRights) {
    details.push(field('Source', [dash(row.source), ...(row.sourceRights ? [h('span.muted', ' \u00b7 rights: '), ...tokens(row.sourceRights)] : [])]));
  }
  return h('tbody.use', [
    main,
    ...(details.length ? [h('tr.detail', [h('td', { colSpan: 2 }), h('td.free', { colSpan: DETAIL_SPAN }, details)])] : []),
  ]);
}

/** One file's part of the cue sheet: a heading row (its path), then each of its uses in source order. */
export type CueSheetGroup = [file: string, rows: CueSheetRow[]];

function fileHeading([file, rows]: CueSheetGroup): Element {
  return h('tbody.file', [
    h('tr', [h('th', { scope: 'rowgroup', colSpan: CUE_SHEET_COLUMNS.length }, [h('code', tokens(file, '/')), h('span.muted', ` \u2014 ${rows.length} ${rows.length === 1 ? 'use' : 'uses'}`)])]),
  ]);
}

/** The cue sheet's rows for these files, in pieces (what a second thread runs on its share). */
export function cueSheetGroupsHtml(groups: readonly CueSheetGroup[]): string[] {
  return groups.flatMap((group) => [...rowsHtml([group], fileHeading), ...rowsHtml(group[1], cueSheetUse)]);
}

/**
 * Renders some of the cue sheet's files elsewhere (another thread) while this one renders the
 * rest: starts at once, and the function it returns waits for their pieces.
 */
export type CueSheetHelper = (groups: CueSheetGroup[]) => () => string[];

/** Below this many uses a second thread costs more than it saves. */
export const HELPER_MIN_ROWS = 2000;

function cueSheetTable(report: Report, deferred: Deferred, helper: CueSheetHelper | undefined): Element {
  const byFile = new Map<string, CueSheetRow[]>();
  for (const row of report.cueSheet) {
    const rows = byFile.get(row.file);
    if (rows) rows.push(row);
    else byFile.set(row.file, [row]);
  }
  const groups = [...byFile];
  const render = (): string[] => {
    if (!helper || report.cueSheet.length < HELPER_MIN_ROWS) return cueSheetGroupsHtml(groups);
    // The later files to the helper, about half of the uses; this thread renders the first ones.
    let split = groups.length;
    for (let uses = 0; split > 0 && uses + groups[split - 1][1].length <= report.cueSheet.length / 2; split--) uses += groups[split - 1][1].length;
    const theirs = helper(groups.slice(split));
    const mine = cueSheetGroupsHtml(groups.slice(0, split));
    return [...mine, ...theirs()];
  };
  return h('table.cue-sheet', [
    h('thead', [
      h('tr', CUE_SHEET_COLUMNS.map((c) => h('th', { scope: 'col', className: c.className ? c.className.split(' ') : undefined }, c.label))),
      h('tr.detail', [h('th', { colSpan: 2 }), h('th.wrap', { scope: 'colgroup', colSpan: DETAIL_SPAN }, 'Prompt \u00b7 Source and its rights (below each use that has them)')]),
    ]),
    deferred.node(render),
  ]);
}

export function renderHtml(report: Report): string {
  return renderHtmlChunks(report).join('');
}

/**
 * The page as pieces that join into renderHtml()'s text. A 300-file project's page is 17 MB; a
 * writer that writes the pieces in turn never holds it as one string (and its UTF-8 copy) too.
 */
export function renderHtmlChunks(report: Report, helper?: CueSheetHelper): string[] {
  const deferred = new Deferred();
  const s_ = report.summary;
  const errorFiles = new Set(report.findings.filter((f) => f.severity === 'error').map((f) => f.file)).size;
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
      card(String(s_.uses), 'AI uses tagged', `in ${s_.documentsWithUses} of ${s_.documents} documents`),
      card(String(s_.findings), 'findings', SEVERITIES.map((sev) => severityCount(s_.findingsBySeverity[sev], sev)).join(', ')),
      card(String(s_.findingsBySeverity.error), 'errors', errorFiles === 0 ? 'none to resolve' : `in ${errorFiles} ${errorFiles === 1 ? 'file' : 'files'}`, 'errors'),
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
    h(
      'p.muted',
      'Statements follow the IBM AI Attribution Toolkit grammar, derived from each document\u2019s tags: the proportion says how much of the document\u2019s own text AI wrote (text.draft, text.rewrite tags); the model slot names the tool that most shaped that text, and every tool is listed below it (see docs/report.md).',
    ),
    table(
      [{ label: 'Document' }, { label: 'Title' }, { label: 'Genre' }, { label: 'Guidelines' }, { label: 'Uses', className: 'num' }, { label: 'Findings', className: 'num' }, { label: 'AI attribution statement', className: 'w-statement' }],
      report.documents.map((d) => [
        h('code', tokens(d.path, '/')),
        dash(d.title),
        h('span.nw', d.genre),
        d.guidelines.flatMap((g, i) => [...(i ? [', '] : []), h('span.nw', g)]),
        String(d.uses),
        String(d.findings),
        d.attribution.statement
          ? [
              h('span.statement', d.attribution.statement),
              h('span.sub', d.attribution.basis),
              // The statement's grammar has one model slot: every tool is listed here.
              ...(d.attribution.tools.length > 1 ? [h('span.sub', [h('strong', 'Tools: '), d.attribution.tools.join('; ')])] : []),
            ]
          : h('span.muted', d.attribution.basis),
      ]),
      [undefined, undefined, undefined, undefined, 'num', 'num', undefined],
    ),
  ]);

  const cueSheet = h('section', { id: 'cue-sheet' }, [
    h('h2', 'GenAI cue sheet'),
    report.cueSheet.length === 0 ? h('p', 'No AI use is tagged.') : cueSheetTable(report, deferred, helper),
  ]);

  const findings = h('section', { id: 'findings' }, [
    h('h2', 'Findings'),
    report.findings.length === 0
      ? h('p', 'No findings.')
      : deferredTable(
          [{ label: 'Severity' }, { label: 'Rule' }, { label: 'Message', className: 'w-message' }, { label: 'Location' }, { label: 'Source' }],
          report.findings,
          (f) => [
            severityBadge(f.severity),
            h('code', [link(f.docs, tokens(f.ruleId, '/'), 'docs')].flat()),
            f.message,
            [
              h('code', tokens(`${f.file}:${f.line}:${f.column}`, '/')),
              ...(f.cueSheetRow !== null ? [h('a.sub', { href: `#use-${f.cueSheetRow}` }, `cue sheet #${f.cueSheetRow}`)] : []),
            ],
            f.source ? [link(f.source.url, f.source.title), ' (', link(sourcesUrl(f.source.facts), `sources ${f.source.facts}`), ')'].flat() : dash(null),
          ],
          [undefined, undefined, 'free', undefined, undefined],
          deferred,
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
  return [...deferred.assemble(toHtml(tree)), '\n'];
}
