// The project config (`.ai-use.yaml`, `.ai-use.yml`, `.ai-use.json`, SPEC §3): finding it, reading
// it, and the one resolver that both the CLI and the language server call, so that the editor and CI
// never disagree. Every problem in the file is a finding at its exact place in the file; whatever is
// valid still applies, and the defaults fill in the rest.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isAlias, isCollection, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import configSchema from '../../schemas/ai-use-config.schema.json' with { type: 'json' };
import { PROJECT_URL, ruleDocsUrl } from './docs-url.js';
import { DEFAULT_GENRE, GENRES, PACKS, defaultPacks, normaliseName, resolveGenre, resolvePack, type Genre, type Pack } from './genres.js';
import { compileGlob, globProblem } from './glob.js';
import { LineIndex } from './line-index.js';
import { closest, didYouMean } from './suggest.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { builtinRuleIds, validateRules, type RuleDefinition } from './rules.js';
import { DROP_FRAME_RATES, isFrameRate, type FrameRateValue } from './timecode.js';
import { blameSyntaxError, removeDuplicateKeys } from './yaml-problems.js';
import type { Finding, FixDescriptor, Range, Severity, SeveritySetting } from './types.js';

/** Looked for in this order when one folder holds several. */
export const CONFIG_FILE_NAMES = ['.ai-use.yaml', '.ai-use.yml', '.ai-use.json'] as const;

export const DEFAULT_INCLUDE: readonly string[] = ['**/*.fountain', '**/*.spmd', '**/*.md'];
/** Always excluded; a config's `exclude` adds to it. `**` also matches the root's node_modules. */
export const DEFAULT_EXCLUDE: readonly string[] = ['**/node_modules/**'];

/** Disclosure templates the quick-fixes insert; a config's `disclosures` override them by name. */
export const DEFAULT_DISCLOSURES: Readonly<Record<string, string>> = {
  'on-screen': 'AI-GENERATED RE-CREATION',
  narration: 'What follows is a re-creation made with generative AI.',
  credits: 'Images created with {tool} (generative AI)',
  promo: 'Contains AI-generated material.',
  platform: 'Altered or synthetic content: made with {tool} (generative AI).',
};

export const DISCLOSURE_PLACEHOLDERS: readonly string[] = ['tool', 'kind', 'subject', 'timecode'];

export interface ResolvedConfig {
  /** The config file; undefined when no file was found (all defaults). */
  path?: string;
  /** The file's text as read (BOM removed); finding ranges are into it. */
  text?: string;
  /** The genre the config sets; undefined when it sets none or an unknown one (the default applies). */
  genre?: Genre;
  /** The genre as written in the file, when it is a string. */
  genreWritten?: string;
  /** The packs the config lists; undefined means the defaults of the document's genre. */
  guidelines?: Pack[];
  /** Rule id (lower-case) to severity. */
  rules: Record<string, SeveritySetting>;
  customRules: RuleDefinition[];
  disclosures: Record<string, string>;
  untaggedMentions: boolean;
  /** `docs-url`: where the rule docs links point, when the production hosts its own copy. */
  docsUrl?: string;
  /** `fps`: the frames of timecodes must be below it. */
  fps?: FrameRateValue;
  /** `drop-frame`: timecodes are drop-frame (29.97 and 59.94 only). */
  dropFrame?: boolean;
  include: string[];
  exclude: string[];
  /** Problems in the config file, ranges into `text`. */
  findings: Finding[];
}

export function defaultConfig(): ResolvedConfig {
  return {
    rules: {},
    customRules: [],
    disclosures: { ...DEFAULT_DISCLOSURES },
    untaggedMentions: true,
    include: [...DEFAULT_INCLUDE],
    exclude: [...DEFAULT_EXCLUDE],
    findings: [],
  };
}

/** The genre a document gets when its own metadata names none. */
export function effectiveGenre(config: ResolvedConfig): Genre {
  return config.genre ?? DEFAULT_GENRE;
}

/** The packs for a document of `genre` (the document's genre may differ from the config's). */
export function effectivePacks(config: ResolvedConfig, genre: Genre): Pack[] {
  return config.guidelines ? [...config.guidelines] : defaultPacks(genre);
}

// ---------------------------------------------------------------------------------------------
// Finding the file

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The nearest config file: the document's folder first, then each parent up to the filesystem
 * root; the first found wins (as ESLint finds its flat config from the file). There is no stop at
 * a workspace folder: the CLI has no workspace, and the editor must find what CI finds.
 */
export function findConfigFile(documentPath: string): string | undefined {
  try {
    let dir = path.dirname(path.resolve(documentPath));
    for (;;) {
      for (const name of CONFIG_FILE_NAMES) {
        const candidate = path.join(dir, name);
        if (isFile(candidate)) return candidate;
      }
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the file

type Segment = string;

interface Located {
  /** The node at the path, or the deepest ancestor found. */
  node?: YamlNode;
  /** The key node of the last map entry on the way (for problems about a key). */
  keyNode?: YamlNode;
  /** True when the whole path was found. */
  exact: boolean;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** The YAML node at a path of map keys and sequence indexes, resolving aliases on the way. */
function locate(doc: Document, segments: readonly Segment[]): Located {
  let node: unknown = doc.contents;
  let keyNode: YamlNode | undefined;
  let found: YamlNode | undefined = (node as YamlNode | null) ?? undefined;
  for (const segment of segments) {
    let container = node;
    if (isAlias(container)) container = container.resolve(doc);
    if (isMap(container)) {
      const pair = container.items.find((p) => keyText(p.key) === segment);
      if (!pair) return { node: found, keyNode, exact: false };
      keyNode = (pair.key as YamlNode | null) ?? undefined;
      node = pair.value;
      // `key:` with nothing after it: no value node, or an empty one; the key is the place.
      const valueNode = pair.value as YamlNode | null;
      found = valueNode && valueNode.range && valueNode.range[1] > valueNode.range[0] ? valueNode : keyNode;
    } else if (isSeq(container)) {
      const item = container.items[Number(segment)];
      if (!/^\d+$/.test(segment) || item === undefined) return { node: found, keyNode, exact: false };
      node = item;
      found = (item as YamlNode | null) ?? found;
      keyNode = undefined;
    } else {
      return { node: found, keyNode, exact: false };
    }
  }
  return { node: found, keyNode, exact: true };
}

function nodeRange(node: YamlNode | undefined, index: LineIndex): Range {
  const r = node?.range;
  if (!r) return index.range(0, 0);
  // A block map or list runs to the next entry: underlining its first line is enough.
  if (isCollection(node)) {
    const start = index.positionAt(r[0]);
    return index.range(r[0], Math.min(r[1], index.lineContentEnd(start.line)));
  }
  return index.range(r[0], r[1]);
}

/** `"x"` stays a double-quoted string, `'x'` single-quoted, plain stays plain: a fix keeps JSON valid. */
function requote(replacement: string, node: YamlNode | undefined, text: string): string {
  const start = node?.range?.[0];
  const first = start === undefined ? '' : text[start];
  if (first === '"') return JSON.stringify(replacement);
  if (first === "'") return `'${replacement.replace(/'/g, "''")}'`;
  return replacement;
}

/** The one suggestion for a likely typo of a name (spaces and underscores read as hyphens). */
function suggest(input: string, candidates: readonly string[]): string | undefined {
  const name = normaliseName(input);
  // `Genre` or `untagged_mentions` for a key: only the spelling is off, and `closest` skips exact matches.
  if (name !== input && candidates.includes(name)) return name;
  return closest(name, candidates, 1)[0];
}

function makeFinding(ruleId: string, severity: Severity, message: string, range: Range, fixes: FixDescriptor[] = []): Finding {
  return { ruleId, severity, message, range, docs: ruleDocsUrl(ruleId), fixes };
}

function decodePointer(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A path given as segments, a JSON pointer (`/0/when`) or dotted (`0.when`, `[0].when`). */
function toSegments(p: unknown): Segment[] {
  if (Array.isArray(p)) return p.map((s) => String(s));
  if (typeof p !== 'string' || p === '') return [];
  if (p.startsWith('/')) return decodePointer(p);
  return p
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
}

function label(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) && out !== '' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out === '' ? 'the config' : `"${out}"`;
}

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map of key: value',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  integer: 'a whole number',
  null: 'empty',
};

function typeWords(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).filter((t) => t !== 'null');
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

const MAX_SCHEMA_FINDINGS = 100;

const TOP_LEVEL_KEYS = Object.keys(configSchema.properties);

let validator: ValidateFunction | undefined;

function configValidator(): ValidateFunction {
  if (validator) return validator;
  // Custom rules are validated one by one with the rule schema (rules.ts), so a bad custom rule is
  // reported at its own place and the good ones still load; here they only need to be a list.
  const schema = structuredClone(configSchema) as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };
  schema.properties['custom-rules'] = { ...schema.properties['custom-rules'], items: {} };
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  validator = ajv.compile(schema);
  return validator;
}

/** Where a schema error is to blame: the offending value, or for an unknown key, that key. */
function blamePath(error: ErrorObject): Segment[] {
  const segments = decodePointer(error.instancePath);
  if (error.keyword === 'additionalProperties') return [...segments, String(error.params.additionalProperty)];
  return segments;
}

function valueAt(data: unknown, segments: readonly Segment[]): unknown {
  let v = data;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

class ConfigReader {
  readonly index: LineIndex;
  /** Paths (JSON-encoded segments) where a schema error was reported. */
  readonly blamed = new Set<string>();
  /**
   * After a YAML syntax error the recovered values are often fragments ("news rules: {}"):
   * problems with them would only echo the syntax error, so they are not reported.
   */
  quiet = false;

  constructor(
    readonly text: string,
    readonly doc: Document,
    readonly data: unknown,
    readonly config: ResolvedConfig,
  ) {
    this.index = new LineIndex(text);
  }

  /** True when a schema error sits at `segments` or at one of its ancestors. */
  isBlamed(segments: readonly Segment[]): boolean {
    for (let n = 0; n <= segments.length; n++) if (this.blamed.has(JSON.stringify(segments.slice(0, n)))) return true;
    return false;
  }

  report(ruleId: string, severity: Severity, message: string, segments: readonly Segment[], at: 'value' | 'key' = 'value', fixes: FixDescriptor[] = []): void {
    if (this.quiet) return;
    const located = locate(this.doc, segments);
    const node = at === 'key' && located.exact && located.keyNode ? located.keyNode : located.node;
    this.config.findings.push(makeFinding(ruleId, severity, message, nodeRange(node, this.index), fixes));
  }

  replaceFix(segments: readonly Segment[], at: 'value' | 'key', suggestion: string): FixDescriptor[] {
    const located = locate(this.doc, segments);
    if (!located.exact) return [];
    const node = at === 'key' ? located.keyNode : located.node;
    if (!node) return [];
    return [{ type: 'replace', with: requote(suggestion, node, this.text), title: `Change to ${suggestion}` }];
  }

  schemaErrors(errors: readonly ErrorObject[]): void {
    // One finding per place: an enum error names the allowed values, so it beats a type error.
    const ordered = [...errors].sort((a, b) => Number(b.keyword === 'enum') - Number(a.keyword === 'enum'));
    let reported = 0;
    for (const error of ordered) {
      const segments = blamePath(error);
      if (this.isBlamed(segments)) continue;
      this.blamed.add(JSON.stringify(segments));
      // Past a screenful of problems more would only bury the first ones; the values stay unused.
      if (reported++ < MAX_SCHEMA_FINDINGS) this.schemaError(error, segments);
    }
  }

  private schemaError(error: ErrorObject, segments: Segment[]): void {
    const value = valueAt(this.data, segments);
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = segments[segments.length - 1];
        const allowed = segments.length === 1 ? TOP_LEVEL_KEYS.filter((k) => k !== '$schema') : [];
        const better = allowed.length ? suggest(name, allowed) : undefined;
        const where = segments.length === 1 ? '' : ` in ${label(segments.slice(0, -1))}`;
        const hint = better ? didYouMean([better]) : allowed.length ? ` Known keys: ${allowed.join(', ')}.` : '';
        this.report('core/invalid-config', 'error', `Unknown key \`${name}\`${where}.${hint}`, segments, 'key', better ? this.replaceFix(segments, 'key', better) : []);
        return;
      }
      case 'type': {
        let message = `${label(segments)} must be ${typeWords(error.params.type)}, not ${describe(value)}.`;
        let fixes: FixDescriptor[] = [];
        const expected = Array.isArray(error.params.type) ? error.params.type.map(String) : [String(error.params.type)];
        const located = locate(this.doc, segments);
        const r = located.exact && isScalar(located.node) ? located.node.range : undefined;
        const source = r ? this.text.slice(r[0], r[1]) : '';
        if (expected.includes('array') && typeof value === 'string' && r) {
          message += ` Write it as a list: [${source}].`;
          fixes = [{ type: 'replace', with: `[${source}]`, title: 'Make it a list' }];
        }
        if (expected.includes('boolean') && typeof value === 'string' && r) {
          // YAML 1.2 reads yes/no/on/off as text, unlike YAML 1.1.
          const meant = /^(?:true|yes|on|y)$/i.test(value.trim()) ? 'true' : /^(?:false|no|off|n)$/i.test(value.trim()) ? 'false' : undefined;
          message += /^["']/.test(source) ? ' Write true or false without quotes.' : ' Write true or false.';
          if (meant) fixes = [{ type: 'replace', with: meant, title: `Change to ${meant}` }];
        }
        this.report('core/invalid-config', 'error', message, segments, 'value', fixes);
        return;
      }
      case 'enum': {
        const allowed = (error.params.allowedValues as unknown[]).map(String);
        const better = typeof value === 'string' ? suggest(value, allowed) : undefined;
        const hint = better ? didYouMean([better]) : '';
        this.report('core/invalid-config', 'error', `${label(segments)} must be one of ${allowed.join(', ')}, not ${describe(value)}.${hint}`, segments, 'value', better ? this.replaceFix(segments, 'value', better) : []);
        return;
      }
      case 'minLength':
        this.report('core/invalid-config', 'error', `${label(segments)} must not be empty.`, segments);
        return;
      case 'pattern':
        if (segments.length === 1 && segments[0] === 'docs-url') {
          this.report('core/invalid-config', 'error', `\`docs-url\` must be an http or https address (the base of the rule pages), not ${describe(value)}.`, segments, 'value');
          return;
        }
        this.report('core/invalid-config', 'error', `${label(segments)} ${error.message ?? 'is invalid'}.`, segments);
        return;
      default:
        this.report('core/invalid-config', 'error', `${label(segments)} ${error.message ?? 'is invalid'}.`, segments);
    }
  }

  /** Copy every valid setting into the config; report unknown genres, packs and rules. */
  extract(): void {
    const data = this.data as Record<string, unknown>;
    const config = this.config;

    if (typeof data.genre === 'string' && !this.isBlamed(['genre'])) {
      config.genreWritten = data.genre;
      const genre = resolveGenre(data.genre);
      if (genre) config.genre = genre;
      else {
        const better = suggest(data.genre, GENRE_NAMES);
        const canonical = better ? resolveGenre(better) : undefined;
        const hint = canonical ? didYouMean([canonical]) : ` Genres: ${GENRES.join(', ')}.`;
        this.report('core/unknown-genre', 'warning', `Unknown genre \`${data.genre}\`.${hint} The default genre (${DEFAULT_GENRE}) applies.`, ['genre'], 'value', canonical ? this.replaceFix(['genre'], 'value', canonical) : []);
      }
    }

    if (Array.isArray(data.guidelines) && !this.isBlamed(['guidelines'])) {
      const packs: Pack[] = [];
      data.guidelines.forEach((item, i) => {
        const at = ['guidelines', String(i)];
        if (typeof item !== 'string' || this.isBlamed(at)) return;
        const pack = resolvePack(item);
        if (pack) {
          if (!packs.includes(pack)) packs.push(pack);
          return;
        }
        const better = suggest(item, PACKS);
        const hint = better ? didYouMean([better]) : ` Packs: ${PACKS.join(', ')}.`;
        this.report('core/unknown-pack', 'warning', `Unknown guideline pack \`${item}\`.${hint}`, at, 'value', better ? this.replaceFix(at, 'value', better) : []);
      });
      // A list whose every entry is unknown is a typo, not a wish for no packs: keep the defaults.
      if (packs.length > 0 || data.guidelines.length === 0) config.guidelines = packs;
    }

    if (Array.isArray(data['custom-rules']) && !this.isBlamed(['custom-rules'])) {
      const result = safeValidateRules(data['custom-rules']);
      config.customRules = result.rules;
      for (const error of result.errors) {
        this.report('core/invalid-config', 'error', `Custom rule: ${error.message}`, ['custom-rules', ...toSegments(error.path)], error.atKey ? 'key' : 'value');
      }
    }

    if (isRecord(data.rules) && !this.isBlamed(['rules'])) {
      const known = knownRuleIds(config.customRules);
      for (const [id, severity] of Object.entries(data.rules)) {
        const at = ['rules', id];
        if (typeof severity !== 'string' || this.isBlamed(at)) continue;
        const ruleId = id.toLowerCase();
        config.rules[ruleId] = severity as SeveritySetting;
        // `<pack>/*` sets every rule of a pack (the engine reads it so); the pack must exist.
        const wholePack = /^([a-z0-9-]+)\/\*$/.exec(ruleId);
        const knownPattern = wholePack !== null && known !== undefined && [...known].some((k) => k.startsWith(`${wholePack[1]}/`));
        if (known && !known.has(ruleId) && !knownPattern) {
          const better = suggest(ruleId, [...known]);
          const hint = better ? didYouMean([better]) : ' `ai-use rules` lists the rule ids.';
          this.report('core/unknown-rule', 'warning', `Unknown rule \`${id}\`.${hint}`, at, 'key', better ? this.replaceFix(at, 'key', better) : []);
        }
      }
    }

    if (isRecord(data.disclosures) && !this.isBlamed(['disclosures'])) {
      for (const [name, template] of Object.entries(data.disclosures)) {
        if (typeof template === 'string' && !this.isBlamed(['disclosures', name])) config.disclosures[name] = template;
      }
    }

    if (typeof data['untagged-mentions'] === 'boolean' && !this.isBlamed(['untagged-mentions'])) {
      config.untaggedMentions = data['untagged-mentions'];
    }

    if (typeof data['docs-url'] === 'string' && !this.isBlamed(['docs-url'])) config.docsUrl = data['docs-url'];
    if (isFrameRate(data.fps) && !this.isBlamed(['fps'])) config.fps = data.fps;
    if (typeof data['drop-frame'] === 'boolean' && !this.isBlamed(['drop-frame'])) {
      if (data['drop-frame'] && config.fps !== undefined && !DROP_FRAME_RATES.includes(config.fps)) {
        this.report('core/invalid-config', 'error', `Drop-frame timecode exists only at 29.97 and 59.94 fps, and \`fps\` is ${config.fps}: set \`drop-frame: false\` or correct \`fps\`.`, ['drop-frame']);
      } else {
        config.dropFrame = data['drop-frame'];
      }
    }

    if (Array.isArray(data.include) && !this.isBlamed(['include'])) {
      config.include = this.patterns('include', data.include);
    }
    if (Array.isArray(data.exclude) && !this.isBlamed(['exclude'])) {
      config.exclude = [...DEFAULT_EXCLUDE, ...this.patterns('exclude', data.exclude)];
    }
  }

  private patterns(key: string, items: unknown[]): string[] {
    const out: string[] = [];
    items.forEach((item, i) => {
      if (typeof item !== 'string' || item === '' || this.isBlamed([key, String(i)])) return;
      // The matcher cannot backtrack (glob.ts); what it refuses is said here, at the pattern.
      const problem = globProblem(item);
      if (problem) this.report('core/invalid-config', 'error', `${label([key, String(i)])} ${problem}. The pattern is ignored.`, [key, String(i)]);
      else out.push(item);
    });
    return out;
  }
}

const GENRE_NAMES: readonly string[] = [...GENRES, 'nonfiction', 'docuseries', 'current-affairs', 'unscripted', 'biopic', 'drama', 'comedy', 'thriller', 'feature', 'fiction', 'animated', 'children'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Built-in ids plus the custom rules' ids; undefined when the built-in list is unavailable. */
function knownRuleIds(customRules: readonly RuleDefinition[]): Set<string> | undefined {
  try {
    const ids = new Set(builtinRuleIds().map((id) => id.toLowerCase()));
    for (const rule of customRules) {
      const id = (rule as { id?: unknown }).id;
      if (typeof id === 'string') ids.add(id.toLowerCase());
    }
    return ids;
  } catch {
    return undefined;
  }
}

function safeValidateRules(data: unknown): { rules: RuleDefinition[]; errors: { path: unknown; message: string; atKey?: boolean }[] } {
  try {
    const result = validateRules(data);
    return { rules: [...result.rules], errors: [...result.errors] };
  } catch (e) {
    return { rules: [], errors: [{ path: [], message: `could not be read (${e instanceof Error ? e.message : String(e)}).` }] };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads one config file (from `text` when given: an unsaved editor buffer). YAML and JSON go
 * through the same YAML parser so both keep node ranges (JSON is checked as strict JSON first).
 * Never throws: problems are findings in the file, and the defaults stand in for whatever is invalid.
 */
export function loadConfigFile(configPath: string, text?: string): ResolvedConfig {
  const config = defaultConfig();
  config.path = configPath;
  let source: string;
  try {
    source = stripBom(text ?? fs.readFileSync(configPath, 'utf8'));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'it does not exist' : e instanceof Error ? e.message : String(e);
    config.findings.push(makeFinding('core/invalid-config', 'error', `Cannot read the config file ${configPath}: ${reason}.`, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }));
    return config;
  }
  config.text = source;
  try {
    readConfigText(source, config);
    config.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  } catch (e) {
    // A bug of ours must not take the server down: report it and keep the defaults.
    const index = new LineIndex(source);
    config.findings.push(makeFinding('core/invalid-config', 'error', `The config could not be read: ${e instanceof Error ? e.message : String(e)}.`, index.range(0, 0)));
  }
  return config;
}

/** A config is a few hundred bytes; far more is not a config, and the YAML parser is not linear. */
const MAX_CONFIG_LENGTH = 256 * 1024;
/** One broken line can cascade into hundreds of syntax errors; the first ones are enough. */
const MAX_SYNTAX_ERRORS = 20;

function readConfigText(text: string, config: ResolvedConfig): void {
  const index = new LineIndex(text);
  if (text.length > MAX_CONFIG_LENGTH) {
    config.findings.push(makeFinding('core/invalid-config', 'error', `The config file is too large to be a config (${text.length} characters; the limit is ${MAX_CONFIG_LENGTH}). The defaults apply.`, index.range(0, 0)));
    return;
  }
  // `.ai-use.json` is JSON, as VS Code validates it: the YAML parser below would accept trailing
  // commas and comments, so strict JSON is checked first and its error is the one reported.
  const json = config.path !== undefined && config.path.toLowerCase().endsWith('.json');
  const jsonError = json ? findJsonSyntaxError(text) : undefined;
  if (jsonError) config.findings.push(makeFinding('core/invalid-config', 'error', `JSON syntax error: ${jsonError.message}`, index.range(jsonError.start, jsonError.end)));
  // YAML 1.2 core schema without the 1.1 tags (!!binary, !!timestamp): every value is plain data.
  // Repeated keys are found below (removeDuplicateKeys), so that the first value wins.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: true, resolveKnownTags: false });
  const syntaxError = jsonError !== undefined || doc.errors.length > 0;
  // After a JSON error, yaml's words for the same mistake would only repeat it.
  for (const error of jsonError ? [] : doc.errors.slice(0, MAX_SYNTAX_ERRORS)) {
    const blame = blameSyntaxError(doc, error);
    config.findings.push(makeFinding('core/invalid-config', 'error', `${json ? 'Syntax error' : 'YAML syntax error'}: ${blame.message}`, index.range(blame.start, blame.end)));
  }
  for (const warning of jsonError ? [] : doc.warnings.slice(0, MAX_SYNTAX_ERRORS)) {
    const [start, end] = warning.pos;
    config.findings.push(makeFinding('core/invalid-config', 'warning', warning.message, index.range(start, end)));
  }
  // A list or map used as a key (`? [a]`, `{{...`) means nothing here, and turning nested ones
  // into JS keys takes exponential time in the YAML library: drop them first.
  visit(doc, {
    Pair(_, pair) {
      if (!isCollection(pair.key)) return undefined;
      if (!syntaxError) {
        const r = (pair.key as YamlNode).range;
        config.findings.push(makeFinding('core/invalid-config', 'error', 'A key must be a name, not a list or a map.', r ? index.range(r[0], r[1]) : index.range(0, 0)));
      }
      return visit.REMOVE;
    },
  });
  for (const dup of removeDuplicateKeys(doc)) {
    const r = dup.node.range!;
    const firstLine = index.positionAt(dup.first.range![0]).line + 1;
    config.findings.push(
      makeFinding('core/invalid-config', 'warning', `Duplicate key \`${dup.key}\` (first on line ${firstLine}): the first value is used. Delete one of them.`, index.range(r[0], r[1])),
    );
  }
  let data: unknown;
  try {
    // The alias limit stops a "billion laughs" file from eating the server's memory.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (!syntaxError) {
      config.findings.push(makeFinding('core/invalid-config', 'error', `The config could not be read: ${e instanceof Error ? e.message : String(e)}`, index.range(0, 0)));
    }
    return;
  }
  // After a syntax error the parser still recovers what it can; that part applies, so a
  // half-typed edit does not flip every document back to the defaults.
  if (data === null || data === undefined) return; // empty file, or only comments: a valid empty config
  const reader = new ConfigReader(text, doc, data, config);
  reader.quiet = syntaxError;
  const validate = configValidator();
  if (!validate(data)) reader.schemaErrors(validate.errors ?? []);
  if (!isRecord(data)) return;
  reader.extract();
}

// ---------------------------------------------------------------------------------------------
// Resolving, with a cache the server can invalidate

/** Loaded configs by path, and walk-up results by folder. */
export class ConfigCache {
  private readonly configs = new Map<string, ResolvedConfig>();
  private readonly lookups = new Map<string, string | null>();

  /** The config at `configPath`, read on first use. */
  get(configPath: string): ResolvedConfig {
    const key = path.resolve(configPath);
    let config = this.configs.get(key);
    if (!config) {
      config = loadConfigFile(key);
      this.configs.set(key, config);
    }
    return config;
  }

  /** Use this text for `configPath` (an open, maybe unsaved, editor buffer). */
  set(configPath: string, text: string): ResolvedConfig {
    const key = path.resolve(configPath);
    const config = loadConfigFile(key, text);
    this.configs.set(key, config);
    return config;
  }

  /** The nearest config file for a document, remembered per folder. */
  find(documentPath: string): string | undefined {
    const key = path.dirname(path.resolve(documentPath));
    const cached = this.lookups.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const found = findConfigFile(documentPath);
    this.lookups.set(key, found ?? null);
    return found;
  }

  /**
   * Forget one config file (it changed) or everything. The walk-up results are always dropped,
   * since a created or deleted config file changes which file governs a folder.
   */
  invalidate(configPath?: string): void {
    if (configPath === undefined) this.configs.clear();
    else this.configs.delete(path.resolve(configPath));
    this.lookups.clear();
  }
}

export interface ResolveOptions {
  /** The base of a relative `configPath` (the editor's workspace folder); the walk up does not stop there. */
  workspaceRoot?: string;
  /** An explicit config file (the aiUse.configPath setting, the CLI's --config): no walk up. */
  configPath?: string;
  cache?: ConfigCache;
}

/** The config that governs a document. The CLI and the language server both call this. */
export function resolveConfigForDocument(documentPath: string, options: ResolveOptions = {}): ResolvedConfig {
  try {
    const { workspaceRoot, cache } = options;
    let configPath: string | undefined;
    if (options.configPath) configPath = path.resolve(workspaceRoot ?? process.cwd(), options.configPath);
    else configPath = cache ? cache.find(documentPath) : findConfigFile(documentPath);
    if (configPath === undefined) return defaultConfig();
    return cache ? cache.get(configPath) : loadConfigFile(configPath);
  } catch {
    return defaultConfig();
  }
}

// ---------------------------------------------------------------------------------------------
// include / exclude

const matchers = new Map<string, (p: string) => boolean>();

function matcher(pattern: string, dot: boolean): (p: string) => boolean {
  const key = `${dot ? 1 : 0}${pattern}`;
  let m = matchers.get(key);
  if (!m) {
    try {
      // A pattern without a slash matches the file name in any folder, as in .gitignore.
      const match = compileGlob(pattern, { dot });
      m = pattern.includes('/') ? match : (p) => match(p.slice(p.lastIndexOf('/') + 1));
    } catch {
      m = () => false;
    }
    if (matchers.size > 1000) matchers.clear();
    matchers.set(key, m);
  }
  return m;
}

/**
 * Whether a file is checked. `relativePath` is relative to the config file's folder, `/` or `\`
 * separated. Include patterns skip dot folders (`.git/`, `.vscode/`) unless they name them;
 * exclude patterns see dot folders too; exclude wins.
 */
export function isIncluded(relativePath: string, config: ResolvedConfig): boolean {
  // A document outside the config's folder (an explicit config elsewhere) is matched by the rest
  // of its path rather than never matching at all.
  const p = relativePath.replace(/\\/g, '/').replace(/^(?:\.{1,2}\/)+/, '');
  if (p === '') return false;
  if (config.exclude.some((pattern) => matcher(pattern, true)(p))) return false;
  return config.include.some((pattern) => matcher(pattern, false)(p));
}

/**
 * Whether the config that governs a document leaves it out (its include/exclude, relative to the
 * config's folder). The CLI asks this for files named on the command line and the editor for open
 * documents, so both skip the same files. Without a config file nothing is left out: the default
 * globs only decide what a folder walk picks up.
 */
export function excludedByConfig(documentPath: string, config: ResolvedConfig): boolean {
  if (!config.path) return false;
  return !isIncluded(path.relative(path.dirname(config.path), path.resolve(documentPath)), config);
}

// ---------------------------------------------------------------------------------------------
// ai-use init

/** The `.ai-use.yaml` that `ai-use init` writes: every key, commented, with the genre's defaults. */
export function starterConfig(genre: Genre): string {
  const packs = defaultPacks(genre);
  const list = (items: readonly string[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;
  const disclosures = Object.entries(DEFAULT_DISCLOSURES)
    .map(([name, template]) => `  ${name}: ${JSON.stringify(template)}`)
    .join('\n');
  return `# AI-Use Lint project config: ${PROJECT_URL}#project-config
# The editor and \`ai-use check\` both read this file, so they always agree.

# The project's genre: ${GENRES.join(' | ')}
# (a document's own Genre: title page key or genre: front matter wins).
genre: ${genre}

# Guideline packs: ${PACKS.join(', ')}.
# These are the defaults for ${genre}; delete the line to follow the defaults of each document's genre.
guidelines: ${packs.join(', ') === '' ? '[]' : `[${packs.join(', ')}]`}

# Per-rule severity: error | warning | info | hint | off. \`ai-use rules\` lists the rule ids.
rules:
  # ${packs.includes('apa') ? 'apa/cue-sheet-fields' : 'netflix/final-deliverable'}: error

# Your own declarative rules, in the same format as the built-in ones (data, never code).
custom-rules: []

# Text the disclosure quick-fixes insert. Placeholders: ${DISCLOSURE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.
disclosures:
${disclosures}

# Hint where text names a GenAI tool or says "AI-generated" outside a tag.
untagged-mentions: true

# Files to check and files to skip, relative to this file (node_modules is always skipped).
include: ${list(DEFAULT_INCLUDE)}
exclude: []
`;
}
