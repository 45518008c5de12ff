// The rule engine: runs the built-in core checks and the data rules of the enabled packs (plus
// custom rules) over one parsed document, applies waivers and ai-lint directives, and returns
// findings sorted by position. Plain data in, plain data out: no I/O.
//
// The source citation is NOT appended to messages: it is in `Finding.source`, for the server's
// related information, the report's columns and the CLI to show as they see fit.

import { compileCondition, conditionFieldRefs, conditionSize, OutOfBudget, TagFacts, WorkBudget, type CompiledCondition, type MatchTrace } from './conditions.js';
import { ruleDocsUrl } from './docs-url.js';
import { isNonfiction, PACKS, resolvePack, type Genre } from './genres.js';
import { LineIndex } from './line-index.js';
import { builtinRuleIds, loadBuiltinRules, type CoreCheck, type RuleDefinition, type RuleFix } from './rules.js';
import { closest, didYouMean, keyForBareValue, suggestKeys, suggestKinds, suggestValues } from './suggest.js';
import { readWaivers } from './tag.js';
import { formatTimecode, isFrameRate, parseTimecodeRange, timecodeRateProblem } from './timecode.js';
import type { Finding, FixDescriptor, ParsedDocument, ParseProblem, Range, Severity, SeveritySetting, Tag, TagField } from './types.js';
import { GENAI_PHRASE_KEYWORD_OFFSET, GENAI_PHRASE_KEYWORDS, GENAI_PHRASE_PATTERN, GENAI_TOOL_PATTERNS, isCustomKey, isValidTimecode, keyInfo, type KeyInfo, KIND_PREFIXES, kindInfo } from './vocabulary.js';

export interface EngineOptions {
  genre: Genre;
  /** Enabled guideline packs (core always runs). */
  packs: readonly string[];
  /** From config `rules:`: a severity or 'off' per rule id (or `<pack>/*`); applied last. */
  severities?: Record<string, SeveritySetting>;
  /** Validated custom rules (validateRules); they always run unless set 'off'. */
  customRules?: readonly RuleDefinition[];
  /** core/untagged-mention on prose; default true. */
  untaggedMentions?: boolean;
  /** The config's disclosure templates: a line that is one of them discloses, it is no mention. */
  disclosures?: Readonly<Record<string, string>>;
  /** The config's `docs-url`: the base of the built-in rules' docs links (docs-url.ts). */
  docsUrl?: string;
  /** The config's `fps` / `drop-frame`; a rate the document states (ParsedDocument.frameRate) wins. */
  frameRate?: { fps?: number; dropFrame?: boolean };
}

const SEVERITY_ORDER: readonly Severity[] = ['hint', 'info', 'warning', 'error'];

/** One level up: hint > info > warning > error (error stays). */
export function raiseSeverity(severity: Severity): Severity {
  return SEVERITY_ORDER[Math.min(SEVERITY_ORDER.indexOf(severity) + 1, SEVERITY_ORDER.length - 1)];
}

/** The configured setting for a rule: its own id first, then `<pack>/*`. */
function configuredSetting(severities: Record<string, SeveritySetting> | undefined, ruleId: string): SeveritySetting | undefined {
  if (!severities) return undefined;
  const own = severities[ruleId];
  if (own !== undefined) return own;
  return severities[`${ruleId.slice(0, ruleId.indexOf('/'))}/*`];
}

/** A severity raised in nonfiction when the rule says so, then the config's setting; undefined when off. */
function adjustedSeverity(rule: RuleDefinition | undefined, ruleId: string, severity: Severity, options: EngineOptions): Severity | undefined {
  if (rule?.raiseInNonfiction && isNonfiction(options.genre)) severity = raiseSeverity(severity);
  const setting = configuredSetting(options.severities, ruleId);
  if (setting === 'off') return undefined;
  return setting ?? severity;
}

/**
 * Every rule that can run on a document with these options (core, the enabled packs', custom),
 * with its effective severity before any tag's `severity-when`; undefined when it is off.
 * `ai-use print-config` prints this.
 */
export function effectiveRules(options: EngineOptions): { rule: RuleDefinition; severity: Severity | undefined }[] {
  const packs = new Set(options.packs.map((p) => resolvePack(p) ?? p.toLowerCase()));
  const rules = [...loadBuiltinRules().filter((r) => r.when === undefined || packs.has(r.pack)), ...(options.customRules ?? [])];
  return rules.map((rule) => ({ rule, severity: adjustedSeverity(rule, rule.id, rule.severity, options) }));
}

// ---------------------------------------------------------------------------------------------
// Compiled rules

interface CompiledRule {
  when?: CompiledCondition;
  /** Tests in all its conditions: what one evaluation on one tag may try. */
  size: number;
  severityWhen: { when: CompiledCondition; severity: Severity }[];
  /** Fields the rule tests with documented/undocumented: `pending` or `none` there is no value. */
  documentedKeys: Set<string>;
}

const compiled = new WeakMap<RuleDefinition, CompiledRule>();

function compileRule(rule: RuleDefinition): CompiledRule {
  let c = compiled.get(rule);
  if (!c) {
    c = {
      when: rule.when ? compileCondition(rule.when) : undefined,
      size: (rule.when ? conditionSize(rule.when) : 0) + rule.severityWhen.reduce((n, s) => n + conditionSize(s.when), 0) + rule.fixes.reduce((n, f) => n + (f.when ? conditionSize(f.when) : 0), 0),
      severityWhen: rule.severityWhen.map((s) => ({ when: compileCondition(s.when), severity: s.severity })),
      documentedKeys: new Set(
        rule.when ? [...conditionFieldRefs(rule.when, '')].filter((r) => /\/(un)?documented(\/|$)/.test(r.pointer)).map((r) => r.key.toLowerCase()) : [],
      ),
    };
    compiled.set(rule, c);
  }
  return c;
}

let coreRules: Map<CoreCheck, RuleDefinition> | undefined;

function coreRule(check: CoreCheck): RuleDefinition | undefined {
  coreRules ??= new Map(loadBuiltinRules().filter((r) => r.check).map((r) => [r.check!, r]));
  return coreRules.get(check);
}

// ---------------------------------------------------------------------------------------------
// Messages

const MAX_SHOWN = 60;

/** Tag text is untrusted and may be huge: show at most a line of it. */
function shown(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SHOWN ? `${oneLine.slice(0, MAX_SHOWN - 1)}…` : oneLine;
}

function codeList(words: readonly string[], joiner = 'and'): string {
  const q = words.map((w) => `\`${w}\``);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${joiner} ${q[q.length - 1]}`;
}

/** A template split once into text and placeholders: [text, name, arg, text, name, arg, ..., text]. */
const templateParts = new Map<string, (string | undefined)[]>();

function fillMessage(template: string, vars: Record<string, string>, facts?: TagFacts): string {
  let parts = templateParts.get(template);
  if (!parts) {
    parts = template.split(/\{([a-z-]+)(?::([a-z0-9-]+))?\}/);
    templateParts.set(template, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 3) {
    const name = parts[i]!;
    const arg = parts[i + 1];
    if (name === 'field' && arg !== undefined) {
      const f = facts?.field(arg);
      out += f && f.value !== '' ? shown(f.value) : 'not recorded';
    } else {
      out += arg === undefined && vars[name] !== undefined ? vars[name] : `{${name}${arg === undefined ? '' : `:${arg}`}}`;
    }
    out += parts[i + 2]!;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Collecting findings

interface Draft {
  finding: Finding;
  /** Position used for directive ranges: the tag's start for tag findings. */
  at: Range['start'];
  /** Findings about a directive itself are never suppressed by directives. */
  aboutDirective?: boolean;
}

class Collector {
  readonly drafts: Draft[] = [];
  constructor(private readonly options: EngineOptions, private readonly doc: ParsedDocument) {}

  /** The severity after severity-when / raise / config, or undefined when the rule is off. */
  severityOf(rule: RuleDefinition | undefined, ruleId: string, base: Severity, facts?: TagFacts): Severity | undefined {
    let severity = base;
    if (rule && facts) {
      const c = compileRule(rule);
      const trace: MatchTrace = { evidence: [], absent: [] };
      const hit = c.severityWhen.find((s) => s.when(facts, trace, true));
      if (hit) severity = hit.severity;
    }
    return adjustedSeverity(rule, ruleId, severity, this.options);
  }

  isOff(ruleId: string): boolean {
    return configuredSetting(this.options.severities, ruleId) === 'off';
  }

  add(rule: RuleDefinition, message: string, range: Range, extra: { tagIndex?: number; fixes?: FixDescriptor[]; facts?: TagFacts; aboutDirective?: boolean; at?: Range['start'] } = {}): void {
    const severity = this.severityOf(rule, rule.id, rule.severity, extra.facts);
    if (!severity) return;
    this.push({
      ruleId: rule.id,
      severity,
      message,
      range,
      docs: docsOf(rule, this.options.docsUrl),
      source: rule.source,
      tagIndex: extra.tagIndex,
      fixes: extra.fixes ?? [],
    }, extra.at ?? (extra.tagIndex !== undefined ? this.doc.tags[extra.tagIndex].range.start : range.start), extra.aboutDirective);
  }

  /** A parser problem, reported under its own rule id. */
  addProblem(problem: ParseProblem, rules: Map<string, RuleDefinition>, extra: { tagIndex?: number; aboutDirective?: boolean } = {}): void {
    const rule = rules.get(problem.ruleId);
    const severity = this.severityOf(undefined, problem.ruleId, problem.severity ?? rule?.severity ?? 'warning');
    if (!severity) return;
    this.push({
      ruleId: problem.ruleId,
      severity,
      message: problem.message,
      range: problem.range,
      docs: rule ? docsOf(rule, this.options.docsUrl) : ruleDocsUrl(problem.ruleId, this.options.docsUrl),
      source: rule?.source,
      tagIndex: extra.tagIndex,
      fixes: [],
    }, extra.tagIndex !== undefined ? this.doc.tags[extra.tagIndex].range.start : problem.range.start, extra.aboutDirective);
  }

  private push(finding: Finding, at: Range['start'], aboutDirective?: boolean): void {
    if (finding.tagIndex === undefined) delete finding.tagIndex;
    if (finding.source === undefined) delete finding.source;
    this.drafts.push({ finding, at, aboutDirective });
  }
}

function docsOf(rule: RuleDefinition, docsUrl: string | undefined): string {
  return rule.builtin ? ruleDocsUrl(rule.id, docsUrl) : (rule.source.url ?? ruleDocsUrl(rule.id, docsUrl));
}

function replaceFixes(suggestions: readonly string[]): FixDescriptor[] {
  return suggestions.map((s) => ({ type: 'replace', with: s, title: `Change to \`${s}\`` }));
}

// ---------------------------------------------------------------------------------------------
// Core checks on one tag

function valueOrKeyRange(field: TagField): Range {
  return field.value === '' ? field.keyRange : field.valueRange;
}

function checkKind(c: Collector, tag: Tag, tagIndex: number): void {
  const rule = coreRule('unknown-kind');
  if (!rule || c.isOff(rule.id)) return;
  const field = tag.fields.find((f) => f.key === 'kind');
  if (tag.kind === undefined || !field) {
    c.add(rule, fillMessage(rule.messages['no-kind'] ?? rule.message, { value: '', suggestion: '' }), tag.markerRange, { tagIndex });
    return;
  }
  if (kindInfo(tag.kind)) return;
  const word = tag.kind.replace(/\.$/, '');
  const isPrefix = KIND_PREFIXES.includes(word);
  const suggestions = suggestKinds(tag.kind);
  const template = isPrefix ? (rule.messages.prefix ?? rule.message) : rule.message;
  c.add(rule, fillMessage(template, { value: shown(field.value), suggestion: didYouMean(suggestions) }), field.valueRange, { tagIndex, fixes: replaceFixes(suggestions) });
}

function allowedText(key: string): string {
  const info = keyInfo(key);
  if (!info) return 'a value';
  if (info.values && (info.type === 'enum' || info.type === 'enum-list')) return codeList(info.values.map((v) => v.value), 'or');
  if (info.type === 'reference') return `a reference (document, date)${info.values ? ` or ${codeList(info.values.map((v) => v.value), 'or')}` : ''}`;
  if (info.type === 'timecode') return 'a timecode such as 00:12:03:10';
  return 'some text';
}

const allowedValueSets = new WeakMap<KeyInfo, ReadonlySet<string>>();

/** The values an enum key allows, as a set made once per key. */
function allowedValues(info: KeyInfo): ReadonlySet<string> {
  let set = allowedValueSets.get(info);
  if (!set) allowedValueSets.set(info, (set = new Set(info.values?.map((v) => v.value))));
  return set;
}

/** A timecode: its shape, then its frames against the frame rate (a finding at the value). */
function checkTimecode(c: Collector, invalidValue: RuleDefinition, field: TagField, tagIndex: number, rate: FrameRateSetting): void {
  if (!isValidTimecode(field.value)) {
    c.add(invalidValue, fillMessage(invalidValue.messages.timecode ?? invalidValue.message, { key: field.key, value: shown(field.value), allowed: allowedText(field.key), suggestion: '' }), field.valueRange, { tagIndex });
    return;
  }
  if (rate.fps === undefined && rate.dropFrame === undefined) return;
  for (const parts of parseTimecodeRange(field.value) ?? []) {
    const reason = timecodeRateProblem(parts, { fps: isFrameRate(rate.fps) ? rate.fps : undefined, dropFrame: rate.dropFrame });
    if (reason) {
      const template = invalidValue.messages['timecode-rate'] ?? '`{value}` {reason}.';
      c.add(invalidValue, fillMessage(template, { key: field.key, value: shown(formatTimecode(parts)), reason }), field.valueRange, { tagIndex });
      return;
    }
  }
}

type FrameRateSetting = { fps?: number; dropFrame?: boolean };

function checkFields(c: Collector, tag: Tag, tagIndex: number, facts: TagFacts, rate: FrameRateSetting = {}): void {
  const unknownKey = coreRule('unknown-key');
  const invalidValue = coreRule('invalid-value');
  const duplicateField = coreRule('duplicate-field');
  const seen = new Set<string>();
  for (const field of tag.fields) {
    if (field.key === '') continue; // a value with no key: core/tag-syntax from the parser
    const info = keyInfo(field.key);
    if (!info) {
      if (!isCustomKey(field.key) && unknownKey && !c.isOff(unknownKey.id)) {
        const bare = field.value === '' ? keyForBareValue(field.key) : undefined;
        const suggestions = bare ? [bare] : suggestKeys(field.key);
        c.add(unknownKey, fillMessage(unknownKey.message, { key: shown(field.rawKey), suggestion: didYouMean(suggestions) }), field.keyRange, { tagIndex, fixes: replaceFixes(suggestions) });
      }
      continue;
    }
    if (seen.has(field.key) && field.key !== 'waive' && field.key !== 'note' && duplicateField && !c.isOff(duplicateField.id)) {
      c.add(duplicateField, fillMessage(duplicateField.message, { key: field.key }), field.keyRange, { tagIndex });
    }
    seen.add(field.key);
    if (field.key === 'kind' || field.key === 'waive' || !invalidValue || c.isOff(invalidValue.id)) continue;
    if (field.value === '') {
      c.add(invalidValue, fillMessage(invalidValue.messages.empty ?? invalidValue.message, { key: field.key, value: '', allowed: allowedText(field.key), suggestion: '' }), field.keyRange, { tagIndex });
      continue;
    }
    if (info.type === 'timecode') {
      checkTimecode(c, invalidValue, field, tagIndex, rate);
      continue;
    }
    if (info.type === 'reference') {
      // A lone word one typo away from `pending`/`none` would otherwise read as a real reference.
      const word = field.value.trim();
      const suggestions = word.length >= 5 && /^[a-z]+$/i.test(word) && !info.values?.some((v) => v.value === word.toLowerCase()) ? suggestValues(field.key, word) : [];
      if (suggestions.length > 0) {
        c.add(invalidValue, fillMessage(invalidValue.message, { key: field.key, value: shown(word), allowed: allowedText(field.key), suggestion: didYouMean(suggestions) }), field.valueRange, { tagIndex, fixes: replaceFixes(suggestions) });
      }
      continue;
    }
    if (info.type !== 'enum' && info.type !== 'enum-list') continue;
    const allowed = allowedValues(info);
    const items = info.type === 'enum' ? [{ text: field.value, range: field.valueRange }] : field.items;
    for (const item of items) {
      if (allowed.has(item.text.toLowerCase())) continue;
      const suggestions = suggestValues(field.key, item.text);
      c.add(invalidValue, fillMessage(invalidValue.message, { key: field.key, value: shown(item.text), allowed: allowedText(field.key), suggestion: didYouMean(suggestions) }), item.range, { tagIndex, fixes: replaceFixes(suggestions), facts });
    }
  }
  // The host's timecode (a marker's) is checked against the rate like a written one, at its place in the file.
  for (const field of tag.hostFields ?? []) {
    if (field.key === 'timecode' && invalidValue && !c.isOff(invalidValue.id) && facts.field('timecode') === field) checkTimecode(c, invalidValue, field, tagIndex, rate);
  }
}

/** Rule ids that waivers and directives may name: built-in, custom, and `<pack>/*`. */
class RuleNames {
  readonly ids: Set<string>;
  readonly all: string[];
  constructor(custom: readonly RuleDefinition[]) {
    this.all = [...builtinRuleIds(), ...custom.map((r) => r.id)];
    this.ids = new Set(this.all);
    for (const p of [...PACKS, 'core', ...custom.map((r) => r.pack)]) this.ids.add(`${p}/*`);
  }
  known(id: string): boolean {
    return this.ids.has(id);
  }
}

function reportUnknownRules(c: Collector, names: RuleNames, rules: readonly string[], ranges: readonly Range[], extra: { tagIndex?: number; aboutDirective?: boolean }): void {
  const rule = coreRule('unknown-rule');
  if (!rule || c.isOff(rule.id)) return;
  rules.forEach((id, i) => {
    if (names.known(id) || ranges[i] === undefined) return;
    const suggestions = closest(id, names.all);
    c.add(rule, fillMessage(rule.message, { value: shown(id), suggestion: didYouMean(suggestions) }), ranges[i], { ...extra, fixes: replaceFixes(suggestions) });
  });
}

function ruleListText(rules: readonly string[]): string {
  return rules.length === 0 ? 'every rule' : codeList(rules.map(shown));
}

/** Checks the tag's `waive` fields; returns the patterns they waive. */
function checkWaivers(c: Collector, tag: Tag, tagIndex: number, text: string, index: LineIndex, names: RuleNames): Set<string> {
  const waived = new Set<string>();
  const withoutReason = coreRule('waiver-without-reason');
  const invalidValue = coreRule('invalid-value');
  for (const waiver of readWaivers(tag, text, index)) {
    // SPEC §2.2: a reason is required. Without one the waiver suppresses nothing, so an error
    // cannot disappear from CI behind a bare `waive:`.
    if (waiver.reason) for (const id of waiver.rules) waived.add(id);
    const range = valueOrKeyRange(waiver.field);
    if (waiver.rules.length === 0) {
      if (invalidValue) c.add(invalidValue, fillMessage(invalidValue.messages['waiver-rule'] ?? invalidValue.message, { key: 'waive', value: '', allowed: 'a rule id', suggestion: '' }), range, { tagIndex });
      continue;
    }
    reportUnknownRules(c, names, waiver.rules, waiver.ruleRanges, { tagIndex });
    if (!waiver.reason && withoutReason) {
      c.add(withoutReason, fillMessage(withoutReason.message, { rule: ruleListText(waiver.rules) }), range, { tagIndex });
    }
  }
  return waived;
}

// ---------------------------------------------------------------------------------------------
// Data rules on one tag

function resolveTarget(rule: RuleDefinition, trace: MatchTrace, facts: TagFacts, tag: Tag): Range {
  for (const key of rule.target) {
    const hit = trace.evidence.find((e) => e.key === key);
    if (hit) return hit.range;
  }
  for (const key of rule.target) {
    const f = facts.field(key);
    if (f) return valueOrKeyRange(f);
  }
  return tag.markerRange;
}

/**
 * Drops fixes that would change nothing; turns `add-field` of a field that is there but empty
 * (or, for fields the rule wants documented, `pending`/`none`) into `set-value`.
 */
function applicableFixes(fixes: readonly RuleFix[], facts: TagFacts, documentedKeys: ReadonlySet<string>): FixDescriptor[] {
  const out: FixDescriptor[] = [];
  for (const { when, fix } of splitFixes(fixes)) {
    if (when && !when(facts, { evidence: [], absent: [] }, true)) continue;
    if (fix.type === 'add-field') {
      const f = facts.field(fix.key);
      if (!f) out.push(fix);
      else if (!facts.has(fix.key) || (documentedKeys.has(fix.key) && !facts.documented(fix.key))) out.push({ type: 'set-value', key: fix.key, value: fix.value, ...(fix.title ? { title: fix.title } : {}) });
    } else if (fix.type === 'set-value') {
      const f = facts.field(fix.key);
      if (!f || facts.lowerValue(f).trim() !== fix.value.toLowerCase()) out.push(fix);
    } else if (fix.type === 'add-list-item') {
      const f = facts.field(fix.key);
      if (!f || !facts.lowerItemTexts(f).includes(fix.value.toLowerCase())) out.push(fix);
    } else if (fix.type === 'remove-field') {
      if (facts.field(fix.key)) out.push(fix);
    } else {
      out.push(fix);
    }
  }
  return out;
}

const splitFixLists = new WeakMap<readonly RuleFix[], { when?: CompiledCondition; fix: FixDescriptor }[]>();

/** A rule's fixes as descriptors (without `when`) beside their compiled `when`, made once per list. */
function splitFixes(fixes: readonly RuleFix[]): { when?: CompiledCondition; fix: FixDescriptor }[] {
  let split = splitFixLists.get(fixes);
  if (!split) {
    split = fixes.map(({ when, ...fix }) => (when ? { when: compileCondition(when), fix } : { fix }));
    splitFixLists.set(fixes, split);
  }
  return split;
}

function runDataRule(c: Collector, rule: RuleDefinition, facts: TagFacts, tagIndex: number, index: LineIndex, genre: Genre, trace: MatchTrace): void {
  const compiledRule = compileRule(rule);
  if (!compiledRule.when) return;
  if (trace.evidence.length > 0) trace.evidence.length = 0;
  if (trace.absent.length > 0) trace.absent.length = 0;
  if (!compiledRule.when(facts, trace, true)) return;
  const tag = facts.tag;
  const range = resolveTarget(rule, trace, facts, tag);
  const value = range === tag.markerRange ? (tag.kind ?? '') : index.text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
  const missing = [...new Set(trace.absent)];
  const message = fillMessage(rule.message, { kind: tag.kind ?? 'AI', genre, value: shown(value.replace(/^"|"$/g, '')), missing: codeList(missing) }, facts);
  c.add(rule, message, range, { tagIndex, facts, fixes: applicableFixes(rule.fixes, facts, compiledRule.documentedKeys) });
}

// ---------------------------------------------------------------------------------------------
// Document-level checks

interface MentionPatterns {
  tools: RegExp;
  /** Sticky: tried only where a phrase keyword is near. */
  phrases: RegExp;
  phraseKeywords: RegExp;
}

let mentionPatterns: MentionPatterns | undefined;

function getMentionPatterns(): MentionPatterns {
  mentionPatterns ??= {
    tools: new RegExp(`(?<![\\p{L}\\p{N}_-])(?:${GENAI_TOOL_PATTERNS.map((p) => p.pattern).join('|')})(?![\\p{L}\\p{N}_])`, 'gu'),
    phrases: new RegExp(`(?<![\\p{L}\\p{N}_])(?:${GENAI_PHRASE_PATTERN})(?![\\p{L}\\p{N}_])`, 'iuy'),
    phraseKeywords: new RegExp(GENAI_PHRASE_KEYWORDS, 'giu'),
  };
  return mentionPatterns;
}

/**
 * The matches of GENAI_PHRASE_PATTERN (whole words, case-insensitive) in `text`, leftmost first and
 * not overlapping, as a global search with the phrase pattern would find them. The pattern is
 * tried only at the few places before each keyword where a phrase could start.
 */
export function phraseMentions(text: string): [number, number][] {
  const { phrases, phraseKeywords } = getMentionPatterns();
  const out: [number, number][] = [];
  let lastEnd = 0;
  phraseKeywords.lastIndex = 0;
  for (let k = phraseKeywords.exec(text); k; k = phraseKeywords.exec(text)) {
    for (let pos = Math.max(lastEnd, k.index - GENAI_PHRASE_KEYWORD_OFFSET); pos <= k.index; pos++) {
      phrases.lastIndex = pos;
      const m = phrases.exec(text);
      if (!m || m[0] === '') continue;
      lastEnd = pos + m[0].length;
      out.push([pos, lastEnd]);
      break;
    }
  }
  return out;
}

/** The element each tag annotates, with the tool it names (lower-cased; '' when it names none). */
interface AnnotatedSpan {
  start: number;
  end: number;
  tool: string;
}

function annotatedSpans(doc: ParsedDocument, index: LineIndex): AnnotatedSpan[] {
  return doc.tags.map((t) => ({
    start: index.offsetAt(t.anchor.start),
    end: index.offsetAt(t.anchor.end),
    tool: (t.fields.find((f) => f.key === 'tool')?.value ?? '').toLowerCase(),
  }));
}

/**
 * A mention in an element a tag annotates is that tag's business when the tag names the same tool
 * (or names none, or the mention is a phrase like "AI-generated"); another tool named there is a
 * use nobody tagged.
 */
function coveredByTag(spans: readonly AnnotatedSpan[], offset: number, mention: string, isTool: boolean): boolean {
  const name = mention.toLowerCase();
  return spans.some((s) => offset >= s.start && offset < s.end && (!isTool || s.tool === '' || s.tool.includes(name) || name.includes(s.tool)));
}

function insideAny(spans: readonly [number, number][], offset: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][1] <= offset) lo = mid + 1;
    else if (spans[mid][0] > offset) hi = mid - 1;
    else return true;
  }
  return false;
}

/** The literal pieces of a disclosure template around its {placeholders}. */
function templatePieces(template: string): string[] {
  return template.split(/\{[a-z-]+\}/i).map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0);
}

/** The line holds the pieces of a template in order (linear: one indexOf per piece). */
function matchesTemplate(line: string, pieces: readonly string[]): boolean {
  if (pieces.length === 0) return false;
  let at = 0;
  for (const piece of pieces) {
    const found = line.indexOf(piece, at);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return true;
}

/**
 * Lines that disclose an AI use rather than mention one: an on-screen `SUPER:` line, a Markdown
 * `On screen:` label, or a line written from one of the config's disclosure templates (what the
 * quick-fixes insert). Naming the tool there is the point, not a missing tag.
 */
function isDisclosureLine(line: string, templates: readonly string[][]): boolean {
  const trimmed = line.trim().replace(/^[*_>\s-]+/, '').toLowerCase();
  if (trimmed.startsWith('super:') || trimmed.startsWith('on screen:') || trimmed.startsWith('on-screen:')) return true;
  return templates.some((pieces) => matchesTemplate(trimmed, pieces));
}

/** Offsets covered by "GenAI cue sheet" sections: the cue sheet names tools on purpose. */
function cueSheetSpans(doc: ParsedDocument, index: LineIndex): [number, number][] {
  const spans: [number, number][] = [];
  doc.outline.forEach((node, i) => {
    if (node.kind !== 'section' || !/gen(?:erative)?[- ]?ai cue[- ]?sheet/i.test(node.title)) return;
    const next = doc.outline.slice(i + 1).find((n) => n.kind === 'section' && n.level <= node.level);
    spans.push([index.offsetAt(node.range.start), next ? index.offsetAt(next.range.start) : doc.text.length]);
  });
  return spans;
}

function checkMentions(c: Collector, doc: ParsedDocument, index: LineIndex, disclosures: Readonly<Record<string, string>>): void {
  const rule = coreRule('untagged-mention');
  if (!rule || c.isOff(rule.id) || doc.prose.length === 0) return;
  const { tools } = getMentionPatterns();
  const annotated = annotatedSpans(doc, index);
  const cueSheets = cueSheetSpans(doc, index);
  const templates = Object.values(disclosures).map(templatePieces);
  // One pass of each pattern over the whole text (not one per prose span: a screenplay has
  // thousands), keeping the matches that lie inside one prose span.
  const prose = [...doc.prose].sort((a, b) => a.start - b.start);
  const inProse = (s: number, e: number): boolean => {
    let lo = 0;
    let hi = prose.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (prose[mid].end <= s) lo = mid + 1;
      else if (prose[mid].start > s) hi = mid - 1;
      else return e <= prose[mid].end;
    }
    return false;
  };
  const text = doc.text;
  const hits: [number, number, boolean][] = [];
  tools.lastIndex = 0;
  for (let m = tools.exec(text); m; m = tools.exec(text)) {
    if (m[0] === '') {
      tools.lastIndex++;
      continue;
    }
    if (inProse(m.index, m.index + m[0].length)) hits.push([m.index, m.index + m[0].length, true]);
  }
  for (const [s, e] of phraseMentions(text)) if (inProse(s, e)) hits.push([s, e, false]);
  hits.sort((a, b) => a[0] - b[0]);
  let lastEnd = -1;
  for (const [s, e, isTool] of hits) {
    if (s < lastEnd || insideAny(cueSheets, s) || coveredByTag(annotated, s, text.slice(s, e), isTool)) continue;
    if (isDisclosureLine(index.lineText(index.positionAt(s).line), templates)) continue;
    lastEnd = e;
    c.add(rule, fillMessage(rule.message, { value: `“${shown(text.slice(s, e))}”` }), index.range(s, e), { fixes: applicableTagMention(rule) });
  }
}

function applicableTagMention(rule: RuleDefinition): FixDescriptor[] {
  return rule.fixes.length > 0 ? rule.fixes : [{ type: 'tag-mention', title: 'Tag this as AI use' }];
}

function checkDuplicateIdsInDocument(c: Collector, doc: ParsedDocument): void {
  const rule = coreRule('duplicate-id');
  if (!rule || c.isOff(rule.id)) return;
  const first = new Map<string, Tag>();
  doc.tags.forEach((tag, tagIndex) => {
    const field = tag.fields.find((f) => f.key === 'id');
    if (!field || field.value.trim() === '') return;
    const id = field.value.trim();
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, tag);
      return;
    }
    c.add(rule, fillMessage(rule.message, { value: shown(id), line: String(earlier.range.start.line + 1) }), field.valueRange, { tagIndex });
  });
}

function checkDirectives(c: Collector, doc: ParsedDocument, names: RuleNames, rules: Map<string, RuleDefinition>): void {
  const withoutReason = coreRule('waiver-without-reason');
  for (const d of doc.directives) {
    for (const p of d.problems) c.addProblem(p, rules, { aboutDirective: true });
    if (d.command === 'invalid') continue;
    reportUnknownRules(c, names, d.rules, d.ruleRanges, { aboutDirective: true });
    if (d.command !== 'enable' && !d.reason && withoutReason) {
      c.add(withoutReason, fillMessage(withoutReason.message, { rule: ruleListText(d.rules) }), d.markerRange, { aboutDirective: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Suppression

function matchesPattern(patterns: ReadonlySet<string>, ruleId: string): boolean {
  return patterns.has('*') || patterns.has(ruleId) || patterns.has(`${ruleId.slice(0, ruleId.indexOf('/'))}/*`);
}

function comparePos(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}

/** Applies disable / enable / disable-next / disable-file directives. Linear after sorting. */
function applyDirectives(drafts: Draft[], doc: ParsedDocument): Draft[] {
  // A disable without a reason switches nothing off (core/waiver-without-reason says so);
  // `enable` needs no reason.
  const directives = doc.directives.filter((d) => d.command !== 'invalid' && (d.command === 'enable' || d.reason));
  if (directives.length === 0) return drafts;
  const fileWide = new Set<string>();
  const nextTag = new Map<number, Set<string>>();
  const nextLine = new Map<number, Set<string>>();
  const tagStarts = doc.tags.map((t, i) => ({ i, start: t.range.start })).sort((a, b) => comparePos(a.start, b.start));
  const events: { at: Range['start']; disable: boolean; rules: string[] }[] = [];
  for (const d of directives) {
    const patterns = d.rules.length === 0 ? ['*'] : d.rules;
    if (d.command === 'disable-file') patterns.forEach((p) => fileWide.add(p));
    else if (d.command === 'disable-next') {
      // The first tag starting after the directive.
      let lo = 0;
      let hi = tagStarts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (comparePos(tagStarts[mid].start, d.range.end) < 0) lo = mid + 1;
        else hi = mid;
      }
      if (lo < tagStarts.length) {
        const set = nextTag.get(tagStarts[lo].i) ?? new Set<string>();
        patterns.forEach((p) => set.add(p));
        nextTag.set(tagStarts[lo].i, set);
      }
      const line = d.range.end.line + 1;
      const set = nextLine.get(line) ?? new Set<string>();
      patterns.forEach((p) => set.add(p));
      nextLine.set(line, set);
    } else if (d.command === 'disable') {
      events.push({ at: { line: d.range.start.line, character: 0 }, disable: true, rules: d.rules });
    } else if (d.command === 'enable') {
      events.push({ at: d.range.end, disable: false, rules: d.rules });
    }
  }
  events.sort((a, b) => comparePos(a.at, b.at));
  const order = drafts.map((_, i) => i).sort((a, b) => comparePos(drafts[a].at, drafts[b].at));
  const keep = new Array<boolean>(drafts.length).fill(true);
  let allDisabled = false;
  const disabled = new Set<string>();
  const reenabled = new Set<string>();
  let e = 0;
  for (const i of order) {
    const draft = drafts[i];
    while (e < events.length && comparePos(events[e].at, draft.at) <= 0) {
      const ev = events[e++];
      if (ev.disable && ev.rules.length === 0) {
        allDisabled = true;
        reenabled.clear();
      } else if (ev.disable) {
        for (const r of ev.rules) {
          disabled.add(r);
          reenabled.delete(r);
        }
      } else if (ev.rules.length === 0) {
        allDisabled = false;
        disabled.clear();
        reenabled.clear();
      } else {
        for (const r of ev.rules) {
          disabled.delete(r);
          if (allDisabled) reenabled.add(r);
        }
      }
    }
    if (draft.aboutDirective) continue;
    const id = draft.finding.ruleId;
    const tagIndex = draft.finding.tagIndex;
    const next = tagIndex !== undefined ? nextTag.get(tagIndex) : nextLine.get(draft.finding.range.start.line);
    if (
      matchesPattern(fileWide, id) ||
      (next !== undefined && matchesPattern(next, id)) ||
      (allDisabled && !matchesPattern(reenabled, id)) ||
      matchesPattern(disabled, id)
    ) {
      keep[i] = false;
    }
  }
  return drafts.filter((_, i) => keep[i]);
}

/** Code-unit order: stable across locales, and much cheaper than localeCompare. */
function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortAndDedupe(drafts: readonly Draft[]): Finding[] {
  const findings = drafts.map((d) => d.finding);
  findings.sort(
    (a, b) => comparePos(a.range.start, b.range.start) || comparePos(a.range.end, b.range.end) || ordinal(a.ruleId, b.ruleId) || ordinal(a.message, b.message),
  );
  const out: Finding[] = [];
  for (const f of findings) {
    const last = out[out.length - 1];
    if (last && last.ruleId === f.ruleId && last.message === f.message && comparePos(last.range.start, f.range.start) === 0 && comparePos(last.range.end, f.range.end) === 0) continue;
    out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Entry points

function enabledRules(options: EngineOptions): RuleDefinition[] {
  const packs = new Set(options.packs.map((p) => resolvePack(p) ?? p.toLowerCase()));
  const rules = loadBuiltinRules().filter((r) => r.when !== undefined && packs.has(r.pack));
  return [...rules, ...(options.customRules ?? []).filter((r) => r.when !== undefined)];
}

function rulesById(options: EngineOptions): Map<string, RuleDefinition> {
  const map = new Map<string, RuleDefinition>();
  for (const r of loadBuiltinRules()) map.set(r.id, r);
  for (const r of options.customRules ?? []) map.set(r.id, r);
  return map;
}

/**
 * The work all custom rules together may do on one document (units of TagFacts.charge: about a
 * character read or a test tried), shared out equally. About a quarter of a second of matching
 * here; a rule that needs more stops and says so (core/not-checked) instead of holding up every
 * keystroke.
 */
export const CUSTOM_RULE_WORK_PER_DOCUMENT = 40_000_000;

/** A check that did not run to the end on a document: the first place and how many tags it missed. */
interface Unchecked {
  id: string;
  range: Range;
  /** 'budget': stopped for the rest of the document; 'failed': threw on `tags` tags. */
  reason: 'budget' | 'failed';
  error?: string;
  tags: number;
}

type FaultHook = (checkId: string) => void;
let faultHook: FaultHook | undefined;

/**
 * For tests: `hook` runs before every check on every tag and document step, with the check's
 * rule id, so a test can make one throw and see the finding that names it. Undefined removes it.
 */
export function setFaultHookForTests(hook: FaultHook | undefined): void {
  faultHook = hook;
}

/** Where checks went wrong, turned into core/not-checked findings that name them. */
class UncheckedLog {
  private readonly byId = new Map<string, Unchecked>();

  failed(id: string, range: Range, error: unknown): void {
    const seen = this.byId.get(id);
    if (seen) seen.tags++;
    else this.byId.set(id, { id, range, reason: 'failed', error: error instanceof Error ? error.message : String(error), tags: 1 });
  }

  outOfBudget(id: string, range: Range): void {
    if (!this.byId.has(id)) this.byId.set(id, { id, range, reason: 'budget', tags: 1 });
  }

  report(c: Collector): void {
    const rule = coreRule('not-checked');
    if (!rule) return;
    for (const u of this.byId.values()) {
      const message =
        u.reason === 'budget'
          ? `The custom rule \`${shown(u.id)}\` was not checked on this tag or any after it: it needs more work than a rule may do on one document (its tests times the text they read). Use fewer patterns in it, or split the document.`
          : `${u.id.includes('/') ? `The rule \`${shown(u.id)}\`` : 'The rule engine'} failed ${u.tags === 1 ? 'here' : `here and on ${u.tags - 1} more ${u.tags === 2 ? 'place' : 'places'}`} (${shown(u.error ?? '')}), so it was not checked there. This is a bug in AI-Use Lint: please report it with the file.`;
      // About the checker, not the text: no waiver or directive hides it (`rules:` can turn it off).
      c.add(rule, message, u.range, { aboutDirective: true });
    }
  }
}

/** Lints one parsed document. Never throws: a check that fails is reported as core/not-checked, naming it. */
export function runRules(doc: ParsedDocument, options: EngineOptions): Finding[] {
  const collector = new Collector(options, doc);
  const unchecked = new UncheckedLog();
  try {
    const index = LineIndex.of(doc.text);
    const genre = options.genre;
    const rules = enabledRules(options).filter((r) => !collector.isOff(r.id));
    const byId = rulesById(options);
    const names = new RuleNames(options.customRules ?? []);
    const waiverSkips = new Map<number, Set<string>>();
    const custom = rules.filter((r) => !r.builtin);
    const budgets = new Map(custom.map((r) => [r, new WorkBudget(CUSTOM_RULE_WORK_PER_DOCUMENT / custom.length)]));
    const stopped = new Set<RuleDefinition>();
    const metered = custom.length > 0;
    // The file's own rate (an EDL's FCM, an FCPXML sequence's format) wins over the config's.
    const rate: FrameRateSetting = { fps: doc.frameRate?.fps ?? options.frameRate?.fps, dropFrame: doc.frameRate?.dropFrame ?? options.frameRate?.dropFrame };
    // One trace for every data rule on every tag: runDataRule empties it before each rule.
    const trace: MatchTrace = { evidence: [], absent: [] };
    doc.tags.forEach((tag, tagIndex) => {
      const facts = new TagFacts(tag, genre);
      // A defect in one check must not hide the others' findings: each runs on its own, and one
      // that throws is named in a core/not-checked finding.
      // (Plain try blocks, not a list of closures: this runs for every rule on every tag.)
      try {
        faultHook?.('core/tag-syntax');
        for (const p of tag.problems) collector.addProblem(p, byId, { tagIndex });
      } catch (e) {
        unchecked.failed('core/tag-syntax', tag.markerRange, e);
      }
      try {
        faultHook?.('core/unknown-kind');
        checkKind(collector, tag, tagIndex);
      } catch (e) {
        unchecked.failed('core/unknown-kind', tag.markerRange, e);
      }
      try {
        faultHook?.('core/invalid-value');
        checkFields(collector, tag, tagIndex, facts, rate);
      } catch (e) {
        unchecked.failed('core/invalid-value', tag.markerRange, e);
      }
      try {
        faultHook?.('core/waiver-without-reason');
        waiverSkips.set(tagIndex, checkWaivers(collector, tag, tagIndex, doc.text, index, names));
      } catch (e) {
        unchecked.failed('core/waiver-without-reason', tag.markerRange, e);
      }
      for (const rule of rules) {
        let budget: WorkBudget | undefined;
        if (metered) {
          if (stopped.has(rule)) continue;
          budget = budgets.get(rule);
          facts.meter = budget;
        }
        try {
          faultHook?.(rule.id);
          if (budget) facts.charge(compileRule(rule).size);
          runDataRule(collector, rule, facts, tagIndex, index, genre, trace);
        } catch (e) {
          if (e instanceof OutOfBudget) {
            stopped.add(rule);
            unchecked.outOfBudget(rule.id, tag.markerRange);
          } else {
            unchecked.failed(rule.id, tag.markerRange, e);
          }
        }
      }
      facts.meter = undefined;
    });
    const start = index.range(0, 0);
    for (const [id, step] of [
      ['core/invalid-directive', () => checkDirectives(collector, doc, names, byId)],
      ['core/duplicate-id', () => checkDuplicateIdsInDocument(collector, doc)],
      ['core/untagged-mention', () => (options.untaggedMentions ?? true) && checkMentions(collector, doc, index, options.disclosures ?? {})],
      ['core/tag-syntax', () => doc.problems.forEach((p) => collector.addProblem(p, byId))],
    ] as const) {
      try {
        faultHook?.(id);
        step();
      } catch (e) {
        unchecked.failed(id, start, e);
      }
    }
    unchecked.report(collector);
    // A waiver silences rules on its own tag (document-level checks such as duplicate ids
    // included), but never the complaint that the waiver lacks a reason or names no rule.
    const unwaived = collector.drafts.filter((d) => {
      const waived = d.finding.tagIndex === undefined ? undefined : waiverSkips.get(d.finding.tagIndex);
      if (!waived || waived.size === 0) return true;
      return d.finding.ruleId === 'core/waiver-without-reason' || d.finding.ruleId === 'core/unknown-rule' || !matchesPattern(waived, d.finding.ruleId);
    });
    return sortAndDedupe(applyDirectives(unwaived, doc));
  } catch (e) {
    // The engine itself failed: what was found stands, and the document says it was not fully checked.
    try {
      unchecked.failed('the rule engine', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, e);
      unchecked.report(collector);
    } catch {
      // nothing more can be said
    }
    return sortAndDedupe(collector.drafts);
  }
}

/**
 * core/duplicate-id across a project, for the CLI and the report: an id used in an earlier file
 * (in the order given) is reported on every later file that reuses it. Duplicates within one file
 * are runRules' business and are not repeated here. Waivers and directives apply as in runRules.
 * Each file's own `severities` (from the config that governs it) win over `options.severities`.
 */
export function findDuplicateIds(
  files: readonly { path: string; doc: ParsedDocument; severities?: EngineOptions['severities'] }[],
  options: Pick<EngineOptions, 'severities'> = {},
): { path: string; finding: Finding }[] {
  const out: { path: string; finding: Finding }[] = [];
  let current: string | undefined;
  try {
    const rule = coreRule('duplicate-id');
    if (!rule) return out;
    const firstSeen = new Map<string, { path: string; line: number }>();
    for (const { path, doc, severities } of files) {
      current = path;
      faultHook?.('core/duplicate-id');
      const local = new Map<string, { path: string; line: number }>();
      const collector = new Collector({ genre: 'scripted', packs: [], severities: severities ?? options.severities }, doc);
      const index = LineIndex.of(doc.text);
      doc.tags.forEach((tag, tagIndex) => {
        const field = tag.fields.find((f) => f.key === 'id');
        const id = field?.value.trim();
        if (!field || !id) return;
        const earlier = firstSeen.get(id);
        if (earlier && earlier.path !== path) {
          const waived = new Set(readWaivers(tag, doc.text, index).flatMap((w) => (w.reason ? w.rules : [])));
          if (!matchesPattern(waived, rule.id)) {
            const template = rule.messages['other-file'] ?? rule.message;
            collector.add(rule, fillMessage(template, { value: shown(id), file: earlier.path, line: String(earlier.line) }), field.valueRange, { tagIndex });
          }
        } else if (!local.has(id)) {
          local.set(id, { path, line: tag.range.start.line + 1 });
        }
      });
      for (const [id, at] of local) if (!firstSeen.has(id)) firstSeen.set(id, at);
      for (const finding of sortAndDedupe(applyDirectives(collector.drafts, doc))) out.push({ path, finding });
    }
  } catch (e) {
    // Never throw: report what was found, and that the rest was not checked.
    const rule = coreRule('not-checked');
    if (rule && current !== undefined) {
      const error = shown(e instanceof Error ? e.message : String(e));
      const message = `The rule \`core/duplicate-id\` failed on this file (${error}), so ids were not compared across the project from here on. This is a bug in AI-Use Lint: please report it.`;
      out.push({ path: current, finding: { ruleId: rule.id, severity: rule.severity, message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, docs: docsOf(rule, undefined), source: rule.source, fixes: [] } });
    }
  }
  return out;
}
