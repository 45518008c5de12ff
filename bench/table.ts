// The bench's one table: aligned columns for the terminal, a pipe table for --markdown.

export type Result = 'pass' | 'FAIL' | 'info' | 'skip' | 'ERROR';

export interface Row {
  workload: string;
  input: string;
  /** Our median (or the statistic the row names), formatted. */
  ours: string;
  /** The reference library's median on the same input in the same process, or '-'. */
  reference: string;
  /** ours / reference, or '-'. */
  ratio: string;
  budget: string;
  /** The numbers the budget is checked against. */
  measured: string;
  result: Result;
}

export const COLUMNS: { key: keyof Row; title: string; right?: boolean }[] = [
  { key: 'workload', title: 'Workload' },
  { key: 'input', title: 'Input' },
  { key: 'ours', title: 'Ours', right: true },
  { key: 'reference', title: 'Reference', right: true },
  { key: 'ratio', title: 'Ours/ref', right: true },
  { key: 'budget', title: 'Budget' },
  { key: 'measured', title: 'Measured' },
  { key: 'result', title: 'Result' },
];

export function verdict(pass: boolean): Result {
  return pass ? 'pass' : 'FAIL';
}

export function ratio(ours: number, reference: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference <= 0) return '-';
  const r = ours / reference;
  return r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r >= 0.01 ? r.toFixed(3) : r.toPrecision(2);
}

export function renderText(rows: readonly Row[]): string {
  const widths = COLUMNS.map((c) => Math.max(c.title.length, ...rows.map((r) => r[c.key].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (COLUMNS[i].right ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(COLUMNS.map((c) => r[c.key])))].join('\n');
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`');
}

export function renderMarkdown(rows: readonly Row[]): string {
  const widths = COLUMNS.map((c) => Math.max(c.title.length, 3, ...rows.map((r) => cell(r[c.key]).length)));
  const line = (cells: string[]) => `| ${cells.map((text, i) => (COLUMNS[i].right ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (COLUMNS[i].right ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(COLUMNS.map((c) => c.title)), rule, ...rows.map((r) => line(COLUMNS.map((c) => cell(r[c.key]))))].join('\n');
}
