import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineIndex } from '../../server/src/core/line-index.js';
import { decodeDocumentBytes } from '../../server/src/core/project.js';
import type { ParsedDocument, Range, Tag } from '../../server/src/core/types.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/markers/', import.meta.url));

/** A fixture as the CLI reads it (UTF-16 decoded, BOM dropped). */
export function fixture(name: string): string {
  return decodeDocumentBytes(readFileSync(FIXTURES + name));
}

/** The file text a range covers. */
export function slice(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

/** field key -> value of a tag, written fields and then host fields (marked `host:`). */
export function fieldsOf(tag: Tag): [string, string][] {
  return [...tag.fields.map((f): [string, string] => [f.key, f.value]), ...(tag.hostFields ?? []).map((f): [string, string] => [`host:${f.key}`, f.value])];
}

export function hostTimecode(tag: Tag): string | undefined {
  return tag.hostFields?.find((f) => f.key === 'timecode')?.value;
}

/** Every range of a parsed document, for "inside the file" checks. */
export function allRanges(doc: ParsedDocument): Range[] {
  const out: Range[] = [];
  for (const t of doc.tags) {
    out.push(t.range, t.markerRange, t.anchor, ...t.problems.map((p) => p.range));
    for (const f of [...t.fields, ...(t.hostFields ?? [])]) out.push(f.keyRange, f.valueRange, f.range, ...f.items.map((i) => i.range));
  }
  for (const d of doc.directives) out.push(d.range, d.markerRange, ...d.ruleRanges, ...d.problems.map((p) => p.range));
  for (const p of doc.problems) out.push(p.range);
  for (const m of doc.metadata.values()) out.push(m.keyRange, m.valueRange);
  return out;
}
