// SPEC §8: Markdown parsing never blocks the server. remark is super-linear on some inputs, so a
// large Markdown document is parsed in a worker under a time budget (here shortened with
// AI_USE_PARSE_BUDGET_MS). While it parses, hovers on other documents are answered; when the
// budget runs out the document gets core/not-checked, not a hang. A burst of edits is checked once
// at its end, for its last version.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt, TestClient } from './lsp-client.js';

const PATHOLOGICAL = '<!-- ai: image.generated; stage: final -->\n\n' + '[['.repeat(512 * 1024);
const SMALL = 'INT. FERRY - NIGHT\n\nA photo. [[ai: image.generated; stage: final]]\n';

describe('large Markdown off the main thread, under a budget', () => {
  let client: TestClient;
  before(async () => {
    ensureBuilt();
    client = new TestClient({ env: { AI_USE_PARSE_BUDGET_MS: '1500' } });
    await client.initialize(null);
  });
  after(async () => client.shutdown());

  it('answers hovers on another document while the big one parses, then reports it as not checked', async () => {
    const small = 'file:///budget/small.fountain';
    await client.open(small, 'fountain', SMALL);
    await client.diagnostics(small, 1);
    const big = 'file:///budget/big.md';
    const events: string[] = [];
    const bigDiagnostics = client.diagnostics(big, 1, 20000).then((d) => {
      events.push('big diagnostics');
      return d;
    });
    await client.open(big, 'markdown', PATHOLOGICAL);
    const hover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: small },
      position: { line: 2, character: 12 },
    });
    events.push('hover');
    assert.match(hover?.contents.value ?? '', /image\.generated/);
    // Hover on the big document itself does not wait for its parse either.
    const bigHover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: big }, position: { line: 0, character: 8 } });
    assert.equal(bigHover, null);
    const { diagnostics } = await bigDiagnostics;
    assert.deepEqual(events, ['hover', 'big diagnostics']);
    assert.deepEqual(diagnostics.map((d) => d.code), ['core/not-checked']);
    const message = diagnostics[0].message;
    assert.match(typeof message === 'string' ? message : message.value, /too large or too complex to check/);
    assert.equal(diagnostics[0].range.start.line, 0);
  });

  it('a large Markdown document that parses in time is checked as usual', async () => {
    const uri = 'file:///budget/notes.md';
    const notes = '# Notes\n\n<!-- ai: video.generated; tool: Veo 3 -->\n\n' + 'Plain paragraph of edit notes, nothing to see. '.repeat(1500);
    assert.ok(notes.length > 64 * 1024);
    await client.open(uri, 'markdown', notes);
    const { diagnostics } = await client.diagnostics(uri, 1, 20000);
    assert.ok(diagnostics.some((d) => d.code === 'netflix/final-deliverable'), diagnostics.map((d) => d.code).join());
  });
});

describe('a burst of edits is checked at its end', () => {
  let client: TestClient;
  before(async () => {
    ensureBuilt();
    client = new TestClient({});
    await client.initialize(null);
  });
  after(async () => client.shutdown());

  it('200 edits sent at once give diagnostics for the last version, and far fewer publishes than edits', async () => {
    const uri = 'file:///burst/a.fountain';
    await client.open(uri, 'fountain', SMALL);
    await client.diagnostics(uri, 1);
    const before = client.published.filter((p) => p.uri === uri).length;
    let version = 1;
    for (let i = 0; i < 200; i++) {
      // Each edit types one more character at the end of the action line (no await: a burst).
      void client.change(uri, [{ range: { start: { line: 2, character: 8 }, end: { line: 2, character: 8 } }, text: 'x' }]);
      version++;
    }
    const last = await client.diagnostics(uri, version, 10000);
    assert.equal(last.version, version);
    const publishes = client.published.filter((p) => p.uri === uri).length - before;
    assert.ok(publishes < 20, `${publishes} publishes for 200 edits`);
  });
});
