// Rules are data: one YAML file per guideline pack in server/packs, validated against
// server/schemas/*.schema.json. Projects add custom rules with the same schema; they are checked
// here and never run code.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import packSchema from '../../schemas/pack.schema.json' with { type: 'json' };
import ruleSchema from '../../schemas/rule.schema.json' with { type: 'json' };
import { conditionFieldRefs, globMatch, walkConditions, type Condition } from './conditions.js';
import { httpUrl } from './links.js';
import { isCustomKey, keyInfo, KINDS } from './vocabulary.js';
import type { FixDescriptor, Severity, SourceCitation } from './types.js';

/** Names of the checks built into the engine, used by `core` rules instead of `when`. */
export type CoreCheck =
  | 'unknown-kind' | 'unknown-key' | 'invalid-value' | 'duplicate-field' | 'duplicate-id' | 'waiver-without-reason'
  | 'untagged-mention' | 'tag-syntax' | 'invalid-directive' | 'unknown-genre' | 'unknown-pack' | 'unknown-rule' | 'invalid-config'
  | 'invalid-front-matter' | 'not-checked' | 'invalid-marker-file';

export interface RuleExample {
  genre?: string;
  /** A tag on which the rule fires. */
  fires?: string;
  /** A tag on which it does not. */
  passes?: string;
}

/** A fix as a rule declares it: `when` limits it to tags where that condition holds. */
export type RuleFix = FixDescriptor & { when?: Condition };

/** A rule, read from a pack or from custom rules (the YAML's kebab-case keys in camelCase). */
export interface RuleDefinition {
  /** `<pack>/<name>`. */
  id: string;
  /** The part of the id before `/`. */
  pack: string;
  title: string;
  severity: Severity;
  /** One level up for documentary, true-crime and news (the "↑" of SPEC §5). */
  raiseInNonfiction: boolean;
  /** First matching entry replaces `severity`. */
  severityWhen: { when: Condition; severity: Severity }[];
  when?: Condition;
  check?: CoreCheck;
  /** Fields to underline, in order of preference. */
  target: string[];
  /** Message template; see the schema for placeholders. */
  message: string;
  /** Core rules: message variants of their check (`no-kind`, `empty`...). */
  messages: Record<string, string>;
  description?: string;
  source: SourceCitation;
  fixes: RuleFix[];
  examples: RuleExample[];
  /** True for rules shipped in server/packs. */
  builtin: boolean;
}

export interface RuleProblem {
  /** JSON pointer into the data given to validateRules (e.g. `/0/when/regex`). */
  path: string;
  message: string;
  /** The problem is the key at `path` (an unknown key), not its value. */
  atKey?: boolean;
}

export interface PackInfo {
  pack: string;
  title: string;
  description?: string;
  file: string;
}

const Ajv = AjvModule.default;
let validators: { rule: ValidateFunction; pack: ValidateFunction } | undefined;

function getValidators(): { rule: ValidateFunction; pack: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, discriminator: true, verbose: true, strict: true });
    ajv.addSchema(ruleSchema as object);
    validators = { rule: ajv.getSchema(ruleSchema.$id)!, pack: ajv.compile(packSchema as object) };
  }
  return validators;
}

// ---------------------------------------------------------------------------------------------
// Schema and meaning checks

/** Deep YAML/JSON would make recursive validation and evaluation overflow the stack. */
const MAX_DEPTH = 40;

/**
 * The values (maps, lists, strings, numbers) all custom rules of a config may hold together once
 * YAML aliases are expanded: about nine times the built-in packs (1,149). An alias is written once
 * but read, checked and evaluated as often as it is used, so the text's size bounds nothing.
 */
export const MAX_CUSTOM_RULE_VALUES = 10_000;

/** The values in `data` as expanded, counting no further than `cap + 1`. */
function valueCount(data: unknown, cap: number): number {
  let count = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0 && count <= cap) {
    const value = stack.pop();
    count++;
    if (value !== null && typeof value === 'object') for (const child of Object.values(value as Record<string, unknown>)) stack.push(child);
  }
  return count;
}

function depthExceeds(data: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: data, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(value as Record<string, unknown>)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

function describeAjvError(e: ErrorObject, prefix: string): RuleProblem {
  const at = prefix + e.instancePath;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        path: `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `unknown key "${key}"${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}. Rules are data: no code, scripts or regular expressions.`,
        atKey: true,
      };
    }
    case 'enum':
      return { path: at, message: `must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}` };
    case 'required':
      return { path: at, message: `missing required key "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'const':
      return { path: at, message: `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` };
    case 'discriminator':
      return { path: `${at}/type`, message: 'must be one of: add-field, set-value, add-list-item, remove-field, insert-disclosure, cue-sheet-row, credits-line, tag-mention' };
    case 'dependencies':
      return { path: at, message: `"${(e.params as { property: string }).property}" needs a "field" to test` };
    default:
      return { path: at, message: e.message ?? 'is invalid' };
  }
}

/** ajv reports both branches of a failed oneOf; keep the most specific errors only. */
function ajvProblems(errors: readonly ErrorObject[] | null | undefined, prefix: string): RuleProblem[] {
  if (!errors) return [];
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  // For `x: string | string[]`, a bad list item also fails the string branch at `x`: keep the item's error.
  const deeper = specific.filter((e) => !(e.keyword === 'type' && specific.some((o) => o.instancePath.startsWith(`${e.instancePath}/`))));
  const list = deeper.length > 0 ? deeper : [...errors];
  // A value that is neither a string nor a list fails both branches with the same message: say it once.
  const seen = new Set<string>();
  const out: RuleProblem[] = [];
  for (const e of list) {
    const p = describeAjvError(e, prefix);
    const k = `${p.path}\u0000${p.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  return out;
}

const KIND_NAMES = KINDS.map((k) => k.kind);
const PLACEHOLDERS = new Set(['kind', 'genre', 'value', 'missing']);
/** Placeholders only core checks fill. */
const CORE_PLACEHOLDERS = new Set(['key', 'allowed', 'suggestion', 'rule', 'line', 'file', 'reason']);

function knownField(key: string): boolean {
  return keyInfo(key) !== undefined || isCustomKey(key);
}

function matchesAny(word: string, candidates: readonly string[]): boolean {
  const w = word.toLowerCase();
  return candidates.some((c) => globMatch(w, c));
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Raw rule data after schema validation (kebab-case keys). */
interface RawRule {
  id: string;
  title: string;
  severity: Severity;
  'raise-in-nonfiction'?: boolean;
  'severity-when'?: { when: Condition; severity: Severity }[];
  when?: Condition;
  check?: CoreCheck;
  target?: string | string[];
  message: string;
  messages?: Record<string, string>;
  description?: string;
  source: SourceCitation;
  fixes?: RuleFix[];
  examples?: RuleExample[];
}

/** Checks what the schema cannot: known fields, kinds and values, placeholders. */
function checkMeaning(rule: RawRule, at: string, builtin: boolean): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (rule.when === undefined && rule.check === undefined) {
    problems.push({ path: at, message: 'a rule needs "when": the condition on which it fires' });
  }
  if (rule.when !== undefined && rule.check !== undefined) {
    problems.push({ path: `${at}/check`, message: 'a rule has either "when" or "check", not both' });
  }
  if (rule.check !== undefined && (!builtin || !rule.id.startsWith('core/'))) {
    problems.push({ path: `${at}/check`, message: '"check" names a check built into the engine and is only for built-in core rules; use "when"' });
  }
  const conditions: { condition: Condition; pointer: string }[] = [];
  if (rule.when) conditions.push({ condition: rule.when, pointer: `${at}/when` });
  (rule['severity-when'] ?? []).forEach((s, i) => conditions.push({ condition: s.when, pointer: `${at}/severity-when/${i}/when` }));
  (rule.fixes ?? []).forEach((f, i) => f.when && conditions.push({ condition: f.when, pointer: `${at}/fixes/${i}/when` }));
  for (const { condition, pointer } of conditions) {
    for (const ref of conditionFieldRefs(condition, pointer)) {
      if (!knownField(ref.key)) problems.push({ path: ref.pointer, message: `unknown field "${ref.key}" (custom fields start with x-)` });
    }
    for (const { condition: c, pointer: p } of walkConditions(condition, pointer)) {
      asList(c.kind).forEach((k, i) => {
        if (!matchesAny(k, KIND_NAMES)) problems.push({ path: Array.isArray(c.kind) ? `${p}/kind/${i}` : `${p}/kind`, message: `"${k}" matches no kind` });
      });
      if (c.field !== undefined) {
        const ops = (['in', 'equals', 'contains', 'starts-with'] as const).filter((op) => c[op] !== undefined);
        if (ops.length === 0) problems.push({ path: `${p}/field`, message: `"field" needs a test: in, equals, contains or starts-with` });
        if (ops.length > 1) problems.push({ path: `${p}/${ops[1]}`, message: `one field test per condition; put "${ops[1]}" in its own condition under "all"` });
        const key = c.field.toLowerCase();
        const allowed = key === 'kind' ? KIND_NAMES : keyInfo(key)?.values?.map((v) => v.value);
        const isEnum = key === 'kind' || keyInfo(key)?.type === 'enum' || keyInfo(key)?.type === 'enum-list';
        if (allowed && isEnum) {
          const words = [...(c.in ?? []), ...(c.equals !== undefined ? [c.equals] : [])];
          words.forEach((w, i) => {
            if (!matchesAny(w, allowed)) {
              problems.push({ path: c.in && i < c.in.length ? `${p}/in/${i}` : `${p}/equals`, message: `"${w}" is not a value of ${key}; allowed: ${allowed.join(', ')}` });
            }
          });
        }
      }
    }
  }
  // The schema checks the shape `https?://...`; the URL parser decides (the address is written into links).
  if (rule.source?.url !== undefined && httpUrl(rule.source.url) === null) {
    problems.push({ path: `${at}/source/url`, message: `"${rule.source.url}" is not an http or https address` });
  }
  if (rule.messages !== undefined && rule.check === undefined) {
    problems.push({ path: `${at}/messages`, message: '"messages" is only for built-in core rules; write one "message"' });
  }
  asList(rule.target).forEach((t, i) => {
    if (!knownField(t)) problems.push({ path: Array.isArray(rule.target) ? `${at}/target/${i}` : `${at}/target`, message: `unknown field "${t}"` });
  });
  (rule.fixes ?? []).forEach((f, i) => {
    if ('key' in f && !knownField(f.key)) problems.push({ path: `${at}/fixes/${i}/key`, message: `unknown field "${f.key}"` });
  });
  const templates: [string, string][] = [[`${at}/message`, rule.message]];
  for (const [name, text] of Object.entries(rule.messages ?? {})) templates.push([`${at}/messages/${name}`, text]);
  for (const [pointer, text] of templates) {
    for (const m of text.matchAll(/\{([a-z-]+)(?::([a-z0-9-]+))?\}/g)) {
      const [, name, arg] = m;
      const ok = name === 'field' ? arg !== undefined && knownField(arg) : arg === undefined && (PLACEHOLDERS.has(name) || (rule.check !== undefined && CORE_PLACEHOLDERS.has(name)));
      if (!ok) problems.push({ path: pointer, message: `unknown placeholder "${m[0]}"; use {kind}, {genre}, {value}, {missing} or {field:<key>}` });
    }
  }
  return problems;
}

function toDefinition(raw: RawRule, builtin: boolean): RuleDefinition {
  return {
    id: raw.id,
    pack: raw.id.slice(0, raw.id.indexOf('/')),
    title: raw.title,
    severity: raw.severity,
    raiseInNonfiction: raw['raise-in-nonfiction'] ?? false,
    severityWhen: raw['severity-when'] ?? [],
    when: raw.when,
    check: raw.check,
    target: asList(raw.target),
    message: raw.message,
    messages: raw.messages ?? {},
    description: raw.description,
    source: raw.source,
    fixes: raw.fixes ?? [],
    examples: raw.examples ?? [],
    builtin,
  };
}

// ---------------------------------------------------------------------------------------------
// Built-in packs

let builtin: { rules: RuleDefinition[]; byId: Map<string, RuleDefinition>; packs: PackInfo[] } | undefined;

function moduleDir(): string {
  try {
    if (typeof import.meta.url === 'string' && import.meta.url !== '') return dirname(fileURLToPath(import.meta.url));
  } catch {
    // fall through: a CommonJS bundle without import.meta
  }
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

/** The folder holding the packs: server/packs from source, dist/packs in the bundle. */
export function packsDirectory(): string {
  const dir = moduleDir();
  const candidates = [join(dir, '..', '..', 'packs'), join(dir, 'packs')];
  const found = candidates.find((c) => existsSync(join(c, 'core.yaml')));
  if (!found) throw new Error(`AI-Use Lint: rule packs not found (looked in ${candidates.join(' and ')})`);
  return found;
}

function loadPacks(): NonNullable<typeof builtin> {
  const dir = packsDirectory();
  // core first, then the guideline packs in name order
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort((a, b) => (a === 'core.yaml' ? -1 : b === 'core.yaml' ? 1 : a.localeCompare(b)));
  const rules: RuleDefinition[] = [];
  const packs: PackInfo[] = [];
  const byId = new Map<string, RuleDefinition>();
  for (const file of files) {
    const path = join(dir, file);
    const fail = (problems: RuleProblem[]): never => {
      throw new Error(`Invalid built-in rule pack ${path}:\n${problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n')}`);
    };
    const text = readFileSync(path, 'utf8');
    let data = checkedAtBuild(path, text);
    if (data === undefined) {
      try {
        data = parseYaml(text);
      } catch (err) {
        fail([{ path: '', message: `not valid YAML: ${(err as Error).message}` }]);
      }
      const { pack: validatePack } = getValidators();
      if (!validatePack(data)) fail(ajvProblems(validatePack.errors, ''));
    }
    const pack = data as { pack: string; title: string; description?: string; rules: RawRule[] };
    if (pack.pack !== basename(file, '.yaml')) fail([{ path: '/pack', message: `pack "${pack.pack}" must match the file name` }]);
    packs.push({ pack: pack.pack, title: pack.title, description: pack.description, file: path });
    const problems: RuleProblem[] = [];
    pack.rules.forEach((raw, i) => {
      const at = `/rules/${i}`;
      if (!raw.id.startsWith(`${pack.pack}/`)) problems.push({ path: `${at}/id`, message: `rule ids of this pack start with "${pack.pack}/"` });
      if (byId.has(raw.id)) problems.push({ path: `${at}/id`, message: `duplicate rule id ${raw.id}` });
      problems.push(...checkMeaning(raw, at, true));
      const def = toDefinition(raw, true);
      rules.push(def);
      byId.set(def.id, def);
    });
    if (problems.length > 0) fail(problems);
  }
  return { rules, byId, packs };
}

/**
 * The pack as scripts/build.mjs read it and checked it against the pack schema, from the JSON it
 * wrote beside the YAML; undefined when there is none or the YAML has changed since. Reading YAML
 * and compiling the schema took a few hundred milliseconds of every CLI run and server start.
 */
function checkedAtBuild(yamlPath: string, text: string): unknown {
  try {
    const built = JSON.parse(readFileSync(yamlPath.replace(/\.yaml$/, '.json'), 'utf8')) as { sha256?: unknown; data?: unknown };
    return built.sha256 === createHash('sha256').update(text).digest('hex') ? built.data : undefined;
  } catch {
    return undefined;
  }
}

/** Every built-in rule, core first then packs in name order; read once and cached. Throws on a broken pack (our bug). */
export function loadBuiltinRules(): RuleDefinition[] {
  builtin ??= loadPacks();
  return builtin.rules;
}

export function builtinRuleIds(): string[] {
  return loadBuiltinRules().map((r) => r.id);
}

export function ruleById(id: string): RuleDefinition | undefined {
  loadBuiltinRules();
  return builtin!.byId.get(id.toLowerCase());
}

/** The packs shipped, for `ai-use rules` and the docs. */
export function builtinPacks(): PackInfo[] {
  loadBuiltinRules();
  return builtin!.packs;
}

// ---------------------------------------------------------------------------------------------
// Custom rules

/**
 * Validates `custom-rules` from a project config: a list of rules in the pack schema's rule
 * format. Returns the valid rules and a problem (JSON pointer into `data`) for each invalid one;
 * an invalid rule is left out, the others still load. Never throws.
 */
export function validateRules(data: unknown): { rules: RuleDefinition[]; errors: RuleProblem[] } {
  const rules: RuleDefinition[] = [];
  const errors: RuleProblem[] = [];
  try {
    if (data === undefined || data === null) return { rules, errors };
    if (!Array.isArray(data)) return { rules, errors: [{ path: '', message: 'custom rules must be a list of rules' }] };
    const { rule: validateRule } = getValidators();
    const builtinIds = new Set(builtinRuleIds());
    const seen = new Set<string>();
    let room = MAX_CUSTOM_RULE_VALUES;
    data.forEach((item, i) => {
      const at = `/${i}`;
      // First, before anything else walks the rule: a few lines of aliases can stand for millions of values.
      const size = valueCount(item, room);
      if (size > room) {
        const left = room === MAX_CUSTOM_RULE_VALUES ? '' : ` (the rules before it use ${MAX_CUSTOM_RULE_VALUES - room})`;
        errors.push({
          path: at,
          message: `this rule is too large once its YAML aliases are expanded: custom rules may hold ${MAX_CUSTOM_RULE_VALUES.toLocaleString('en-US')} values in all${left}, and this one holds more than ${room.toLocaleString('en-US')}. It is not loaded: use fewer patterns, or reuse an anchored list less often.`,
        });
        return;
      }
      room -= size;
      if (depthExceeds(item, MAX_DEPTH)) {
        errors.push({ path: at, message: `rule is nested more than ${MAX_DEPTH} levels deep` });
        return;
      }
      if (!validateRule(item)) {
        errors.push(...ajvProblems(validateRule.errors, at));
        return;
      }
      const raw = item as RawRule;
      const problems = checkMeaning(raw, at, false);
      if (raw.id.startsWith('core/') || builtinIds.has(raw.id)) {
        problems.push({ path: `${at}/id`, message: `"${raw.id}" is a built-in rule id; give custom rules their own prefix, e.g. "studio/..."` });
      } else if (seen.has(raw.id)) {
        problems.push({ path: `${at}/id`, message: `duplicate rule id "${raw.id}"` });
      }
      if (problems.length > 0) {
        errors.push(...problems);
        return;
      }
      seen.add(raw.id);
      // A deep copy: the definition must not change if the caller mutates its config object.
      rules.push(toDefinition(structuredClone(raw), false));
    });
  } catch (err) {
    errors.push({ path: '', message: `custom rules could not be read: ${(err as Error).message}` });
  }
  return { rules, errors };
}
