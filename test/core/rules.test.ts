import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { parse as parseYaml } from 'yaml';
import { builtinPacks, builtinRuleIds, loadBuiltinRules, packsDirectory, ruleById, validateRules } from '../../server/src/core/rules.js';
import { PACKS } from '../../server/src/core/genres.js';

const ROOT = new URL('../../', import.meta.url);
// ../shared sits beside the clone, here and in CI.
const FACTS = readFileSync(new URL('../shared/guidelines/FACTS.md', ROOT), 'utf8');

/** FACTS.md split into its numbered `## N.` sections. */
function factsSections(): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = FACTS.split(/^## /m);
  for (const part of parts) {
    const m = /^(\d+)\./.exec(part);
    if (m) sections.set(m[1], part.toLowerCase());
  }
  return sections;
}

/** The rule ids SPEC §5 requires, at the least. */
const SPEC_RULES = [
  'core/unknown-kind', 'core/unknown-key', 'core/invalid-value', 'core/duplicate-id', 'core/waiver-without-reason', 'core/untagged-mention',
  'netflix/final-deliverable', 'netflix/key-creative', 'netflix/story-prop', 'netflix/unowned-reference', 'netflix/data-terms',
  'netflix/sensitive-inputs', 'netflix/talent-consent', 'netflix/misleading-real', 'netflix/union-work',
  'apa/synthetic-archival', 'apa/on-screen-disclosure', 'apa/human-simulation', 'apa/archival-alteration', 'apa/cue-sheet-fields', 'apa/enhancement',
  'sag-aftra/replica-consent', 'sag-aftra/synthetic-performer', 'sag-aftra/alteration', 'wga/ai-source-material',
  'eu-ai-act/deep-fake', 'youtube/altered-content', 'bbc/factual-genai',
  'core/tag-syntax', 'core/invalid-directive', 'core/unknown-genre', 'core/unknown-pack', 'core/unknown-rule', 'core/invalid-config',
];

function validRule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'studio/no-voice-clones',
    title: 'No voice clones',
    severity: 'error',
    when: { kind: 'audio.voice-clone' },
    message: 'Voice clones are not allowed on this show: use a synthetic voice.',
    source: { title: 'Studio policy', facts: '§2 Voices' },
    ...overrides,
  };
}

describe('built-in packs', () => {
  test('one file per pack, each valid against pack.schema.json', () => {
    const dir = packsDirectory();
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    assert.deepEqual(files, ['core.yaml', ...PACKS.map((p) => `${p}.yaml`)].sort());
    const Ajv = AjvModule.default;
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true });
    ajv.addSchema(JSON.parse(readFileSync(new URL('server/schemas/rule.schema.json', ROOT), 'utf8')));
    const validatePack = ajv.compile(JSON.parse(readFileSync(new URL('server/schemas/pack.schema.json', ROOT), 'utf8')));
    for (const file of files) {
      const data = parseYaml(readFileSync(join(dir, file), 'utf8'));
      assert.ok(validatePack(data), `${file}: ${JSON.stringify(validatePack.errors)}`);
    }
    assert.deepEqual(builtinPacks().map((p) => p.pack), ['core', ...[...PACKS].sort()]);
  });

  test('every rule of the SPEC §5 table exists', () => {
    const ids = new Set(builtinRuleIds());
    for (const id of SPEC_RULES) assert.ok(ids.has(id), `missing ${id}`);
    assert.equal(ruleById('NETFLIX/key-creative')?.severity, 'error');
    assert.equal(ruleById('netflix/nope'), undefined);
  });

  test('severities of the table', () => {
    const expected: Record<string, string> = {
      'core/unknown-kind': 'warning', 'core/duplicate-id': 'error', 'core/waiver-without-reason': 'warning', 'core/untagged-mention': 'hint',
      'netflix/final-deliverable': 'warning', 'netflix/key-creative': 'error', 'netflix/story-prop': 'warning', 'netflix/unowned-reference': 'error',
      'netflix/data-terms': 'error', 'netflix/sensitive-inputs': 'warning', 'netflix/talent-consent': 'error', 'netflix/misleading-real': 'warning',
      'netflix/union-work': 'error', 'apa/synthetic-archival': 'error', 'apa/on-screen-disclosure': 'error', 'apa/human-simulation': 'error',
      'apa/archival-alteration': 'warning', 'apa/cue-sheet-fields': 'warning', 'apa/enhancement': 'info', 'sag-aftra/replica-consent': 'error',
      'sag-aftra/synthetic-performer': 'warning', 'sag-aftra/alteration': 'warning', 'wga/ai-source-material': 'warning',
      'eu-ai-act/deep-fake': 'error', 'youtube/altered-content': 'error', 'bbc/factual-genai': 'error',
    };
    for (const [id, severity] of Object.entries(expected)) assert.equal(ruleById(id)?.severity, severity, id);
    assert.equal(ruleById('netflix/final-deliverable')?.raiseInNonfiction, true);
  });

  test('every rule has a title, a message, docs material and a source whose FACTS.md section exists', () => {
    const sections = factsSections();
    for (const rule of loadBuiltinRules()) {
      assert.ok(rule.title.length >= 10 && !rule.title.includes('\n'), `${rule.id} title`);
      assert.ok(rule.message.length >= 40, `${rule.id} message says what is wrong and what resolves it`);
      assert.ok(rule.source.title && rule.source.url?.startsWith('https://'), `${rule.id} source`);
      const m = /^§(\d+)([a-z])?\s+(.+)$/.exec(rule.source.facts);
      assert.ok(m, `${rule.id}: facts "${rule.source.facts}" is "§N Section"`);
      const section = sections.get(m[1]);
      assert.ok(section, `${rule.id}: FACTS.md has no §${m[1]}`);
      assert.ok(section.includes(m[3].toLowerCase()), `${rule.id}: FACTS.md §${m[1]} has no "${m[3]}"`);
      if (m[2]) assert.ok(FACTS.includes(`### ${m[1]}${m[2]}.`), `${rule.id}: FACTS.md has no §${m[1]}${m[2]}`);
      assert.ok(rule.when !== undefined || (rule.check !== undefined && rule.pack === 'core'), `${rule.id} has a condition or a core check`);
      if (rule.when) assert.ok(rule.examples.some((e) => e.fires) && rule.examples.some((e) => e.passes), `${rule.id} has examples`);
    }
  });
});

describe('validateRules (custom rules from project config)', () => {
  test('accepts a valid rule and returns its definition', () => {
    const { rules, errors } = validateRules([validRule({ 'raise-in-nonfiction': true, target: 'performer' })]);
    assert.deepEqual(errors, []);
    assert.equal(rules.length, 1);
    assert.equal(rules[0].pack, 'studio');
    assert.equal(rules[0].raiseInNonfiction, true);
    assert.deepEqual(rules[0].target, ['performer']);
    assert.equal(rules[0].builtin, false);
  });

  test('an unknown condition key is reported at its JSON pointer', () => {
    const { rules, errors } = validateRules([validRule(), validRule({ id: 'studio/b', when: { kind: 'audio.*', matches: '(a+)+$' } })]);
    assert.deepEqual(rules.map((r) => r.id), ['studio/no-voice-clones']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].path, '/1/when/matches');
    assert.match(errors[0].message, /unknown key "matches"/);
  });

  test('a bad severity names the allowed ones', () => {
    const { errors } = validateRules([validRule({ severity: 'blocker' })]);
    assert.deepEqual(errors, [{ path: '/0/severity', message: 'must be one of: error, warning, info, hint' }]);
  });

  test('code-like content is refused: script keys, conditions as code, built-in checks, extra keys', () => {
    const cases: [Record<string, unknown>, string][] = [
      [validRule({ when: "tag.stage === 'final'" }), '/0/when'],
      [validRule({ when: { js: 'process.exit(1)' } }), '/0/when/js'],
      [validRule({ script: 'require("child_process")' }), '/0/script'],
      [validRule({ when: undefined, check: 'unknown-kind' }), '/0/check'],
      [validRule({ fixes: [{ type: 'run-command', command: 'rm -rf /' }] }), '/0/fixes/0/type'],
      [validRule({ when: { all: [{ field: 'stage', regex: '^fin' }] } }), '/0/when/all/0/regex'],
    ];
    for (const [rule, path] of cases) {
      const { rules, errors } = validateRules([rule]);
      assert.deepEqual(rules, [], JSON.stringify(rule));
      assert.ok(errors.some((e) => e.path === path), `${JSON.stringify(rule)}: ${JSON.stringify(errors)}`);
    }
  });

  test('meaning checks: unknown fields, kinds, values and placeholders; built-in ids', () => {
    const { errors } = validateRules([
      validRule({ when: { kind: 'imag.*', has: 'aproval', field: 'stage', in: ['finale'] }, message: 'Not allowed: {nope} here, sorry.' }),
      validRule({ id: 'netflix/key-creative' }),
      validRule({ id: 'studio/x' }),
      validRule({ id: 'studio/x' }),
    ]);
    const paths = errors.map((e) => e.path);
    assert.deepEqual(paths.sort(), ['/0/message', '/0/when/has', '/0/when/in/0', '/0/when/kind', '/1/id', '/3/id'].sort());
  });

  test('never throws, whatever it is given', () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 10000; i++) at = (at.not = {}) as Record<string, unknown>;
    const cyclic: Record<string, unknown> = validRule();
    (cyclic.when as Record<string, unknown>).not = cyclic;
    const inputs = [null, undefined, 42, 'rules', {}, [null], [42], [[]], [validRule({ when: deep })], [cyclic], [validRule({ id: 'a'.repeat(10000) })]];
    inputs.forEach((data, i) => {
      const result = validateRules(data);
      assert.equal(result.rules.length, 0, `input ${i}`);
      if (data !== null && data !== undefined) assert.ok(result.errors.length > 0 && result.errors.every((e) => typeof e.path === 'string'), `input ${i}`);
    });
  });
});
