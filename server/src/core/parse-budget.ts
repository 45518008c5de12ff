// Markdown parsing under a time budget (SPEC §8). remark is super-linear on some inputs (1 MB of
// `[[` takes it seconds), and a parse cannot be interrupted on the thread that runs it. So large
// Markdown documents are parsed in a worker thread that is terminated when the budget runs out,
// and the document gets a clear `core/not-checked` finding instead of a hang. The CLI waits for
// the worker synchronously (Atomics.wait), the language server asynchronously; both use the same
// size threshold and budget, so the editor and CI agree on which files are too complex.
//
// The worker runs the bundle that started it (dist/cli.cjs or dist/server.cjs): their entry points
// hand over to runParseWorker() when isParseWorker() says so. Run from TypeScript sources (tests
// under tsx), there is no bundle to start, and documents are parsed in-process.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { LineIndex } from './line-index.js';
import { notCheckedMarkdown, parseMarkdown } from './markdown.js';
import type { ParsedDocument } from './types.js';

/** Markdown texts shorter than this (UTF-16 units) parse in-process: even remark's worst case is milliseconds there. */
export const GUARDED_MIN_LENGTH = 32 * 1024;

/** How long a Markdown parse may take before the document is reported as not checked. */
export function parseBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.AI_USE_PARSE_BUDGET_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : 5000;
}

const WORKER_KIND = 'ai-use-markdown-parse';

interface WorkerInit {
  kind: typeof WORKER_KIND;
  port: MessagePort;
  /**
   * For a waiter blocked in Atomics.wait: slot 0 holds the id of the last answered request, or
   * with `count`, the number of answers so far (a pool's workers share one counter).
   */
  signal: Int32Array;
  count?: boolean;
  /** [id being parsed, Date.now() when it started]: how a pool sees which parse overruns. */
  progress?: Float64Array;
  /** One slot per request id, set by whichever thread takes it first (a pool's caller steals short ones). */
  claims?: Int32Array;
}

type Request = { id: number; text: string };
/** `taken`: another thread claimed the request first, and answers it. */
type Reply = { id: number; doc?: ParsedDocument; error?: string; taken?: boolean };

export function isParseWorker(): boolean {
  return workerKind() === WORKER_KIND;
}

/** The worker's side: parse each text it is sent and answer on the port. */
export function runParseWorker(): void {
  const { port, signal, count, progress, claims } = workerData as WorkerInit;
  port.on('message', ({ id, text }: Request) => {
    if (claims && Atomics.compareExchange(claims, id, 0, 1) !== 0) {
      port.postMessage({ id, taken: true } satisfies Reply);
      if (count) Atomics.add(signal, 0, 1);
      Atomics.notify(signal, 0);
      return;
    }
    if (progress) {
      progress[1] = Date.now();
      progress[0] = id;
    }
    let reply: Reply;
    try {
      reply = { id, doc: parseMarkdown(text) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
    if (count) Atomics.add(signal, 0, 1);
    else Atomics.store(signal, 0, id);
    Atomics.notify(signal, 0);
  });
}

/** What a document that could not be parsed in time looks like: no tags, one problem on line 1. */
export function notCheckedDocument(text: string, budgetMs: number): ParsedDocument {
  const newline = text.search(/\r?\n|\r/);
  const firstLineEnd = newline < 0 ? text.length : newline;
  const seconds = budgetMs % 1000 === 0 ? `${budgetMs / 1000} s` : `${budgetMs} ms`;
  const message = `This Markdown file is too large or too complex to check: reading it took longer than ${seconds}, so its AI-use tags were not checked. Split it into smaller files.`;
  return notCheckedMarkdown(text, message, LineIndex.of(text).range(0, Math.min(firstLineEnd, 200)));
}

function replyToDocument(reply: Reply, text: string): ParsedDocument {
  if (reply.doc) return reply.doc;
  // parseMarkdown never throws; a worker that failed to load says so on the document.
  return notCheckedMarkdown(text, `This Markdown file could not be read, so its AI-use tags were not checked: ${reply.error ?? 'unknown error'}`, LineIndex.of(text).range(0, 0));
}

/**
 * A worker's young generation, in MB. V8's default lets it grow to about 48 MB per thread; the
 * workers' garbage is short-lived (remark trees, rendered rows), and at 12 MB a 300-file report
 * peaks about 30 MB lower in RSS for about 0.1 s more (docs/performance.md).
 */
const WORKER_YOUNG_GENERATION_MB = 12;

/**
 * A worker thread running `script` (a bundle, which hands over to the worker of `kind`) and the
 * port to talk to it; neither keeps the process alive. Its workerData is `init` with `kind` and
 * the worker's end of the port.
 */
export function spawnBundleWorker<Init extends object>(script: string, kind: string, init: Init): { worker: Worker; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script, {
    workerData: { kind, port: port2, ...init },
    transferList: [port2],
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  worker.unref();
  port1.unref();
  return { worker, port: port1 };
}

/** The `kind` a bundle's worker thread was started with (spawnBundleWorker), if it is one. */
export function workerKind(): unknown {
  return isMainThread ? undefined : (workerData as { kind?: unknown } | undefined)?.kind;
}

/** A parse worker from `script` and the port to talk to it. */
function spawnWorker(script: string, init: Omit<WorkerInit, 'kind' | 'port'>): { worker: Worker; port: MessagePort } {
  return spawnBundleWorker(script, WORKER_KIND, init);
}

/** The bundle this module runs from, when it is one (import.meta.url is the bundle's file there). */
export function bundleScript(): string | undefined {
  try {
    const file = fileURLToPath(import.meta.url);
    return /\.c?js$/.test(file) && existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One worker thread, started on first use and replaced after a parse ran out of time. `parseSync`
 * and `parse` must not be mixed on one instance (the sync path reads the port directly).
 */
export class MarkdownParser {
  private worker?: Worker;
  private port?: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly budgetMs = parseBudgetMs(),
    private readonly script: string | undefined = bundleScript(),
    private readonly mode: 'sync' | 'async' = 'async',
  ) {}

  /** True when texts of this length go to the worker. */
  guards(text: string): boolean {
    return this.script !== undefined && text.length >= GUARDED_MIN_LENGTH;
  }

  /** Blocks until the document is parsed or the budget is spent (the CLI). */
  parseSync(text: string): ParsedDocument {
    if (!this.guards(text)) return parseMarkdown(text);
    const port = this.start();
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    port.postMessage({ id, text } satisfies Request);
    const deadline = Date.now() + this.budgetMs;
    for (let left = this.budgetMs; left > 0; left = deadline - Date.now()) {
      Atomics.wait(this.signal, 0, 0, left);
      const received = receiveMessageOnPort(port) as { message: Reply } | undefined;
      if (received?.message.id === id) return replyToDocument(received.message, text);
      // A late answer to an earlier, timed-out request: keep waiting for ours.
      Atomics.store(this.signal, 0, 0);
    }
    this.stop();
    return notCheckedDocument(text, this.budgetMs);
  }

  /** Resolves when the document is parsed or the budget is spent; one parse at a time (the server). */
  parse(text: string): Promise<ParsedDocument> {
    if (!this.guards(text)) return Promise.resolve(parseMarkdown(text));
    const run = this.queue.then(() => this.parseNow(text));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private parseNow(text: string): Promise<ParsedDocument> {
    return new Promise((resolve) => {
      const port = this.start();
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.stop();
        resolve(notCheckedDocument(text, this.budgetMs));
      }, this.budgetMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(replyToDocument(reply, text));
      });
      port.postMessage({ id, text } satisfies Request);
    });
  }

  private start(): MessagePort {
    if (this.worker && this.port) return this.port;
    // Neither the worker nor its port may keep the CLI alive once the scan is done.
    const { worker, port: port1 } = spawnWorker(this.script!, { signal: this.signal });
    worker.on('error', () => this.stop());
    worker.on('exit', () => {
      if (this.worker === worker) this.stop();
    });
    if (this.mode === 'async') {
      port1.on('message', (reply: Reply) => {
        const done = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        done?.(reply);
      });
    }
    this.worker = worker;
    this.port = port1;
    return port1;
  }

  /** Terminates the worker (a parse ran out of time); the next parse starts a new one. */
  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    if (worker) void worker.terminate().catch(() => undefined);
    // Whoever still waits gets nothing back from a terminated worker: let their timers answer.
  }
}

/** Below this much Markdown a project scan is not worth starting a worker for. */
const POOL_MIN_LENGTH = 256 * 1024;

interface PoolSlot {
  worker: Worker;
  port: MessagePort;
  progress: Float64Array;
  /** Ids sent to this worker and not answered yet. */
  pending: Set<number>;
  startedAt: number;
}

/**
 * Markdown for a whole project scan (the CLI's check and report), parsed in parallel by a few
 * worker threads under the same per-file budget as one document: a worker whose current file runs
 * out of time is terminated, that file is reported as not checked, and the files it had left go
 * to a fresh worker. The caller's thread meanwhile does its own work (the Fountain files), then
 * takes short files from the end the workers reach last (they go largest first), and then blocks
 * until every Markdown file is answered. Taking at run time, rather than sharing out beforehand,
 * is what evens out the work: remark's cost per character varies several-fold between notes.
 */
export class MarkdownPool {
  constructor(
    /** Worker threads: one per core beside the caller's. */
    readonly size = Math.max(1, Math.min(3, availableParallelism() - 1)),
    readonly budgetMs = parseBudgetMs(),
    private readonly script: string | undefined = bundleScript(),
  ) {}

  /** Worth it: a second core, a bundle to start workers from, and enough Markdown to share out. */
  pays(texts: readonly string[]): boolean {
    return availableParallelism() > 1 && this.script !== undefined && texts.length > 1 && texts.reduce((n, t) => n + t.length, 0) >= POOL_MIN_LENGTH;
  }

  /** Every text parsed, in order; `meanwhile` runs on this thread while the workers parse. */
  parseAll(texts: readonly string[], meanwhile: () => void = () => undefined): ParsedDocument[] {
    const results: ParsedDocument[] = new Array(texts.length);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const claims = new Int32Array(new SharedArrayBuffer(4 * texts.length));
    const start = (ids: readonly number[]): PoolSlot => {
      const progress = new Float64Array(new SharedArrayBuffer(16));
      progress[0] = -1;
      const { worker, port } = spawnWorker(this.script!, { signal: counter, count: true, progress, claims });
      worker.on('error', () => undefined); // an overrun or a crash is seen by its deadline
      for (const id of ids) port.postMessage({ id, text: texts[id] } satisfies Request);
      return { worker, port, progress, pending: new Set(ids), startedAt: Date.now() };
    };
    // Largest first, each to the least loaded worker, so that they finish together.
    const queues: number[][] = Array.from({ length: Math.min(this.size, texts.length) }, () => []);
    const loads = queues.map(() => 0);
    for (const id of texts.map((_, i) => i).sort((a, b) => texts[b].length - texts[a].length)) {
      const w = loads.indexOf(Math.min(...loads));
      queues[w].push(id);
      loads[w] += texts[id].length;
    }
    let slots = queues.filter((q) => q.length > 0).map(start);
    meanwhile();
    let remaining = texts.length;
    // Smallest first; a file long enough to need the time budget is left to its worker.
    for (const id of texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length)) {
      if (texts[id].length >= GUARDED_MIN_LENGTH) break;
      if (Atomics.compareExchange(claims, id, 0, 2) !== 0) continue;
      for (const slot of slots) slot.pending.delete(id);
      results[id] = parseMarkdown(texts[id]);
      remaining--;
    }
    while (remaining > 0) {
      const seen = Atomics.load(counter, 0);
      for (const slot of slots) {
        for (let m = receiveMessageOnPort(slot.port) as { message: Reply } | undefined; m; m = receiveMessageOnPort(slot.port) as { message: Reply } | undefined) {
          if (!slot.pending.delete(m.message.id)) continue;
          results[m.message.id] = replyToDocument(m.message, texts[m.message.id]);
          remaining--;
        }
      }
      if (remaining === 0) break;
      const now = Date.now();
      let wait = this.budgetMs;
      slots = slots.flatMap((slot): PoolSlot[] => {
        if (slot.pending.size === 0) {
          void slot.worker.terminate().catch(() => undefined);
          return [];
        }
        const current = slot.progress[0];
        // Parsing an unanswered file: its own start; not started yet: the worker's start-up.
        const since = slot.pending.has(current) ? slot.progress[1] : current < 0 ? slot.startedAt : now;
        const left = since + this.budgetMs - now;
        if (left > 0) {
          wait = Math.min(wait, left);
          return [slot];
        }
        void slot.worker.terminate().catch(() => undefined);
        slot.port.close();
        if (current < 0) {
          // A worker that never started a file cannot run at all here: parse in-process.
          for (const id of slot.pending) results[id] = parseMarkdown(texts[id]);
          remaining -= slot.pending.size;
          return [];
        }
        results[current] = notCheckedDocument(texts[current], this.budgetMs);
        remaining--;
        slot.pending.delete(current);
        return slot.pending.size > 0 ? [start([...slot.pending])] : [];
      });
      if (remaining > 0) Atomics.wait(counter, 0, seen, Math.max(1, wait));
    }
    for (const slot of slots) void slot.worker.terminate().catch(() => undefined);
    return results;
  }
}
