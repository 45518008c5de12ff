// Links stay links: a custom rule's source.url is workspace data. A valid https address holding
// `)`, `!` and `[` once closed its link in the Markdown report and opened an image (a tracking
// pixel) and a `command:` link. The report is parsed back with remark (CommonMark + GFM, as GitHub
// renders it): no image, and every link is http(s) to the host the rule named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent } from 'mdast';
import { loadConfigFile } from '../../server/src/core/config.js';
import { lintText } from '../../server/src/core/lint.js';
import { markdownDestination } from '../../server/src/core/links.js';
import { buildReport } from '../../server/src/core/report/model.js';
import { renderMarkdown } from '../../server/src/core/report/markdown.js';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import { FIXED_DATE, ROOT } from './helpers.js';
import { customRule, HOSTILE_TITLE, HOSTILE_URLS } from './hostile-links.js';

function nodes(node: Root | RootContent, out: RootContent[] = []): RootContent[] {
  if ('children' in node) {
    for (const child of node.children as RootContent[]) {
      out.push(child);
      nodes(child, out);
    }
  }
  return out;
}

test('a hostile source url and title in custom rules give plain text and links to the rule\'s host in the Markdown report', () => {
  const rules = HOSTILE_URLS.map((url, i) => customRule(`studio/link-${i}`, url)).join('');
  const config = loadConfigFile(path.join(ROOT, '.ai-use.yaml'), `custom-rules:\n${rules}`);
  assert.deepEqual(config.findings.map((f) => f.message), [], 'every address is a valid https URL');
  const text = 'INT. A - DAY\n\n[[ai: image.generated; tool: Midjourney v7]]\n';
  const result = lintText(text, 'fountain', config);
  assert.equal(result.findings.filter((f) => f.ruleId.startsWith('studio/')).length, HOSTILE_URLS.length);
  const project = { files: [{ path: path.join(ROOT, 'a.fountain'), kind: 'document' as const, genre: result.genre, guidelines: result.guidelines, result, findings: result.findings }], missing: [], unreadable: [] };
  const markdown = renderMarkdown(buildReport(project, { root: ROOT, generatedAt: FIXED_DATE, toolVersion: '0.1.0', projectName: 'Links', rules: loadBuiltinRules() }));
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown) as Root;
  const all = nodes(tree);
  assert.deepEqual(all.filter((n) => n.type === 'image' || n.type === 'imageReference' || n.type === 'html' && !/^<(br|!--)/.test(n.value)), [], 'no image or raw HTML');
  const links = all.filter((n) => n.type === 'link');
  // Each custom finding links its rule id (docs) and its source title to the rule's own address.
  const toStudio = links.filter((l) => new URL(l.url).host === 'studio.example');
  assert.equal(toStudio.length, 2 * HOSTILE_URLS.length, markdown);
  // The other links are the built-in rules' docs and sources; none goes to the tracker.
  const hosts = new Set(['studio.example', 'github.com', ...loadBuiltinRules().flatMap((r) => (r.source.url ? [new URL(r.source.url).host] : []))]);
  for (const link of links) {
    const url = new URL(link.url);
    assert.match(url.protocol, /^https?:$/, link.url);
    assert.ok(hosts.has(url.host), `a link to ${url.host}: ${link.url}`);
  }
  // The title is shown as written, as the text of its link.
  const titles = toStudio.filter((l) => l.children.some((c) => c.type === 'text' && c.value.includes('Policy')));
  assert.equal(titles.length, HOSTILE_URLS.length);
  for (const title of titles) assert.equal(title.children.map((c) => (c.type === 'text' ? c.value : '')).join('').replace(/\u2060/g, ''), HOSTILE_TITLE);
});

test('markdownDestination: http(s) only, and nothing in it ends or escapes a link destination', () => {
  for (const url of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'not a url', '', 'https://[oops']) {
    assert.equal(markdownDestination(url), null, url);
  }
  assert.equal(markdownDestination('https://studio.example/a)![b](c)'), 'https://studio.example/a%29%21%5Bb%5D%28c%29');
  assert.equal(markdownDestination('https://studio.example/p?q=a b<c>'), 'https://studio.example/p?q=a%20b%3Cc%3E');
  assert.equal(markdownDestination('https://studio.example/x\\y'), 'https://studio.example/x/y', 'the URL parser reads a backslash as a slash');
  assert.equal(markdownDestination('https://studio.example/q?x=\\'), 'https://studio.example/q?x=%5C');
  assert.equal(markdownDestination('HTTPS://Studio.Example/Ünï'), 'https://studio.example/%C3%9Cn%C3%AF', 'normalised as the URL parser does');
});

test('a source url the URL parser refuses is a config finding at its place, and the rule does not run', () => {
  const text = `custom-rules:\n${customRule('studio/bad-url', 'https://[oops', 'Studio policy')}`;
  const config = loadConfigFile(path.join(ROOT, '.ai-use.yaml'), text);
  const finding = config.findings.find((f) => /not an http or https address/.test(f.message));
  assert.ok(finding, JSON.stringify(config.findings.map((f) => f.message)));
  assert.equal(finding.ruleId, 'core/invalid-config');
  const line = text.split('\n')[finding.range.start.line];
  assert.match(line, /url: "https:\/\/\[oops"/, 'the finding is on the line of the url');
  assert.equal(config.customRules.length, 0);
});
