// Timing helpers for the bench: medians and percentiles over repeated runs, ours and the reference
// interleaved in one process so that both see the same load, JIT state and garbage collector.

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * Runs `ours` and `reference` alternately (warm-up first, then `runs` rounds, the order swapped
 * each round) and returns the time of every round for each.
 */
export function sideBySide(ours: () => unknown, reference: (() => unknown) | undefined, runs: number, warmup = 2): { ours: number[]; reference: number[] } {
  for (let i = 0; i < warmup; i++) {
    ours();
    reference?.();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      a.push(time(ours));
      if (reference) b.push(time(reference));
    } else {
      if (reference) b.push(time(reference));
      a.push(time(ours));
    }
  }
  return { ours: a, reference: b };
}

export function ms(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(2)} ms`;
}

export function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export interface MeasureOptions {
  ours: () => unknown;
  reference?: () => unknown;
  /** Timed rounds of ours. */
  runs: number;
  /** Untimed rounds first, for each side (JIT, caches). */
  warmup?: number;
  /** At most this many timed rounds of the reference (default: runs). */
  referenceRuns?: number;
  /** No further warm-up or timed reference round once the reference has taken this long in all. */
  referenceBudgetMs?: number;
}

/**
 * Like sideBySide, for a reference that may be far slower than ours: its rounds are interleaved
 * with ours while they last, bounded by count and by total time (at least one timed round).
 */
export function measure(o: MeasureOptions): { ours: number[]; reference: number[] } {
  const warmup = o.warmup ?? 2;
  const budget = o.referenceBudgetMs ?? Infinity;
  const maxRef = o.referenceRuns ?? o.runs;
  let spent = 0;
  const ref = () => {
    const t = time(o.reference!);
    spent += t;
    return t;
  };
  for (let i = 0; i < warmup; i++) {
    o.ours();
    if (o.reference && spent < budget / 4) ref();
  }
  spent = 0;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const withRef = o.reference !== undefined && b.length < maxRef && (b.length === 0 || spent < budget);
    if (withRef && i % 2 === 1) b.push(ref());
    a.push(time(o.ours));
    if (withRef && i % 2 === 0) b.push(ref());
  }
  return { ours: a, reference: b };
}
