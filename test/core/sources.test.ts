// Every rule cites a section of docs/sources.md: the page exists in the repository, and each
// citation's anchor is one of its headings (so no finding cites a file or section that is not there).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import { SOURCES_PATH, sourcesAnchor, sourcesUrl } from '../../server/src/core/docs-url.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sources = fs.readFileSync(path.join(repo, SOURCES_PATH), 'utf8');
/** GitHub's ids for the page's headings, computed here independently of docs-url.ts. */
const anchors = new Set([...sources.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')));

test('every built-in rule cites a section of docs/sources.md that exists', () => {
  const rules = loadBuiltinRules().filter((r) => r.source);
  assert.ok(rules.length > 30);
  for (const rule of rules) {
    assert.ok(anchors.has(sourcesAnchor(rule.source.facts)), `${rule.id} cites "${rule.source.facts}": no such heading in docs/sources.md`);
    assert.match(sourcesUrl(rule.source.facts), /\/blob\/main\/docs\/sources\.md#[a-z0-9-]+$/);
  }
});

test('each source in docs/sources.md names its publisher, title, date and address', () => {
  const blocks = sources.split(/^(?=#{2,3} )/m).filter((b) => /- \*\*Publisher:\*\*/.test(b));
  assert.ok(blocks.length >= 10, `${blocks.length} sources`);
  for (const block of blocks) {
    for (const field of ['Publisher', 'Title', 'Date', 'Address']) assert.match(block, new RegExp(`- \\*\\*${field}:\\*\\*`), `${block.split('\n')[0]} lacks ${field}`);
    assert.match(block, /<https?:\/\/[^>]+>/, `${block.split('\n')[0]} has no address`);
  }
});

test('no rule page, pack or doc cites a FACTS.md that is not in the repository', () => {
  const files = [
    ...fs.readdirSync(path.join(repo, 'docs/rules'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/rules/${f}`),
    ...fs.readdirSync(path.join(repo, 'server/packs')).map((f) => `server/packs/${f}`),
    ...fs.readdirSync(path.join(repo, 'docs')).filter((f) => /\.(md|json)$/.test(f)).map((f) => `docs/${f}`),
  ];
  for (const file of files) assert.doesNotMatch(fs.readFileSync(path.join(repo, file), 'utf8'), /FACTS(\.md)?\b/, file);
  // The rule pages link each citation to its section.
  for (const file of files.filter((f) => f.startsWith('docs/rules/'))) {
    const text = fs.readFileSync(path.join(repo, file), 'utf8');
    for (const m of text.matchAll(/\]\((?:\.\.\/)+sources\.md#([^)]+)\)/g)) assert.ok(anchors.has(m[1]!), `${file}: #${m[1]} is not a heading of docs/sources.md`);
  }
});
