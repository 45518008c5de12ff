// Links stay links in the hover: a custom rule's hostile source url and title (test/report/links.test.ts)
// reach the hover of the tag they fire on through the built server over stdio. The hover's Markdown,
// parsed with remark, has no image, no raw HTML and no link that is not http(s) to a known host;
// the hover is plain MarkupContent, and the VS Code client never marks server Markdown as trusted
// (VS Code runs `command:` links only in trusted Markdown).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root, RootContent } from 'mdast';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import { customRule, HOSTILE_TITLE, HOSTILE_URLS } from '../report/hostile-links.js';
import { ensureBuilt, ROOT, TestClient } from './lsp-client.js';

function nodes(node: Root | RootContent, out: RootContent[] = []): RootContent[] {
  if ('children' in node) {
    for (const child of node.children as RootContent[]) {
      out.push(child);
      nodes(child, out);
    }
  }
  return out;
}

describe('hover links from a custom rule', () => {
  let client: TestClient;
  let workspace: string;
  before(async () => {
    ensureBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'ai-use-links-'));
    writeFileSync(path.join(workspace, '.ai-use.yaml'), `custom-rules:\n${HOSTILE_URLS.map((url, i) => customRule(`studio/link-${i}`, url)).join('')}`);
    client = new TestClient();
    await client.initialize(pathToFileURL(workspace).href);
  });
  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the hostile title as text and its address as one inert https link', async () => {
    const uri = pathToFileURL(path.join(workspace, 'ep1.fountain')).href;
    const text = 'INT. A - DAY\n\n[[ai: image.generated; tool: Midjourney v7]]\n';
    await client.open(uri, 'fountain', text);
    const { diagnostics } = await client.diagnostics(uri, 1);
    const custom = diagnostics.filter((d) => String(d.code).startsWith('studio/'));
    assert.equal(custom.length, HOSTILE_URLS.length, JSON.stringify(diagnostics.map((d) => [d.code, d.message])));
    for (const d of custom) assert.equal(new URL(d.codeDescription!.href).host, 'studio.example');

    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 8 } });
    assert.ok(hover);
    const content = hover.contents as MarkupContent & { isTrusted?: unknown };
    assert.equal(content.kind, 'markdown');
    assert.equal(content.isTrusted, undefined);
    const all = nodes(unified().use(remarkParse).use(remarkGfm).parse(content.value) as Root);
    assert.deepEqual(all.filter((n) => n.type === 'image' || n.type === 'imageReference' || n.type === 'html'), [], content.value);
    const hosts = new Set(['studio.example', 'github.com', 'cv.iptc.org', ...loadBuiltinRules().flatMap((r) => (r.source.url ? [new URL(r.source.url).host] : []))]);
    const links = all.filter((n) => n.type === 'link');
    for (const link of links) {
      const url = new URL(link.url);
      assert.match(url.protocol, /^https?:$/, link.url);
      assert.ok(hosts.has(url.host), `a link to ${url.host}: ${link.url}`);
    }
    // Each custom finding: its source title linked to the rule's address, and its docs link there too.
    const toStudio = links.filter((l) => new URL(l.url).host === 'studio.example');
    assert.equal(toStudio.length, 2 * HOSTILE_URLS.length, content.value);
    const titles = toStudio.map((l) => l.children.map((c) => (c.type === 'text' ? c.value : '')).join('').replace(/\u2060/g, '')).filter((t) => t !== 'Docs');
    assert.deepEqual(titles, HOSTILE_URLS.map(() => HOSTILE_TITLE));
  });

  it('the VS Code client leaves server Markdown untrusted', () => {
    const client = readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
    assert.doesNotMatch(client, /isTrusted|supportHtml/);
  });
});
