// The README and docs/tags.md are what users read first: they must not drift from the rules and
// the vocabulary the engine really has.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import { KEYS, KINDS } from '../../server/src/core/vocabulary.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

test('the README rule list links every built-in rule to its docs page, and no other', () => {
  const ids = loadBuiltinRules().map((r) => r.id);
  for (const id of ids) assert.ok(readme.includes(`[\`${id}\`](docs/rules/${id}.md)`), `README does not list ${id}`);
  const listed = [...readme.matchAll(/\(docs\/rules\/([a-z-]+\/[a-z-]+)\.md\)/g)].map((m) => m[1]);
  assert.deepEqual(listed.filter((id) => !ids.includes(id)), [], 'README lists rules that do not exist');
});

test('the README quick start is the two commands', () => {
  assert.match(readme, /npm ci && npm start/);
  assert.match(readme, /^npm test\b/m);
});

test('docs/tags.md describes every kind and key of the vocabulary', () => {
  const tags = fs.readFileSync(path.join(repo, 'docs/tags.md'), 'utf8');
  for (const kind of KINDS) assert.ok(tags.includes(`\`${kind.kind}\``), kind.kind);
  for (const key of KEYS.filter((k) => k.key !== 'kind')) {
    assert.ok(tags.includes(`| \`${key.key}\` |`), key.key);
    for (const value of key.values ?? []) assert.ok(tags.includes(`\`${value.value}\``), `${key.key}: ${value.value}`);
  }
});

test('every relative link in README.md and docs/*.md points at a file that exists', () => {
  const pages = ['README.md', ...fs.readdirSync(path.join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const page of pages) {
    const text = fs.readFileSync(path.join(repo, page), 'utf8');
    for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      assert.ok(fs.existsSync(path.join(repo, path.dirname(page), target)), `${page} links to missing ${target}`);
    }
  }
});

test('the README shows the editor snippets exactly as the Neovim and Emacs tests run them', () => {
  for (const file of ['docs/editors/neovim.lua', 'docs/editors/ai-use-eglot.el']) {
    const snippet = fs.readFileSync(path.join(repo, file), 'utf8').trimEnd();
    assert.ok(readme.includes(snippet), `README.md does not show ${file} as it is`);
  }
});
