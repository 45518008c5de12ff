// Bad config never takes anything down (SPEC §3, §9): fast-check over the example configs and a
// config with every key, mutated with the characters YAML and JSON care about. loadConfigFile
// never throws, every finding lies inside the config text, and what it returns is usable: a genre,
// packs and settings a document can be linted with.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfigFile } from '../../server/src/core/config.js';
import { LineIndex } from '../../server/src/core/line-index.js';
import { lintText } from '../../server/src/core/lint.js';
import { applyMutations, assertRange, ROOT } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS) || 0;

const FULL = `genre: documentary
guidelines: [netflix, apa, eu-ai-act]
rules:
  apa/cue-sheet-fields: error
  netflix/*: warning
custom-rules:
  - id: studio/no-voice-clones
    title: No voice clones without legal
    severity: error
    message: Voice clones need legal sign-off first.
    source: { title: Studio policy, facts: "§2 Voices" }
    when: { kind: audio.voice-clone, undocumented: approval }
    fixes: [{ type: add-field, key: approval, value: "\${1:legal ref}" }]
disclosures:
  on-screen: "AI-GENERATED RE-CREATION"
  credits: "Images created with {tool} (generative AI)"
untagged-mentions: true
include: ["**/*.fountain", "**/*.md"]
exclude: ["node_modules/**", "drafts/**"]
`;

const SEEDS = [
  { name: '.ai-use.yaml', text: FULL },
  { name: '.ai-use.json', text: JSON.stringify({ genre: 'news', guidelines: ['bbc'], rules: { 'bbc/factual-genai': 'warning' }, exclude: ['x/**'] }, null, 2) },
  ...['examples/true-crime-docuseries/.ai-use.yaml', 'examples/drama-pilot/.ai-use.yaml'].map((p) => ({ name: '.ai-use.yaml', text: readFileSync(path.join(ROOT, p), 'utf8') })),
];

const TOKENS = [':', ': ', '- ', '[', ']', '{', '}', ',', '"', "'", '#', '&a', '*a', '!!js/function', '!!binary', '<<: *a', '|', '>', '\t', '\n', '\r\n', '\r', '  ', '---\n', '...\n', '\ufeff', '\u0000', '😀', '\ud800', 'genre: ', 'rules:\n  ', 'custom-rules:\n  - ', 'when: ', 'null', '~', '1e999', '-1', 'true', 'yes', '"\\u0000"', '%YAML 1.1\n'];

const mutation = fc.record({
  op: fc.constantFrom('insert', 'insert', 'delete', 'duplicate'),
  a: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  b: fc.integer({ min: 1, max: 60 }),
  c: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })),
});

describe('bad config never throws; findings inside the config; the rest usable', () => {
  it('mutated configs (YAML and JSON)', (t) => {
    let findings = 0;
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, mutations) => {
        const text = applyMutations(seed.text, mutations);
        const config = loadConfigFile(`/virtual/${seed.name}`, text);
        const index = new LineIndex(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
        for (const f of config.findings) {
          assertRange(index, f.range, `${f.ruleId}: ${f.message}`);
          findings++;
        }
        assert.ok(Array.isArray(config.customRules));
        // Whatever survived is a config a document can be checked with.
        lintText('INT. A - DAY\n\n[[ai: audio.voice-clone; subject: X; stage: final]]\n', 'fountain', config);
      }),
      { numRuns: RUNS || 300, includeErrorInReport: true },
    );
    t.diagnostic(`mutated configs: ${RUNS || 300} runs, ${findings} findings checked`);
  });
});
