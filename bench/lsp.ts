// The language server workloads, over stdio with the tests' real JSON-RPC client against the built
// bundle (dist/server.cjs), as an editor drives it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Fountain } from 'fountain-js';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { parseFountain } from '../server/src/core/fountain.js';
import { LineIndex } from '../server/src/core/line-index.js';
import { parseMarkdown } from '../server/src/core/markdown.js';
import { ensureBuilt, TestClient } from '../test/lsp/lsp-client.js';
import { time } from './stats.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What is typed, one character per didChange, into a tag in the middle of the screenplay. */
const TYPED = '; approval: NFX-2025-0042; reviewed-by: J. Ortiz; consent: signed rider 2025-03-02; note: checked';

export interface EditLatency {
  /** didChange sent to publishDiagnostics of that version received, per measured edit (ms). */
  latencies: number[];
  /** fountain-js parsing the same text, once per edit, between edits (ms). */
  reference: number[];
  diagnostics: number;
}

/**
 * Opens the screenplay, types `warmup + edits` characters 150 ms apart into its middle tag and
 * times each edit's diagnostics. After each diagnostic arrives (the server is idle again) this
 * process times fountain-js on the text as edited, so both see the same text and the same machine.
 */
export async function editToDiagnostics(text: string, edits: number, warmup: number, apartMs = 150): Promise<EditLatency> {
  ensureBuilt();
  if (warmup + edits > TYPED.length) throw new Error(`at most ${TYPED.length} edits`);
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-use-bench-lsp-'));
  const client = new TestClient();
  const fountain = new Fountain();
  try {
    await client.initialize(null);
    const uri = pathToFileURL(path.join(dir, 'feature.fountain')).href;
    await client.open(uri, 'fountain', text);
    let last = await client.diagnostics(uri, 1, 30_000);
    const doc = parseFountain(text);
    const tag = doc.tags[doc.tags.length >> 1];
    let offset = new LineIndex(text).offsetAt(tag.range.end) - 2; // before the closing ]]
    let current = text;
    const latencies: number[] = [];
    const reference: number[] = [];
    for (let i = 0; i < warmup + edits; i++) {
      const position = new LineIndex(current).positionAt(offset);
      const ch = TYPED[i];
      current = current.slice(0, offset) + ch + current.slice(offset);
      offset++;
      const sent = performance.now();
      const version = await client.change(uri, [{ range: { start: position, end: position }, text: ch }]);
      last = await client.diagnostics(uri, version, 10_000);
      const latency = performance.now() - sent;
      const snapshot = current;
      const parse = time(() => fountain.parse(snapshot));
      if (i >= warmup) {
        latencies.push(latency);
        reference.push(parse);
      }
      const wait = sent + apartMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    return { latencies, reference, diagnostics: last.diagnostics.length };
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BigDocument {
  /** Latency of each hover on the small document, sent every `everyMs` while the big one is checked. */
  hovers: number[];
  /** Hovers that answered null or failed (the small document's tag should always give one). */
  emptyHovers: number;
  /** didOpen of the big document to its publishDiagnostics (ms), undefined when none came in time. */
  diagnosticsAfter?: number;
  /** The rule ids of the big document's diagnostics. */
  codes: string[];
  timedOut: boolean;
}

/**
 * Opens a small Markdown note (and waits for its diagnostics), then the big Markdown document, and
 * hovers on the small note's tag every `everyMs` until the big document's diagnostics arrive.
 */
export async function hoverWhileChecking(small: string, big: string, timeoutMs: number, everyMs = 25): Promise<BigDocument> {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-use-bench-lsp-'));
  const client = new TestClient();
  try {
    await client.initialize(null);
    const smallUri = pathToFileURL(path.join(dir, 'small-note.md')).href;
    const bigUri = pathToFileURL(path.join(dir, 'big.md')).href;
    await client.open(smallUri, 'markdown', small);
    await client.diagnostics(smallUri, 1, 30_000);
    const tag = parseMarkdown(small).tags[0];
    if (!tag) throw new Error('the small note has no tag to hover on');
    const hoverParams = { textDocument: { uri: smallUri }, position: { line: tag.markerRange.start.line, character: tag.markerRange.start.character + 1 } };
    const hover = async (): Promise<{ ms: number; ok: boolean }> => {
      const t = performance.now();
      try {
        const result = await client.request<Hover | null>('textDocument/hover', hoverParams);
        return { ms: performance.now() - t, ok: result !== null };
      } catch {
        return { ms: performance.now() - t, ok: false };
      }
    };
    for (let i = 0; i < 5; i++) await hover(); // warm

    const opened = performance.now();
    const diagnostics = client.diagnostics(bigUri, 1, timeoutMs).then(
      (p: PublishDiagnosticsParams) => ({ p, at: performance.now() - opened }),
      () => undefined,
    );
    await client.open(bigUri, 'markdown', big);
    let done = false;
    void diagnostics.then(() => (done = true));
    const pending: Promise<{ ms: number; ok: boolean }>[] = [];
    while (!done && performance.now() - opened < timeoutMs) {
      pending.push(hover());
      await sleep(everyMs);
    }
    const results = await Promise.all(pending);
    const got = await diagnostics;
    return {
      hovers: results.map((r) => r.ms),
      emptyHovers: results.filter((r) => !r.ok).length,
      diagnosticsAfter: got?.at,
      codes: got ? got.p.diagnostics.map((d) => String(d.code)) : [],
      timedOut: got === undefined,
    };
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
