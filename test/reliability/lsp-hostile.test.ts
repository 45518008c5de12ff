// SPEC §9, the language server under odd and hostile requests: unknown documents, positions and
// ranges out of range or of the wrong type, null params, changes past the end, a 5 MB document,
// 200 open documents and a burst of 1,000 edits. The server must keep answering (each request gets
// a reply, never a crash), and what it says must stay right (diagnostics for the last version,
// ranges inside the document). How fast it answers after the burst, and its memory, are measured
// by `npm run bench` (docs/reliability.md), not asserted here.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/core/line-index.js';
import { ensureBuilt, SERVER, TestClient } from '../lsp/lsp-client.js';
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

  it('marks a document not checked, and logs why, when a change cannot be applied; its whole text brings it back', async () => {
    const notChecked = (diagnostics: readonly Diagnostic[]) => diagnostics.length === 1 && diagnostics[0].code === 'core/not-checked';
    // A change on a line that does not exist: the client's copy and ours no longer agree.
    const uri = 'file:///hostile/past-end.fountain';
    await client.open(uri, 'fountain', SCENE);
    await client.diagnostics(uri, 1);
    const version = await client.change(uri, [{ range: { start: { line: 400, character: 0 }, end: { line: 500, character: 9 } }, text: '\n[[ai: image.generated; stage: final]]\n' }]);
    const { diagnostics } = await client.diagnostics(uri, version);
    assert.ok(notChecked(diagnostics), JSON.stringify(diagnostics));
    assert.match(String(diagnostics[0].message), /no longer agree \(a change at line 501 is outside the document of 5 lines\)\. Close and reopen/);
    assert.deepEqual(diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.ok(client.logs.some((l) => l.message.includes(`${uri} is out of step with the editor (a change at line 501`)), 'logged');
    // Later edits do not make it right again; the whole text does (full sync), and so does reopening.
    const typed = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
    assert.ok(notChecked((await client.diagnostics(uri, typed)).diagnostics));
    const whole = await client.change(uri, [{ text: SCENE } as never]);
    assert.ok((await client.diagnostics(uri, whole)).diagnostics.some((d) => d.code === 'netflix/misleading-real'));

    // A column past the end of its line is clamped, as LSP says: the text goes at the line's end.
    const added = '\n[[ai: image.generated; stage: final]]';
    const clamped = await client.change(uri, [{ range: { start: { line: 2, character: 900 }, end: { line: 2, character: 900 } }, text: added }]);
    const after = await client.diagnostics(uri, clamped);
    const lineEnd = SCENE.indexOf('\n', SCENE.indexOf('[[ai:'));
    insideDocument(SCENE.slice(0, lineEnd) + added + SCENE.slice(lineEnd), after.diagnostics);
    assert.ok(after.diagnostics.some((d) => d.code === 'netflix/final-deliverable' && d.range.start.line === 3), JSON.stringify(after.diagnostics.map((d) => [d.code, d.range.start])));

    // A version that goes backwards.
    const other = 'file:///hostile/old-version.fountain';
    await client.open(other, 'fountain', SCENE);
    await client.diagnostics(other, 1);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: other, version: 7 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'a' }] });
    await client.diagnostics(other, 7);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: other, version: 3 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'b' }] });
    const old = await client.diagnostics(other, 3);
    assert.ok(notChecked(old.diagnostics), JSON.stringify(old.diagnostics));
    assert.match(String(old.diagnostics[0].message), /version 3 came after version 7/);
    await client.close(other);
    await client.open(other, 'fountain', SCENE);
    assert.ok((await client.diagnostics(other, 1)).diagnostics.some((d) => d.code === 'netflix/misleading-real'), 'reopened: checked again');
    await client.close(uri);
    await client.close(other);
  });

  it('checks a 5 MB screenplay, and reports a 5 MB Markdown file as not checked instead of hanging', async () => {
    const big = SCENE.repeat(Math.ceil((5 * 1024 * 1024) / SCENE.length));
    const uri = 'file:///hostile/five-mb.fountain';
    await client.open(uri, 'fountain', big);
    const { diagnostics } = await client.diagnostics(uri, 1, 60000);
    // Checked in full: two findings a tag, 1,000 sent and one that counts the rest.
    const tags = Math.ceil((5 * 1024 * 1024) / SCENE.length);
    assert.equal(diagnostics.length, 1001);
    assert.match(String(diagnostics[1000].message), new RegExp(`^${(2 * tags - 1000).toLocaleString('en-US')} more findings are not shown`));
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

  it('sends at most 1,000 diagnostics for a document with 160,000 findings, plus one saying how many more, and answers hovers on its 80,000 tags at once', async () => {
    // 10 MB, 80,000 tags with two warnings each; the last two share an id (an error each).
    const TAGS = 80_000;
    const lines = ['INT. FERRY - NIGHT', ''];
    for (let i = 0; i < TAGS; i++) lines.push(`A photo of the deckhand. [[ai: image.generated; depicts: real-person; realism: photoreal; stage: final; id: T-${Math.min(i, TAGS - 2)}]] ${'x'.repeat(15)}`);
    const text = `${lines.join('\n')}\n`;
    assert.ok(text.length > 10_000_000);
    const uri = 'file:///hostile/dense.fountain';
    await client.open(uri, 'fountain', text);
    const { diagnostics } = await client.diagnostics(uri, 1, 180000);
    assert.equal(diagnostics.length, 1001);
    const shown = diagnostics.slice(0, 1000);
    const more = diagnostics[1000];
    // The most severe first: the duplicate-id errors at the end are shown; then the warnings from the top.
    const errors = shown.filter((d) => d.severity === 1);
    assert.ok(errors.length >= 1 && errors.every((d) => d.code === 'core/duplicate-id' && d.range.start.line >= TAGS), JSON.stringify(errors));
    const lineNumbers = shown.map((d) => d.range.start.line);
    assert.deepEqual(lineNumbers, [...lineNumbers].sort((a, b) => a - b), 'in document order');
    assert.equal(more.code, 'core/not-checked');
    assert.equal(more.severity, 2, 'as severe as the worst finding not shown');
    const hidden = 2 * TAGS + errors.length - 1000;
    assert.match(String(more.message), new RegExp(`^${hidden.toLocaleString('en-US')} more findings are not shown: the editor gets at most 1,000 per document, the most severe first`));
    // Two warnings a tag: the first one not shown is on tag (1,000 - errors) / 2.
    assert.equal(more.range.start.line, Math.floor((1000 - errors.length) / 2) + 2, 'at the first finding not shown');
    // The hover finds the tag under the cursor by binary search (tagAt.ts). SPEC bound: 100 ms; asserted
    // with a margin for a busy machine, measured in docs/reliability.md.
    const times: number[] = [];
    for (const i of [0, 40_000, TAGS - 1]) {
      const started = performance.now();
      const hover = await ask('textDocument/hover', { textDocument: { uri }, position: { line: i + 2, character: 40 } });
      times.push(performance.now() - started);
      assert.match(JSON.stringify(hover), /image\.generated[\s\S]*\d findings/, `hover on tag ${i}`);
      assert.deepEqual((hover as { range: unknown }).range, { start: { line: i + 2, character: 25 }, end: { line: i + 2, character: lines[i + 2].length - 16 } });
    }
    assert.ok(Math.max(...times) < 1000, `hovers took ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    await client.close(uri);
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
    const uncaught = client.logs.filter((l) => l.type === 1 && /^ai-use: /.test(l.message) && !/^ai-use: [^\n]* failed/.test(l.message));
    assert.deepEqual(uncaught.map((l) => l.message.split('\n')[0]), []);
    assert.ok(client.logs.length > 0, 'the hostile requests were logged');
  });
});

// The base protocol (server/src/lsp/framing.ts): bytes the JSON-RPC reader cannot frame used to leave
// the server deaf (a garbage header) or buffering without bound (a huge Content-Length). Now the
// session ends at once with the reason on stderr and exit code 1, and the client restarts it.
describe('the language server under malformed framing', () => {
  before(ensureBuilt);

  function frame(message: unknown): Buffer {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
  }
  const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };

  /** Starts the server, writes `bytes`, and waits for it to exit (or `ms` to pass). */
  function run(bytes: Buffer | string, ms = 10000): Promise<{ code: number | null; stderr: string; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stdin.on('error', () => undefined); // the server may be gone before we finish writing
      const timer = setTimeout(() => child.kill(), ms);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr, stdout });
      });
      child.stdin.write(bytes);
    });
  }

  const cases: [string, string | Buffer, RegExp][] = [
    ['a garbage header', 'Hello there\r\n\r\n', /a header line is not "Name: value": "Hello there"/],
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', /Content-Length is not a number of bytes: "abc"/],
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}', /Content-Length is not a number of bytes/],
    ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}', /a header without Content-Length/],
    ['two Content-Lengths', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /Content-Length is given twice/],
    ['a message announced at 100 GB (nothing buffered: the body never comes)', 'Content-Length: 100000000000\r\n\r\n', /100000000000 bytes is over the limit of 67108864 bytes \(64 MB\)/],
    ['a message one byte over the limit', `Content-Length: ${64 * 1024 * 1024 + 1}\r\n\r\n`, /over the limit/],
    ['a header that never ends', `X-Junk: ${'a'.repeat(9000)}`, /a header of more than 8192 bytes/],
    ['garbage after a good message', Buffer.concat([frame(INITIALIZE), Buffer.from('\x00\x01binary\r\n\r\n')]), /a header line is not "Name: value"/],
  ];
  for (const [name, bytes, reason] of cases) {
    it(`ends the session on ${name}, with the reason on stderr and exit code 1`, async () => {
      const { code, stderr } = await run(bytes);
      assert.equal(code, 1, `exit code; stderr: ${stderr}`);
      assert.match(stderr, reason);
      assert.match(stderr, /ending the session/);
    });
  }

  it('reads good messages split at every byte, and answers them', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    const answered = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('"id":2')) resolve();
      });
    });
    const bytes = Buffer.concat([frame(INITIALIZE), frame({ jsonrpc: '2.0', method: 'initialized', params: {} }), frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' })]);
    for (let i = 0; i < bytes.length; i++) {
      child.stdin.write(bytes.subarray(i, i + 1));
      if (i % 97 === 0) await new Promise((r) => setImmediate(r));
    }
    await answered;
    assert.match(stdout, /"id":1,"result":\{"capabilities"/);
    assert.match(stdout, /"id":2,"result":null/);
    child.kill();
  });

  it('answers a request before initialize with ServerNotInitialized (-32002), and an unknown method after it with MethodNotFound', async () => {
    const client = new TestClient();
    try {
      const early = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///a.fountain' }, position: { line: 0, character: 0 } }).then(
        () => undefined,
        (error: { code?: number }) => error.code,
      );
      assert.equal(early, -32002);
      await client.initialize(null);
      const unknown = await client.connection.sendRequest('aiUse/noSuchRequest', {}).then(
        () => undefined,
        (error: { code?: number }) => error.code,
      );
      assert.equal(unknown, -32601);
      const hover = await client.request('textDocument/hover', { textDocument: { uri: 'file:///a.fountain' }, position: { line: 0, character: 0 } });
      assert.equal(hover, null);
    } finally {
      await client.shutdown();
    }
  });
});
