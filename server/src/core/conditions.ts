// The condition language of rules (see the `condition` definition in server/schemas/rule.schema.json).
// Conditions are data: they are compiled once into closures over plain tests, never into code
// from text, and every test is a linear scan (no user regular expressions).

import { isFiction, isNonfiction } from './genres.js';
import type { Range, Tag, TagField } from './types.js';

/** A condition as written in a pack or custom rule (YAML/JSON). All tests of one map must hold. */
export interface Condition {
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  kind?: string | string[];
  genre?: string | string[];
  has?: string | string[];
  missing?: string | string[];
  documented?: string | string[];
  undocumented?: string | string[];
  field?: string;
  in?: string[];
  equals?: string;
  contains?: string | string[];
  'starts-with'?: string | string[];
}

/**
 * Values that do not document an approval, a consent or a notice. SPEC §2.2 asks for a reference
 * ("signed rider 2025-03-02"): a bare yes or "signed" says it exists but not where to find it.
 */
export const UNDOCUMENTED_VALUES: ReadonlySet<string> = new Set([
  '', 'pending', 'none', 'no', 'unknown', 'tbd', 'todo', 'n/a', 'na',
  'yes', 'y', 'true', 'ok', 'signed',
]);

/**
 * The work one rule may still do on one document, in units of about one character read or one
 * test tried. Custom rules get one each (engine.ts); built-in rules run unmetered.
 */
export class WorkBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

/** Thrown by TagFacts.charge when the rule's budget is spent: the rule stops for the document. */
export class OutOfBudget extends Error {}

/** What a condition is evaluated against: one tag in a document of one genre. */
export class TagFacts {
  /** The budget of the rule being evaluated; undefined for built-in rules. */
  meter: WorkBudget | undefined;
  /** The first field of each key (duplicates are reported by core/duplicate-field). */
  readonly fields = new Map<string, TagField>();
  // Made on first use: most tags are ruled out by their kind before any value is read.
  private lowerValues: Map<TagField, string> | undefined;
  private lowerItems: Map<TagField, string[]> | undefined;

  constructor(readonly tag: Tag, readonly genre: string) {
    for (const field of tag.fields) if (!this.fields.has(field.key)) this.fields.set(field.key, field);
    // What the host gives (a timeline marker's timecode) counts where the tag writes no value of its own.
    if (tag.hostFields) for (const field of tag.hostFields) if (!this.has(field.key)) this.fields.set(field.key, field);
  }

  field(key: string): TagField | undefined {
    return this.fields.get(key);
  }

  /** Counts `units` of work against the current rule's budget; throws OutOfBudget past it. */
  charge(units: number): void {
    const meter = this.meter;
    if (meter !== undefined && (meter.used += units) > meter.limit) throw new OutOfBudget();
  }

  /** Present with a non-empty value. */
  has(key: string): boolean {
    const f = this.fields.get(key);
    return f !== undefined && f.value.trim() !== '';
  }

  documented(key: string): boolean {
    const f = this.fields.get(key);
    return f !== undefined && !UNDOCUMENTED_VALUES.has(this.lowerValue(f).trim());
  }

  lowerValue(field: TagField): string {
    this.lowerValues ??= new Map();
    let v = this.lowerValues.get(field);
    if (v === undefined) {
      v = field.value.toLowerCase();
      this.lowerValues.set(field, v);
    }
    return v;
  }

  /** The field's items lower-cased (one item for single-valued fields). */
  lowerItemTexts(field: TagField): string[] {
    this.lowerItems ??= new Map();
    let v = this.lowerItems.get(field);
    if (v === undefined) {
      v = field.items.length > 0 ? field.items.map((i) => i.text.toLowerCase()) : field.value ? [field.value.toLowerCase()] : [];
      this.lowerItems.set(field, v);
    }
    return v;
  }
}

/** Where a condition matched: fields it matched on (with the exact item) and fields found missing. */
export interface MatchTrace {
  evidence: { key: string; range: Range }[];
  absent: string[];
}

/** Evaluates against `facts`; records evidence in `trace` only while `positive` (not under a `not`). */
export type CompiledCondition = (facts: TagFacts, trace: MatchTrace, positive: boolean) => boolean;

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * `*` matches any run of characters; everything else is literal. Linear: the segments between
 * stars are found left to right with indexOf (greedy leftmost is exact for star-only globs).
 */
export function globMatch(pattern: string, value: string): boolean {
  return pattern.includes('*') ? compileGlob(pattern)(value) : pattern === value;
}

/** globMatch for a pattern with a star, split once: a condition's matcher runs on every tag. */
function compileGlob(pattern: string): (value: string) => boolean {
  const segments = pattern.split('*');
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((s) => s !== '');
  const fixed = first.length + last.length;
  return (value) => {
    if (value.length < fixed || !value.startsWith(first) || !value.endsWith(last)) return false;
    let pos = first.length;
    const limit = value.length - last.length;
    for (const seg of middle) {
      const at = value.indexOf(seg, pos);
      if (at < 0 || at + seg.length > limit) return false;
      pos = at + seg.length;
    }
    return true;
  };
}

/** A matcher over lower-cased words: exact words through a Set, globs one by one; `globs` is how many. */
function wordMatcher(words: readonly string[]): ((value: string) => boolean) & { globs: number } {
  const exact = new Set<string>();
  const globs: ((value: string) => boolean)[] = [];
  for (const w of words) {
    const lw = w.toLowerCase();
    if (lw.includes('*')) globs.push(compileGlob(lw));
    else exact.add(lw);
  }
  if (globs.length === 0) return Object.assign((value: string) => exact.has(value), { globs: 0 });
  return Object.assign(
    (value: string) => {
      if (exact.has(value)) return true;
      for (const g of globs) if (g(value)) return true;
      return false;
    },
    { globs: globs.length },
  );
}

function genreMatcher(names: readonly string[]): (genre: string) => boolean {
  const set = new Set(names.map((n) => n.toLowerCase()));
  return (genre) => set.has(genre) || (set.has('nonfiction') && isNonfiction(genre)) || (set.has('fiction') && isFiction(genre));
}

function valueRangeOrKey(field: TagField): Range {
  return field.value === '' ? field.keyRange : field.valueRange;
}

/** Mark where the trace stands, to roll back evidence of a branch that turned out false. */
function rollback(trace: MatchTrace, evidenceLength: number, absentLength: number): void {
  // Setting .length is not free even when it changes nothing, and most rollbacks have nothing to undo.
  if (trace.evidence.length !== evidenceLength) trace.evidence.length = evidenceLength;
  if (trace.absent.length !== absentLength) trace.absent.length = absentLength;
}

function compileFieldTest(c: Condition): CompiledCondition | undefined {
  if (c.field === undefined) return undefined;
  const key = c.field.toLowerCase();
  if (c.in !== undefined) {
    const match = wordMatcher(c.in);
    const perCharacter = 1 + match.globs;
    return (facts, trace, positive) => {
      const f = facts.field(key);
      if (!f) return false;
      facts.charge(f.value.length * perCharacter);
      const items = facts.lowerItemTexts(f);
      for (let i = 0; i < items.length; i++) {
        if (match(items[i])) {
          if (positive) trace.evidence.push({ key, range: f.items[i]?.range ?? f.valueRange });
          return true;
        }
      }
      return false;
    };
  }
  let test: ((value: string) => boolean) | undefined;
  // Work per character of the value (contains reads it once per part), and per test.
  let perCharacter = 1;
  let fixed = 1;
  if (c.equals !== undefined) {
    const want = c.equals.toLowerCase();
    test = (v) => v.trim() === want;
  } else if (c.contains !== undefined) {
    const parts = asList(c.contains).map((p) => p.toLowerCase());
    perCharacter = parts.length;
    test = (v) => parts.some((p) => v.includes(p));
  } else if (c['starts-with'] !== undefined) {
    const parts = asList(c['starts-with']).map((p) => p.toLowerCase());
    perCharacter = 0;
    fixed = parts.length;
    test = (v) => parts.some((p) => v.startsWith(p));
  }
  if (!test) return () => false;
  const valueTest = test;
  return (facts, trace, positive) => {
    const f = facts.field(key);
    if (!f) return false;
    facts.charge(fixed + f.value.length * perCharacter);
    if (!valueTest(facts.lowerValue(f))) return false;
    if (positive) trace.evidence.push({ key, range: valueRangeOrKey(f) });
    return true;
  };
}

/** Compiles a condition (already validated against the schema) into a closure. */
export function compileCondition(c: Condition): CompiledCondition {
  const tests: CompiledCondition[] = [];
  if (c.all !== undefined) {
    const parts = c.all.map(compileCondition);
    tests.push((facts, trace, positive) => {
      const e = trace.evidence.length;
      const a = trace.absent.length;
      if (parts.every((p) => p(facts, trace, positive))) return true;
      rollback(trace, e, a);
      return false;
    });
  }
  if (c.any !== undefined) {
    const parts = c.any.map(compileCondition);
    tests.push((facts, trace, positive) => {
      for (const p of parts) {
        const e = trace.evidence.length;
        const a = trace.absent.length;
        if (p(facts, trace, positive)) return true;
        rollback(trace, e, a);
      }
      return false;
    });
  }
  if (c.not !== undefined) {
    const inner = compileCondition(c.not);
    // Inside a `not` nothing is recorded (polarity flips), except under a double negation.
    tests.push((facts, trace, positive) => !inner(facts, trace, !positive));
  }
  if (c.kind !== undefined) {
    const match = wordMatcher(asList(c.kind));
    tests.push((facts, trace, positive) => {
      const kind = facts.tag.kind;
      if (kind === undefined || !match(kind)) return false;
      const f = facts.field('kind');
      if (positive && f) trace.evidence.push({ key: 'kind', range: f.valueRange });
      return true;
    });
  }
  if (c.genre !== undefined) {
    const match = genreMatcher(asList(c.genre));
    tests.push((facts) => match(facts.genre));
  }
  if (c.has !== undefined) {
    const keys = asList(c.has).map((k) => k.toLowerCase());
    tests.push((facts, trace, positive) => {
      if (!keys.every((k) => facts.has(k))) return false;
      if (positive) for (const k of keys) trace.evidence.push({ key: k, range: facts.field(k)!.valueRange });
      return true;
    });
  }
  if (c.missing !== undefined) {
    const keys = asList(c.missing).map((k) => k.toLowerCase());
    tests.push((facts, trace, positive) => {
      let found = false;
      for (const k of keys) {
        if (facts.has(k)) continue;
        found = true;
        if (positive) trace.absent.push(k);
      }
      return found;
    });
  }
  if (c.documented !== undefined) {
    const keys = asList(c.documented).map((k) => k.toLowerCase());
    tests.push((facts) => keys.every((k) => facts.documented(k)));
  }
  if (c.undocumented !== undefined) {
    const keys = asList(c.undocumented).map((k) => k.toLowerCase());
    tests.push((facts, trace, positive) => {
      let found = false;
      for (const k of keys) {
        if (facts.documented(k)) continue;
        found = true;
        if (!positive) continue;
        const f = facts.field(k);
        // A `consent: pending` is the thing to underline; an absent field has nothing to show.
        if (f) trace.evidence.push({ key: k, range: valueRangeOrKey(f) });
        else trace.absent.push(k);
      }
      return found;
    });
  }
  const fieldTest = compileFieldTest(c);
  if (fieldTest) tests.push(fieldTest);

  if (tests.length === 1) return tests[0];
  return (facts, trace, positive) => {
    const e = trace.evidence.length;
    const a = trace.absent.length;
    for (const t of tests) {
      if (!t(facts, trace, positive)) {
        rollback(trace, e, a);
        return false;
      }
    }
    return true;
  };
}

/** Every field name a condition refers to, with the JSON pointer of the reference (for checks). */
export function* conditionFieldRefs(c: Condition, pointer: string): Generator<{ key: string; pointer: string }> {
  for (const op of ['has', 'missing', 'documented', 'undocumented'] as const) {
    const v = c[op];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield { key: v[i], pointer: `${pointer}/${op}/${i}` };
    else yield { key: v, pointer: `${pointer}/${op}` };
  }
  if (c.field !== undefined) yield { key: c.field, pointer: `${pointer}/field` };
  if (c.all) for (let i = 0; i < c.all.length; i++) yield* conditionFieldRefs(c.all[i], `${pointer}/all/${i}`);
  if (c.any) for (let i = 0; i < c.any.length; i++) yield* conditionFieldRefs(c.any[i], `${pointer}/any/${i}`);
  if (c.not) yield* conditionFieldRefs(c.not, `${pointer}/not`);
}

/** Every sub-condition with its JSON pointer, depth first. */
export function* walkConditions(c: Condition, pointer: string): Generator<{ condition: Condition; pointer: string }> {
  yield { condition: c, pointer };
  if (c.all) for (let i = 0; i < c.all.length; i++) yield* walkConditions(c.all[i], `${pointer}/all/${i}`);
  if (c.any) for (let i = 0; i < c.any.length; i++) yield* walkConditions(c.any[i], `${pointer}/any/${i}`);
  if (c.not) yield* walkConditions(c.not, `${pointer}/not`);
}

/**
 * How many tests a condition holds once YAML aliases are expanded: one per condition map and one
 * per word or field name it lists. The engine charges a rule this much on every tag it evaluates.
 */
export function conditionSize(c: Condition): number {
  let n = 1;
  for (const v of [c.kind, c.genre, c.has, c.missing, c.documented, c.undocumented, c.in, c.equals, c.contains, c['starts-with']]) {
    if (v !== undefined) n += Array.isArray(v) ? v.length : 1;
  }
  if (c.all) for (const x of c.all) n += conditionSize(x);
  if (c.any) for (const x of c.any) n += conditionSize(x);
  if (c.not) n += conditionSize(c.not);
  return n;
}
