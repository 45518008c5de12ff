// The Fountain grammar (syntaxes/fountain.tmLanguage.json) under a real TextMate engine: what a
// writer sees coloured in a .fountain file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRIBUTED, ROOT, dumpLine, hasScope, scopesOf, tokenize, tokensOf, type Token } from './textmate.js';

const FOUNTAIN = 'text.source.fountain';
const screenplay = readFileSync(path.join(ROOT, 'test/grammar/fixtures/screenplay.fountain'), 'utf8');
const tokensP = tokenize(FOUNTAIN, screenplay);

/** Asserts that the whole of `needle` carries `scope` (a scope or a prefix of one, like a selector). */
function assertScope(tokens: Token[], text: string, needle: string, scope: string, occurrence = 0): void {
  const scopes = scopesOf(tokens, text, needle, occurrence);
  const line = tokensOf(tokens, text, needle, occurrence)[0]?.line ?? 0;
  assert.ok(hasScope(scopes, scope), `"${needle}" should be ${scope}, has [${scopes.join(' ')}]\n${dumpLine(tokens, line)}`);
}

function assertNoScope(tokens: Token[], text: string, needle: string, scope: string, occurrence = 0): void {
  for (const t of tokensOf(tokens, text, needle, occurrence)) {
    assert.ok(!hasScope(t.scopes, scope), `"${t.text}" in "${needle}" should not be ${scope}, has [${t.scopes.join(' ')}]`);
  }
}

test('package.json registers the Fountain grammar for the fountain language under text.source.fountain', () => {
  const fountain = CONTRIBUTED.find((g) => g.language === 'fountain');
  assert.ok(fountain, 'contributes.grammars has an entry for language fountain');
  assert.equal(fountain.scopeName, FOUNTAIN);
  const grammar = JSON.parse(readFileSync(path.join(ROOT, fountain.path), 'utf8')) as { scopeName: string };
  assert.equal(grammar.scopeName, FOUNTAIN, 'the file declares the same scope name as package.json');
});

test('title page: keys are keywords, values strings, indented continuation lines too', async () => {
  const tokens = await tokensP;
  for (const key of ['Title', 'Credit', 'Genre', 'AI-Guidelines', 'Contact']) {
    assertScope(tokens, screenplay, key, 'keyword.other.title-page.fountain');
  }
  assertScope(tokens, screenplay, 'True Crime', 'string.unquoted.title-page.fountain');
  assertScope(tokens, screenplay, 'jane@example.com', 'string.unquoted.title-page.fountain');
});

test('a Key: line later in the script is not a title page key', async () => {
  const text = 'INT. HOUSE - DAY\n\nNote: this is action.\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertNoScope(tokens, text, 'Note', 'keyword.other.title-page');
});

test('FADE IN: alone at the top is not a title page', async () => {
  const text = 'FADE IN:\n\nINT. HOUSE - DAY\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertNoScope(tokens, text, 'FADE IN', 'keyword.other.title-page');
  assertNoScope(tokens, text, 'FADE IN', 'entity.name.type.character');
});

test('scene headings: INT./EXT. prefix, heading text, #12A# scene number', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, 'INT.', 'keyword.other.scene-heading.fountain');
  assertScope(tokens, screenplay, 'PAN HOUSE - LIVING ROOM - NIGHT', 'entity.name.section.scene.fountain');
  assertScope(tokens, screenplay, 'INT. PAN HOUSE - LIVING ROOM - NIGHT', 'markup.heading.scene.fountain');
  assertScope(tokens, screenplay, '12A', 'constant.numeric.scene-number.fountain');
  assertScope(tokens, screenplay, 'EXT.', 'keyword.other.scene-heading.fountain');
  assertScope(tokens, screenplay, 'LAKE - DAY', 'entity.name.section.scene.fountain');
});

test('INT. HOUSE - DAY and its variants are scene headings; an ellipsis is not', async () => {
  const cases = ['INT. HOUSE - DAY', 'EXT HOUSE - NIGHT', 'int./ext. car - moving', 'I/E CAR - DAY', 'EST. CITY - DAWN'];
  for (const heading of cases) {
    const text = `${heading}\n\nAction.\n`;
    const tokens = await tokenize(FOUNTAIN, text);
    assertScope(tokens, text, heading, 'markup.heading.scene.fountain');
  }
  const text = '...and then nothing.\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertNoScope(tokens, text, '...and then', 'markup.heading.scene');
});

test('a forced scene heading .FLASHBACK: the period is punctuation, the rest the heading', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, '.FLASHBACK', 'markup.heading.scene.fountain');
  assertScope(tokens, screenplay, 'FLASHBACK - THE LAKE', 'entity.name.section.scene.fountain');
  const dot = tokensOf(tokens, screenplay, '.FLASHBACK')[0];
  assert.equal(dot.text, '.');
  assert.ok(hasScope(dot.scopes, 'punctuation.definition.scene-heading.forced.fountain'));
});

test('sections and synopses', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, 'ACT ONE', 'entity.name.section.fountain');
  assertScope(tokens, screenplay, '# ACT ONE', 'markup.heading.section.fountain');
  assertScope(tokens, screenplay, 'Mara finds the photo.', 'comment.line.synopsis.fountain');
});

test('character cues, extensions, parentheticals and dialogue', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, 'MARA', 'entity.name.type.character.fountain');
  assertScope(tokens, screenplay, '(V.O.)', 'storage.modifier.character-extension.fountain');
  assertScope(tokens, screenplay, 'whispering', 'variable.parameter.parenthetical.fountain');
  assertScope(tokens, screenplay, 'It was never him.', 'string.unquoted.dialogue.fountain');
  assertNoScope(tokens, screenplay, 'It was never him.', 'variable.parameter.parenthetical');
  // Forced with @ (lower case allowed), dual dialogue caret.
  assertScope(tokens, screenplay, 'McCLANE', 'entity.name.type.character.fountain');
  assertScope(tokens, screenplay, '^', 'keyword.operator.dual-dialogue.fountain');
  assertScope(tokens, screenplay, 'Yippee.', 'string.unquoted.dialogue.fountain');
});

test('an upper-case word inside an action paragraph is no character cue', async () => {
  const text = 'She runs.\nBANG!\nThe door shuts.\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertNoScope(tokens, text, 'BANG!', 'entity.name.type.character');
  assertNoScope(tokens, text, 'The door shuts.', 'string.unquoted.dialogue');
});

test('transitions: TO: and forced >; centered text; lyrics; page breaks', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, 'CUT TO:', 'keyword.other.transition.fountain');
  assertScope(tokens, screenplay, 'SMASH CUT', 'keyword.other.transition.fountain');
  assertScope(tokens, screenplay, 'THE END', 'markup.quote.centered.fountain');
  assertNoScope(tokens, screenplay, 'THE END', 'keyword.other.transition');
  assertScope(tokens, screenplay, 'Row, row, row your boat', 'markup.italic.lyrics.fountain');
  assertScope(tokens, screenplay, '===', 'meta.separator.page-break.fountain');
});

test('emphasis: bold, italic, underline, bold italic; escapes stay plain', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, 'Slowly.', 'markup.bold.fountain');
  assertScope(tokens, screenplay, 'Very', 'markup.italic.fountain');
  assertScope(tokens, screenplay, 'slowly_', 'markup.underline.fountain');
  const text = 'A ***loud*** noise and a \\*literal\\* star.\n';
  const t2 = await tokenize(FOUNTAIN, text);
  assertScope(t2, text, 'loud', 'markup.bold.fountain');
  assertScope(t2, text, 'loud', 'markup.italic.fountain');
  assertNoScope(t2, text, 'literal', 'markup.italic');
});

test('notes are meta.note.fountain (the scope the tag injection targets), on one line or several', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, 'Remember to call the archive about this.', 'meta.note.fountain');
  assertScope(tokens, screenplay, 'Remember to call the archive about this.', 'comment.block.note.fountain');
  // The tag of the fixture spans two lines: the second line is still inside the note.
  assertScope(tokens, screenplay, 'subject', 'meta.note.fountain');
  assertNoScope(tokens, screenplay, 'She picks it up.', 'meta.note');
});

test('a note is ended by a blank line when its ]] never comes', async () => {
  const text = 'Action [[unclosed note\n\nINT. HOUSE - DAY\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assertScope(tokens, text, 'unclosed note', 'meta.note.fountain');
  assertNoScope(tokens, text, 'HOUSE - DAY', 'meta.note');
  assertScope(tokens, text, 'HOUSE - DAY', 'entity.name.section.scene.fountain');
});

test('boneyard /* */ hides everything inside it, across lines, notes and headings included', async () => {
  const tokens = await tokensP;
  assertScope(tokens, screenplay, 'INT. DELETED - DAY', 'comment.block.boneyard.fountain');
  assertNoScope(tokens, screenplay, 'INT. DELETED - DAY', 'markup.heading');
  assertScope(tokens, screenplay, '[[ai: image.generated; tool: Sora]]', 'comment.block.boneyard.fountain');
  assertNoScope(tokens, screenplay, '[[ai: image.generated; tool: Sora]]', 'meta.note');
});

test('the grammar tokenizes pathological input without running away', async () => {
  const text = '[['.repeat(2000) + '\n' + '/*'.repeat(2000) + '\n' + '*'.repeat(3000) + '\n' + '_a'.repeat(3000) + '\n';
  const tokens = await tokenize(FOUNTAIN, text);
  assert.ok(tokens.length > 0);
});
