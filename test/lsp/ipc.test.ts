// The other transport VS Code uses: node IPC (`--node-ipc`, the server forked with an IPC channel),
// which is how the extension's client starts the server. Initialize, open, get the pushed
// diagnostics, hover, shut down.

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { describe, it } from 'node:test';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { capabilities, ensureBuilt, SERVER } from './lsp-client.js';

describe('the server over node IPC', () => {
  it('answers initialize, pushes diagnostics and hovers, and exits on shutdown/exit', async () => {
    ensureBuilt();
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    try {
      const init = await connection.sendRequest<{ serverInfo?: { name: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: capabilities({}) });
      assert.equal(init.serverInfo?.name, 'ai-use-language-server');
      await connection.sendNotification('initialized', {});
      const uri = 'file:///ipc/a.fountain';
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'fountain', version: 1, text: 'INT. A - DAY\n\n[[ai: image.genrated]]\n' } });
      const published = await diagnostics;
      assert.equal(published.version, 1);
      assert.deepEqual(published.diagnostics.map((d) => d.code), ['core/unknown-kind']);
      const hover = await connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 8 } });
      assert.match(hover?.contents.value ?? '', /core\/unknown-kind/);
      await connection.sendRequest('shutdown');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await connection.sendNotification('exit');
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
