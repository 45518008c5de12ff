// The report of examples/ in every format, checked for content a reader relies on: the cue sheet
// row of one known tag, the SARIF location of one known finding, and the attribution statement of
// every document. The expectations come from the example files themselves, from SPEC.md's kind
// table and from `ai-use check --format json`, never from the report under test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Root as HastRoot, RootContent as HastContent } from 'hast';
import type { Root as MdRoot, RootContent as MdContent, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { repo } from './helpers.js';

const cli = path.join(repo, 'dist/cli.cjs');

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function report(format: string): string {
  const r = run(['report', 'examples', '-f', format, '-o', '-']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

interface CheckFinding { ruleId: string; severity: string; line: number; column: number; endLine: number; endColumn: number }
interface CheckTag { kind: string | null; line: number; endLine: number; fields: Record<string, string> }
interface CheckFile { path: string; tags: CheckTag[]; findings: CheckFinding[] }

const checked = run(['check', 'examples', '--format', 'json']);
const check: { files: CheckFile[] } = JSON.parse(checked.stdout);
const checkFile = (file: string) => check.files.find((f) => f.path === file)!;
const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');

// --- What the example files say about LR101-IMG-004 -------------------------------------------

const FILE = 'examples/true-crime-docuseries/ep101-narration.fountain';
const ID = 'LR101-IMG-004';
const source = read(FILE);
const lines = source.split(/\r?\n/);
const tagStart = source.lastIndexOf('[[', source.indexOf(`id: ${ID}`));
const tagText = source.slice(tagStart, source.indexOf(']]', tagStart) + 2);
const tagLine = source.slice(0, tagStart).split('\n').length;
const kind = /^\[\[ai:\s*([a-z.-]+)/.exec(tagText)![1];
const tool = /tool:\s*([^;\]]+)/.exec(tagText)![1].trim();

/** Fountain scene headings: INT./EXT./EST./I/E lines, or a forced `.HEADING`. */
const SCENE_HEADING = /^(?:(?:INT|EXT|EST|INT\.?\/EXT|I\/E)[. ]|\.(?=[A-Za-z0-9]))/;
function headingsOf(file: string): { line: number; text: string }[] {
  const text = read(file).split(/\r?\n/);
  const out: { line: number; text: string }[] = [];
  if (file.endsWith('.fountain')) {
    text.forEach((l, i) => {
      if (SCENE_HEADING.test(l) && (i === 0 || text[i - 1].trim() === '')) out.push({ line: i + 1, text: l.replace(/^\./, '').trim() });
    });
  } else {
    let fence = false;
    let frontMatter = text[0] === '---';
    text.forEach((l, i) => {
      if (frontMatter) {
        if (i > 0 && l === '---') frontMatter = false;
        return;
      }
      if (/^(```|~~~)/.test(l)) fence = !fence;
      else if (!fence && /^#{1,6}\s/.test(l)) out.push({ line: i + 1, text: l.replace(/^#+\s*/, '') });
    });
  }
  return out;
}
const scene = headingsOf(FILE).filter((h) => h.line < tagLine).at(-1)!.text;

/** The kind's IPTC digital source type, from SPEC.md §2.1. */
const SPEC = fs.readFileSync(path.resolve(repo, '../shared/SPEC.md'), 'utf8');
const iptc = SPEC.split('\n').find((l) => l.startsWith(`| \`${kind}\` |`))!.split('|').at(-2)!.trim();

const checkTag = checkFile(FILE).tags.find((t) => t.fields.id === ID)!;
const tagFindings = checkFile(FILE).findings.filter((f) => f.line >= checkTag.line && f.line <= checkTag.endLine);
const ruleIds = [...new Set(tagFindings.map((f) => f.ruleId))].sort();
const ruleIdsIn = (text: string) => [...new Set(text.match(/\b[a-z][a-z-]*\/[a-z][a-z-]*\b/g) ?? [])].sort();

test('the expectations are what the example README promises for LR101-IMG-004', () => {
  assert.equal(checked.code, 1, 'check fails on the examples: they have errors on purpose');
  assert.equal(tagLine, 68);
  assert.equal(scene, 'INT. INTERVIEW ROOM - DAY');
  assert.equal(kind, 'image.generated');
  assert.equal(iptc, 'trainedAlgorithmicMedia');
  assert.equal(tool, 'Midjourney 6.1');
  assert.equal(checkTag.line, tagLine);
  for (const rule of ['apa/synthetic-archival', 'apa/on-screen-disclosure', 'netflix/misleading-real', 'eu-ai-act/deep-fake', 'netflix/final-deliverable', 'apa/cue-sheet-fields']) {
    assert.ok(ruleIds.includes(rule), rule);
  }
});

test('JSON: the LR101-IMG-004 row has its file, line, scene, kind, IPTC type, tool and findings', () => {
  const row = JSON.parse(report('json')).cueSheet.find((r: { id: string }) => r.id === ID);
  assert.equal(row.file, FILE);
  assert.equal(row.line, tagLine);
  assert.equal(row.scene, scene);
  assert.equal(row.kind, kind);
  assert.equal(row.iptcDigitalSourceType, iptc);
  assert.equal(row.tool, tool);
  assert.deepEqual([...new Set(row.findings.map((f: { ruleId: string }) => f.ruleId))].sort(), ruleIds);
});

test('CSV: the same row, and Finding details has the message of each finding', () => {
  const [header, ...records]: string[][] = parse(report('csv'), { bom: true });
  const col = (name: string) => header.indexOf(name);
  const row = records.find((r) => r[col('ID')] === ID)!;
  assert.equal(row[col('File')], FILE);
  assert.equal(row[col('Line')], String(tagLine));
  assert.equal(row[col('Scene')], scene);
  assert.equal(row[col('Kind')], kind);
  assert.equal(row[col('IPTC digital source type')], iptc);
  assert.equal(row[col('Tool')], tool);
  assert.deepEqual(ruleIdsIn(row[col('Findings')]), ruleIds);
  const details = row[col('Finding details')].split('\n');
  const messages = checkFile(FILE).findings.filter((f) => tagFindings.includes(f)) as (CheckFinding & { message: string })[];
  assert.deepEqual(details.sort(), messages.map((f) => `${f.ruleId} (${f.severity}): ${f.message}`).sort());
});

function mdText(node: MdRoot | MdContent): string {
  if ('value' in node) return node.type === 'html' ? ' ' : node.value;
  if ('children' in node) return (node.children as MdContent[]).map(mdText).join('');
  return '';
}

function mdTables(markdown: string): { heading: string; table: Table }[] {
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as MdRoot;
  const out: { heading: string; table: Table }[] = [];
  let heading = '';
  for (const node of tree.children) {
    if (node.type === 'heading') heading = mdText(node);
    if (node.type === 'table') out.push({ heading, table: node });
  }
  return out;
}

function mdRows(table: Table): Record<string, string>[] {
  const head = table.children[0].children.map((c) => mdText(c));
  return table.children.slice(1).map((r) => Object.fromEntries(r.children.map((c, i) => [head[i], mdText(c)])));
}

test('Markdown: the same row in the GenAI cue sheet table', () => {
  const cue = mdTables(report('md')).find((t) => t.heading === 'GenAI cue sheet')!;
  const row = mdRows(cue.table).find((r) => r['Kind'].includes(ID))!;
  assert.equal(row['File'], FILE);
  assert.equal(row['Line'], String(tagLine));
  assert.ok(row['Scene / section'].startsWith(`${scene} / `), row['Scene / section']);
  assert.equal(row['Kind'], `${kind} ${ID}`);
  assert.equal(row['IPTC digital source type'], iptc);
  assert.equal(row['Tool'], tool);
  assert.deepEqual(ruleIdsIn(row['Findings']), ruleIds);
});

function hastText(node: HastRoot | HastContent): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return (node.children as HastContent[]).map(hastText).join('');
  return '';
}

function hastElements(node: HastRoot | Element, out: Element[] = []): Element[] {
  for (const child of node.children as HastContent[]) {
    if (child.type === 'element') {
      out.push(child);
      hastElements(child, out);
    }
  }
  return out;
}

test('HTML: the same row in the cue sheet, under its file', () => {
  const tree = fromHtml(report('html'));
  const table = hastElements(tree).find((e) => e.tagName === 'section' && e.properties?.id === 'cue-sheet')!;
  const t = hastElements(table).find((e) => e.tagName === 'table')!;
  const head = hastElements(hastElements(t).find((e) => e.tagName === 'thead')!).find((e) => e.tagName === 'tr')!;
  const headings = (head.children as Element[]).map(hastText);
  const bodies = (t.children as HastContent[]).filter((c): c is Element => c.type === 'element' && c.tagName === 'tbody');
  const at = bodies.findIndex((b) => hastElements(b).some((e) => e.tagName === 'tr' && String(e.properties?.id).startsWith('use-') && hastText(e).includes(ID)));
  const use = hastElements(bodies[at]).find((e) => e.tagName === 'tr')!;
  const cells = Object.fromEntries((use.children as Element[]).filter((c) => c.type === 'element').map((c, i) => [headings[i], c]));
  assert.equal(hastText(cells['Line']), String(tagLine));
  assert.ok(hastText(cells['Scene / section']).startsWith(scene));
  assert.equal(hastText(cells['Kind / ID']), `${kind}${ID}`);
  assert.equal(hastText(cells['IPTC digital source type']), iptc);
  assert.equal(hastText(cells['Tool']), tool);
  assert.deepEqual([...new Set(hastElements(cells['Findings']).filter((e) => e.tagName === 'code').map(hastText))].sort(), ruleIds);
  // The file heading above the row names the file.
  const fileHeading = bodies.slice(0, at).reverse().find((b) => (b.properties?.className as string[] | undefined)?.includes('file'))!;
  assert.ok(hastText(fileHeading).startsWith(FILE), hastText(fileHeading));
});

test('SARIF: the apa/synthetic-archival result on LR101-IMG-004 is at the `archival` value, 1-based', () => {
  const log = JSON.parse(report('sarif'));
  const expected = tagFindings.find((f) => f.ruleId === 'apa/synthetic-archival')!;
  // Independently of check: the value of `presented-as` in the source line, 1-based.
  const lineText = lines[tagLine - 1];
  const valueColumn = lineText.indexOf('presented-as: archival') + 'presented-as: '.length + 1;
  assert.deepEqual([expected.line, expected.column, expected.endColumn], [tagLine, valueColumn, valueColumn + 'archival'.length]);

  const base = log.runs[0].originalUriBaseIds['%SRCROOT%'].uri;
  const results = log.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'apa/synthetic-archival');
  const result = results.find((r: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) => {
    const l = r.locations[0].physicalLocation;
    return fileURLToPath(new URL(l.artifactLocation.uri, base)) === path.join(repo, FILE) && l.region.startLine === tagLine;
  });
  assert.ok(result, 'a result for the tag, resolving through %SRCROOT% to the file');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: expected.line, startColumn: expected.column, endLine: expected.endLine, endColumn: expected.endColumn });
  assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, 'apa/synthetic-archival');
});

// --- The attribution statement of every example document, by the mapping in docs/report.md ------

const CONTRIBUTION: Record<string, 'Nc' | 'Ce' | 'Se'> = {
  ...Object.fromEntries(['text.draft', 'image.generated', 'image.concept', 'video.generated', 'audio.voice-clone', 'audio.voice-synthetic', 'audio.music', 'audio.sfx', 'likeness.replica', 'performer.synthetic'].map((k) => [k, 'Nc' as const])),
  ...Object.fromEntries(['text.rewrite', 'image.composite', 'video.composite', 'audio.dub', 'likeness.de-age', 'likeness.face-swap', 'likeness.lip-sync', 'text.ideation', 'text.research'].map((k) => [k, 'Ce' as const])),
  ...Object.fromEntries(['image.enhanced', 'video.enhanced', 'audio.enhanced', 'text.translation', 'text.transcription'].map((k) => [k, 'Se' as const])),
};

function expectedStatement(file: CheckFile): string | null {
  const tags = file.tags;
  if (tags.length === 0) return null;
  const units = headingsOf(file.path);
  const unitOf = (t: CheckTag) => units.filter((u) => u.line <= t.line).length - 1;
  const scenesWith = (kinds: string[]) => new Set(tags.filter((t) => kinds.includes(t.kind ?? '')).map(unitOf).filter((u) => u >= 0)).size;
  const most = (n: number) => units.length > 0 && n * 2 > units.length;
  const proportion = most(scenesWith(['text.draft']))
    ? 'PAI'
    : tags.some((t) => t.kind === 'text.draft') || most(scenesWith(['text.draft', 'text.rewrite']))
      ? 'HAb'
      : 'Ph';
  const codes = (['Se', 'Ce', 'Nc'] as const).filter((c) => tags.some((t) => CONTRIBUTION[t.kind ?? ''] === c));
  const review = tags.every((t) => t.fields['reviewed-by'] && !/^(pending|none|tbd|n\/a|unknown|-)?$/i.test(t.fields['reviewed-by'].trim())) ? 'R' : 'Nr';
  let model: string | undefined;
  for (const applies of [(k: string) => k === 'text.draft', (k: string) => k === 'text.rewrite', (k: string) => k.startsWith('text.'), () => true]) {
    const counts = new Map<string, number>();
    for (const t of tags) if (applies(t.kind ?? '') && t.fields.tool) counts.set(t.fields.tool, (counts.get(t.fields.tool) ?? 0) + 1);
    model = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (model) break;
  }
  return ['AIA', proportion, ...codes, 'Hin', review, ...(model ? [model] : []), 'v1.0'].join(' ');
}

test('attribution: every example document has the statement the documented mapping gives', () => {
  const documents = check.files.filter((f) => /\.(fountain|md)$/.test(f.path));
  const expected = new Map(documents.map((f) => [f.path, expectedStatement(f)]));
  assert.equal(expected.get('examples/drama-pilot/pilot.fountain')!.split(' ')[1], 'HAb', 'one AI-drafted scene of seven');
  assert.equal(expected.get(FILE)!.split(' ')[1], 'Ph', 'generated media, no AI-written text');

  const json = JSON.parse(report('json'));
  assert.deepEqual(new Map(json.documents.map((d: { path: string; attribution: { statement: string | null } }) => [d.path, d.attribution.statement])), expected);

  const docs = mdTables(report('md')).find((t) => t.heading === 'Documents and AI attribution')!;
  for (const row of mdRows(docs.table)) assert.equal(row['AI attribution statement'], expected.get(row['Document']) ?? '—', row['Document']);

  const tree = fromHtml(report('html'));
  const section = hastElements(tree).find((e) => e.tagName === 'section' && e.properties?.id === 'documents')!;
  const rows = hastElements(section).filter((e) => e.tagName === 'tr').slice(1);
  assert.equal(rows.length, expected.size);
  for (const row of rows) {
    const cells = (row.children as HastContent[]).filter((c): c is Element => c.type === 'element');
    const statement = hastElements(cells.at(-1)!).find((e) => (e.properties?.className as string[] | undefined)?.includes('statement'));
    assert.equal(statement ? hastText(statement) : null, expected.get(hastText(cells[0])), hastText(cells[0]));
  }
});
