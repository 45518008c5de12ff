// The rule docs are executable, like remark-lint's: every rule has a page under docs/rules/<pack>/<name>.md,
// and the code blocks under a page's "### Not OK" and "### OK" headings are run through the real
// pipeline. A Not OK block must produce at least one finding of the page's rule (the `# <pack>/<name>`
// title names it); an OK block must produce none of it.
//
// - ```fountain and ```markdown blocks are documents: lintText(text, format), no project config, so
//   the genre and guidelines come from the document's own title page or front matter.
// - ```yaml blocks are project configs (.ai-use.yaml): loadConfigFile(path, text), checked on
//   ResolvedConfig.findings. Used by the rules that only a config can show (core/invalid-config...).
// - ```yaml blocks under "## Options" must be valid configs (no findings at all), and fountain or
//   markdown blocks there (waivers) must not produce the page's rule.
//
// Failure messages name the page and the line of the block's opening fence.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Code, Heading, Nodes, Root, RootContent, Table } from 'mdast';
import { loadConfigFile } from '../../server/src/core/config.js';
import { ruleDocsPath } from '../../server/src/core/docs-url.js';
import { lintText } from '../../server/src/core/lint.js';
import { builtinPacks, loadBuiltinRules, type RuleDefinition } from '../../server/src/core/rules.js';
import type { Finding, HostFormat } from '../../server/src/core/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs', 'rules');
const INDEX = join(DOCS, 'README.md');

const DOCUMENT_LANGS: Record<string, HostFormat> = { fountain: 'fountain', markdown: 'markdown', edl: 'edl' };
const TESTED_LANGS = new Set(['fountain', 'markdown', 'edl', 'yaml']);

type Section = 'not-ok' | 'ok' | 'options' | 'other';

interface Block {
  lang: string;
  text: string;
  /** 1-based line of the opening fence in the page. */
  line: number;
  section: Section;
}

interface Page {
  file: string;
  /** Path relative to the repository root, for messages. */
  name: string;
  text: string;
  tree: Root;
  title?: string;
  blocks: Block[];
  /** Text of each `##` section, by heading. */
  sections: Map<string, string>;
  /** Facts table: first cell (lower-case) to second cell. */
  facts: Map<string, string>;
}

function parseMarkdown(text: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(text);
}

/** The text of a node and its children (inline code included), like mdast-util-to-string. */
function toString(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(toString).join('');
  return '';
}

function headingText(node: Heading): string {
  return toString(node).trim();
}

function readPage(file: string): Page {
  const text = readFileSync(file, 'utf8');
  const tree = parseMarkdown(text);
  const page: Page = { file, name: relative(ROOT, file).split(sep).join('/'), text, tree, blocks: [], sections: new Map(), facts: new Map() };
  let h2 = '';
  let h3 = '';
  let sectionStart: number | undefined;
  const closeSection = (end: number): void => {
    if (h2 !== '' && sectionStart !== undefined) page.sections.set(h2, text.slice(sectionStart, end));
  };
  for (const node of tree.children as RootContent[]) {
    if (node.type === 'heading') {
      const title = headingText(node);
      if (node.depth === 1 && page.title === undefined) page.title = title;
      if (node.depth <= 2) {
        closeSection(node.position!.start.offset!);
        h2 = node.depth === 2 ? title : '';
        h3 = '';
        sectionStart = node.position!.end.offset!;
      } else if (node.depth === 3) {
        h3 = title;
      }
      continue;
    }
    if (node.type === 'table' && h2 === '' && page.facts.size === 0) readFacts(node, page.facts);
    if (node.type !== 'code') continue;
    const code = node as Code;
    let section: Section = 'other';
    if (/^examples$/i.test(h2) && /^not ok$/i.test(h3)) section = 'not-ok';
    else if (/^examples$/i.test(h2) && /^ok$/i.test(h3)) section = 'ok';
    else if (/^options$/i.test(h2)) section = 'options';
    page.blocks.push({ lang: (code.lang ?? '').toLowerCase(), text: code.value + '\n', line: code.position!.start.line, section });
  }
  closeSection(text.length);
  return page;
}

function readFacts(table: Table, facts: Map<string, string>): void {
  for (const row of table.children) {
    const [key, value] = row.children.map((cell) => toString(cell).trim());
    if (key && value !== undefined) facts.set(key.toLowerCase(), value);
  }
}

function describeFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  return findings.map((f) => `${f.ruleId} (${f.severity}, line ${f.range.start.line + 1}): ${f.message}`).join('\n    ');
}

/** Findings of one block: a document through lintText, a config through loadConfigFile. */
function findingsOf(block: Block): Finding[] {
  const format = DOCUMENT_LANGS[block.lang];
  if (format) return lintText(block.text, format).findings;
  if (block.lang === 'yaml') return loadConfigFile(join(ROOT, '.ai-use.yaml'), block.text).findings;
  throw new Error(`cannot run a \`${block.lang}\` block`);
}

function pagePath(ruleId: string): string {
  return join(ROOT, ruleDocsPath(ruleId));
}

/** Every .md file under docs/rules/<pack>/, as rule ids. */
function pageIds(): { id: string; file: string }[] {
  const out: { id: string; file: string }[] = [];
  if (!existsSync(DOCS)) return out;
  for (const entry of readdirSync(DOCS)) {
    const dir = join(DOCS, entry);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) if (file.endsWith('.md')) out.push({ id: `${entry}/${file.slice(0, -3)}`, file: join(dir, file) });
  }
  return out;
}

const rules = loadBuiltinRules();
const ruleIds = new Set(rules.map((r) => r.id));

describe('rule docs: one page per rule', () => {
  it('every rule has a page at its docs path', () => {
    const missing = rules.filter((r) => !existsSync(pagePath(r.id))).map((r) => ruleDocsPath(r.id));
    assert.deepEqual(missing, [], `rules without a docs page:\n  ${missing.join('\n  ')}`);
  });

  it('no page exists for a rule that does not exist', () => {
    const stray = pageIds().filter((p) => !ruleIds.has(p.id)).map((p) => relative(ROOT, p.file));
    assert.deepEqual(stray, [], `docs pages for unknown rules:\n  ${stray.join('\n  ')}`);
  });

  it('no stray files at the top of docs/rules besides the index', () => {
    const stray = existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md') : [];
    assert.deepEqual(stray, []);
  });
});

describe('rule docs: the index', () => {
  const text = existsSync(INDEX) ? readFileSync(INDEX, 'utf8') : '';
  const links = [...text.matchAll(/\]\(\.?\/?([a-z0-9-]+\/[a-z0-9-]+)\.md\)/g)].map((m) => ({ id: m[1], at: text.slice(0, m.index).split('\n').length }));

  it('exists', () => assert.ok(existsSync(INDEX), 'docs/rules/README.md is missing'));

  it('lists every rule, linking its page', () => {
    const linked = new Set(links.map((l) => l.id));
    const missing = rules.filter((r) => !linked.has(r.id)).map((r) => r.id);
    assert.deepEqual(missing, [], `docs/rules/README.md does not link: ${missing.join(', ')}`);
  });

  it('links no unknown rule', () => {
    const unknown = links.filter((l) => !ruleIds.has(l.id)).map((l) => `docs/rules/README.md:${l.at}: ${l.id}`);
    assert.deepEqual(unknown, [], `the index links rules that do not exist:\n  ${unknown.join('\n  ')}`);
  });

  it('gives each rule its severity and title', () => {
    const lines = text.split('\n');
    for (const rule of rules) {
      const row = lines.findIndex((l) => l.includes(`(${rule.id}.md)`) || l.includes(`(./${rule.id}.md)`));
      if (row < 0) continue; // reported above
      assert.ok(lines[row].includes(rule.severity), `docs/rules/README.md:${row + 1}: ${rule.id} should show its severity ${rule.severity}`);
      assert.ok(lines[row].includes(rule.title), `docs/rules/README.md:${row + 1}: ${rule.id} should show its title "${rule.title}"`);
    }
  });

  it('names every pack', () => {
    for (const pack of builtinPacks()) assert.match(text, new RegExp(`^## .*\\b${pack.pack}\\b`, 'm'), `docs/rules/README.md has no section for the ${pack.pack} pack`);
  });
});

for (const rule of rules) {
  describe(`docs/rules/${rule.id}.md`, () => {
    const file = pagePath(rule.id);
    const page = existsSync(file) ? readPage(file) : undefined;
    const skip = page ? false : 'no page (reported above)';

    it('has the rule id as its title', { skip }, () => {
      assert.equal(page!.title, rule.id, `${page!.name}:1: the title should be "# ${rule.id}"`);
    });

    it('has the sections of a rule page', { skip }, () => {
      for (const section of ['Why', 'How to resolve it', 'Examples', 'Options']) {
        assert.ok(page!.sections.has(section), `${page!.name}: no "## ${section}" section`);
      }
    });

    it('states the severity, nonfiction raise and fixes the rule really has', { skip }, () => {
      checkFacts(page!, rule);
    });

    it('cites the source: title, docs/sources.md section and address', { skip }, () => {
      const why = page!.sections.get('Why') ?? '';
      assert.ok(why.includes(rule.source.title), `${page!.name}: "## Why" should name the source "${rule.source.title}"`);
      assert.ok(why.includes(rule.source.facts), `${page!.name}: "## Why" should cite docs/sources.md "${rule.source.facts}"`);
      if (rule.source.url) assert.ok(why.includes(rule.source.url), `${page!.name}: "## Why" should link ${rule.source.url}`);
    });

    // core/not-checked fires only when a document cannot be checked at all (too large, too complex
    // or an internal error): no small example can show it, and its page says so instead.
    const exampleless = rule.check === 'not-checked';
    it('has at least one Not OK and one OK example', { skip: skip || (exampleless && 'no document can show it: the page explains') }, () => {
      assert.ok(page!.blocks.some((b) => b.section === 'not-ok'), `${page!.name}: no code block under "### Not OK"`);
      assert.ok(page!.blocks.some((b) => b.section === 'ok'), `${page!.name}: no code block under "### OK"`);
    });

    it('shows how to configure and waive the rule', { skip }, () => {
      const options = page!.sections.get('Options') ?? '';
      assert.ok(options.includes(`${rule.id}:`), `${page!.name}: "## Options" should show \`${rule.id}: <severity|off>\` for .ai-use.yaml`);
      assert.ok(options.includes('waive') || options.includes('ai-lint:'), `${page!.name}: "## Options" should say how to waive or disable the rule`);
    });

    for (const block of page?.blocks ?? []) {
      const where = `${page!.name}:${block.line}`;
      if (block.section === 'not-ok' || block.section === 'ok') {
        it(`${block.section === 'ok' ? 'OK' : 'Not OK'} example at line ${block.line} (${block.lang})`, () => {
          assert.ok(TESTED_LANGS.has(block.lang), `${where}: example blocks must be \`\`\`fountain, \`\`\`markdown, \`\`\`edl or \`\`\`yaml, not \`\`\`${block.lang}`);
          const findings = findingsOf(block);
          const own = findings.filter((f) => f.ruleId === rule.id);
          if (block.section === 'not-ok') {
            assert.ok(own.length > 0, `${where}: this Not OK example should produce ${rule.id}, but got ${describeFindings(findings)}`);
          } else {
            assert.equal(own.length, 0, `${where}: this OK example should not produce ${rule.id}, but got ${describeFindings(own)}`);
          }
        });
      } else if (block.section === 'options' && TESTED_LANGS.has(block.lang)) {
        it(`Options block at line ${block.line} (${block.lang})`, () => {
          const findings = findingsOf(block);
          if (block.lang === 'yaml') {
            assert.equal(findings.length, 0, `${where}: this config should be valid, but got ${describeFindings(findings)}`);
          } else {
            // A waiver that silences the rule, written so that it raises no core finding (a reason, known ids).
            const own = findings.filter((f) => f.ruleId === rule.id || f.ruleId.startsWith('core/'));
            assert.equal(own.length, 0, `${where}: this example should produce neither ${rule.id} nor core findings, but got ${describeFindings(own)}`);
          }
        });
      }
    }
  });
}

function checkFacts(page: Page, rule: RuleDefinition): void {
  const severity = page.facts.get('severity');
  assert.ok(severity !== undefined, `${page.name}: the facts table needs a "Severity" row`);
  assert.ok(severity.startsWith(rule.severity), `${page.name}: the facts table says severity "${severity}", the rule's is ${rule.severity}`);
  const raised = page.facts.get('raised in nonfiction');
  assert.ok(raised !== undefined, `${page.name}: the facts table needs a "Raised in nonfiction" row`);
  assert.equal(/^yes\b/i.test(raised), rule.raiseInNonfiction, `${page.name}: the facts table says "Raised in nonfiction: ${raised}", the rule's raise-in-nonfiction is ${rule.raiseInNonfiction}`);
  const fixes = page.facts.get('fixes');
  assert.ok(fixes !== undefined, `${page.name}: the facts table needs a "Fixes" row`);
  for (const fix of rule.fixes) {
    if (fix.title) assert.ok(fixes.includes(fix.title), `${page.name}: the "Fixes" row should list the fix "${fix.title}"`);
  }
}
