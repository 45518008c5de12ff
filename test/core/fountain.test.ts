import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFountain, parseFountainScript } from '../../server/src/core/fountain.js';
import type { FountainElementType } from '../../server/src/core/fountain.js';
import type { ParsedDocument, Position, Range, Tag } from '../../server/src/core/types.js';

// ../shared sits beside the clone, here and in CI.
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/fountain', import.meta.url));

/**
 * Position of the `nth` occurrence of `needle`, worked out here by counting line breaks (CRLF,
 * CR and LF) rather than with the LineIndex the parser uses.
 */
function where(text: string, needle: string, nth = 0): Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `"${needle}" #${nth} not in the text`);
  }
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') continue;
    if (c === '\r' || c === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** The range of the `nth` occurrence of a one-line `needle`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  const start = where(text, needle, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

/** The source text a range covers (lines split independently of the parser). */
function cover(text: string, range: Range): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  const parts = [lines[range.start.line].slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l]);
  parts.push(lines[range.end.line].slice(0, range.end.character));
  return parts.join('\n');
}

function field(tag: Tag, key: string) {
  const f = tag.fields.find((x) => x.key === key);
  assert.ok(f, `field ${key} missing`);
  return f;
}

function onlyTag(doc: ParsedDocument): Tag {
  assert.equal(doc.tags.length, 1, 'expected exactly one tag');
  return doc.tags[0];
}

function types(text: string): [FountainElementType, string][] {
  return parseFountainScript(text).elements.map((e) => [e.type, e.text]);
}

// ---------------------------------------------------------------------------------------------
// Elements

test('a small script: every element type is recognised with its display text', () => {
  const script = [
    '# Act One', //                      0
    '',
    '= The set-up.', //                  2
    '',
    'INT. KITCHEN - NIGHT', //           4
    '',
    'Mara pours coffee.', //             6
    'The radio hums.', //                7
    '',
    'MARA (V.O.)', //                    9
    '(quietly)', //                      10
    'Nobody sleeps here.',
    'Not any more.',
    '',
    'CUT TO:', //                        14
    '',
    '>THE END<', //                      16
    '',
    '~Row, row, row your boat', //       18
    '',
    '===', //                            20
  ].join('\n');
  assert.deepEqual(types(script), [
    ['section', 'Act One'],
    ['synopsis', 'The set-up.'],
    ['scene-heading', 'INT. KITCHEN - NIGHT'],
    ['action', 'Mara pours coffee.\nThe radio hums.'],
    ['character', 'MARA (V.O.)'],
    ['parenthetical', '(quietly)'],
    ['dialogue', 'Nobody sleeps here.\nNot any more.'],
    ['transition', 'CUT TO:'],
    ['centered', 'THE END'],
    ['lyrics', 'Row, row, row your boat'],
    ['page-break', ''],
  ]);
  const els = parseFountainScript(script).elements;
  // A two-line action paragraph spans both lines, up to the end of the second.
  assert.deepEqual(els[3].range, { start: { line: 6, character: 0 }, end: { line: 7, character: 15 } });
  assert.equal(els[0].level, 1);
  assert.deepEqual(els[6].range, { start: { line: 11, character: 0 }, end: { line: 12, character: 13 } });
});

test('forced elements: . ! @ > ~ and the cases that are not forced', () => {
  const script = [
    '.FLASHBACK - 1987', //    forced heading
    '',
    '...and then nothing.', // ellipsis: action, not a heading
    '',
    '!INT. NOT A HEADING', //  forced action
    '',
    '@McCLANE', //              forced character (mixed case)
    'Yippee ki-yay.',
    '',
    '>SMASH CUT', //           forced transition
    '',
    'BRICK ^', //               dual dialogue
    'Hi.',
    '',
    '  >  centered text  <  ',
  ].join('\n');
  assert.deepEqual(types(script), [
    ['scene-heading', 'FLASHBACK - 1987'],
    ['action', '...and then nothing.'],
    ['action', 'INT. NOT A HEADING'],
    ['character', 'McCLANE'],
    ['dialogue', 'Yippee ki-yay.'],
    ['transition', 'SMASH CUT'],
    ['character', 'BRICK'],
    ['dialogue', 'Hi.'],
    ['centered', 'centered text'],
  ]);
  const els = parseFountainScript(script).elements;
  assert.equal(els[6].dual, true);
  assert.equal(els[3].dual, undefined);
  // The range keeps the forcing character: it is part of what the user sees and edits.
  assert.deepEqual(els[0].range, rangeOf(script, '.FLASHBACK - 1987'));
  assert.deepEqual(els[8].range, rangeOf(script, '>  centered text  <'));
});

test('scene heading prefixes follow Fountain: INT EXT EST INT./EXT INT/EXT I/E, any case, then . or space', () => {
  const headings = ['INT. A', 'EXT B', 'EST. C', 'INT./EXT. D', 'INT/EXT E', 'I/E F', 'int. g'];
  const notHeadings = ['INTERIOR DESIGN is her passion.', 'Extra! Extra!', 'EXT/INT. SHACK'];
  const script = [...headings, ...notHeadings].join('\n\n');
  const els = parseFountainScript(script).elements;
  assert.deepEqual(els.filter((e) => e.type === 'scene-heading').map((e) => e.text), headings);
  assert.equal(els.length, headings.length + notHeadings.length);
});

test('a heading needs a blank line before it; a line right after it is action', () => {
  assert.deepEqual(types('Mara waits.\nINT. HOUSE - DAY\n\nEXT. YARD - DAY\nMara runs.'), [
    ['action', 'Mara waits.\nINT. HOUSE - DAY'],
    ['scene-heading', 'EXT. YARD - DAY'],
    ['action', 'Mara runs.'],
  ]);
});

test('scene numbers are read off the heading and kept out of its text', () => {
  const text = readFileSync(join(CORPUS, 'nyousefi__SceneNumbers.fountain'), 'utf8');
  const headings = parseFountainScript(text).elements.filter((e) => e.type === 'scene-heading');
  assert.deepEqual(headings.map((h) => h.sceneNumber), ['1', '1A', '1a', 'A1', 'I-1-A', '1.', '110A']);
  assert.deepEqual(headings.map((h) => h.text), [...Array(6).fill('INT. HOUSE - DAY'), 'INT. HOUSE - DAY - FLASHBACK (1944)']);
  // The range still covers the number: it is on the line the user sees.
  assert.equal(headings[1].range.end.character, 'INT. HOUSE - DAY #1A#'.length);
  const forced = parseFountainScript('.SNIPER SCOPE POV #12#').elements[0];
  assert.deepEqual([forced.type, forced.text, forced.sceneNumber], ['scene-heading', 'SNIPER SCOPE POV', '12']);
  // A `#` that is not a closed `#...#` number stays in the text.
  assert.equal(parseFountainScript('INT. ROOM #5').elements[0].text, 'INT. ROOM #5');
});

test('characters: upper-case names in any script, lower-case extensions, not numbers or mixed case', () => {
  assert.deepEqual(types('МАША\nПривет.\n\nHANS (on the radio)\nNow!\n\nR2D2\nBeep.\n\n23\nNot a name.\n\nMara\nNot a name either.'), [
    ['character', 'МАША'],
    ['dialogue', 'Привет.'],
    ['character', 'HANS (on the radio)'],
    ['dialogue', 'Now!'],
    ['character', 'R2D2'],
    ['dialogue', 'Beep.'],
    ['action', '23\nNot a name.'],
    ['action', 'Mara\nNot a name either.'],
  ]);
  // An upper-case line with a blank line after it is action (there is no dialogue).
  assert.deepEqual(types('BANG!\n\nThe door flies open.'), [['action', 'BANG!'], ['action', 'The door flies open.']]);
});

test('the two-space line keeps dialogue together; a blank line ends it', () => {
  const els = parseFountainScript('MARA\nFirst line.\n  \nSecond paragraph.\n\nAction again.').elements;
  assert.deepEqual(els.map((e) => e.type), ['character', 'dialogue', 'action']);
  assert.equal(els[1].text, 'First line.\n\nSecond paragraph.');
  assert.equal(els[1].range.end.line, 3);
});

test('sections nest by their number of #, and a section ends the scene before it', () => {
  const doc = parseFountain('# Act 1\n\n## Seq 1\n\nINT. A - DAY\n\nAction.\n\n# Act 2\n\n[[ai: text.draft]]\n\nMore action.');
  assert.deepEqual(doc.outline.map((o) => [o.kind, o.title, o.level]), [
    ['section', 'Act 1', 1],
    ['section', 'Seq 1', 2],
    ['scene', 'INT. A - DAY', 0],
    ['section', 'Act 2', 1],
  ]);
  const tag = onlyTag(doc);
  assert.equal(tag.section, 'Act 2');
  assert.equal(tag.scene, undefined);
});

// ---------------------------------------------------------------------------------------------
// Title page

test('title page: Genre and AI-Guidelines with exact value ranges, multi-line and lower-case keys', () => {
  const text = [
    'Title:',
    '    The Last Archive',
    '    Part One',
    'genre: True Crime',
    'AI-Guidelines: netflix, apa',
    'Contact:',
    '\tmara@example.com',
    '\tphone: 555-0100',
    '',
    'INT. ARCHIVE - DAY',
  ].join('\n');
  const doc = parseFountain(text);
  assert.deepEqual([...doc.metadata.keys()], ['title', 'genre', 'ai-guidelines', 'contact']);
  const genre = doc.metadata.get('genre')!;
  assert.equal(genre.key, 'genre');
  assert.equal(genre.value, 'True Crime');
  assert.deepEqual(genre.valueRange, rangeOf(text, 'True Crime'));
  assert.deepEqual(genre.keyRange, rangeOf(text, 'genre'));
  const guidelines = doc.metadata.get('ai-guidelines')!;
  assert.equal(guidelines.value, 'netflix, apa');
  assert.deepEqual(guidelines.valueRange, rangeOf(text, 'netflix, apa'));
  const title = doc.metadata.get('title')!;
  assert.equal(title.value, 'The Last Archive\nPart One');
  assert.deepEqual(title.valueRange, { start: where(text, 'The Last'), end: { line: 2, character: 12 } });
  // An indented "phone: ..." continues Contact; it is not a key of its own.
  assert.equal(doc.metadata.get('contact')!.value, 'mara@example.com\nphone: 555-0100');
  assert.equal(doc.outline[0].title, 'INT. ARCHIVE - DAY');
  // The title page is not prose.
  assert.ok(doc.prose.every((s) => s.start >= text.indexOf('INT.')));
});

test('title page after a note, after blank lines, after a BOM, and with CRLF line breaks', () => {
  const text = '\uFEFF[[Script note.\r\n- draft 3\r\n]]\r\n\r\nTitle: Big Fish\r\nGenre: Drama\r\n\r\nINT. RIVER - DAY\r\n';
  const doc = parseFountain(text);
  assert.equal(doc.metadata.get('title')?.value, 'Big Fish');
  const genre = doc.metadata.get('genre')!;
  assert.equal(genre.value, 'Drama');
  assert.deepEqual(genre.valueRange, { start: { line: 5, character: 7 }, end: { line: 5, character: 12 } });
  assert.deepEqual(doc.outline.map((o) => o.title), ['INT. RIVER - DAY']);

  // The corpus file this comes from: a note, then the title page.
  const corpus = parseFountainScript(readFileSync(join(CORPUS, 'afterwriting__test.fountain'), 'utf8'));
  assert.deepEqual(corpus.titlePage.map((e) => e.key), ['Title', 'Credit', 'Author', 'Source', 'Notes', 'Date', 'Contact', 'Copyright']);
  assert.equal(corpus.titlePage[0].value, '_Screenplay title_\nSecond line');
});

test('FADE IN: at the top is not a title page; an upper-case key with no value needs indented lines', () => {
  const fade = parseFountain('FADE IN:\n\nINT. HOUSE - DAY\n');
  assert.equal(fade.metadata.size, 0);
  // Fountain transitions end in TO:, so FADE IN: is action.
  assert.deepEqual(parseFountainScript('FADE IN:\n\nINT. HOUSE - DAY\n').elements.map((e) => e.type), ['action', 'scene-heading']);
  assert.deepEqual(parseFountainScript('CUT TO:\n\nINT. HOUSE - DAY\n').elements.map((e) => e.type), ['transition', 'scene-heading']);
  const titled = parseFountain('TITLE:\n   BIG FISH\n\nINT. HOUSE - DAY\n');
  assert.equal(titled.metadata.get('title')?.value, 'BIG FISH');
  // No title page at all: the first line is a heading.
  assert.equal(parseFountain('INT. HOUSE - DAY\n\nMara: hello.').metadata.size, 0);
});

// ---------------------------------------------------------------------------------------------
// Tags: ranges

const SCENE = [
  'INT. NEWSROOM - NIGHT',
  '',
  'A monitor shows the senator. [[ai: video.generated; tool: Runway Gen-4; depicts: real-person]]',
  '',
].join('\n');

test('tag ranges on an LF file: marker, keys and values where the user typed them', () => {
  const tag = onlyTag(parseFountain(SCENE));
  assert.equal(tag.host, 'fountain-note');
  assert.equal(tag.kind, 'video.generated');
  assert.deepEqual(tag.markerRange, { start: { line: 2, character: 31 }, end: { line: 2, character: 33 } });
  assert.deepEqual(tag.range, rangeOf(SCENE, '[[ai: video.generated; tool: Runway Gen-4; depicts: real-person]]'));
  assert.deepEqual(field(tag, 'tool').keyRange, rangeOf(SCENE, 'tool'));
  assert.deepEqual(field(tag, 'tool').valueRange, rangeOf(SCENE, 'Runway Gen-4'));
  assert.deepEqual(field(tag, 'depicts').valueRange, rangeOf(SCENE, 'real-person'));
  assert.equal(tag.scene, 'INT. NEWSROOM - NIGHT');
  // The note sits inside the action paragraph: that paragraph is its anchor.
  assert.deepEqual(tag.anchor.start, { line: 2, character: 0 });
});

test('tag ranges are the same on a CRLF file and on a file with lone CR line breaks', () => {
  const lf = onlyTag(parseFountain(SCENE));
  for (const eol of ['\r\n', '\r']) {
    const text = SCENE.split('\n').join(eol);
    const tag = onlyTag(parseFountain(text));
    assert.deepEqual(tag.markerRange, lf.markerRange);
    assert.deepEqual(tag.fields.map((f) => [f.keyRange, f.valueRange]), lf.fields.map((f) => [f.keyRange, f.valueRange]));
    assert.deepEqual(tag.anchor, lf.anchor);
    assert.deepEqual(field(tag, 'tool').valueRange, rangeOf(text, 'Runway Gen-4'));
  }
});

test('a leading BOM is skipped by the syntax but counts as a code unit in ranges', () => {
  const text = '\uFEFFINT. HOUSE - DAY\n\n[[ai: image.generated; tool: Flux]] Mara waves.';
  const doc = parseFountain(text);
  assert.deepEqual(doc.outline.map((o) => [o.title, o.range.start]), [['INT. HOUSE - DAY', { line: 0, character: 1 }]]);
  const tag = onlyTag(doc);
  assert.deepEqual(field(tag, 'tool').valueRange, rangeOf(text, 'Flux'));
  // A BOM right before a note on line 0: `[[` is at 1, `ai` at 3.
  const first = onlyTag(parseFountain('\uFEFF[[ai: text.draft]]\n\nAction.'));
  assert.deepEqual(first.markerRange, { start: { line: 0, character: 3 }, end: { line: 0, character: 5 } });
  assert.deepEqual(first.range.start, { line: 0, character: 1 });
});

test('an emoji earlier on the line counts as two UTF-16 units', () => {
  const text = 'Mara 🎬 waves. [[ai: image.generated; tool: Sora]]';
  const tag = onlyTag(parseFountain(text));
  // "Mara " is 5 units, the emoji 2, " waves. " 8: `[[` at 15, `ai` at 17.
  assert.deepEqual(tag.range.start, { line: 0, character: 15 });
  assert.deepEqual(tag.markerRange.start, { line: 0, character: 17 });
  assert.deepEqual(field(tag, 'tool').valueRange, { start: { line: 0, character: 44 }, end: { line: 0, character: 48 } });
  assert.deepEqual(field(tag, 'tool').valueRange, rangeOf(text, 'Sora'));
});

test('Cyrillic and CJK text around and inside tags', () => {
  const text = 'МАША\nПривет, [[ai: audio.voice-clone; performer: Мария Иванова]] мир.\n\nジョンが入院。[[ai: image.generated; subject: 病院]]';
  const doc = parseFountain(text);
  assert.equal(doc.tags.length, 2);
  const [voice, image] = doc.tags;
  assert.equal(field(voice, 'performer').value, 'Мария Иванова');
  assert.deepEqual(field(voice, 'performer').valueRange, rangeOf(text, 'Мария Иванова'));
  assert.deepEqual(voice.markerRange.start, { line: 1, character: 10 });
  assert.deepEqual(field(image, 'subject').valueRange, rangeOf(text, '病院'));
  assert.deepEqual(image.markerRange.start, { line: 3, character: 9 });
  // The tag in the dialogue is anchored to the dialogue block, which starts at the character.
  const endOfDialogue = where(text, 'мир.');
  assert.deepEqual(voice.anchor, { start: { line: 0, character: 0 }, end: { line: 1, character: endOfDialogue.character + 4 } });
  assert.equal(cover(text, voice.anchor).split('\n')[0], 'МАША');
});

test('a multi-line note is one tag; its second-line fields have their own line', () => {
  const text = [
    'INT. ARCHIVE - DAY',
    '',
    'Footage of the 1969 flood. [[ai: video.generated;',
    '  tool: Veo 3',
    '  presented-as: archival]] The water rises.',
  ].join('\n');
  const tag = onlyTag(parseFountain(text));
  assert.deepEqual(tag.range, { start: where(text, '[[ai'), end: { line: 4, character: 26 } });
  assert.deepEqual(field(tag, 'tool').valueRange, rangeOf(text, 'Veo 3'));
  assert.deepEqual(field(tag, 'presented-as').valueRange, rangeOf(text, 'archival'));
  // The action paragraph around the note runs from line 2 to "rises." on line 4; the line that
  // is all note is not part of its text.
  const action = parseFountainScript(text).elements[1];
  assert.equal(action.type, 'action');
  assert.equal(action.text, 'Footage of the 1969 flood.\nThe water rises.');
  assert.deepEqual(action.range, { start: { line: 2, character: 0 }, end: rangeOf(text, 'The water rises.').end });
  assert.deepEqual(tag.anchor, action.range);
});

test('a blank line ends a note unless it holds two spaces', () => {
  const connected = parseFountain('Action.\n\n[[ai: image.generated;\n  \ntool: Midjourney]]\n\nMore.');
  assert.equal(field(onlyTag(connected), 'tool').value, 'Midjourney');
  assert.equal(connected.problems.length, 0);

  const text = 'Action.\n\n[[ai: image.generated;\n\ntool: Midjourney]]\n\nMore.';
  const broken = parseFountain(text);
  assert.equal(broken.tags.length, 0);
  // Not silently dropped: the writer is told the note never closed.
  assert.equal(broken.problems.length, 1);
  assert.equal(broken.problems[0].ruleId, 'core/tag-syntax');
  assert.deepEqual(broken.problems[0].range, rangeOf(text, '[['));
  // The unclosed text is plain text, so it is prose.
  const at = text.indexOf('[[ai');
  assert.ok(broken.prose.some((s) => s.start <= at && at < s.end));
});

test('notes and tags inside a boneyard are not tags; text after the boneyard is', () => {
  const text = [
    'INT. LAB - DAY',
    '',
    '/* cut scene:',
    '[[ai: image.generated; tool: DALL-E]]',
    '',
    'Old action. */',
    '',
    'New action. [[ai: image.concept]] /* [[ai: audio.music]] */',
  ].join('\n');
  const script = parseFountainScript(text);
  assert.equal(script.boneyards.length, 2);
  assert.equal(script.notes.length, 1);
  const doc = parseFountain(text);
  assert.deepEqual(doc.tags.map((t) => t.kind), ['image.concept']);
  assert.deepEqual(script.elements.map((e) => [e.type, e.text]), [
    ['scene-heading', 'INT. LAB - DAY'],
    ['action', 'New action.'],
  ]);
  // Prose leaves out the notes and the boneyards.
  const prose = doc.prose.map((s) => text.slice(s.start, s.end)).join('|');
  assert.ok(!prose.includes('DALL-E') && !prose.includes('Old action') && !prose.includes('image.concept'), prose);
  assert.ok(prose.includes('New action.'));
});

test('an unclosed [[ or /* is plain text', () => {
  const script = parseFountainScript('Mara types [[ and /* and leaves.\n\nINT. ROOM - DAY');
  assert.deepEqual(script.elements.map((e) => [e.type, e.text]), [
    ['action', 'Mara types [[ and /* and leaves.'],
    ['scene-heading', 'INT. ROOM - DAY'],
  ]);
  assert.equal(script.notes.length, 0);
  assert.equal(script.boneyards.length, 0);
});

test('directives are read from notes too', () => {
  const doc = parseFountain('[[ai-lint: disable netflix/final-deliverable -- approved by legal]]\n\nAction.');
  assert.equal(doc.tags.length, 0);
  assert.equal(doc.directives.length, 1);
  assert.equal(doc.directives[0].command, 'disable');
  assert.deepEqual(doc.directives[0].rules, ['netflix/final-deliverable']);
});

// ---------------------------------------------------------------------------------------------
// Tags: scene, section and anchor

test('tags know their scene heading and innermost section; anchors are the first line of their element', () => {
  const text = [
    '# Act 1', //                                      0
    '## Sequence A', //                                1
    '',
    'INT. HOSPITAL - DAY #4#', //                      3
    '',
    'The doctor reads a chart.', //                    5
    'She frowns. [[ai: image.generated; id: chart]]', // 6
    '',
    '[[ai: audio.music; id: score]]', //               8  (own paragraph)
    '',
    'DR. OKAFOR', //                                   10
    '(to herself)', //                                 11
    'Not again. [[ai: audio.voice-clone; id: voice]]', // 12
    '',
    'EXT. PARKING LOT - NIGHT', //                      14
    '[[ai: video.generated; id: lot]]', //              15 (right under the heading)
    '',
    'Rain.', //                                        17
    '',
    '[[ai: text.draft; id: last]]', //                 19 (nothing after it)
  ].join('\n');
  const tags = new Map(parseFountain(text).tags.map((t) => [field(t, 'id').value, t]));
  const chart = tags.get('chart')!;
  assert.equal(chart.scene, 'INT. HOSPITAL - DAY');
  assert.equal(chart.section, 'Sequence A');
  // The paragraph it sits in, from its first line to "frowns." (the note itself is not element text).
  assert.deepEqual(chart.anchor, { start: { line: 5, character: 0 }, end: { line: 6, character: 11 } });

  // Standing alone, the note annotates the next element: the dialogue block starting at line 10.
  const score = tags.get('score')!;
  assert.deepEqual(score.anchor.start, { line: 10, character: 0 });
  assert.equal(score.scene, 'INT. HOSPITAL - DAY');

  // Inside dialogue: the whole block, from the character line.
  const voice = tags.get('voice')!;
  assert.deepEqual(voice.anchor, { start: { line: 10, character: 0 }, end: { line: 12, character: 10 } });

  const lot = tags.get('lot')!;
  assert.equal(lot.scene, 'EXT. PARKING LOT - NIGHT');
  assert.deepEqual(lot.anchor, rangeOf(text, 'EXT. PARKING LOT - NIGHT'));

  // Nothing follows the last note: it anchors to itself.
  const last = tags.get('last')!;
  assert.deepEqual(last.anchor, last.range);
  assert.equal(last.scene, 'EXT. PARKING LOT - NIGHT');
  assert.equal(last.section, 'Sequence A');
});

test('a standalone note belongs to the scene and section it stands in, though it anchors to the element after it', () => {
  const text = [
    '# Act One', //                                    0
    '',
    'INT. A - DAY', //                                 2
    '',
    'Action in A.', //                                 4
    '',
    '[[ai: image.generated; id: end-of-a]]', //        6  (last thing in scene A)
    '',
    'INT. B - DAY', //                                 8
    '',
    'Action in B.', //                                 10
    '',
    '[[ai: audio.music; id: before-act-two]]', //      12 (last thing in Act One)
    '',
    '# Act Two', //                                    14
    '',
    'INT. C - NIGHT [[ai: video.generated; id: on-heading]]', // 16
  ].join('\n');
  const tags = new Map(parseFountain(text).tags.map((t) => [field(t, 'id').value, t]));
  const endOfA = tags.get('end-of-a')!;
  assert.equal(endOfA.scene, 'INT. A - DAY');
  assert.equal(endOfA.section, 'Act One');
  // A disclosure for it still goes before the element it annotates.
  assert.deepEqual(endOfA.anchor, rangeOf(text, 'INT. B - DAY'));
  const beforeActTwo = tags.get('before-act-two')!;
  assert.equal(beforeActTwo.scene, 'INT. B - DAY');
  assert.equal(beforeActTwo.section, 'Act One');
  assert.equal(beforeActTwo.anchor.start.line, 14);
  const onHeading = tags.get('on-heading')!;
  assert.equal(onHeading.scene, 'INT. C - NIGHT');
  assert.equal(onHeading.section, 'Act Two');
});

test('a tag in a title page value: the value is read without it; its anchor is the entry', () => {
  const text = 'Title: Deep River [[ai: text.ideation; tool: ChatGPT]]\nGenre: documentary\n\nINT. RIVER - DAY';
  const doc = parseFountain(text);
  assert.equal(doc.metadata.get('title')?.value, 'Deep River');
  assert.deepEqual(doc.metadata.get('title')?.valueRange, rangeOf(text, 'Deep River'));
  const tag = onlyTag(doc);
  assert.deepEqual(tag.anchor.start, { line: 0, character: 0 });
  assert.equal(tag.scene, undefined);
});

// ---------------------------------------------------------------------------------------------
// Corpus and robustness

test('all 33 corpus files parse, with every range inside the document', () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.fountain'));
  assert.equal(files.length, 33);
  for (const file of files) {
    // 'utf8' turns invalid bytes into U+FFFD, as an editor would show them.
    const text = readFileSync(join(CORPUS, file), 'utf8');
    const lines = text.split(/\r\n|\r|\n/);
    const inside = (r: Range): boolean =>
      r.start.line < lines.length && r.end.line < lines.length &&
      r.start.character <= lines[r.start.line].length && r.end.character <= lines[r.end.line].length &&
      (r.start.line < r.end.line || r.start.character <= r.end.character);
    const script = parseFountainScript(text);
    const doc = parseFountain(text);
    for (const e of script.elements) assert.ok(inside(e.range), `${file}: ${e.type} ${JSON.stringify(e.range)}`);
    for (const n of script.notes) assert.ok(inside(n.range), `${file}: note`);
    for (const t of doc.tags) assert.ok(inside(t.range) && inside(t.anchor), `${file}: tag`);
    for (const m of doc.metadata.values()) assert.ok(inside(m.keyRange) && inside(m.valueRange), `${file}: ${m.key}`);
    for (const s of doc.prose) assert.ok(0 <= s.start && s.start < s.end && s.end <= text.length, `${file}: prose`);
  }
});

test('corpus files with a BOM, invalid UTF-8, Cyrillic and Japanese', () => {
  const bom = parseFountainScript(readFileSync(join(CORPUS, 'screenplain__utf-8-bom.fountain'), 'utf8'));
  assert.deepEqual([bom.elements[0].type, bom.elements[0].text, bom.elements[0].range.start.character], ['scene-heading', 'EXT. SOMEWHERE - DAY', 1]);

  const latin1 = readFileSync(join(CORPUS, 'fountain-js__bigfish_latin1.fountain'), 'utf8');
  assert.ok(latin1.includes('\uFFFD'));
  assert.equal(parseFountainScript(latin1).elements.filter((e) => e.type === 'scene-heading').length, 190);

  const cyrillic = parseFountainScript(readFileSync(join(CORPUS, 'afterwriting__cyrillic.fountain'), 'utf8'));
  assert.equal(cyrillic.titlePage[0].value, 'Лорем ипсум');
  assert.deepEqual(cyrillic.elements.filter((e) => e.type === 'character').map((e) => e.text), ['МАШA']);

  const jp = parseFountainScript(readFileSync(join(CORPUS, 'afterwriting__jp.fountain'), 'utf8'));
  // Full-width colons in the title page, the ideographic full stop after INT.
  assert.deepEqual(jp.titlePage.map((e) => [e.key, e.value]), [['Title', '映画'], ['Author', '匿名']]);
  assert.deepEqual(jp.elements.filter((e) => e.type === 'scene-heading').map((e) => e.text), ['INT。 病院-日']);
});

test('Big Fish (screenplain) has 190 scene headings', () => {
  // Counted independently of this parser, with Python over the raw lines: a line whose trimmed
  // text matches /^(INT|EXT|EST|INT\.\/EXT|INT\/EXT|I\/E)[. ]/i or /^\.[A-Za-z0-9]/ (forced), with a
  // blank line before it (or the start of the file) and after it. That gives 190, and all 190 have
  // the blank line after as well. By eye: the file has no forced headings, no indented headings,
  // no notes, boneyards or `#`; the two "EXT/INT." lines (2446, 3815) are not Fountain prefixes
  // and stay action, and "Establishing this Texas institution..." and "INTERCUT WITH:" are not
  // headings either. The title page (lines 1-9) holds none.
  const text = readFileSync(join(CORPUS, 'screenplain__Big-Fish.fountain'), 'utf8');
  const doc = parseFountain(text);
  assert.equal(doc.outline.filter((o) => o.kind === 'scene').length, 190);
  assert.deepEqual([doc.outline[0].title, doc.outline[0].range.start.line], ["INT.  WILL'S BEDROOM - NIGHT (1973)", 30]);
  const lines = text.split('\n');
  assert.ok(doc.outline.every((o) => lines[o.range.start.line].startsWith(o.title)));
});

// Inputs that a quadratic parser could not finish: the timeout fails such a parser instead of
// hanging the run. They assert what the parse found, not how long it took.
const HUGE = 2 * 1024 * 1024;

test('2 MB of [[ is plain text, read in one pass', { timeout: 60_000 }, () => {
  const text = '[['.repeat(HUGE / 2);
  const doc = parseFountain(text);
  assert.equal(doc.tags.length, 0);
  assert.equal(parseFountainScript(text).notes.length, 0);
  assert.deepEqual(doc.prose, [{ start: 0, end: text.length }]);
});

test('2 MB of /* is boneyards, read in one pass', { timeout: 60_000 }, () => {
  const text = '/*'.repeat(HUGE / 2);
  // "/*/*/" closes at the first "*/" that does not overlap the opener: every 6 characters.
  const script = parseFountainScript(text);
  assert.equal(script.boneyards.length, Math.floor((text.length - 5) / 6) + 1);
  assert.deepEqual(script.boneyards[1], { start: 6, end: 11 });
  // A single unclosed /* followed by 2 MB of text is plain text.
  const unclosed = parseFountainScript('/*' + 'x'.repeat(HUGE));
  assert.equal(unclosed.boneyards.length, 0);
  assert.equal(unclosed.elements.length, 1);
});

test('2 MB of ; inside one [[ai: tag, closed and unclosed', { timeout: 60_000 }, () => {
  const body = '[[ai: image.generated' + ';'.repeat(HUGE) + 'tool: Sora';
  const closed = onlyTag(parseFountain(body + ']]'));
  assert.equal(field(closed, 'tool').value, 'Sora');
  const open = parseFountain(body);
  assert.equal(open.tags.length, 0);
  assert.equal(open.problems.length, 1);
});

test('2 MB of unclosed [[ai: and of blank-separated notes', { timeout: 60_000 }, () => {
  const unclosed = parseFountain('[[ai: x '.repeat(HUGE / 8));
  assert.equal(unclosed.tags.length, 0);
  assert.equal(unclosed.problems.length, HUGE / 8);
  // Every note is cut by the blank line after it, and the only `]]` is at the very end.
  const cut = parseFountain('[[ai: a\n\n'.repeat(HUGE / 10) + ']]');
  assert.equal(cut.tags.length, 0);
});

test('never throws on odd input', () => {
  const odd = ['', '\uFEFF', '\n', '\r', '\r\n\r\n', '[[', ']]', '[[]]', '/**/', '/*/', '[[ai:]]', '[[ai', '#', '=', '===', '~', '>', '<', '><', '!', '@', '.', '..', '^', 'A\n^', ':', 'Title:', 'Title:\n', '\t\t\n  \n ', '[[ai: a]]\n[[ai: b', '\uD83C', 'INT. #', '#1#', 'INT. X ##'];
  for (const text of odd) {
    assert.doesNotThrow(() => parseFountain(text), JSON.stringify(text));
    assert.doesNotThrow(() => parseFountainScript(text), JSON.stringify(text));
  }
  // Random documents made from Fountain's own syntax characters.
  const alphabet = ['[[', ']]', '/*', '*/', '\n', '\r\n', '  ', 'ai:', 'INT. ', '#', '=', '>', '<', '~', '!', '@', '^', '(', ')', 'A', 'a', 'TO:', ':', ';', '\uFEFF', '🎬', '.'];
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 500; i++) {
    let text = '';
    const len = random(60);
    for (let j = 0; j < len; j++) text += alphabet[random(alphabet.length)];
    const doc = parseFountain(text);
    const lines = text.split(/\r\n|\r|\n/);
    for (const t of doc.tags) {
      assert.ok(t.range.end.line < lines.length && t.anchor.end.line < lines.length, JSON.stringify(text));
    }
    for (const s of doc.prose) assert.ok(s.start < s.end && s.end <= text.length, JSON.stringify(text));
    parseFountainScript(text);
  }
});
