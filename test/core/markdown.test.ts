import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/line-index.js';
import { hasNothingToCheck, mightContainTags, parseMarkdown } from '../../server/src/core/markdown.js';
import { lintParsed } from '../../server/src/core/lint.js';
import type { ParsedDocument, Range, Tag } from '../../server/src/core/types.js';

/** The text a range covers, for readable assertions. */
function slice(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

/** The range of the `nth` occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" #${nth} is not in the text`);
  }
  return new LineIndex(text).range(at, at + needle.length);
}

function field(tag: Tag, key: string) {
  const found = tag.fields.find((f) => f.key === key);
  assert.ok(found, `no ${key} field`);
  return found;
}

function kinds(doc: ParsedDocument): (string | undefined)[] {
  return doc.tags.map((t) => t.kind);
}

function proseText(doc: ParsedDocument): string {
  return doc.prose.map((s) => doc.text.slice(s.start, s.end)).join('|');
}

test('a block-level comment is a tag: whole-comment range, marker, fields, anchored to the next block', () => {
  const text = '# Notes\n\n<!-- ai: image.generated; tool: Midjourney 6.1; stage: final -->\nShot 12: the harbour at dawn.\n';
  const doc = parseMarkdown(text);
  assert.equal(doc.tags.length, 1);
  const [tag] = doc.tags;
  assert.equal(tag.host, 'markdown-comment');
  assert.equal(slice(text, tag.range), '<!-- ai: image.generated; tool: Midjourney 6.1; stage: final -->');
  assert.equal(slice(text, tag.markerRange), 'ai');
  assert.equal(tag.kind, 'image.generated');
  assert.equal(slice(text, field(tag, 'tool').valueRange), 'Midjourney 6.1');
  assert.equal(slice(text, field(tag, 'stage').keyRange), 'stage');
  assert.deepEqual(tag.anchor, rangeOf(text, 'Shot 12: the harbour at dawn.'));
  assert.deepEqual(doc.problems, []);
});

test('an inline comment in a paragraph is a tag anchored to that paragraph', () => {
  const text = 'Intro.\n\nThe crowd <!-- ai: video.composite; source: news footage --> fills the square.\nSecond line.\n';
  const doc = parseMarkdown(text);
  assert.equal(doc.tags.length, 1);
  const [tag] = doc.tags;
  assert.equal(tag.host, 'markdown-comment');
  assert.equal(slice(text, tag.range), '<!-- ai: video.composite; source: news footage -->');
  assert.equal(slice(text, field(tag, 'source').valueRange), 'news footage');
  assert.equal(slice(text, tag.anchor), 'The crowd <!-- ai: video.composite; source: news footage --> fills the square.\nSecond line.');
});

test('several comments and other HTML in one html node: each comment is read, anchored to that block', () => {
  const text = '<div class="shot">\n<!-- ai: image.generated --><img src="a.png">\n<!-- plain note --><!-- ai: audio.music; tool: Suno -->\n</div>\n\nAfter.\n';
  const doc = parseMarkdown(text);
  assert.deepEqual(kinds(doc), ['image.generated', 'audio.music']);
  assert.equal(slice(text, doc.tags[1].range), '<!-- ai: audio.music; tool: Suno -->');
  assert.equal(slice(text, doc.tags[1].anchor), text.slice(0, text.indexOf('</div>') + 6));
  assert.deepEqual(doc.tags[0].anchor, doc.tags[1].anchor);
});

test('a run of standalone comments anchors to the block after the run; at the end, to the comment itself', () => {
  const text = '<!-- ai: image.concept -->\n<!-- reviewer: ok -->\n<!-- ai: audio.sfx -->\n\n- Shot 4, the storm\n\n<!-- ai: text.ideation -->\n';
  const doc = parseMarkdown(text);
  assert.deepEqual(kinds(doc), ['image.concept', 'audio.sfx', 'text.ideation']);
  assert.equal(slice(text, doc.tags[0].anchor), '- Shot 4, the storm');
  assert.equal(slice(text, doc.tags[1].anchor), '- Shot 4, the storm');
  assert.equal(slice(text, doc.tags[2].anchor), '<!-- ai: text.ideation -->');
});

test('inline [[ai: ...]] in running text is a tag and is cut out of the prose', () => {
  const text = 'Used Midjourney here [[ai: image.concept; tool: Midjourney]] for the boards.\n';
  const doc = parseMarkdown(text);
  assert.equal(doc.tags.length, 1);
  const [tag] = doc.tags;
  assert.equal(tag.host, 'markdown-inline');
  assert.equal(slice(text, tag.range), '[[ai: image.concept; tool: Midjourney]]');
  assert.equal(slice(text, tag.markerRange), 'ai');
  assert.equal(slice(text, field(tag, 'tool').valueRange), 'Midjourney');
  assert.equal(slice(text, tag.anchor), text.trimEnd());
  assert.equal(proseText(doc), 'Used Midjourney here | for the boards.');
});

test('an inline tag may span lines of its paragraph and hold a code span', () => {
  const text = 'The logo [[ai: image.generated;\nprompt: `neon [[sign]]`; stage: temp]] is temporary.\n';
  const doc = parseMarkdown(text);
  assert.equal(doc.tags.length, 1);
  const [tag] = doc.tags;
  assert.equal(slice(text, tag.range), '[[ai: image.generated;\nprompt: `neon [[sign]]`; stage: temp]]');
  assert.equal(tag.range.start.line, 0);
  assert.equal(tag.range.end.line, 1);
  assert.equal(slice(text, field(tag, 'stage').valueRange), 'temp');
});

test('tags inside fenced blocks, indented blocks and code spans are not found', () => {
  const text = [
    '```md',
    '<!-- ai: image.generated -->',
    '[[ai: audio.music]]',
    '```',
    '',
    '~~~',
    '<!-- ai: video.generated -->',
    '~~~',
    '',
    '    <!-- ai: audio.dub -->',
    '    [[ai: likeness.replica]]',
    '',
    'Write `<!-- ai: text.draft -->` or `[[ai: text.rewrite]]` to tag.',
    '',
    '- item with ``[[ai: audio.sfx]]`` only',
    '',
    'The real one: [[ai: image.concept]]',
    '',
  ].join('\n');
  const doc = parseMarkdown(text);
  assert.deepEqual(kinds(doc), ['image.concept']);
  assert.deepEqual(doc.directives, []);
  assert.deepEqual(doc.problems, []);
  // Code is not prose either.
  assert.ok(!proseText(doc).includes('ai:'));
});

test('an escaped [[ is literal text, not a tag', () => {
  const doc = parseMarkdown('Write \\[[ai: image.generated]] to tag a use.\n');
  assert.deepEqual(doc.tags, []);
});

test('front matter genre and ai-guidelines land in metadata with exact key and value ranges', () => {
  const text = '---\nTitle: "Harbour Lights"\ngenre: True Crime\nai-guidelines: [netflix, apa]\nepisode: 012\nnested:\n  a: 1\n---\n\n# One\n';
  // The full parse (this text has nothing to check, so by default its prose is not even read).
  const doc = parseMarkdown(text, { full: true });
  const genre = doc.metadata.get('genre');
  assert.ok(genre);
  assert.equal(genre.key, 'genre');
  assert.equal(genre.value, 'True Crime');
  assert.deepEqual(genre.valueRange, rangeOf(text, 'True Crime'));
  assert.deepEqual(genre.keyRange, rangeOf(text, 'genre'));
  const guidelines = doc.metadata.get('ai-guidelines');
  assert.ok(guidelines);
  assert.equal(guidelines.value, 'netflix, apa');
  assert.equal(slice(text, guidelines.valueRange), '[netflix, apa]');
  const title = doc.metadata.get('title');
  assert.ok(title, 'keys are lower-cased');
  assert.equal(title.key, 'Title');
  assert.equal(title.value, 'Harbour Lights');
  assert.equal(slice(text, title.valueRange), '"Harbour Lights"');
  assert.equal(doc.metadata.get('episode')?.value, '012', 'plain scalars keep their written form');
  assert.equal(doc.metadata.has('nested'), false);
  assert.deepEqual(doc.problems, []);
  // Front matter is neither prose nor an outline entry.
  assert.equal(proseText(doc), 'One');
  assert.deepEqual(doc.outline.map((o) => o.title), ['One']);
});

test('a block list in front matter is joined, its range ends at the last item; an empty value is empty', () => {
  const text = '---\nai-guidelines:\n  - netflix\n  - sag-aftra\ngenre:\n---\nBody\n';
  const doc = parseMarkdown(text);
  const guidelines = doc.metadata.get('ai-guidelines');
  assert.ok(guidelines);
  assert.equal(guidelines.value, 'netflix, sag-aftra');
  assert.equal(slice(text, guidelines.valueRange), '- netflix\n  - sag-aftra');
  const genre = doc.metadata.get('genre');
  assert.ok(genre);
  assert.equal(genre.value, '');
  assert.deepEqual(genre.valueRange.start, genre.valueRange.end);
  assert.deepEqual(genre.valueRange.start, rangeOf(text, 'genre:').end);
});

test('malformed front matter gives a problem at its place, not a throw, and keeps the good keys', () => {
  const text = '---\ngenre: documentary\nai-guidelines: [netflix, apa\ntitle: x\n---\n\n<!-- ai: image.generated -->\nText.\n';
  const doc = parseMarkdown(text);
  const problems = doc.problems.filter((p) => p.ruleId === 'core/invalid-front-matter');
  assert.ok(problems.length >= 1);
  for (const p of problems) {
    assert.ok(p.range.start.line >= 1 && p.range.end.line <= 4, `problem inside the front matter: ${JSON.stringify(p.range)}`);
    assert.match(p.message, /front matter/);
  }
  assert.equal(doc.metadata.get('genre')?.value, 'documentary');
  assert.equal(doc.metadata.has('ai-guidelines'), false, 'a broken value is not guessed at');
  assert.equal(doc.metadata.get('title')?.value, 'x', 'the key after the broken value is still read');
  assert.deepEqual(kinds(doc), ['image.generated'], 'the rest of the document is still read');
});

test('an unclosed [ in front matter is reported at the [', () => {
  const text = '---\ngenre: documentary\nai-guidelines: [netflix, apa\ntitle: x\n---\n';
  const problems = parseMarkdown(text).problems;
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.deepEqual(problems[0].range, rangeOf(text, '['));
  assert.match(problems[0].message, /front matter is not valid YAML: the list opened here with `\[`/);
});

test('duplicate front matter keys and a non-mapping front matter are problems', () => {
  const dup = '---\ngenre: news\ngenre: kids\n---\n';
  const d1 = parseMarkdown(dup);
  assert.equal(d1.problems.length, 1);
  assert.equal(d1.problems[0].ruleId, 'core/invalid-front-matter');
  assert.deepEqual(d1.problems[0].range, rangeOf(dup, 'genre', 1), 'the whole repeated key');
  assert.match(d1.problems[0].message, /Duplicate front matter key `genre` \(first on line 2\): the first value is used/);
  assert.equal(d1.metadata.get('genre')?.value, 'news', 'the first value, as in the project config');

  const list = '---\n- genre\n- news\n---\n';
  const d2 = parseMarkdown(list);
  assert.equal(d2.problems.length, 1);
  assert.equal(d2.problems[0].ruleId, 'core/invalid-front-matter');
  assert.equal(slice(list, d2.problems[0].range), '- genre\n- news');
});

test('headings are outline sections and the nearest heading above is the tag section', () => {
  const text = [
    '<!-- ai: text.ideation -->',
    '',
    '# Episode 3',
    '',
    '## Shot 14 — the *archive* reel <!-- ai: image.enhanced -->',
    '',
    'Restored frames [[ai: video.enhanced]].',
    '',
    'Cold open',
    '---------',
    '',
    '> [[ai: audio.voice-clone]]',
    '',
  ].join('\n');
  const doc = parseMarkdown(text);
  assert.deepEqual(
    doc.outline.map((o) => [o.kind, o.level, o.title]),
    [['section', 1, 'Episode 3'], ['section', 2, 'Shot 14 — the archive reel'], ['section', 2, 'Cold open']],
  );
  assert.deepEqual(doc.outline[1].range, rangeOf(text, '## Shot 14 — the *archive* reel <!-- ai: image.enhanced -->'));
  assert.deepEqual(doc.outline[2].range, rangeOf(text, 'Cold open\n---------'));
  assert.deepEqual(
    doc.tags.map((t) => [t.kind, t.section]),
    [['text.ideation', undefined], ['image.enhanced', 'Shot 14 — the archive reel'], ['video.enhanced', 'Shot 14 — the archive reel'], ['audio.voice-clone', 'Cold open']],
  );
  assert.ok(doc.tags.every((t) => t.scene === undefined));
  // A tag in a heading anchors to the heading.
  assert.deepEqual(doc.tags[1].anchor, doc.outline[1].range);
});

test('a heading with an inline tag keeps the tag out of its title', () => {
  const doc = parseMarkdown('### Logo [[ai: image.generated]] pass\n');
  assert.deepEqual(doc.outline.map((o) => o.title), ['Logo pass']);
  assert.equal(doc.tags[0].section, 'Logo pass');
});

test('CRLF: ranges count lines and columns as LSP does, and values stop before the \\r', () => {
  const text = '---\r\ngenre: documentary\r\n---\r\n\r\n# Notes\r\n\r\nPara one.\r\nSee <!-- ai: image.generated;\r\ntool: Firefly -->\r\n\r\n[[ai: audio.music]]\r\n';
  const doc = parseMarkdown(text);
  const genre = doc.metadata.get('genre');
  assert.ok(genre);
  assert.deepEqual(genre.valueRange, { start: { line: 1, character: 7 }, end: { line: 1, character: 18 } });
  assert.deepEqual(kinds(doc), ['image.generated', 'audio.music']);
  const [comment, inline] = doc.tags;
  assert.deepEqual(comment.range, { start: { line: 7, character: 4 }, end: { line: 8, character: 17 } });
  assert.deepEqual(field(comment, 'tool').valueRange, { start: { line: 8, character: 6 }, end: { line: 8, character: 13 } });
  assert.equal(slice(text, comment.anchor), 'Para one.\r\nSee <!-- ai: image.generated;\r\ntool: Firefly -->');
  assert.deepEqual(inline.range, { start: { line: 10, character: 0 }, end: { line: 10, character: 19 } });
  assert.equal(doc.tags[1].section, 'Notes');
});

test('a leading BOM stays a code unit in ranges and does not hide the front matter', () => {
  const text = '\uFEFF---\ngenre: news\n---\n<!-- ai: video.generated --> Shot 1\n';
  const doc = parseMarkdown(text);
  const genre = doc.metadata.get('genre');
  assert.ok(genre);
  assert.deepEqual(genre.valueRange, rangeOf(text, 'news'));
  assert.equal(doc.tags.length, 1);
  assert.equal(slice(text, doc.tags[0].range), '<!-- ai: video.generated -->');

  const bare = '\uFEFF<!-- ai: audio.dub -->';
  const d2 = parseMarkdown(bare);
  assert.deepEqual(d2.tags[0].range, { start: { line: 0, character: 1 }, end: { line: 0, character: 23 } });
  assert.deepEqual(d2.tags[0].markerRange, { start: { line: 0, character: 6 }, end: { line: 0, character: 8 } });

  // Two BOMs (a file saved twice by tools that each add one): micromark skips the second one
  // without counting it, which put every range one code unit early (found by the fuzzer).
  const twice = '\uFEFF\uFEFF[[Note.]]\r\n\r\n# Act 1\r\n\r\n<!-- ai: audio.dub -->\r\n';
  const d3 = parseMarkdown(twice);
  assert.equal(slice(twice, d3.outline[0].range), '# Act 1');
  assert.equal(slice(twice, d3.tags[0].range), '<!-- ai: audio.dub -->');
});

test('emoji, astral and non-Latin text before a tag give exact UTF-16 columns', () => {
  const text = 'Café 😀 日本語 <!-- ai: image.generated; tool: 𝒳-Gen --> and Ψ [[ai: audio.sfx]]\n';
  const doc = parseMarkdown(text);
  assert.equal(doc.tags.length, 2);
  const [comment, inline] = doc.tags;
  // 'Café ' 5 + '😀' 2 (a surrogate pair) + ' ' 1 + '日本語' 3 + ' ' 1.
  assert.equal(comment.range.start.character, 12);
  assert.equal(slice(text, comment.range), '<!-- ai: image.generated; tool: 𝒳-Gen -->');
  assert.equal(slice(text, field(comment, 'tool').valueRange), '𝒳-Gen');
  assert.equal(slice(text, inline.range), '[[ai: audio.sfx]]');
  assert.equal(inline.range.start.character, text.indexOf('[[ai:'));
});

test('a tab before a comment in a list item does not shift its columns', () => {
  const text = '- Shot 9\n\t<!-- ai: image.composite -->\n';
  const doc = parseMarkdown(text);
  assert.equal(doc.tags.length, 1);
  assert.deepEqual(doc.tags[0].range, { start: { line: 1, character: 1 }, end: { line: 1, character: 29 } });
});

test('directives in comments and inline notes are directives, not tags', () => {
  const text = '<!-- ai-lint: disable netflix/final-deliverable, apa/cue-sheet-fields -- temp cut only -->\n\nA [[ai-lint: disable-next]] line <!-- AI-Lint: frobnicate -->\n';
  const doc = parseMarkdown(text);
  assert.deepEqual(doc.tags, []);
  assert.equal(doc.directives.length, 3);
  const [block, inline, unknown] = doc.directives;
  assert.equal(block.command, 'disable');
  assert.deepEqual(block.rules, ['netflix/final-deliverable', 'apa/cue-sheet-fields']);
  assert.equal(slice(text, block.ruleRanges[1]), 'apa/cue-sheet-fields');
  assert.equal(block.reason, 'temp cut only');
  assert.equal(slice(text, block.range), text.split('\n')[0]);
  assert.equal(slice(text, block.markerRange), 'ai-lint');
  assert.equal(inline.command, 'disable-next');
  assert.equal(slice(text, inline.range), '[[ai-lint: disable-next]]');
  assert.equal(unknown.command, 'invalid');
  assert.equal(unknown.problems[0].ruleId, 'core/invalid-directive');
});

test('GFM tables: tags in cells are found and anchor to the table; pipes and code in cells do not confuse it', () => {
  const text = [
    '## Cue sheet',
    '',
    '| Timecode | Use | Note |',
    '|---|---|---|',
    '| 01:02:03:00 | [[ai: image.generated; tool: Midjourney]] | `[[ai: not-a-tag]]` |',
    '| 01:05:00:00 | <!-- ai: audio.music --> score | a \\| b |',
    '',
    'After the table.',
    '',
  ].join('\n');
  const doc = parseMarkdown(text);
  assert.deepEqual(kinds(doc), ['image.generated', 'audio.music']);
  const table = rangeOf(text, text.slice(text.indexOf('| Timecode'), text.indexOf(' |\n\nAfter') + 2));
  assert.deepEqual(doc.tags[0].anchor, table);
  assert.deepEqual(doc.tags[1].anchor, table);
  assert.equal(slice(text, field(doc.tags[0], 'tool').valueRange), 'Midjourney');
  assert.ok(doc.tags.every((t) => t.section === 'Cue sheet'));
  const prose = proseText(doc);
  assert.ok(prose.includes('Timecode'));
  assert.ok(prose.includes('After the table.'));
  assert.ok(!prose.includes('ai:'));
});

test('prose covers paragraph, heading, list and table text, and nothing else', () => {
  const text = '---\ntool: Sora\n---\n# Heading text\n\n- list text\n\n<!-- comment text -->\n\n    indented code\n\nPara `code span` end.\n';
  const doc = parseMarkdown(text, { full: true });
  assert.equal(proseText(doc), 'Heading text|list text|Para | end.');
  for (let i = 1; i < doc.prose.length; i++) assert.ok(doc.prose[i - 1].end <= doc.prose[i].start, 'prose spans are in order');
});

test('an unclosed comment with a tag is still read, with a problem at its opener', () => {
  const text = 'Before.\n\n<!-- ai: image.generated; tool: Flux\n\nthe rest is hidden';
  const doc = parseMarkdown(text);
  assert.equal(doc.tags.length, 1);
  const [tag] = doc.tags;
  assert.equal(tag.range.end.line, 4);
  assert.equal(tag.problems.length, 1);
  assert.equal(tag.problems[0].ruleId, 'core/tag-syntax');
  assert.equal(slice(text, tag.problems[0].range), '<!--');
});

test('an unclosed [[ai: note is a problem, not a tag', () => {
  const text = 'Intro.\n\nShot 3 [[ai: image.generated; tool: Flux and more text\n';
  const doc = parseMarkdown(text);
  assert.deepEqual(doc.tags, []);
  assert.equal(doc.problems.length, 1);
  assert.equal(doc.problems[0].ruleId, 'core/tag-syntax');
  assert.deepEqual(doc.problems[0].range, rangeOf(text, '[['));
  // Many unclosed openers still give one problem.
  const many = parseMarkdown('x ' + '[[ai: '.repeat(3000) + '\n');
  assert.equal(many.problems.length, 1);
});

test('mightContainTags says whether a marker may be present', () => {
  assert.equal(mightContainTags('<!-- AI: image.generated -->'), true);
  assert.equal(mightContainTags('[[Ai-Lint: disable]]'), true);
  assert.equal(mightContainTags('[[ai : image.concept]]'), true);
  assert.equal(mightContainTags('# Notes\n\nNothing to see: plain text, said the aide.\n'), false);
  assert.equal(mightContainTags(''), false);
});

test('hasNothingToCheck: no marker, no GenAI tool name, no AI phrase', () => {
  assert.equal(hasNothingToCheck('# Notes\n\nThe aide said: plain text. Runway lights, Claude Monet, Gemini season.\n'), true);
  assert.equal(hasNothingToCheck('<!-- AI: image.generated -->'), false);
  assert.equal(hasNothingToCheck('Storyboards from Midjourney.'), false);
  assert.equal(hasNothingToCheck('An AI-generated still.'), false);
  assert.equal(hasNothingToCheck('A deepfake of the mayor.'), false);
  // A superset of the untagged-mention rule: a name glued to a word still counts here.
  assert.equal(hasNothingToCheck('xMidjourney'), false);
});

/** What the rules and the editor see of a document; the prose is left out (it only feeds mentions). */
function observable(doc: ParsedDocument) {
  const { findings } = lintParsed(doc);
  return { metadata: [...doc.metadata], tags: doc.tags, directives: doc.directives, problems: doc.problems, outline: doc.outline, findings };
}

test('a text with nothing to check skips the full parse and gives the same metadata, outline and findings', () => {
  const bodies = [
    '# One\n\nText.\n\n## Two\n\nSetext\n===\n',
    '',
    '---\n',
    '---\ngenre: documentary\n---\n# Notes\n',
    '---\r\ngenre: Docudrama\r\nai-guidelines: [netflix, bogus]\r\n---\r\n\r\n# CRLF\r\n',
    '\uFEFF---\ngenre: news\n---\n# BOM\n',
    '---  \ngenre: documentry\n---\t\n\n# Blanks after the fences, a genre typo\n',
    '---\ngenre: [unclosed\n---\n',
    '---\n- a list\n---\n',
    '---\n---\n# Empty front matter\n',
    '---\ngenre: news\n\n# Never closed: a thematic break, no front matter\n',
    '--- \ngenre: news\n----\n# Four dashes do not close it\n---\n',
    ' ---\ngenre: news\n---\n',
    '---\ngenre: news\n ---\n---\n',
    '---\rgenre: reality\r---\r# CR only\r',
    'Text\n\n---\ngenre: news\n---\n',
  ];
  for (const text of bodies) {
    const fast = parseMarkdown(text);
    const full = parseMarkdown(text, { full: true });
    assert.deepEqual(fast.prose, [], `fast path taken on ${JSON.stringify(text)}`);
    assert.deepEqual(observable(fast), observable(full), JSON.stringify(text));
  }
  // Spreading the document (as lint does to add problems) reads the outline: still the right one.
  const doc = parseMarkdown('---\ngenre: nope\n---\n# Heading\n');
  assert.deepEqual({ ...doc }.outline.map((o) => o.title), ['Heading']);
});

test('random texts with nothing to check: the same metadata, outline and findings as the full parse', () => {
  const pieces = ['---\n', '---', 'genre: ', 'news', 'Documentary', 'ai-guidelines: ', '[apa, x', ']', '\n', '\r\n', '\r', ' ', '\t', '# ', 'Title', '===\n', '> ', '- ', '`', '```\n', '<!--', '-->', '[[', ']]', ':', 'a', '\uFEFF'];
  const random = prng(8);
  let fastPaths = 0;
  for (let round = 0; round < 300; round++) {
    let text = '';
    const n = Math.floor(random() * 30);
    for (let i = 0; i < n; i++) text += pieces[Math.floor(random() * pieces.length)];
    if (!hasNothingToCheck(text)) continue;
    fastPaths++;
    assert.deepEqual(observable(parseMarkdown(text)), observable(parseMarkdown(text, { full: true })), JSON.stringify(text));
  }
  assert.ok(fastPaths > 200);
});

/** Small deterministic PRNG so a failing input can be reproduced. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('never throws, and every range stays inside the document, on random and mutated input', () => {
  const pieces = [
    '---\n', 'genre: ', 'news', '[a, b', ']', '\n', '\r\n', '\r', '\uFEFF', '<!--', '-->', ' ai: ', 'ai-lint: disable ', '[[', ']]',
    '`', '```', '~~~', '    ', '\t', '# ', '> ', '- ', '| a | b |\n|---|---|\n', '😀', '日本', '\\', ';', '"', ':', 'x', 'image.generated',
    '<div>', '</div>', '*', '_', '\n\n', '\uD800', '===\n', '&amp;',
  ];
  const random = prng(20250101);
  for (let round = 0; round < 400; round++) {
    let text = '';
    const n = Math.floor(random() * 40);
    for (let i = 0; i < n; i++) text += pieces[Math.floor(random() * pieces.length)];
    let doc: ParsedDocument;
    try {
      doc = parseMarkdown(text);
    } catch (error) {
      assert.fail(`threw on ${JSON.stringify(text)}: ${String(error)}`);
    }
    const index = new LineIndex(text);
    const last = index.positionAt(text.length);
    const inside = (r: Range) => {
      for (const p of [r.start, r.end]) {
        assert.ok(p.line >= 0 && p.character >= 0 && (p.line < last.line || (p.line === last.line && p.character <= last.character)), `${JSON.stringify(r)} outside ${JSON.stringify(text)}`);
        assert.ok(p.character <= index.lineText(p.line).length, `${JSON.stringify(r)} past its line in ${JSON.stringify(text)}`);
      }
    };
    for (const t of doc.tags) [t.range, t.markerRange, t.anchor, ...t.fields.flatMap((f) => [f.keyRange, f.valueRange])].forEach(inside);
    for (const d of doc.directives) [d.range, d.markerRange, ...d.ruleRanges].forEach(inside);
    for (const m of doc.metadata.values()) [m.keyRange, m.valueRange].forEach(inside);
    for (const p of doc.problems) inside(p.range);
    for (const s of doc.prose) assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length);
  }
});
