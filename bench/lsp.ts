// The language server workloads, over stdio with the tests' real JSON-RPC client against the built
// bundle (dist/server.cjs), as an editor drives it.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

export interface Burst {
  /** The hover on a small document sent right after the burst (ms). */
  hoverAfter: number;
  /** The hover on the screenplay right after that (ms). */
  hoverBig: number;
  /** Burst sent to the last version's diagnostics (ms). */
  settledMs: number;
  publishes: number;
  rss: { before: number; peak: number; after: number; afterMs: number };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/**
 * SPEC §9 load: `documents` small documents and the screenplay open, then `edits` didChange sent at
 * once (half to the screenplay), then a hover. The server's RSS before, at its peak, and `settleMs`
 * after the burst (read from /proc: Linux only).
 */
export async function editBurst(feature: string, documents: number, edits: number, settleMs: number): Promise<Burst> {
  ensureBuilt();
  const client = new TestClient();
  try {
    await client.initialize(null);
    const pid = client.child.pid!;
    const small = Array.from({ length: documents }, (_, i) => `file:///bench/burst/ep${i}.fountain`);
    for (const uri of small) await client.open(uri, 'fountain', 'INT. A - DAY\n\nShot. [[ai: image.generated; stage: final]]\n');
    const big = 'file:///bench/burst/feature.fountain';
    await client.open(big, 'fountain', feature);
    await client.diagnostics(big, 1, 30_000);
    await Promise.all(small.map((uri) => client.diagnostics(uri, 1, 30_000)));
    await sleep(1000);
    const before = rssOf(pid);
    let peak = before;
    const poll = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
    const published = client.published.length;
    const started = performance.now();
    const sends: Promise<number>[] = [];
    let bigVersion = 1;
    for (let i = 0; i < edits; i++) {
      const uri = i % 2 ? big : small[i % small.length];
      if (uri === big) bigVersion++;
      sends.push(client.change(uri, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'x' }]));
    }
    await Promise.all(sends);
    const h0 = performance.now();
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: small[1 % small.length] }, position: { line: 2, character: 10 } });
    const hoverAfter = performance.now() - h0;
    if (!hover) throw new Error('no hover after the burst');
    const h1 = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri: big }, position: { line: 0, character: 0 } });
    const hoverBig = performance.now() - h1;
    await client.diagnostics(big, bigVersion, 30_000);
    const settledMs = performance.now() - started;
    await sleep(settleMs);
    clearInterval(poll);
    return { hoverAfter, hoverBig, settledMs, publishes: client.published.length - published, rss: { before, peak, after: rssOf(pid), afterMs: settleMs } };
  } finally {
    await client.shutdown();
  }
}
