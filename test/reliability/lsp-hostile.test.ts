// SPEC §9, the language server under odd and hostile requests: unknown documents, positions and
// ranges out of range or of the wrong type, null params, changes past the end, a 5 MB document,
// 200 open documents and a burst of 1,000 edits. The server must keep answering (each request gets
// a reply, never a crash), and what it says must stay right (diagnostics for the last version,
// ranges inside the document). How fast it answers after the burst, and its memory, are measured
// by `npm run bench` (docs/reliability.md), not asserted here.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/core/line-index.js';
import { ensureBuilt, TestClient } from '../lsp/lsp-client.js';
import { assertRange } from './helpers.js';

const SCENE = 'INT. FERRY - NIGHT\n\nA photo of the deckhand. [[ai: image.generated; depicts: real-person; realism: photoreal; stage: final]]\n\n';

function insideDocument(text: string, diagnostics: readonly Diagnostic[]): void {
  const index = new LineIndex(text);
  diagnostics.forEach((d, i) => assertRange(index, d.range, `diagnostic ${i} ${String(d.code)}`));
}

describe('the language server under hostile requests', () => {
  let client: TestClient;
  before(async () => {
    ensureBuilt();
    client = new TestClient({ env: { AI_USE_PARSE_BUDGET_MS: '1500' } });
    await client.initialize(null);
  });
  after(async () => {
    await client.shutdown();
  });


  /** Sends a request and returns its result, or the error code: never a hang, never a crash. */
  async function ask(method: string, params: unknown): Promise<unknown> {
    try {
      return await client.connection.sendRequest(method, params);
    } catch (error) {
      return { errorCode: (error as { code?: number }).code };
    }
  }

  async function stillAlive(): Promise<void> {
    const uri = `file:///alive/${Math.random().toString(36).slice(2)}.fountain`;
    await client.open(uri, 'fountain', SCENE);
    const { diagnostics } = await client.diagnostics(uri, 1);
    assert.ok(diagnostics.some((d) => d.code === 'netflix/misleading-real'), 'the server no longer checks documents');
    assert.equal(client.child.exitCode, null, `the server exited: ${client.stderr}`);
  }

  it('answers requests about unknown documents with nothing', async () => {
    const textDocument = { uri: 'file:///never/opened.fountain' };
    const position = { line: 0, character: 0 };
    assert.equal(await ask('textDocument/hover', { textDocument, position }), null);
    assert.equal(await ask('textDocument/completion', { textDocument, position }), null);
    assert.deepEqual(await ask('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [] } }), []);
    assert.deepEqual(await ask('textDocument/documentSymbol', { textDocument }), []);
    // Notifications about unknown documents are ignored.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: textDocument.uri, version: 2 }, contentChanges: [{ text: 'x' }] });
    await client.connection.sendNotification('textDocument/didClose', { textDocument });
    await client.connection.sendNotification('textDocument/didSave', { textDocument });
    await stillAlive();
  });

  it('answers null params, wrong types and out-of-range positions and ranges, and stays up', async () => {
    const uri = 'file:///hostile/a.fountain';
    await client.open(uri, 'fountain', SCENE);
    await client.diagnostics(uri, 1);
    const textDocument = { uri };
    const badPositions: unknown[] = [
      { line: 5000, character: 0 },
      { line: 2, character: 99999 },
      { line: -1, character: -4 },
      { line: 'x', character: null },
      { line: 1.5, character: 2 },
      null,
    ];
    for (const position of badPositions) {
      const hover = await ask('textDocument/hover', { textDocument, position });
      assert.ok(hover === null || typeof hover === 'object', `hover at ${JSON.stringify(position)}`);
      if (position === null || typeof (position as { line: unknown }).line !== 'number' || !Number.isInteger((position as { line: number }).line)) {
        assert.equal(hover, null, `no hover for the malformed position ${JSON.stringify(position)}`);
      }
      await ask('textDocument/completion', { textDocument, position });
      await ask('textDocument/codeAction', { textDocument, range: { start: position, end: position }, context: { diagnostics: [{ range: { start: position, end: position }, message: 'x', source: 'ai-use', code: 'core/unknown-kind' }] } });
    }
    for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/codeAction', 'textDocument/documentSymbol', 'aiUse/documentStats', 'aiUse/report']) {
      await ask(method, null);
      await ask(method, {});
      await ask(method, { textDocument: null, position: null, range: null, context: null });
    }
    await client.connection.sendNotification('textDocument/didOpen', null);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri }, contentChanges: null });
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 42, type: 'x' }] });
    await client.connection.sendNotification('workspace/didChangeConfiguration', null);
    await stillAlive();
  });

  it('takes a change past the end of the document as the client meant it, with ranges inside the result', async () => {
    const uri = 'file:///hostile/past-end.fountain';
    await client.open(uri, 'fountain', SCENE);
    await client.diagnostics(uri, 1);
    const version = await client.change(uri, [{ range: { start: { line: 400, character: 0 }, end: { line: 500, character: 9 } }, text: '\n[[ai: image.generated; stage: final]]\n' }]);
    const { diagnostics } = await client.diagnostics(uri, version);
    // The text went at the end (the client's position is clamped), and is checked.
    const text = `${SCENE}\n[[ai: image.generated; stage: final]]\n`;
    insideDocument(text, diagnostics);
    assert.ok(diagnostics.some((d) => d.code === 'netflix/final-deliverable' && d.range.start.line >= 4), JSON.stringify(diagnostics.map((d) => [d.code, d.range.start])));
  });

  it('checks a 5 MB screenplay, and reports a 5 MB Markdown file as not checked instead of hanging', async () => {
    const big = SCENE.repeat(Math.ceil((5 * 1024 * 1024) / SCENE.length));
    const uri = 'file:///hostile/five-mb.fountain';
    await client.open(uri, 'fountain', big);
    const { diagnostics } = await client.diagnostics(uri, 1, 60000);
    assert.equal(diagnostics.filter((d) => d.code === 'netflix/misleading-real').length, Math.ceil((5 * 1024 * 1024) / SCENE.length));
    const hover = await ask('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 30 } });
    assert.match(JSON.stringify(hover), /image\.generated/);

    const notes = `# Notes\n\n${'[['.repeat(64)} <!-- ai: image.generated -->\n\n`.repeat(Math.ceil((5 * 1024 * 1024) / 160));
    const md = 'file:///hostile/five-mb.md';
    await client.open(md, 'markdown', notes);
    const answered = await ask('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 30 } });
    assert.match(JSON.stringify(answered), /image\.generated/, 'hover on another document while the big Markdown parses');
    const mdDiagnostics = await client.diagnostics(md, 1, 60000);
    assert.deepEqual(mdDiagnostics.diagnostics.map((d) => d.code), ['core/not-checked']);
    await client.close(uri);
    await client.close(md);
    await stillAlive();
  });

  it('holds 200 open documents and a burst of 1,000 edits: each gets diagnostics for its last version, then a hover answers', async () => {
    const uris = Array.from({ length: 200 }, (_, i) => `file:///load/ep${String(i).padStart(3, '0')}.${i % 4 === 0 ? 'md' : 'fountain'}`);
    const texts = new Map<string, string>();
    for (const uri of uris) {
      const text = uri.endsWith('.md') ? `# Reel\n\n<!-- ai: video.generated; stage: final -->\nShot.\n` : SCENE;
      texts.set(uri, text);
      await client.open(uri, uri.endsWith('.md') ? 'markdown' : 'fountain', text);
    }
    await Promise.all(uris.map((uri) => client.diagnostics(uri, 1, 30000)));
    const last = new Map<string, number>();
    const sends: Promise<number>[] = [];
    for (let i = 0; i < 1000; i++) {
      const uri = uris[(i * 7) % uris.length];
      // Type one character at the start of the document (no await: a burst).
      sends.push(client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]).then((v) => (last.set(uri, v), v)));
      texts.set(uri, `x${texts.get(uri)}`);
    }
    await Promise.all(sends);
    const hover = await ask('textDocument/hover', { textDocument: { uri: uris[1] }, position: { line: 2, character: 30 } });
    assert.match(JSON.stringify(hover), /image\.generated/);
    for (const [uri, version] of last) {
      const { diagnostics } = await client.diagnostics(uri, version, 30000);
      insideDocument(texts.get(uri)!, diagnostics);
      assert.ok(diagnostics.length > 0, `${uri} lost its findings`);
    }
    for (const uri of uris) await client.close(uri);
    await stillAlive();
  });

  it('logged every bad request as handled: no uncaught exception reached the process', () => {
    // server.ts logs an uncaught exception as `ai-use: <stack>`; handled ones say what failed.
    const uncaught = client.logs.filter((l) => /^ai-use: /.test(l.message) && !/^ai-use: [^\n]* failed/.test(l.message));
    assert.deepEqual(uncaught.map((l) => l.message.split('\n')[0]), []);
    assert.ok(client.logs.length > 0, 'the hostile requests were logged');
  });
});
