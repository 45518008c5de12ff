// The AI-use tag injection grammars under a real TextMate engine, injected the way VS Code injects
// them (package.json `injectTo`): tags coloured inside Fountain notes and Markdown comments, under
// our Fountain grammar and under the other Fountain extensions' one, never in code or boneyard.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KEYS } from '../../server/src/core/vocabulary.js';
import {
  INJECTION_PATH,
  INJECTION_SCOPE,
  MARKDOWN_INLINE_PATH,
  MARKDOWN_INLINE_SCOPE,
  buildInjectionGrammar,
  buildMarkdownInlineGrammar,
  serialize,
} from './injection-grammar.js';
import { CONTRIBUTED, ROOT, dumpLine, hasScope, scopesOf, tokenize, tokenizeWithExtra, tokensOf, type Token } from './textmate.js';

const FOUNTAIN = 'text.source.fountain';
const MARKDOWN = 'text.html.markdown';
const KIND = 'entity.name.type.kind.ai-use';

const fixture = (name: string) => readFileSync(path.join(ROOT, 'test/grammar/fixtures', name), 'utf8');
const screenplay = fixture('screenplay.fountain');
const notes = fixture('notes.md');

function assertScope(tokens: Token[], text: string, needle: string, scope: string, occurrence = 0): void {
  const scopes = scopesOf(tokens, text, needle, occurrence);
  const line = tokensOf(tokens, text, needle, occurrence)[0]?.line ?? 0;
  assert.ok(hasScope(scopes, scope), `"${needle}" (#${occurrence}) should be ${scope}, has [${scopes.join(' ')}]\n${dumpLine(tokens, line)}`);
}

function assertNoScope(tokens: Token[], text: string, needle: string, scope: string, occurrence = 0): void {
  for (const t of tokensOf(tokens, text, needle, occurrence)) {
    assert.ok(!hasScope(t.scopes, scope), `"${t.text}" in "${needle}" (#${occurrence}) should not be ${scope}, has [${t.scopes.join(' ')}]`);
  }
}

/** No token of the needle carries any scope of the injection grammars. */
function assertUntagged(tokens: Token[], text: string, needle: string, occurrence = 0): void {
  for (const t of tokensOf(tokens, text, needle, occurrence)) {
    const ours = t.scopes.filter((s) => s.endsWith('.ai-use'));
    assert.deepEqual(ours, [], `"${t.text}" in "${needle}" (#${occurrence}) should not be coloured as a tag`);
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring

test('package.json injects the tag grammar into Fountain (both scope names) and Markdown', () => {
  const injection = CONTRIBUTED.find((g) => g.scopeName === INJECTION_SCOPE);
  assert.ok(injection, `contributes.grammars has ${INJECTION_SCOPE}`);
  assert.equal(path.normalize(injection.path), path.normalize('./' + INJECTION_PATH));
  assert.deepEqual([...(injection.injectTo ?? [])].sort(), [FOUNTAIN, 'source.fountain', MARKDOWN].sort());
  const inline = CONTRIBUTED.find((g) => g.scopeName === MARKDOWN_INLINE_SCOPE);
  assert.ok(inline, `contributes.grammars has ${MARKDOWN_INLINE_SCOPE}`);
  assert.equal(path.normalize(inline.path), path.normalize('./' + MARKDOWN_INLINE_PATH));
  assert.deepEqual(inline.injectTo, [MARKDOWN]);
  for (const g of CONTRIBUTED) assert.ok(g.path.startsWith('./syntaxes/'), `${g.path} ships in syntaxes/`);
});

test('the committed injection grammars are the ones built from the tag vocabulary', () => {
  const hint = 'regenerate with: node --import tsx test/grammar/injection-grammar.ts --write';
  assert.equal(readFileSync(path.join(ROOT, INJECTION_PATH), 'utf8'), serialize(buildInjectionGrammar()), hint);
  assert.equal(readFileSync(path.join(ROOT, MARKDOWN_INLINE_PATH), 'utf8'), serialize(buildMarkdownInlineGrammar()), hint);
});

// ---------------------------------------------------------------------------------------------
// Fountain

test('Fountain: image.generated is the kind inside a note; marker, keys, separators, values', async () => {
  const tokens = await tokenize(FOUNTAIN, screenplay);
  assertScope(tokens, screenplay, 'image.generated', KIND);
  assertScope(tokens, screenplay, 'image.generated', 'meta.note.fountain');
  const marker = tokensOf(tokens, screenplay, '[[ai:')[1];
  assert.equal(marker.text, 'ai');
  assert.ok(hasScope(marker.scopes, 'keyword.control.marker.ai-use'));
  assertScope(tokens, screenplay, 'tool', 'support.type.property-name.ai-use');
  assertScope(tokens, screenplay, 'Midjourney 6.1', 'string.unquoted.value.ai-use');
  assertScope(tokens, screenplay, 'real-person', 'constant.language.value.ai-use');
  assertScope(tokens, screenplay, 'fictional', 'constant.language.value.ai-use');
  // The second line of the two-line tag.
  assertScope(tokens, screenplay, 'presented-as', 'support.type.property-name.ai-use');
  assertScope(tokens, screenplay, 'archival', 'constant.language.value.ai-use');
  assertScope(tokens, screenplay, 'Mara Quinn', 'string.unquoted.value.ai-use');
  const semicolon = tokensOf(tokens, screenplay, 'generated;')[1];
  assert.ok(hasScope(semicolon.scopes, 'punctuation.separator.field.ai-use'));
  const comma = tokensOf(tokens, screenplay, 'real-person,')[1];
  assert.ok(hasScope(comma.scopes, 'punctuation.separator.list.ai-use'));
});

test('Fountain: a tag in dialogue; a quoted value holds its ;', async () => {
  const tokens = await tokenize(FOUNTAIN, screenplay);
  assertScope(tokens, screenplay, 'audio.voice-clone', KIND);
  assertScope(tokens, screenplay, 'Kate Lee', 'string.unquoted.value.ai-use');
  assertScope(tokens, screenplay, 'pending', 'constant.language.value.ai-use');
  assertScope(tokens, screenplay, '"calm; low"', 'string.quoted.double.ai-use');
  assertNoScope(tokens, screenplay, '"calm; low"', 'punctuation.separator.field');
});

test('Fountain: a plain note stays a plain note', async () => {
  const tokens = await tokenize(FOUNTAIN, screenplay);
  assertScope(tokens, screenplay, 'Remember to call the archive about this.', 'meta.note.fountain');
  assertUntagged(tokens, screenplay, 'Remember to call the archive about this.');
  for (const text of ['[[aim higher: a note]]', '[[AI is everywhere]]', '[[ see ai: later ]]']) {
    const t = await tokenize(FOUNTAIN, `Action. ${text}\n`);
    assertUntagged(t, `Action. ${text}\n`, text);
  }
});

test('Fountain: not a tag inside a boneyard', async () => {
  const tokens = await tokenize(FOUNTAIN, screenplay);
  const inBoneyard = '[[ai: image.generated; tool: Sora]]';
  assertScope(tokens, screenplay, inBoneyard, 'comment.block.boneyard.fountain');
  assertUntagged(tokens, screenplay, inBoneyard);
  const text = 'Action.\n\n/*\n[[ai: image.generated]]\n\n[[ai-lint: disable-file]]\n*/\n';
  const t = await tokenize(FOUNTAIN, text);
  assertUntagged(t, text, 'image.generated');
  assertUntagged(t, text, 'disable-file');
});

test('Fountain: directives: marker, command, rule ids, -- reason', async () => {
  const tokens = await tokenize(FOUNTAIN, screenplay);
  assertScope(tokens, screenplay, 'ai-lint', 'keyword.control.marker.directive.ai-use');
  assertScope(tokens, screenplay, 'disable', 'support.function.directive.ai-use');
  assertScope(tokens, screenplay, 'netflix/final-deliverable', 'entity.name.tag.rule-id.ai-use');
  assertScope(tokens, screenplay, 'apa/cue-sheet-fields', 'entity.name.tag.rule-id.ai-use');
  assertScope(tokens, screenplay, '--', 'punctuation.separator.reason.ai-use');
  assertScope(tokens, screenplay, 'temp VFX, replaced in online', 'string.unquoted.reason.ai-use');
  assertScope(tokens, screenplay, 'disable-next', 'support.function.directive.ai-use');
  for (const command of ['enable', 'disable-file', 'disable-next-line', 'DISABLE']) {
    const text = `[[ai-lint: ${command}]]\n`;
    const t = await tokenize(FOUNTAIN, text);
    assertScope(t, text, command, 'support.function.directive.ai-use');
  }
  const bad = '[[ai-lint: switch-off core/unknown-kind]]\n';
  const t = await tokenize(FOUNTAIN, bad);
  assertNoScope(t, bad, 'switch-off', 'support.function.directive');
});

test('Fountain: waive fields, timecodes and custom keys', async () => {
  const tokens = await tokenize(FOUNTAIN, screenplay);
  assertScope(tokens, screenplay, 'netflix/final-deliverable', 'entity.name.tag.rule-id.ai-use', 1);
  assertScope(tokens, screenplay, 'netflix/final-deliverable', 'meta.field.ai-use', 1);
  assertScope(tokens, screenplay, 'temp comp', 'string.unquoted.reason.ai-use');
  assertNoScope(tokens, screenplay, 'timecode', 'string.unquoted.reason');
  assertScope(tokens, screenplay, '00:12:40:00', 'constant.numeric.timecode.ai-use');
  assertScope(tokens, screenplay, '00:12:45:10', 'constant.numeric.timecode.ai-use');
  assertScope(tokens, screenplay, 'x-shot', 'support.type.property-name.custom.ai-use');
});

test('Fountain: kind on the line after the marker, explicit kind:, upper-case marker', async () => {
  const cases: [string, string][] = [
    ['[[ai:\n  likeness.de-age; stage: temp]]', 'likeness.de-age'],
    ['[[AI: Image.Concept]]', 'Image.Concept'],
    ['[[ ai : audio.music ]]', 'audio.music'],
    ['[[ai: tool: Suno; kind: audio.music]]', 'audio.music'],
  ];
  for (const [note, kind] of cases) {
    const text = `Action. ${note}\n`;
    const tokens = await tokenize(FOUNTAIN, text);
    assertScope(tokens, text, kind, KIND);
  }
  // Only the first key-less field is the kind.
  const text = '[[ai: tool: Suno; audio.music]]\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertNoScope(tokens, text, 'audio.music', KIND);
});

test('Fountain: an unclosed quote does not swallow the end of the note', async () => {
  const text = '[[ai: image.generated; prompt: "a cat]] and then\n\nINT. HOUSE - DAY\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertScope(tokens, text, 'a cat', 'string.quoted.double.ai-use');
  assertNoScope(tokens, text, 'and then', 'meta.note');
  assertScope(tokens, text, 'HOUSE - DAY', 'entity.name.section.scene.fountain');
});

test('Fountain: every enum value of the vocabulary is coloured as one, free text in enum-less keys is not', async () => {
  for (const key of KEYS) {
    for (const { value } of key.values ?? []) {
      const text = `[[ai: image.generated; ${key.key}: ${value}]]\n`;
      const tokens = await tokenize(FOUNTAIN, text);
      assertScope(tokens, text, `: ${value}]]`.slice(2, -2), 'constant.language.value.ai-use', 0);
    }
  }
  const text = '[[ai: image.generated; tool: final; stage: Final Cut Pro]]\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertScope(tokens, text, 'final', 'string.unquoted.value.ai-use');
  assertScope(tokens, text, 'Final Cut Pro', 'string.unquoted.value.ai-use');
});

test('Fountain: tags in notes of the other Fountain extensions\' grammar (same scope name), not in their boneyard', async () => {
  const other = new Map([[FOUNTAIN, { file: path.join(ROOT, 'test/grammar/fixtures/other-fountain.tmLanguage.json') }]]);
  const text = 'INT. HOUSE - DAY\n\nA photo. [[ai: image.generated; stage: final]]\n\n[[just a note]]\n\n/* [[ai: image.concept]] */\n';
  const tokens = await tokenizeWithExtra(other, FOUNTAIN, text);
  assertScope(tokens, text, 'image.generated', KIND);
  assertScope(tokens, text, 'final', 'constant.language.value.ai-use');
  assertUntagged(tokens, text, 'just a note');
  assertScope(tokens, text, 'image.concept', 'comment.block.fountain');
  assertUntagged(tokens, text, 'image.concept');
});

// ---------------------------------------------------------------------------------------------
// Markdown (VS Code's own markdown grammar as the host)

test('Markdown: image.enhanced is the kind inside an HTML comment; multi-line comments too', async () => {
  const tokens = await tokenize(MARKDOWN, notes);
  assertScope(tokens, notes, 'image.enhanced', KIND);
  assertScope(tokens, notes, 'image.enhanced', 'comment.block.html');
  assertScope(tokens, notes, 'audio.voice-clone', KIND);
  assertScope(tokens, notes, 'ElevenLabs', 'string.unquoted.value.ai-use');
  assertScope(tokens, notes, 'yes', 'constant.language.value.ai-use');
  // Second line of the comment.
  assertScope(tokens, notes, 'consent', 'support.type.property-name.ai-use');
  assertScope(tokens, notes, 'on-screen', 'constant.language.value.ai-use');
  assertScope(tokens, notes, 'credits', 'constant.language.value.ai-use');
  assertScope(tokens, notes, '00:12:40:00', 'constant.numeric.timecode.ai-use');
  assertNoScope(tokens, notes, '-->', 'constant.numeric.timecode');
});

test('Markdown: an inline [[ai: ...]] in text is a tag', async () => {
  const tokens = await tokenize(MARKDOWN, notes);
  assertScope(tokens, notes, 'video.generated', KIND);
  assertScope(tokens, notes, 'Runway Gen-4', 'string.unquoted.value.ai-use');
  assertUntagged(tokens, notes, 'needs a label.');
});

test('Markdown: a plain comment stays plain; directives in comments are coloured', async () => {
  const tokens = await tokenize(MARKDOWN, notes);
  assertScope(tokens, notes, 'check the levels', 'comment.block.html');
  assertUntagged(tokens, notes, 'check the levels');
  assertScope(tokens, notes, 'disable-file', 'support.function.directive.ai-use');
  assertScope(tokens, notes, 'notes for legal only', 'string.unquoted.reason.ai-use');
});

test('Markdown: not a tag in a code span, a fenced code block (any language) or an indented code block', async () => {
  const tokens = await tokenize(MARKDOWN, notes);
  const occurrences = notes.split('image.generated').length - 1;
  assert.equal(occurrences, 6, 'fixture: every image.generated in notes.md is in code');
  for (let i = 0; i < occurrences; i++) assertUntagged(tokens, notes, 'image.generated', i);
  // And the fenced html block does hold an HTML comment (the reason the selector excludes code).
  assertScope(tokens, notes, '<!--', 'meta.embedded.block.html', 6);
});
