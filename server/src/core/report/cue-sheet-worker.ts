// A second thread for the HTML cue sheet of a big report: the CLI starts it once the scan has
// found enough uses (so that loading the bundle overlaps building the model), and it renders the
// later files' rows while the CLI's thread renders the first ones. Any failure, or no answer in
// time, and the rows are rendered here instead: the page is the same either way.

import { availableParallelism } from 'node:os';
import { receiveMessageOnPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import { bundleScript, spawnBundleWorker, workerKind } from '../parse-budget.js';
import { cueSheetGroupsHtml, type CueSheetGroup, type CueSheetHelper } from './html.js';

const WORKER_KIND = 'ai-use-cue-sheet-rows';
/** How long the rows may take there before they are rendered here after all. */
const ANSWER_WITHIN_MS = 20_000;

interface WorkerInit {
  kind: typeof WORKER_KIND;
  port: MessagePort;
  /** Slot 0 becomes 1 when the answer has been posted. */
  signal: Int32Array;
}

type Reply = { pieces?: string[]; error?: string };

export function isCueSheetWorker(): boolean {
  return workerKind() === WORKER_KIND;
}

/** The worker's side: render the groups it is sent. */
export function runCueSheetWorker(): void {
  const { port, signal } = workerData as WorkerInit;
  port.on('message', (groups: CueSheetGroup[]) => {
    let reply: Reply;
    try {
      reply = { pieces: cueSheetGroupsHtml(groups) };
    } catch (error) {
      reply = { error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
}

/**
 * The helper for renderHtmlChunks, with its thread already starting; undefined where a second
 * thread cannot help (one core, or no bundle to start it from: the sources under tsx).
 */
export function startCueSheetWorker(script = bundleScript()): { helper: CueSheetHelper; close: () => void } | undefined {
  if (script === undefined || availableParallelism() < 2) return undefined;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker;
  let port1: MessagePort;
  try {
    ({ worker, port: port1 } = spawnBundleWorker(script, WORKER_KIND, { signal } satisfies Omit<WorkerInit, 'kind' | 'port'>));
  } catch {
    return undefined;
  }
  worker.on('error', () => undefined); // seen as no answer: the rows are rendered here
  const close = () => {
    port1.close();
    void worker.terminate().catch(() => undefined);
  };
  const helper: CueSheetHelper = (groups) => {
    port1.postMessage(groups);
    return () => {
      const deadline = Date.now() + ANSWER_WITHIN_MS;
      for (let left = ANSWER_WITHIN_MS; left > 0; left = deadline - Date.now()) {
        const received = receiveMessageOnPort(port1) as { message: Reply } | undefined;
        if (received) {
          close();
          if (received.message.pieces) return received.message.pieces;
          break;
        }
        Atomics.wait(signal, 0, 0, Math.min(left, 50));
      }
      close();
      return cueSheetGroupsHtml(groups);
    };
  };
  return { helper, close };
}
