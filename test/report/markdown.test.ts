// The Markdown report: GitHub-readable (headings, summary table, the cue sheet as a GFM table),
// and tag text that cannot inject links, HTML, mentions or extra table cells. The output is parsed
// back with remark (CommonMark + GFM, as GitHub renders it) and the tree is inspected.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent, Table } from 'mdast';
import { escapeCell, escapeMarkdown, renderMarkdown } from '../../server/src/core/report/markdown.js';
import { CLEAN_FOUNTAIN, HOSTILE_FOUNTAIN, IMG_PAYLOAD, NOTES_MD, reportOf, SCRIPT_PAYLOAD } from './helpers.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD, 'ideas.fountain': CLEAN_FOUNTAIN });
const markdown = renderMarkdown(report);
const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as Root;

function nodes(node: Root | RootContent, out: RootContent[] = []): RootContent[] {
  if ('children' in node) {
    for (const child of node.children as RootContent[]) {
      out.push(child);
      nodes(child, out);
    }
  }
  return out;
}

function textOf(node: Root | RootContent): string {
  // What a reader sees: the invisible word joiners that break autolinks are not "seen".
  if (node.type === 'text' || node.type === 'inlineCode') return node.value.replace(/\u2060/g, '');
  if (node.type === 'html') return node.value === '<br>' ? '\n' : '';
  if ('children' in node) return (node.children as RootContent[]).map(textOf).join('');
  return '';
}

const all = nodes(tree);
const tables = all.filter((n): n is Table => n.type === 'table');
const headingAfter = (title: string): Table => {
  const index = tree.children.findIndex((n) => n.type === 'heading' && textOf(n) === title);
  assert.ok(index >= 0, `heading ${title}`);
  const next = tree.children.slice(index + 1).find((n) => n.type === 'table' || n.type === 'heading');
  assert.equal(next?.type, 'table', `a table under ${title}`);
  return next as Table;
};

test('structure: title, headings, summary table, cue sheet and findings as GFM tables', () => {
  const headings = all.filter((n) => n.type === 'heading').map(textOf);
  assert.deepEqual(headings, [
    'AI use report: The Lantern Road',
    'Summary',
    'Uses by kind',
    'Uses by stage',
    'Findings by severity',
    'Documents and AI attribution',
    'GenAI cue sheet',
    'Findings',
  ]);
  const summary = headingAfter('Summary');
  const measures = summary.children.map((r) => textOf(r.children[0]));
  assert.deepEqual(measures, ['Measure', 'AI uses tagged', 'Findings', 'Disclosed', 'Approved', 'With consent']);
  assert.equal(textOf(summary.children[1].children[1]), '4');
  assert.match(textOf(summary.children[3].children[1]), /^33% \(1 of 3/);
});

test('every table row has exactly the header\'s cells: `|` and line breaks in values do not split rows', () => {
  for (const table of tables) {
    const width = table.children[0].children.length;
    for (const row of table.children) assert.equal(row.children.length, width, textOf(row));
  }
  const cue = headingAfter('GenAI cue sheet');
  assert.equal(cue.children.length, 1 + report.cueSheet.length);
  const header = cue.children[0].children.map(textOf);
  assert.deepEqual(header, ['#', 'File', 'Line', 'Scene / section', 'Timecode', 'Kind', 'IPTC digital source type', 'Tool', 'Prompt', 'Source', 'Source rights', 'Disclosure', 'Approval', 'Consent', 'Findings']);
  const first = cue.children[1].children.map(textOf);
  assert.equal(first[7], SCRIPT_PAYLOAD, 'the tool is shown as text');
  assert.ok(first[8].startsWith(`${IMG_PAYLOAD} | col [x](javascript:alert(1)) https://evil.example`), 'the prompt, pipe included, in one cell');
  const video = cue.children[4].children.map(textOf);
  assert.equal(video[9], 'KPEL-TV news,\n15 Nov 1998', 'a line break in a value becomes <br> inside the cell');
});

test('tag text injects no HTML, link, image, autolink or mention', () => {
  const html = all.filter((n) => n.type === 'html').map((n) => (n as { value: string }).value);
  for (const value of html) assert.ok(value === '<br>' || value.startsWith('<!-- ai-use-lint report'), `raw HTML: ${value}`);
  const links = all.filter((n) => n.type === 'link').map((n) => (n as { url: string }).url);
  for (const url of links) assert.match(url, /^https:\/\/github\.com\/ai-use-lint\/|^https:\/\/(www\.)?[a-z.-]+\//, url);
  assert.ok(!links.some((u) => /evil|javascript|mailto|octocat/i.test(u)), links.join(' '));
  assert.equal(all.filter((n) => n.type === 'image').length, 0);
  assert.ok(!markdown.includes(SCRIPT_PAYLOAD), 'raw text holds no live <script>');
  assert.ok(!/@octocat/.test(markdown), '@mentions are broken by a word joiner');
  assert.ok(!/(^|[^\\])\$x/.test(markdown), '$math$ is escaped');
});

test('escapeMarkdown and escapeCell: the escapes that matter', () => {
  assert.equal(escapeMarkdown('a|b'), 'a\\|b');
  assert.equal(escapeMarkdown('[x](y)'), '\\[x\\](y)');
  assert.equal(escapeMarkdown('<b>'), '\\<b\\>');
  assert.equal(escapeMarkdown('https://x.example'), 'https\u2060://x.example');
  assert.equal(escapeMarkdown('WWW.x.example'), 'WWW\u2060.x.example');
  assert.equal(escapeMarkdown('a@b.example'), 'a\u2060@\u2060b.example');
  assert.equal(escapeMarkdown('mailto:a'), 'mailto\u2060:a');
  assert.equal(escapeMarkdown('*bold* _em_ `code` ~~s~~'), '\\*bold\\* \\_em\\_ \\`code\\` \\~\\~s\\~\\~');
  assert.equal(escapeMarkdown('line\nbreak'), 'line break');
  assert.equal(escapeCell('line\r\nbreak'), 'line<br>break');
  assert.equal(escapeCell(null), '—');
  assert.equal(escapeMarkdown('Runway Gen-4 (v2.1)'), 'Runway Gen-4 (v2.1)', 'plain text stays readable');
});

test('findings list: severity, rule linked to its docs page, message, location with cue sheet row', () => {
  const findings = headingAfter('Findings');
  assert.equal(findings.children.length, 1 + report.findings.length);
  const row = findings.children.find((r) => textOf(r.children[1]) === 'apa/synthetic-archival');
  assert.ok(row);
  assert.equal(textOf(row.children[0]), 'error');
  const link = nodes(row.children[1]).find((n) => n.type === 'link') as { url: string } | undefined;
  assert.match(link!.url, /docs\/rules\/apa\/synthetic-archival\.md$/);
  assert.match(textOf(row.children[3]), /^ep101\.fountain:6:\d+ \(cue sheet #1\)$/);
});

test('attribution statements per document are in the documents table', () => {
  const docs = headingAfter('Documents and AI attribution');
  const statements = docs.children.slice(1).map((r) => textOf(r.children[4]));
  assert.ok(statements.includes(`AIA Ph Nc Hin R ${SCRIPT_PAYLOAD} v1.0`));
  const tools = docs.children.slice(1).map((r) => textOf(r.children[5]));
  assert.ok(tools.includes(`${SCRIPT_PAYLOAD}; Suno v4.5`), 'every tool in the Tools column');
  assert.ok(statements.includes('—'), 'untagged document: no statement');
});
