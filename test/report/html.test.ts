// The HTML report: self-contained and printable, a chart of the summary as inline SVG, and tag
// text that stays text: the output is parsed back and searched for live elements and handlers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Root, RootContent } from 'hast';
import { renderHtml } from '../../server/src/core/report/html.js';
import { CLEAN_FOUNTAIN, HOSTILE_FOUNTAIN, IMG_PAYLOAD, NOTES_MD, reportOf, SCRIPT_PAYLOAD } from './helpers.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD, 'ideas.fountain': CLEAN_FOUNTAIN });
const html = renderHtml(report);
const tree = fromHtml(html);

function elements(node: Root | Element, out: Element[] = []): Element[] {
  for (const child of node.children as RootContent[]) {
    if (child.type === 'element') {
      out.push(child);
      elements(child, out);
    }
  }
  return out;
}

function textOf(node: Root | Element | RootContent): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(textOf).join('');
  return '';
}

const all = elements(tree);
const byTag = (name: string) => all.filter((e) => e.tagName === name);

test('tag text cannot become markup: no script, img, event handler or javascript: link', () => {
  assert.equal(byTag('script').length, 0, 'no <script> element');
  assert.equal(byTag('img').length, 0, 'no <img> element');
  assert.equal(byTag('iframe').length + byTag('object').length + byTag('embed').length, 0);
  for (const el of all) {
    for (const [name, value] of Object.entries(el.properties ?? {})) {
      assert.ok(!/^on/i.test(name), `event handler ${name} on <${el.tagName}>`);
      if (name === 'href') assert.match(String(value), /^(https?:|#)/, `link target ${value}`);
    }
  }
  // The raw text never holds the payload unescaped.
  assert.ok(!html.includes(SCRIPT_PAYLOAD));
  assert.ok(!html.includes(IMG_PAYLOAD));
  assert.ok(!/<script/i.test(html));
});

test('the hostile values are shown, escaped, as text where a reader expects them', () => {
  const body = textOf(byTag('body')[0]);
  assert.ok(body.includes(SCRIPT_PAYLOAD), 'the tool name is visible as text');
  assert.ok(body.includes(IMG_PAYLOAD), 'the prompt is visible as text');
  assert.ok(html.includes('&#x3C;script>alert(1)&#x3C;/script>') || html.includes('&lt;script&gt;'), 'escaped in the source');
  const cueRow = all.find((e) => e.properties?.id === 'use-1');
  assert.ok(cueRow, 'cue sheet row 1 has an anchor');
  assert.ok(textOf(cueRow).includes(SCRIPT_PAYLOAD));
  // A title with markup in the title page stays text too.
  assert.ok(body.includes('Pan <b>Case</b>'));
  assert.equal(byTag('b').length, 0);
});

test('self-contained: inline CSS with print rules, no external resource, a CSP that forbids scripts', () => {
  assert.match(html, /^<!doctype html>/i);
  assert.equal(byTag('link').length, 0, 'no stylesheet links');
  const styles = byTag('style');
  assert.equal(styles.length, 1);
  assert.match(textOf(styles[0]), /@media print/);
  assert.match(textOf(styles[0]), /@page/);
  for (const el of all) {
    for (const name of ['src', 'srcSet', 'data', 'poster', 'action']) assert.equal(el.properties?.[name], undefined, `<${el.tagName} ${name}>`);
  }
  const csp = byTag('meta').find((m) => String(m.properties?.httpEquiv).toLowerCase() === 'content-security-policy');
  assert.ok(csp);
  assert.match(String(csp.properties?.content), /default-src 'none'/);
  const generator = byTag('meta').find((m) => m.properties?.name === 'generator');
  assert.match(String(generator?.properties?.content), /^ai-use-lint report 0\.1\.0$/);
});

test('summary chart: inline SVG bars with text labels for uses by kind and findings by severity', () => {
  const figures = byTag('figure');
  const kinds = figures.find((f) => textOf(f).startsWith('Uses by kind'));
  const severity = figures.find((f) => textOf(f).startsWith('Findings by severity'));
  assert.ok(kinds && severity);
  const kindTexts = elements(kinds).filter((e) => e.tagName === 'text').map(textOf);
  for (const kind of ['image.generated', 'audio.music', 'video.enhanced', 'text.transcription']) assert.ok(kindTexts.includes(kind), kind);
  assert.equal(elements(kinds).filter((e) => e.tagName === 'rect').length, 4);
  const sevTexts = elements(severity).filter((e) => e.tagName === 'text').map(textOf);
  assert.deepEqual(sevTexts.filter((t) => /^[a-z]+$/.test(t)), ['error', 'warning', 'info', 'hint']);
  assert.ok(sevTexts.includes(String(report.summary.findingsBySeverity.error)));
  const svg = elements(severity).find((e) => e.tagName === 'svg');
  assert.equal(svg?.properties?.role, 'img');
});

test('contents: header, summary cards, documents with attribution, cue sheet, findings with docs links', () => {
  const body = textOf(byTag('body')[0]);
  assert.equal(textOf(byTag('h1')[0]), 'AI use report: The Lantern Road');
  for (const text of ['2025-06-02 09:30:00 UTC', 'true-crime, scripted', 'netflix, apa, sag-aftra, wga, eu-ai-act', 'AI uses tagged', 'disclosed', 'approved', 'with consent']) {
    assert.ok(body.includes(text), text);
  }
  assert.ok(body.includes('AIA Ph Se Hin R Descript 6, "pro" v1.0'));
  assert.ok(body.includes('Tools: Descript 6, "pro"; Topaz Video AI 5'), 'every tool beside the statement');
  const headings = byTag('h2').map(textOf);
  assert.deepEqual(headings, ['Summary', 'Documents and AI attribution', 'GenAI cue sheet', 'Findings']);
  const cueTable = all.find((e) => e.properties?.id === 'cue-sheet')!;
  const useRows = elements(cueTable).filter((e) => e.tagName === 'tr' && String(e.properties?.id ?? '').startsWith('use-'));
  assert.deepEqual(useRows.map((r) => r.properties?.id), report.cueSheet.map((r) => `use-${r.row}`), 'one row per use, in order');
  // Uses are grouped under their file's path; prompts and sources sit on a row under their use.
  const fileHeadings = elements(cueTable).filter((e) => e.tagName === 'th' && e.properties?.scope === 'rowgroup').map(textOf);
  assert.deepEqual(fileHeadings, ['ep101.fountain \u2014 2 uses', 'notes/ep101.md \u2014 2 uses']);
  const imageUse = useRows[0];
  const promptRow = elements(cueTable).filter((e) => e.tagName === 'tr')[elements(cueTable).filter((e) => e.tagName === 'tr').indexOf(imageUse) + 1];
  assert.ok(textOf(promptRow).startsWith('Prompt ' + IMG_PAYLOAD), textOf(promptRow));
  const findingsSection = all.find((e) => e.properties?.id === 'findings')!;
  const docLinks = elements(findingsSection).filter((e) => e.tagName === 'a' && String(e.properties?.href).includes('/docs/rules/'));
  assert.ok(docLinks.some((a) => textOf(a) === 'apa/synthetic-archival'));
  const rowLinks = elements(findingsSection).filter((e) => e.tagName === 'a' && String(e.properties?.href).startsWith('#use-'));
  assert.ok(rowLinks.length > 0, 'findings link to their cue sheet row');
});

test('summary cards: uses, the total of findings with its breakdown, errors, and the three shares', () => {
  const cards = all.filter((e) => (e.properties?.className as string[] | undefined)?.includes('card'));
  const byLabel = new Map(cards.map((c) => [textOf(elements(c).find((e) => e.tagName === 'span' && (e.properties?.className as string[]).includes('label'))!), c]));
  assert.deepEqual([...byLabel.keys()], ['AI uses tagged', 'findings', 'errors', 'disclosed', 'approved', 'with consent']);
  const s = report.summary;
  const value = (label: string) => textOf(elements(byLabel.get(label)!).find((e) => (e.properties?.className as string[]).includes('value'))!);
  assert.equal(value('findings'), String(s.findings));
  assert.ok(s.findings > s.findingsBySeverity.error, 'the total is more than the errors here');
  const f = s.findingsBySeverity;
  assert.match(textOf(byLabel.get('findings')!), new RegExp(`${f.error} errors?, ${f.warning} warnings?, ${f.info} info, ${f.hint} hints?`));
  assert.equal(value('errors'), String(f.error));
  assert.equal(value('AI uses tagged'), '4');
});

test('an empty project still renders: no uses, no findings', () => {
  const empty = renderHtml(reportOf({ 'ideas.fountain': CLEAN_FOUNTAIN }));
  const text = textOf(fromHtml(empty));
  assert.ok(text.includes('No AI use is tagged.'));
  assert.ok(text.includes('No findings.'));
});
