// Did-you-mean suggestions for unknown kinds, keys, values and rule ids.

import { distance } from 'fastest-levenshtein';
import { KEYS, KINDS, KIND_PREFIXES, keyInfo } from './vocabulary.js';

/** Longer input is not a typo of a vocabulary word; skipping it keeps the engine linear. */
const MAX_INPUT = 64;

/** How far a typo may be from the word meant: about one edit per three characters, at least one. */
function maxDistance(input: string): number {
  return Math.max(1, Math.min(4, Math.floor(input.length / 3)));
}

/**
 * The closest candidates to `input` (case-insensitive), best first, at most `limit`. A candidate
 * that starts with the input, or whose dotted/slashed last part equals it, also counts
 * (`image.gen` -> `image.generated`, `generated` -> `image.generated`).
 */
export function closest(input: string, candidates: readonly string[], limit = 3): string[] {
  const word = input.trim().toLowerCase();
  if (word === '' || word.length > MAX_INPUT) return [];
  const max = maxDistance(word);
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === word) continue;
    let score = distance(word, c);
    if (score > max) {
      const tail = c.slice(Math.max(c.lastIndexOf('.'), c.lastIndexOf('/')) + 1);
      if (word.length >= 3 && (c.startsWith(word) || tail === word)) score = max + 0.5;
      else if (word.length >= 4 && distance(word, tail) <= maxDistance(tail) && tail !== c) score = max + 0.75;
      else continue;
    }
    scored.push({ candidate, score });
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}

/** Same as closest(): the name the project's other modules use. */
export const closestNames = closest;

const KIND_NAMES = KINDS.map((k) => k.kind);

/** Suggestions for a kind: every kind under a prefix written alone (`image`), else the closest kinds. */
export function suggestKinds(input: string): string[] {
  const word = input.trim().toLowerCase().replace(/\.$/, '');
  if (KIND_PREFIXES.includes(word)) return KIND_NAMES.filter((k) => k.startsWith(`${word}.`));
  return closest(word, KIND_NAMES);
}

const KEY_NAMES = KEYS.map((k) => k.key);

/** Suggestions for an unknown key. */
export function suggestKeys(input: string): string[] {
  return closest(input, KEY_NAMES);
}

/** Suggestions for a bad value of `key` (enum keys only). */
export function suggestValues(key: string, input: string): string[] {
  const values = keyInfo(key)?.values?.map((v) => v.value) ?? [];
  return closest(input, values);
}

/** When an unknown key is really a value written without its key (`photoreal`), the `key: value` meant. */
export function keyForBareValue(word: string): string | undefined {
  const w = word.trim().toLowerCase();
  if (w === '' || w.length > MAX_INPUT) return undefined;
  const owners = KEYS.filter((k) => (k.type === 'enum' || k.type === 'enum-list') && k.values?.some((v) => v.value === w));
  return owners.length === 1 ? `${owners[0].key}: ${w}` : undefined;
}

/** "Did you mean `a` or `b`?" (with a leading space), or '' when there is nothing to suggest. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `\`${s}\``);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` Did you mean ${list}?`;
}
