import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CONFIG_FILE_NAMES,
  ConfigCache,
  DEFAULT_DISCLOSURES,
  effectiveGenre,
  effectivePacks,
  findConfigFile,
  isIncluded,
  loadConfigFile,
  resolveConfigForDocument,
  starterConfig,
  type ResolvedConfig,
} from '../../server/src/core/config.js';
import { DEFAULT_GENRE, GENRES, defaultPacks } from '../../server/src/core/genres.js';
import { LineIndex } from '../../server/src/core/line-index.js';
import { ruleDocsUrl } from '../../server/src/core/docs-url.js';
import type { Finding } from '../../server/src/core/types.js';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { findJsonSyntaxError } from '../../server/src/core/json-syntax.js';
import { parse as parseYaml } from 'yaml';
import configSchema from '../../server/schemas/ai-use-config.schema.json' with { type: 'json' };
import ruleSchema from '../../server/schemas/rule.schema.json' with { type: 'json' };

let tmp: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-config-'));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh folder under the temp dir, with the given files (relative path -> text). */
function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(tmp, 'p-'));
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  return root;
}

/** Reads config text the way a file named `name` would be read. */
function load(text: string, name = '.ai-use.yaml'): ResolvedConfig {
  return loadConfigFile(path.join(tmp, name), text);
}

/** The config text a finding underlines. */
function underlined(config: ResolvedConfig, finding: Finding): string {
  const index = new LineIndex(config.text ?? '');
  return config.text!.slice(index.offsetAt(finding.range.start), index.offsetAt(finding.range.end));
}

function only(config: ResolvedConfig, ruleId: string): Finding {
  const matching = config.findings.filter((f) => f.ruleId === ruleId);
  assert.equal(matching.length, 1, `expected one ${ruleId}, got ${JSON.stringify(config.findings, null, 1)}`);
  return matching[0];
}

/** Applies a finding's replace fix to the config text. */
function applyReplace(config: ResolvedConfig, finding: Finding): string {
  const fix = finding.fixes.find((f) => f.type === 'replace');
  assert.ok(fix && fix.type === 'replace', 'expected a replace fix');
  const index = new LineIndex(config.text!);
  return config.text!.slice(0, index.offsetAt(finding.range.start)) + fix.with + config.text!.slice(index.offsetAt(finding.range.end));
}

describe('findConfigFile', () => {
  it('finds the nearest config walking up from the document', () => {
    const root = project({
      '.ai-use.yaml': 'genre: news\n',
      'season1/.ai-use.yml': 'genre: kids\n',
      'season1/ep1/scripts/ep1.fountain': '',
      'season2/ep1.fountain': '',
    });
    assert.equal(findConfigFile(path.join(root, 'season1/ep1/scripts/ep1.fountain')), path.join(root, 'season1/.ai-use.yml'));
    assert.equal(findConfigFile(path.join(root, 'season2/ep1.fountain')), path.join(root, '.ai-use.yaml'));
    assert.equal(resolveConfigForDocument(path.join(root, 'season1/ep1/scripts/ep1.fountain'), { workspaceRoot: root }).genre, 'kids');
    assert.equal(resolveConfigForDocument(path.join(root, 'season2/ep1.fountain'), { workspaceRoot: root }).genre, 'news');
  });

  it('walks past the workspace folder to the filesystem root, as the CLI does; the workspace folder is only the base of a relative configPath', () => {
    const outer = project({ '.ai-use.yaml': 'genre: news\n', 'workspace/notes/a.md': '' });
    const doc = path.join(outer, 'workspace/notes/a.md');
    assert.equal(findConfigFile(doc), path.join(outer, '.ai-use.yaml'));
    const config = resolveConfigForDocument(doc, { workspaceRoot: path.join(outer, 'workspace') });
    assert.equal(config.path, path.join(outer, '.ai-use.yaml'));
    assert.equal(config.genre, 'news');
  });

  it('a config in the workspace root itself is found', () => {
    const root = project({ '.ai-use.json': '{"genre": "reality"}', 'a.md': '' });
    assert.equal(findConfigFile(path.join(root, 'a.md')), path.join(root, '.ai-use.json'));
  });

  it('prefers .yaml, then .yml, then .json in one folder', () => {
    assert.deepEqual([...CONFIG_FILE_NAMES], ['.ai-use.yaml', '.ai-use.yml', '.ai-use.json']);
    const root = project({ '.ai-use.json': '{"genre": "news"}', '.ai-use.yml': 'genre: kids\n', 'a.md': '' });
    assert.equal(findConfigFile(path.join(root, 'a.md')), path.join(root, '.ai-use.yml'));
    fs.writeFileSync(path.join(root, '.ai-use.yaml'), 'genre: reality\n');
    assert.equal(findConfigFile(path.join(root, 'a.md')), path.join(root, '.ai-use.yaml'));
  });

  it('ignores a folder named like a config file', () => {
    const root = project({ '.ai-use.yaml/x': '', 'b/.ai-use.yml': '', 'b/doc.md': '' });
    fs.writeFileSync(path.join(root, '.ai-use.json'), '{}');
    assert.equal(findConfigFile(path.join(root, 'doc.md')), path.join(root, '.ai-use.json'));
  });
});

describe('loadConfigFile', () => {
  it('reads every key of a valid YAML config', () => {
    const config = load(
      [
        'genre: documentary',
        'guidelines: [netflix, apa, bbc]',
        'rules:',
        '  apa/cue-sheet-fields: error',
        '  netflix/final-deliverable: off',
        'disclosures:',
        '  on-screen: "AI RE-CREATION"',
        '  x-festival: "Made with {tool}"',
        'untagged-mentions: false',
        'include: ["scripts/**/*.fountain"]',
        'exclude: ["drafts/**"]',
        '',
      ].join('\n'),
    );
    assert.deepEqual(config.findings, []);
    assert.equal(config.genre, 'documentary');
    assert.deepEqual(config.guidelines, ['netflix', 'apa', 'bbc']);
    assert.deepEqual(config.rules, { 'apa/cue-sheet-fields': 'error', 'netflix/final-deliverable': 'off' });
    assert.equal(config.disclosures['on-screen'], 'AI RE-CREATION');
    assert.equal(config.disclosures['x-festival'], 'Made with {tool}');
    assert.equal(config.disclosures.credits, DEFAULT_DISCLOSURES.credits, 'templates not given keep their defaults');
    assert.equal(config.untaggedMentions, false);
    assert.deepEqual(config.include, ['scripts/**/*.fountain']);
    assert.ok(config.exclude.includes('drafts/**'));
  });

  it('reads .yml and .json files from disk', () => {
    const root = project({
      'a/.ai-use.yml': 'genre: reality\nrules:\n  netflix/union-work: warning\n',
      // Tab-indented JSON, as editors write it.
      'b/.ai-use.json': '{\n\t"genre": "news",\n\t"guidelines": ["netflix", "bbc"],\n\t"untagged-mentions": false\n}\n',
    });
    const yml = loadConfigFile(path.join(root, 'a/.ai-use.yml'));
    assert.deepEqual(yml.findings, []);
    assert.equal(yml.genre, 'reality');
    assert.deepEqual(yml.rules, { 'netflix/union-work': 'warning' });
    const json = loadConfigFile(path.join(root, 'b/.ai-use.json'));
    assert.deepEqual(json.findings, []);
    assert.equal(json.genre, 'news');
    assert.deepEqual(json.guidelines, ['netflix', 'bbc']);
    assert.equal(json.untaggedMentions, false);
  });

  it('an empty file, or one with only comments, is a valid empty config', () => {
    for (const text of ['', '\n\n', '# nothing yet\n', '---\n']) {
      const config = load(text);
      assert.deepEqual(config.findings, [], JSON.stringify(text));
      assert.equal(config.genre, undefined);
      assert.equal(config.guidelines, undefined);
      assert.equal(config.untaggedMentions, true);
      assert.deepEqual(config.include, ['**/*.fountain', '**/*.spmd', '**/*.md']);
    }
  });

  it('a key left empty is the same as leaving it out', () => {
    const config = load('genre:\nrules:\n  # apa/cue-sheet-fields: error\nguidelines:\n');
    assert.deepEqual(config.findings, []);
    assert.deepEqual(config.rules, {});
    assert.equal(config.guidelines, undefined);
  });

  it('reports a YAML syntax error at its line and column, keeping what parsed', () => {
    const config = load('genre: news\nrules:\n  netflix/key-creative: off\n apa/enhancement: error\n');
    const finding = only(config, 'core/invalid-config');
    assert.equal(finding.severity, 'error');
    // The one-space indent of line 4 is the error.
    assert.deepEqual(finding.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 1 } });
    assert.match(finding.message, /YAML/);
    assert.equal(finding.docs, ruleDocsUrl('core/invalid-config'));
    assert.equal(config.genre, 'news');
    assert.equal(config.rules['netflix/key-creative'], 'off');
  });

  it('an unclosed [ or quote is reported at the opener, not where the parser gave up', () => {
    const list = load('genre: news\nguidelines: [netflix, apa\nrules: {}\n');
    const f1 = only(list, 'core/invalid-config');
    assert.deepEqual(f1.range, { start: { line: 1, character: 12 }, end: { line: 1, character: 13 } });
    assert.equal(underlined(list, f1), '[');
    assert.match(f1.message, /YAML syntax error: .*`\[`.*`\]`/);
    const map = load('rules: {apa/enhancement: off\ngenre: news\n');
    assert.equal(underlined(map, only(map, 'core/invalid-config')), '{');
    const quote = load('genre: "news\nguidelines: [apa]\n');
    const f3 = only(quote, 'core/invalid-config');
    assert.deepEqual(f3.range.start, { line: 0, character: 7 });
    assert.equal(underlined(quote, f3), '"');
  });

  it('a duplicate key is a warning at the second one; the first value is used, nested keys too, and the rest is still checked', () => {
    const config = load('genre: news\ngenre: kids\nrules:\n  apa/enhancement: off\n  apa/enhancement: error\n  netflix/no-such: off\n');
    const dups = config.findings.filter((f) => f.ruleId === 'core/invalid-config');
    assert.deepEqual(dups.map((f) => [f.severity, f.range.start.line, underlined(config, f)]), [
      ['warning', 1, 'genre'],
      ['warning', 4, 'apa/enhancement'],
    ]);
    assert.match(dups[0].message, /Duplicate key `genre` \(first on line 1\): the first value is used/);
    assert.equal(config.genre, 'news');
    assert.equal(config.rules['apa/enhancement'], 'off');
    // Not a syntax error: the other problems are still reported.
    only(config, 'core/unknown-rule');
    const json = load('{"genre": "news", "genre": "kids"}', '.ai-use.json');
    assert.equal(json.genre, 'news');
    assert.equal(underlined(json, only(json, 'core/invalid-config')), '"genre"');
  });

  it('.ai-use.json is strict JSON: a trailing comma or a comment is an error at its exact place', () => {
    const trailing = load('{\n  "genre": "news",\n  "guidelines": ["netflix", "apa",]\n}\n', '.ai-use.json');
    const f1 = only(trailing, 'core/invalid-config');
    assert.deepEqual(f1.range, { start: { line: 2, character: 33 }, end: { line: 2, character: 34 } });
    assert.equal(underlined(trailing, f1), ',');
    assert.match(f1.message, /JSON syntax error: Trailing comma/);
    // What parsed still applies, as after a YAML syntax error.
    assert.equal(trailing.genre, 'news');
    const last = load('{"genre": "news",}', '.ai-use.json');
    assert.deepEqual(only(last, 'core/invalid-config').range.start, { line: 0, character: 16 });
    const comment = load('{\n  // our show\n  "genre": "news"\n}\n', '.ai-use.json');
    assert.deepEqual(only(comment, 'core/invalid-config').range, { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } });
    const missingComma = load('{\n  "genre": "news"\n  "guidelines": ["apa"]\n}\n', '.ai-use.json');
    assert.deepEqual(only(missingComma, 'core/invalid-config').range.start, { line: 2, character: 2 });
    // The same text is fine in a YAML file, which allows it.
    assert.deepEqual(load('{"genre": "news",}').findings, []);
    assert.deepEqual(load('', '.ai-use.json').findings, [], 'an empty file is an empty config');
  });

  it('the strict JSON check agrees with JSON.parse on valid and mutated JSON, and its ranges stay in the text', () => {
    const mutate = fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '{', '[', '"', ':', '\\', '/', 'x', ' ', '\n', '0', '-', '//'), fc.nat(3));
    fc.assert(
      fc.property(mutate, ([json, at, insert, cut]) => {
        const i = json.length === 0 ? 0 : at % (json.length + 1);
        const text = json.slice(0, i) + insert + json.slice(Math.min(json.length, i + cut));
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const error = findJsonSyntaxError(text);
        // A blank text is an empty config for us, an error for JSON.parse.
        if (text.trim() !== '') assert.equal(error === undefined, valid, `${JSON.stringify(text)}: ${JSON.stringify(error)}`);
        if (error) assert.ok(error.start >= 0 && error.start < error.end && error.end <= text.length, JSON.stringify({ text, error }));
      }),
      { numRuns: 2000 },
    );
  });

  it('reports a JSON file that ends inside an object near its end, naming the open bracket', () => {
    const config = load('{\n  "genre": "news",\n  "rules": {"a/b": "off"\n}\n', '.ai-use.json');
    const finding = only(config, 'core/invalid-config');
    assert.equal(finding.range.start.line, 3);
    assert.match(finding.message, /`\{` on line 1/);
  });

  it('a list given as a string is a finding at the value, with a fix, and the default packs apply', () => {
    const config = load('genre: documentary\nguidelines: netflix\n');
    const finding = only(config, 'core/invalid-config');
    assert.equal(underlined(config, finding), 'netflix');
    assert.match(finding.message, /list/);
    assert.equal(config.guidelines, undefined);
    assert.deepEqual(effectivePacks(config, effectiveGenre(config)), defaultPacks('documentary'));
    const fixed = load(applyReplace(config, finding));
    assert.deepEqual(fixed.findings, []);
    assert.deepEqual(fixed.guidelines, ['netflix']);
  });

  it('a quoted "yes" for a boolean is a finding at the value; the default stays', () => {
    const config = load('untagged-mentions: "no"\ngenre: kids\n');
    const finding = only(config, 'core/invalid-config');
    assert.equal(underlined(config, finding), '"no"');
    assert.match(finding.message, /true or false/);
    assert.equal(config.untaggedMentions, true);
    assert.equal(config.genre, 'kids', 'the other keys still apply');
  });

  it('an unquoted yes/no/on/off is text in YAML 1.2: a finding with a fix to the boolean meant', () => {
    const config = load('untagged-mentions: off\n');
    const finding = only(config, 'core/invalid-config');
    assert.equal(underlined(config, finding), 'off');
    assert.equal(config.untaggedMentions, true);
    const fixed = load(applyReplace(config, finding));
    assert.deepEqual(fixed.findings, []);
    assert.equal(fixed.untaggedMentions, false);
  });

  it('findings come in file order', () => {
    const config = load('genre: documentry\nguidelines: [netflx]\nbogus: 1\n');
    assert.deepEqual(config.findings.map((f) => f.range.start.line), [0, 1, 2]);
  });

  it('an unknown top-level key is a finding at the key, with a did-you-mean fix', () => {
    const config = load('genres: news\nguidelines: [netflix]\n');
    const finding = only(config, 'core/invalid-config');
    assert.equal(underlined(config, finding), 'genres');
    assert.match(finding.message, /Unknown key `genres`.*`genre`/);
    assert.deepEqual(config.guidelines, ['netflix']);
    const fixed = load(applyReplace(config, finding));
    assert.deepEqual(fixed.findings, []);
    assert.equal(fixed.genre, 'news');
    const spelled = load('Untagged_Mentions: false\n');
    assert.match(only(spelled, 'core/invalid-config').message, /`untagged-mentions`/);
  });

  it('an unknown genre is a warning at the value with a suggestion; the default genre applies', () => {
    const config = load('# project\ngenre: documentry\n');
    const finding = only(config, 'core/unknown-genre');
    assert.equal(finding.severity, 'warning');
    assert.equal(underlined(config, finding), 'documentry');
    assert.match(finding.message, /`documentary`/);
    assert.equal(finding.docs, ruleDocsUrl('core/unknown-genre'));
    assert.equal(config.genre, undefined);
    assert.equal(config.genreWritten, 'documentry');
    assert.equal(effectiveGenre(config), DEFAULT_GENRE);
    assert.equal(load(applyReplace(config, finding)).genre, 'documentary');
  });

  it('a fix in a JSON file keeps the string quoted', () => {
    const config = load('{"genre": "documentry"}', '.ai-use.json');
    const finding = only(config, 'core/unknown-genre');
    assert.equal(underlined(config, finding), '"documentry"');
    const fixed = applyReplace(config, finding);
    assert.deepEqual(JSON.parse(fixed), { genre: 'documentary' });
  });

  it('genre names are normalised: "True Crime", TRUE_CRIME and aliases', () => {
    assert.equal(load('genre: True Crime\n').genre, 'true-crime');
    assert.equal(load('genre: TRUE_CRIME\n').genre, 'true-crime');
    assert.equal(load('genre: Docuseries\n').genre, 'documentary');
    const config = load('genre: True Crime\n');
    assert.deepEqual(config.findings, []);
    assert.equal(config.genreWritten, 'True Crime');
    assert.deepEqual(effectivePacks(config, effectiveGenre(config)), ['netflix', 'apa', 'eu-ai-act']);
  });

  it('an unknown pack is a warning at the item; the known packs stay', () => {
    const config = load('guidelines:\n  - netflix\n  - netflx-2\n  - SAG_AFTRA\n');
    const finding = only(config, 'core/unknown-pack');
    assert.equal(finding.severity, 'warning');
    assert.equal(underlined(config, finding), 'netflx-2');
    assert.deepEqual(finding.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 12 } });
    assert.deepEqual(config.guidelines, ['netflix', 'sag-aftra']);
  });

  it('a list of only unknown packs keeps the genre defaults; an empty list means no packs', () => {
    const typo = load('guidelines: [netflx]\n');
    assert.equal(typo.guidelines, undefined);
    assert.equal(only(typo, 'core/unknown-pack').fixes.length, 1);
    assert.deepEqual(load('guidelines: []\n').guidelines, []);
  });

  it('an unknown rule id is a warning at the key with a suggestion', () => {
    const config = load('rules:\n  netflix/final-deliverabel: error\n  apa/cue-sheet-fields: warning\n');
    const finding = only(config, 'core/unknown-rule');
    assert.equal(finding.severity, 'warning');
    assert.equal(underlined(config, finding), 'netflix/final-deliverabel');
    assert.match(finding.message, /netflix\/final-deliverable/);
    assert.equal(load(applyReplace(config, finding)).findings.length, 0);
    assert.equal(config.rules['apa/cue-sheet-fields'], 'warning');
  });

  const customRule = [
    '  - id: studio/no-voice-clones',
    '    title: No voice clones on this show',
    '    severity: error',
    '    message: Voice clones are not allowed on this show; use a synthetic voice.',
    '    source: { title: Studio AI policy, facts: "§2 Voices" }',
    '    when: { kind: audio.voice-clone }',
  ];

  it('a custom rule with a bad condition: a finding at the exact place, the other rules still load', () => {
    const bad = customRule.map((l) => l.replace('studio/no-voice-clones', 'studio/bad')).slice(0, 5);
    const cases: { when: string; underlined: string; message: RegExp }[] = [
      { when: '    when: { regex: "(a+)+$" }', underlined: 'regex', message: /unknown key "regex"/ },
      { when: '    when: { kind: image.genrated }', underlined: 'image.genrated', message: /matches no kind/ },
      { when: '    when: { field: stage, in: [finale] }', underlined: 'finale', message: /not a value of stage/ },
      { when: '    when: { field: stage }', underlined: 'stage', message: /needs a test/ },
      { when: '    when: { has: colour }', underlined: 'colour', message: /unknown field "colour"/ },
    ];
    for (const c of cases) {
      const config = load(['custom-rules:', ...bad, c.when, ...customRule, ''].join('\n'));
      const finding = only(config, 'core/invalid-config');
      assert.match(finding.message, c.message);
      assert.equal(finding.range.start.line, 6, c.when);
      assert.equal(underlined(config, finding), c.underlined, c.when);
      // The good rule beside it still loads; the bad one does not.
      assert.deepEqual(config.customRules.map((r) => r.id), ['studio/no-voice-clones']);
    }
  });

  it('custom rules load, and their ids are known under rules:', () => {
    const config = load(['custom-rules:', ...customRule, 'rules:', '  studio/no-voice-clones: warning', ''].join('\n'));
    assert.deepEqual(config.findings, []);
    assert.deepEqual(config.customRules.map((r) => r.id), ['studio/no-voice-clones']);
    assert.equal(config.rules['studio/no-voice-clones'], 'warning');
  });

  it('an invalid custom rule is a finding inside it; the valid ones still load', () => {
    const config = load(['custom-rules:', ...customRule, '  - id: studio/Bad Id', '    title: Broken', ''].join('\n'));
    assert.deepEqual(config.customRules.map((r) => r.id), ['studio/no-voice-clones']);
    assert.ok(config.findings.length >= 1);
    for (const f of config.findings) {
      assert.equal(f.ruleId, 'core/invalid-config');
      assert.ok(f.range.start.line >= 7, `inside the second rule: ${JSON.stringify(f)}`);
    }
    assert.ok(config.findings.some((f) => underlined(config, f) === 'studio/Bad Id'), JSON.stringify(config.findings.map((f) => [f.message, underlined(config, f)])));
  });

  it('a bad severity is a finding at the value with the allowed values; the good entries stay', () => {
    const config = load('rules:\n  netflix/key-creative: off\n  netflix/union-work: warn\n  apa/enhancement: error\n  apa/cue-sheet-fields: 2\n');
    const findings = config.findings.filter((f) => f.ruleId === 'core/invalid-config');
    assert.equal(findings.length, 2, JSON.stringify(config.findings));
    const warn = findings.find((f) => underlined(config, f) === 'warn')!;
    assert.ok(warn, 'a finding underlines "warn"');
    assert.match(warn.message, /error, warning, info, hint, off/);
    assert.match(warn.message, /Did you mean `warning`/);
    assert.ok(findings.some((f) => underlined(config, f) === '2'));
    assert.deepEqual(config.rules, { 'netflix/key-creative': 'off', 'apa/enhancement': 'error' });
    const fixed = load(applyReplace(config, warn));
    assert.equal(fixed.rules['netflix/union-work'], 'warning');
  });

  it('columns are right in a CRLF file', () => {
    const text = 'genre: news\r\nguidelines:\r\n  - apa\r\n  - netflx\r\nuntagged-mentions: "yes"\r\n';
    const config = load(text);
    const pack = only(config, 'core/unknown-pack');
    assert.deepEqual(pack.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 10 } });
    const type = only(config, 'core/invalid-config');
    assert.deepEqual(type.range, { start: { line: 4, character: 19 }, end: { line: 4, character: 24 } });
  });

  it('columns count UTF-16 units after non-ASCII text, and a BOM is dropped', () => {
    const config = load('\uFEFFdisclosures: {credits: "Créé avec 🎬 {tool}"}\ngenre: "dócumentary"\n');
    const finding = only(config, 'core/unknown-genre');
    assert.deepEqual(finding.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 20 } });
    assert.equal(config.disclosures.credits, 'Créé avec 🎬 {tool}');
  });

  it('a config that is not a map is one finding and all defaults', () => {
    for (const text of ['- genre: news\n', 'news\n', '42\n']) {
      const config = load(text);
      assert.equal(config.findings.length, 1, text);
      assert.equal(config.findings[0].ruleId, 'core/invalid-config');
      assert.match(config.findings[0].message, /map/);
      assert.equal(config.genre, undefined);
    }
  });

  it('include and exclude items that are not strings are findings at the item', () => {
    const config = load('include: ["**/*.fountain", 3, ""]\n');
    assert.deepEqual(config.findings.map((f) => underlined(config, f)).sort(), ['""', '3']);
    assert.deepEqual(config.include, ['**/*.fountain']);
  });

  it('never throws, whatever the text', () => {
    const inputs = [
      '\u0000\u0001\uFFFF',
      '{'.repeat(5000),
      '['.repeat(5000),
      'a: &a [1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
      'genre: *nope\n',
      'rules: !!binary aGVsbG8=\n',
      '? [a, b]\n: c\n',
      'rules:\n  ? [a]\n  : off\n',
      'custom-rules: [1, "x", null, {}]\n',
      '"\\ud800": 1\n',
    ];
    for (const text of inputs) {
      const config = load(text);
      assert.ok(Array.isArray(config.findings));
      for (const f of config.findings) {
        assert.ok(f.range.start.line >= 0 && f.range.end.line < new LineIndex(config.text!).lineCount);
      }
    }
  });

  it('a missing file is a finding, not an exception', () => {
    const config = loadConfigFile(path.join(tmp, 'nope', '.ai-use.yaml'));
    assert.equal(only(config, 'core/invalid-config').severity, 'error');
    assert.equal(config.genre, undefined);
  });
});

describe('resolveConfigForDocument', () => {
  it('no config file: the defaults, no findings', () => {
    const root = project({ 'a.fountain': '' });
    const config = resolveConfigForDocument(path.join(root, 'a.fountain'), { workspaceRoot: root });
    assert.equal(config.path, undefined);
    assert.deepEqual(config.findings, []);
    assert.equal(effectiveGenre(config), DEFAULT_GENRE);
    assert.equal(config.untaggedMentions, true);
    assert.equal(config.disclosures['on-screen'], 'AI-GENERATED RE-CREATION');
  });

  it('an explicit configPath wins over the walk up, relative to the workspace root', () => {
    const root = project({ '.ai-use.yaml': 'genre: news\n', 'shared/team.yaml': 'genre: kids\n', 'ep/a.fountain': '' });
    const config = resolveConfigForDocument(path.join(root, 'ep/a.fountain'), { workspaceRoot: root, configPath: 'shared/team.yaml' });
    assert.equal(config.genre, 'kids');
    assert.equal(config.path, path.join(root, 'shared/team.yaml'));
  });

  it('an explicit configPath that does not exist is a finding', () => {
    const root = project({ 'a.fountain': '' });
    const config = resolveConfigForDocument(path.join(root, 'a.fountain'), { workspaceRoot: root, configPath: 'missing.yaml' });
    assert.match(only(config, 'core/invalid-config').message, /does not exist/);
  });

  it('the cache reads a file once, and again after invalidate', () => {
    const root = project({ '.ai-use.yaml': 'genre: news\n', 'a.md': '', 'b/c.md': '' });
    const cache = new ConfigCache();
    const first = resolveConfigForDocument(path.join(root, 'a.md'), { workspaceRoot: root, cache });
    fs.writeFileSync(path.join(root, '.ai-use.yaml'), 'genre: kids\n');
    const second = resolveConfigForDocument(path.join(root, 'b/c.md'), { workspaceRoot: root, cache });
    assert.equal(second, first, 'same object from the cache');
    assert.equal(second.genre, 'news');
    cache.invalidate(path.join(root, '.ai-use.yaml'));
    assert.equal(resolveConfigForDocument(path.join(root, 'a.md'), { workspaceRoot: root, cache }).genre, 'kids');
  });

  it('after invalidate(), a newly created nearer config is found', () => {
    const root = project({ '.ai-use.yaml': 'genre: news\n', 'b/c.md': '' });
    const cache = new ConfigCache();
    assert.equal(resolveConfigForDocument(path.join(root, 'b/c.md'), { workspaceRoot: root, cache }).genre, 'news');
    fs.writeFileSync(path.join(root, 'b/.ai-use.yml'), 'genre: reality\n');
    cache.invalidate();
    assert.equal(resolveConfigForDocument(path.join(root, 'b/c.md'), { workspaceRoot: root, cache }).genre, 'reality');
  });

  it('cache.set uses an unsaved editor buffer for the config', () => {
    const root = project({ '.ai-use.yaml': 'genre: news\n', 'a.md': '' });
    const cache = new ConfigCache();
    cache.set(path.join(root, '.ai-use.yaml'), 'genre: animation\n');
    assert.equal(resolveConfigForDocument(path.join(root, 'a.md'), { workspaceRoot: root, cache }).genre, 'animation');
  });
});

describe('isIncluded', () => {
  const defaults = load('');

  it('the defaults take Fountain and Markdown files and skip node_modules', () => {
    assert.equal(isIncluded('ep1.fountain', defaults), true);
    assert.equal(isIncluded('season1/ep1.spmd', defaults), true);
    assert.equal(isIncluded('notes/edit.md', defaults), true);
    assert.equal(isIncluded('notes/edit.txt', defaults), false);
    assert.equal(isIncluded('node_modules/pkg/README.md', defaults), false);
    assert.equal(isIncluded('tools/node_modules/pkg/README.md', defaults), false);
  });

  it('skips dot folders unless a pattern names them', () => {
    assert.equal(isIncluded('.git/notes.md', defaults), false);
    assert.equal(isIncluded('.vscode/x.md', defaults), false);
    const config = load('include: [".drafts/**/*.fountain"]\n');
    assert.equal(isIncluded('.drafts/ep1.fountain', config), true);
  });

  it('exclude wins over include, and accepts Windows separators', () => {
    const config = load('include: ["scripts/**/*.fountain", "notes/*.md"]\nexclude: ["scripts/old/**", "*.draft.md"]\n');
    assert.equal(isIncluded('scripts/s1/ep1.fountain', config), true);
    assert.equal(isIncluded('scripts\\s1\\ep1.fountain', config), true);
    assert.equal(isIncluded('scripts/old/ep1.fountain', config), false);
    assert.equal(isIncluded('notes/cut.md', config), true);
    assert.equal(isIncluded('notes/cut.draft.md', config), false, 'a pattern without a slash matches the file name anywhere');
    assert.equal(isIncluded('other/ep1.fountain', config), false);
    assert.equal(isIncluded('./scripts/s1/ep1.fountain', config), true);
  });
});

describe('starterConfig', () => {
  it('for every genre, is a valid config with that genre and its default packs', () => {
    for (const genre of GENRES) {
      const text = starterConfig(genre);
      const config = load(text);
      assert.deepEqual(config.findings, [], genre);
      assert.equal(config.genre, genre);
      assert.deepEqual(config.guidelines, defaultPacks(genre));
      assert.deepEqual(config.include, ['**/*.fountain', '**/*.spmd', '**/*.md']);
      assert.equal(config.untaggedMentions, true);
      assert.deepEqual(config.disclosures, DEFAULT_DISCLOSURES);
      for (const key of ['genre', 'guidelines', 'rules', 'custom-rules', 'disclosures', 'untagged-mentions', 'include', 'exclude']) {
        assert.match(text, new RegExp(`^${key}:`, 'm'), `${genre}: shows ${key}`);
      }
      assert.match(text, /^# /m, 'commented');
    }
  });
});

describe('the shipped JSON schema (what the editor validates and completes with)', () => {
  // Compiled as an editor would: the config schema with the rule schema it refers to.
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, discriminator: true, allErrors: true });
  ajv.addSchema(ruleSchema, 'rule.schema.json');
  const validate = ajv.compile(configSchema);

  it('accepts every starter config, and a config with a custom rule', () => {
    for (const genre of GENRES) assert.equal(validate(parseYaml(starterConfig(genre))), true, JSON.stringify(validate.errors));
    const custom = {
      'custom-rules': [
        { id: 'studio/no-voice-clones', title: 'No voice clones', severity: 'error', message: 'Voice clones are not allowed here.', source: { title: 'Studio policy', facts: '§2 Voices' }, when: { kind: 'audio.voice-clone' } },
      ],
    };
    assert.equal(validate(custom), true, JSON.stringify(validate.errors));
  });

  it('rejects what the loader reports, so the editor and the CLI agree', () => {
    for (const text of ['genres: news\n', 'guidelines: netflix\n', 'rules:\n  a/b: warn\n', 'untagged-mentions: "yes"\n', 'custom-rules:\n  - id: x\n']) {
      assert.equal(validate(parseYaml(text)), false, text);
      assert.ok(load(text).findings.some((f) => f.ruleId === 'core/invalid-config'), text);
    }
  });

  it('describes every key, for hover and completion', () => {
    for (const [key, property] of Object.entries(configSchema.properties)) {
      assert.ok(typeof (property as { description?: string }).description === 'string', key);
    }
    assert.deepEqual(configSchema.properties.rules.additionalProperties.enum, ['error', 'warning', 'info', 'hint', 'off']);
  });
});

it("`<pack>/*` under rules: sets a whole pack and is not an unknown rule; an unknown pack is", () => {
  const config = loadConfigFile('/virtual/.ai-use.yaml', 'rules:\n  netflix/*: warning\n  nopack/*: off\n');
  assert.equal(config.rules['netflix/*'], 'warning');
  const unknown = config.findings.filter((f) => f.ruleId === 'core/unknown-rule');
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0].range.start.line, 2);
});
