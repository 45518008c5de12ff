// Finding the tag (and the field) under a position: shared by hover and completion.

import type { Position, Range, Tag, TagField } from '../core/types.js';

/** A position as LSP defines it: two non-negative integers (requests are untrusted input). */
export function isPosition(p: unknown): p is Position {
  const q = p as Partial<Position> | null | undefined;
  return typeof q === 'object' && q !== null && Number.isSafeInteger(q.line) && Number.isSafeInteger(q.character) && q.line! >= 0 && q.character! >= 0;
}

export function isRange(r: unknown): r is Range {
  const q = r as Partial<Range> | null | undefined;
  return typeof q === 'object' && q !== null && isPosition(q.start) && isPosition(q.end);
}

export function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export function rangeContains(range: Range, p: Position): boolean {
  return !before(p, range.start) && !before(range.end, p);
}

/** The index of the tag whose note or comment holds `position`, or -1. */
export function tagIndexAt(tags: readonly Tag[], position: Position): number {
  // Tags are in document order: binary search on the start, then check the end.
  let lo = 0;
  let hi = tags.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (before(position, tags[mid].range.start)) hi = mid - 1;
    else {
      found = mid;
      lo = mid + 1;
    }
  }
  return found >= 0 && rangeContains(tags[found].range, position) ? found : -1;
}

export function fieldAt(tag: Tag, position: Position): TagField | undefined {
  return tag.fields.find((f) => rangeContains(f.range, position) || rangeContains(f.keyRange, position));
}
