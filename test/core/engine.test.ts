import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/line-index.js';
import { isDirective, parseAnnotation } from '../../server/src/core/tag.js';
import { findDuplicateIds, raiseSeverity, runRules, type EngineOptions } from '../../server/src/core/engine.js';
import { loadBuiltinRules, validateRules } from '../../server/src/core/rules.js';
import { PACKS, type Genre } from '../../server/src/core/genres.js';
import type { Directive, Finding, ParsedDocument, Range, Span, Tag } from '../../server/src/core/types.js';

// A minimal host: every `[[...]]` is a Fountain note; text outside notes is prose; each tag
// annotates its own line.
function parseDoc(text: string): ParsedDocument {
  const index = new LineIndex(text);
  const tags: Tag[] = [];
  const directives: Directive[] = [];
  const prose: Span[] = [];
  let pos = 0;
  while (pos <= text.length) {
    const open = text.indexOf('[[', pos);
    const close = open < 0 ? -1 : text.indexOf(']]', open + 2);
    if (open < 0 || close < 0) {
      if (pos < text.length) prose.push({ start: pos, end: text.length });
      break;
    }
    if (open > pos) prose.push({ start: pos, end: open });
    const range = index.range(open, close + 2);
    const line = range.start.line;
    const anchor = { start: { line, character: 0 }, end: { line, character: index.lineText(line).length } };
    const annotation = parseAnnotation(text, open + 2, close, index, { host: 'fountain-note', range, anchor });
    if (annotation) {
      if (isDirective(annotation)) directives.push(annotation);
      else tags.push(annotation);
    }
    pos = close + 2;
  }
  return { format: 'fountain', text, metadata: new Map(), tags, directives, outline: [], prose, problems: [] };
}

const ALL_PACKS = [...PACKS];

function lint(text: string, options: Partial<EngineOptions> = {}): Finding[] {
  return runRules(parseDoc(text), { genre: 'scripted', packs: ALL_PACKS, ...options });
}

function only(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

/** The text a range covers. */
function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

/** The one finding of `ruleId`; fails when there is none or several. */
function one(text: string, ruleId: string, options: Partial<EngineOptions> = {}): Finding {
  const found = only(lint(text, options), ruleId);
  assert.equal(found.length, 1, `${ruleId} should fire once on ${text}, got ${JSON.stringify(found.map((f) => f.message))}`);
  return found[0];
}

function none(text: string, ruleId: string, options: Partial<EngineOptions> = {}): void {
  const found = only(lint(text, options), ruleId);
  assert.deepEqual(found.map((f) => f.message), [], `${ruleId} should not fire on ${text}`);
}

describe('every built-in rule fires on its examples that break it and not on the ones that satisfy it', () => {
  for (const rule of loadBuiltinRules().filter((r) => r.when)) {
    test(rule.id, () => {
      assert.ok(rule.examples.length > 0, 'has examples');
      for (const example of rule.examples) {
        const genre = (example.genre ?? 'scripted') as Genre;
        if (example.fires) one(example.fires, rule.id, { genre });
        if (example.passes) none(example.passes, rule.id, { genre });
      }
    });
  }
});

describe('pack rules: conditions, ranges, severities', () => {
  test('netflix/final-deliverable underlines the stage value, is raised in nonfiction, stops with approval', () => {
    const text = '[[ai: image.generated; stage: final]]';
    const f = one(text, 'netflix/final-deliverable');
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f.range), 'final');
    assert.equal(f.docs, 'https://github.com/ai-use-lint/ai-use-lint/blob/main/docs/rules/netflix/final-deliverable.md');
    assert.equal(f.source?.facts, '§1 Final versus temporary media');
    assert.match(f.message, /image\.generated/);
    assert.equal(one(text, 'netflix/final-deliverable', { genre: 'documentary' }).severity, 'error');
    assert.equal(one(text, 'netflix/final-deliverable', { genre: 'docudrama' }).severity, 'warning');
    one('[[ai: image.generated; stage: final; approval: pending]]', 'netflix/final-deliverable');
    none('[[ai: image.generated; stage: final; approval: NFX-12]]', 'netflix/final-deliverable');
    none('[[ai: image.generated; stage: temp]]', 'netflix/final-deliverable');
  });

  test('netflix/final-deliverable with no stage: picture and sound kinds only, at the marker', () => {
    const text = 'INT. LAB [[ai: audio.music; tool: Suno AI]]';
    const f = one(text, 'netflix/final-deliverable');
    assert.equal(textAt(text, f.range), 'ai');
    assert.deepEqual(f.fixes.map((x) => x.type), ['add-field', 'add-field']);
    none('[[ai: text.ideation]]', 'netflix/final-deliverable');
  });

  test('netflix/key-creative underlines what made it fire', () => {
    const byProminence = '[[ai: video.generated; element: background; prominence: key]]';
    assert.equal(textAt(byProminence, one(byProminence, 'netflix/key-creative').range), 'key');
    const byElement = '[[ai: image.concept; element: central-setting]]';
    const f = one(byElement, 'netflix/key-creative');
    assert.equal(textAt(byElement, f.range), 'central-setting');
    assert.equal(f.severity, 'error');
    none('[[ai: image.concept; element: background; prominence: incidental]]', 'netflix/key-creative');
  });

  test('netflix/story-prop needs approval and cleared rights', () => {
    one('[[ai: image.generated; element: signage; prominence: story; approval: NFX-1]]', 'netflix/story-prop');
    one('[[ai: image.generated; element: signage; prominence: key; rights: cleared]]', 'netflix/story-prop');
    none('[[ai: image.generated; element: signage; prominence: story; approval: NFX-1; rights: licensed]]', 'netflix/story-prop');
    none('[[ai: image.generated; element: signage; prominence: incidental]]', 'netflix/story-prop');
  });

  test('netflix/unowned-reference: references without cleared rights, or unowned rights', () => {
    const text = '[[ai: image.concept; references: Afghan Girl]]';
    const f = one(text, 'netflix/unowned-reference');
    assert.equal(textAt(text, f.range), 'Afghan Girl');
    assert.deepEqual(f.fixes.map((x) => x.type), ['set-value', 'remove-field']);
    const unowned = '[[ai: image.concept; rights: unowned]]';
    assert.equal(textAt(unowned, one(unowned, 'netflix/unowned-reference').range), 'unowned');
    none('[[ai: image.concept; references: Afghan Girl; rights: cleared]]', 'netflix/unowned-reference');
  });

  test('netflix/data-terms underlines the bad data terms, or the production input when terms are missing', () => {
    const trains = '[[ai: text.research; inputs: script; data: trains]]';
    assert.equal(textAt(trains, one(trains, 'netflix/data-terms').range), 'trains');
    const missing = '[[ai: text.research; inputs: none, footage]]';
    const f = one(missing, 'netflix/data-terms');
    assert.equal(textAt(missing, f.range), 'footage');
    assert.match(f.message, /not recorded/);
    none('[[ai: text.research; inputs: footage; data: no-train]]', 'netflix/data-terms');
    none('[[ai: text.research; data: trains]]', 'netflix/data-terms');
  });

  test('netflix/talent-consent: a pending consent is underlined and its fix replaces it', () => {
    const text = '[[ai: likeness.face-swap; performer: Dana Holt; consent: pending]]';
    const f = one(text, 'netflix/talent-consent');
    assert.equal(textAt(text, f.range), 'pending');
    assert.match(f.message, /Dana Holt/);
    assert.deepEqual(f.fixes, [{ type: 'set-value', key: 'consent', value: '${1:signed rider reference}', title: 'Add the consent reference' }]);
    const noConsent = '[[ai: audio.dub; performer: Dana Holt]]';
    assert.equal(textAt(noConsent, one(noConsent, 'netflix/talent-consent').range), 'Dana Holt');
    none('[[ai: audio.dub; consent: none]]', 'netflix/talent-consent');
  });

  test('netflix/misleading-real: severity-when makes it an error in nonfiction only', () => {
    const text = '[[ai: video.generated; depicts: fictional, real-person; realism: photoreal]]';
    const f = one(text, 'netflix/misleading-real');
    assert.equal(f.severity, 'warning');
    assert.equal(textAt(text, f.range), 'real-person');
    assert.equal(one(text, 'netflix/misleading-real', { genre: 'true-crime' }).severity, 'error');
    assert.deepEqual(f.fixes.map((x) => x.type), ['add-list-item', 'insert-disclosure', 'add-field']);
    // on-screen already there: only approval is left to offer
    const disclosed = one('[[ai: video.generated; depicts: real-event; realism: photoreal; disclosure: on-screen]]', 'netflix/misleading-real');
    assert.deepEqual(disclosed.fixes.map((x) => x.type), ['insert-disclosure', 'add-field']);
  });

  test('netflix/sensitive-inputs and netflix/union-work underline the value', () => {
    const inputs = '[[ai: text.research; inputs: script, contracts; data: enterprise]]';
    assert.equal(textAt(inputs, one(inputs, 'netflix/sensitive-inputs').range), 'contracts');
    const union = '[[ai: text.draft; replaces: writer]]';
    assert.equal(textAt(union, one(union, 'netflix/union-work').range), 'writer');
    none('[[ai: text.draft; replaces: none]]', 'netflix/union-work');
  });

  test('APA rules run only in nonfiction genres', () => {
    const text = '[[ai: image.generated; presented-as: archival]]';
    none(text, 'apa/synthetic-archival');
    none(text, 'apa/on-screen-disclosure', { genre: 'docudrama' });
    const f = one(text, 'apa/synthetic-archival', { genre: 'documentary' });
    assert.equal(textAt(text, f.range), 'archival');
    assert.deepEqual(f.fixes[0], { type: 'set-value', key: 'presented-as', value: 're-creation', title: 'Present it as a re-creation' });
    assert.equal(one(text, 'apa/on-screen-disclosure', { genre: 'news' }).severity, 'error');
    none('[[ai: image.generated; disclosure: narration]]', 'apa/on-screen-disclosure', { genre: 'news' });
  });

  test('apa/cue-sheet-fields names the missing fields and offers only those', () => {
    const text = '[[ai: video.composite; tool: Runway Gen-4; source: none]]';
    const f = one(text, 'apa/cue-sheet-fields', { genre: 'documentary' });
    assert.match(f.message, /`timecode` and `prompt`/);
    assert.deepEqual(f.fixes.map((x) => (x.type === 'add-field' ? x.key : x.type)), ['timecode', 'prompt']);
    assert.equal(textAt(text, f.range), 'ai');
    none('[[ai: video.enhanced]]', 'apa/cue-sheet-fields', { genre: 'documentary' });
  });

  test('apa/human-simulation, apa/archival-alteration and apa/enhancement', () => {
    one('[[ai: likeness.face-swap; subject: Jennifer Pan]]', 'apa/human-simulation', { genre: 'true-crime' });
    none('[[ai: likeness.face-swap; subject: Jennifer Pan; consent: release 2024-01-01]]', 'apa/human-simulation', { genre: 'true-crime' });
    const alteration = '[[ai: image.composite; source: AP photo; source-rights: unknown]]';
    assert.equal(textAt(alteration, one(alteration, 'apa/archival-alteration', { genre: 'documentary' }).range), 'unknown');
    const unowned = '[[ai: video.composite; source: forum frame grab; source-rights: unowned]]';
    assert.equal(textAt(unowned, one(unowned, 'apa/archival-alteration', { genre: 'true-crime' }).range), 'unowned');
    one('[[ai: image.composite; source: AP photo]]', 'apa/archival-alteration', { genre: 'news' });
    for (const rights of ['licensed', 'owned', 'cleared', 'public-domain']) none(`[[ai: image.composite; source: AP photo; source-rights: ${rights}]]`, 'apa/archival-alteration', { genre: 'documentary' });
    none('[[ai: image.composite; source: none]]', 'apa/archival-alteration', { genre: 'documentary' });
    const enhanced = one('[[ai: image.enhanced]]', 'apa/enhancement', { genre: 'documentary' });
    assert.equal(enhanced.severity, 'info');
  });

  test('sag-aftra/replica-consent asks the estate for a deceased performer', () => {
    one('[[ai: likeness.replica; performer: Leo Marsh; deceased: yes; consent: signed 1999]]', 'sag-aftra/replica-consent');
    none('[[ai: likeness.replica; performer: Leo Marsh; deceased: yes; consent: Marsh Estate rider]]', 'sag-aftra/replica-consent');
    none('[[ai: likeness.replica; performer: Leo Marsh; deceased: no; consent: signed 2025]]', 'sag-aftra/replica-consent');
    one('[[ai: performer.synthetic]]', 'sag-aftra/synthetic-performer');
    none('[[ai: performer.synthetic; notified: 2025-04-01]]', 'sag-aftra/synthetic-performer');
    one('[[ai: likeness.lip-sync; consent: none]]', 'sag-aftra/alteration');
  });

  test('eu-ai-act/deep-fake is info for fiction disclosed in the credits, error otherwise', () => {
    const text = '[[ai: likeness.face-swap; depicts: real-person; realism: photoreal; disclosure: credits]]';
    assert.equal(one(text, 'eu-ai-act/deep-fake', { genre: 'scripted' }).severity, 'info');
    assert.equal(one(text, 'eu-ai-act/deep-fake', { genre: 'docudrama' }).severity, 'error');
    assert.equal(one('[[ai: likeness.face-swap; depicts: real-person; realism: photoreal]]', 'eu-ai-act/deep-fake', { genre: 'animation' }).severity, 'error');
    none('[[ai: likeness.face-swap; depicts: real-person; realism: stylized]]', 'eu-ai-act/deep-fake');
  });

  test('wga, youtube and bbc rules', () => {
    one('[[ai: text.rewrite; disclosure: none]]', 'wga/ai-source-material');
    const yt = '[[ai: video.generated; depicts: fictional; presented-as: real; realism: photoreal]]';
    assert.equal(textAt(yt, one(yt, 'youtube/altered-content').range), 'real');
    none('[[ai: video.generated; depicts: real-event; realism: stylized]]', 'youtube/altered-content');
    none('[[ai: image.generated]]', 'bbc/factual-genai', { genre: 'scripted' });
    const bbc = one('[[ai: image.generated]]', 'bbc/factual-genai', { genre: 'documentary' });
    assert.equal(bbc.severity, 'error');
  });

  test('only rules of enabled packs run; core always runs', () => {
    const text = '[[ai: image.generatd; stage: final]]';
    const findings = lint(text, { packs: ['apa'] });
    assert.deepEqual(findings.map((f) => f.ruleId), ['core/unknown-kind']);
    assert.equal(only(lint('[[ai: image.generated; stage: final]]', { packs: ['NetFlix'] }), 'netflix/final-deliverable').length, 1);
  });
});

describe('core checks and did-you-mean', () => {
  test('unknown kind: the closest kind is named and offered as a replace fix', () => {
    const text = '[[ai: image.generatd]]';
    const f = one(text, 'core/unknown-kind');
    assert.equal(textAt(text, f.range), 'image.generatd');
    assert.match(f.message, /Did you mean `image\.generated`\?/);
    assert.deepEqual(f.fixes[0], { type: 'replace', with: 'image.generated', title: 'Change to `image.generated`' });
    assert.equal(f.severity, 'warning');
  });

  test('a kind prefix alone suggests every kind under it', () => {
    const f = one('[[ai: image; tool: Midjourney]]', 'core/unknown-kind');
    assert.deepEqual(f.fixes.map((x) => (x.type === 'replace' ? x.with : '')), ['image.concept', 'image.generated', 'image.composite', 'image.enhanced']);
    assert.match(f.message, /too broad/);
  });

  test('a tag with no kind is reported at its marker', () => {
    const text = '[[ai: tool: Midjourney]]';
    const f = one(text, 'core/unknown-kind');
    assert.equal(textAt(text, f.range), 'ai');
    assert.match(f.message, /no kind/);
  });

  test('unknown keys: typo, bare value, custom x- keys', () => {
    const text = '[[ai: image.generated; aproval: NFX-1; photoreal; x-shot: 12A]]';
    const found = only(lint(text), 'core/unknown-key');
    assert.deepEqual(found.map((f) => textAt(text, f.range)), ['aproval', 'photoreal']);
    assert.deepEqual(found.map((f) => f.fixes[0]), [
      { type: 'replace', with: 'approval', title: 'Change to `approval`' },
      { type: 'replace', with: 'realism: photoreal', title: 'Change to `realism: photoreal`' },
    ]);
  });

  test('invalid values: enum, list item, timecode, empty value', () => {
    const text = '[[ai: image.generated; stage: finale; disclosure: on-screen, credit; timecode: 1:2:3; approval:]]';
    const found = only(lint(text), 'core/invalid-value');
    assert.deepEqual(found.map((f) => textAt(text, f.range)), ['finale', 'credit', '1:2:3', 'approval']);
    assert.match(found[0].message, /`ideation`, `development`, `pitch`, `temp` or `final`/);
    assert.deepEqual(found[0].fixes[0], { type: 'replace', with: 'final', title: 'Change to `final`' });
    assert.deepEqual(found[1].fixes[0], { type: 'replace', with: 'credits', title: 'Change to `credits`' });
    assert.match(found[2].message, /HH:MM:SS/);
    assert.match(found[3].message, /no value/);
    none('[[ai: image.generated; stage: Final; timecode: 01:02:03:04-01:02:09:00]]', 'core/invalid-value');
  });

  test('a timecode has minutes, seconds and frames below 60; hours are any two digits', () => {
    for (const bad of ['25:99:99', '01:60:00', '01:02:60', '01:02:03:99', '01:02:03:60', '00:00:01:00-00:00:01:75']) {
      const text = `[[ai: image.generated; timecode: ${bad}]]`;
      assert.equal(textAt(text, one(text, 'core/invalid-value').range), bad, bad);
    }
    for (const good of ['99:59:59', '00:59:59:59', '1:02:03', '01:02:03;29', '10:00:00:00-10:00:05:12']) none(`[[ai: image.generated; timecode: ${good}]]`, 'core/invalid-value');
  });

  test('a bare yes, y, true, ok or signed documents no consent, approval or notice: the rules asking for it fire', () => {
    for (const value of ['yes', 'Y', 'true', 'OK', 'signed']) {
      one(`[[ai: likeness.replica; performer: Ana Ruiz; consent: ${value}]]`, 'netflix/talent-consent');
      one(`[[ai: image.generated; element: key-visual; approval: ${value}]]`, 'netflix/key-creative');
      one(`[[ai: performer.synthetic; notified: ${value}]]`, 'sag-aftra/synthetic-performer');
    }
    none('[[ai: likeness.replica; performer: Ana Ruiz; consent: signed rider 2025-03-02]]', 'netflix/talent-consent');
    none('[[ai: image.generated; element: key-visual; approval: NFX-APR-0100]]', 'netflix/key-creative');
  });

  test('a reference that is a typo of pending or none is reported, real references are not', () => {
    const text = '[[ai: likeness.replica; performer: Dana Holt; consent: pendng]]';
    const f = one(text, 'core/invalid-value');
    assert.equal(textAt(text, f.range), 'pendng');
    assert.deepEqual(f.fixes[0], { type: 'replace', with: 'pending', title: 'Change to `pending`' });
    none('[[ai: likeness.replica; consent: signed; approval: NFX-2025-014]]', 'core/invalid-value');
  });

  test('a key written twice is reported on the second', () => {
    const text = '[[ai: image.generated; stage: temp; stage: final]]';
    const f = one(text, 'core/duplicate-field');
    assert.equal(f.range.start.character, text.lastIndexOf('stage'));
  });

  test('duplicate ids in one document name the first line', () => {
    const text = '[[ai: image.generated; id: SH-1]]\nAction.\n[[ai: audio.music; id: SH-1]]';
    const f = one(text, 'core/duplicate-id');
    assert.equal(f.range.start.line, 2);
    assert.match(f.message, /line 1/);
    assert.equal(f.severity, 'error');
  });

  test('findDuplicateIds reports ids reused in a later file only', () => {
    const a = parseDoc('[[ai: image.generated; id: SH-1]]\n[[ai: image.generated; id: SH-2]]');
    const b = parseDoc('x\n[[ai: audio.music; id: SH-2]]\n[[ai: audio.music; id: SH-3]]\n[[ai: audio.music; id: SH-3]]');
    const dups = findDuplicateIds([{ path: 'ep1.fountain', doc: a }, { path: 'ep2.fountain', doc: b }]);
    assert.equal(dups.length, 1);
    assert.equal(dups[0].path, 'ep2.fountain');
    assert.equal(dups[0].finding.range.start.line, 1);
    assert.match(dups[0].finding.message, /ep1\.fountain \(line 2\)/);
    assert.deepEqual(findDuplicateIds([{ path: 'ep1.fountain', doc: a }, { path: 'ep2.fountain', doc: b }], { severities: { 'core/duplicate-id': 'off' } }), []);
  });

  test('tag syntax problems from the tag grammar are reported', () => {
    const text = '[[ai: image.generated; prompt: "rain at night]]';
    const f = one(text, 'core/tag-syntax');
    assert.equal(f.tagIndex, 0);
    assert.match(f.docs, /core\/tag-syntax\.md$/);
  });

  test('untagged mentions: tool names and phrases in prose, not in tagged elements, off by option', () => {
    const text = 'The poster was made with Midjourney overnight.\nAll AI-generated shots are marked.\nINT. LAB - ChatGPT on screen [[ai: image.generated; tool: ChatGPT]]';
    const found = only(lint(text), 'core/untagged-mention');
    assert.deepEqual(found.map((f) => textAt(text, f.range)), ['Midjourney', 'AI-generated']);
    assert.equal(found[0].severity, 'hint');
    assert.deepEqual(found[0].fixes, [{ type: 'tag-mention', title: 'Tag this as AI use' }]);
    assert.deepEqual(only(lint(text, { untaggedMentions: false }), 'core/untagged-mention'), []);
    assert.deepEqual(only(lint('A midjourney stop. Stable diffusion.'), 'core/untagged-mention'), []);
  });

  test('untagged mentions: every AI phrase, in any case, whole words only, also in text whose lower case has another length', () => {
    const phrases = ['AI-generated', 'ai generated', 'Generated by AI', 'generated with ai', 'GENERATIVE AI', 'deep fake', 'Deepfake'];
    for (const prefix of ['', 'İstanbul unit. ']) {
      const text = `${prefix}${phrases.map((p) => `Shot ${p} here.`).join(' ')} Not: regenerated, deepfakes, AI-generatedx.`;
      const found = only(lint(text), 'core/untagged-mention').map((f) => textAt(text, f.range));
      assert.deepEqual(found, phrases, prefix ? 'with a lower case of another length' : 'ASCII');
    }
  });
});

describe('suppression', () => {
  const breaking = '[[ai: image.generated; stage: final]]';

  test('a waiver with a reason silences its rule on its tag only', () => {
    const text = '[[ai: image.generated; stage: final; waive: netflix/final-deliverable -- approved by phone, memo to follow]]\n' + breaking;
    const found = only(lint(text), 'netflix/final-deliverable');
    assert.deepEqual(found.map((f) => f.range.start.line), [1]);
    assert.deepEqual(only(lint(text), 'core/waiver-without-reason'), []);
  });

  test('a waiver without a reason silences nothing (SPEC: a reason is required) and earns core/waiver-without-reason', () => {
    const text = '[[ai: image.generated; stage: final; waive: netflix/final-deliverable]]';
    one(text, 'netflix/final-deliverable');
    const f = one(text, 'core/waiver-without-reason');
    assert.equal(textAt(text, f.range), 'netflix/final-deliverable');
    assert.match(f.message, /does not suppress/);
    // `--` with nothing after it is no reason either; an error stays an error, so CI still fails.
    const empty = '[[ai: likeness.replica; performer: Ana Ruiz; waive: sag-aftra/replica-consent --  ]]';
    assert.equal(one(empty, 'sag-aftra/replica-consent').severity, 'error');
    one(empty, 'core/waiver-without-reason');
  });

  test('a waiver naming an unknown rule suggests the closest id', () => {
    const text = '[[ai: image.generated; stage: final; waive: netflix/final-deliverables -- ok]]';
    const f = one(text, 'core/unknown-rule');
    assert.equal(textAt(text, f.range), 'netflix/final-deliverables');
    assert.deepEqual(f.fixes[0], { type: 'replace', with: 'netflix/final-deliverable', title: 'Change to `netflix/final-deliverable`' });
    one(text, 'netflix/final-deliverable');
  });

  test('disable ... enable', () => {
    const text = [breaking, '[[ai-lint: disable netflix/final-deliverable -- temp cut]]', breaking, '[[ai-lint: enable netflix/final-deliverable]]', breaking].join('\n');
    assert.deepEqual(only(lint(text), 'netflix/final-deliverable').map((f) => f.range.start.line), [0, 4]);
  });

  test('disable with no rules silences every rule until enable', () => {
    const text = ['[[ai-lint: disable -- legacy notes]]', '[[ai: imag.generated; stage: final]]', '[[ai-lint: enable]]', breaking].join('\n');
    const found = lint(text);
    assert.deepEqual(found.map((f) => `${f.range.start.line} ${f.ruleId}`), ['3 netflix/final-deliverable']);
  });

  test('disable-next silences the next tag only', () => {
    const text = ['[[ai-lint: disable-next netflix/final-deliverable -- approved]]', 'Action.', breaking, breaking].join('\n');
    assert.deepEqual(only(lint(text), 'netflix/final-deliverable').map((f) => f.range.start.line), [3]);
  });

  test('disable-file silences the rule everywhere, even before the directive', () => {
    const text = [breaking, '[[ai-lint: disable-file netflix/final-deliverable -- all approved in bulk]]', breaking].join('\n');
    assert.deepEqual(only(lint(text), 'netflix/final-deliverable'), []);
    // a pack pattern silences the whole pack
    const byPack = [breaking, '[[ai-lint: disable-file netflix/* -- all approved in bulk]]', breaking].join('\n');
    assert.deepEqual(lint(byPack).filter((f) => f.ruleId.startsWith('netflix/')), []);
  });

  test('a directive without a reason is reported and suppresses nothing; invalid directives are ignored', () => {
    const text = ['[[ai-lint: disable-file]]', breaking].join('\n');
    const found = lint(text);
    assert.deepEqual(found.map((f) => f.ruleId), ['core/waiver-without-reason', 'netflix/final-deliverable']);
    assert.match(found[0].message, /every rule/);
    for (const directive of ['[[ai-lint: disable netflix/final-deliverable]]', '[[ai-lint: disable-next netflix/final-deliverable --]]', '[[ai-lint: disable-file netflix/*]]']) {
      const found = lint([directive, breaking].join('\n'));
      assert.deepEqual(found.map((f) => f.ruleId), ['core/waiver-without-reason', 'netflix/final-deliverable'], directive);
    }
    // `enable` needs no reason and still ends a reasoned disable.
    const reenabled = ['[[ai-lint: disable netflix/final-deliverable -- temp]]', breaking, '[[ai-lint: enable]]', breaking].join('\n');
    assert.deepEqual(lint(reenabled).map((f) => `${f.range.start.line} ${f.ruleId}`), ['3 netflix/final-deliverable']);
    const invalid = ['[[ai-lint: silence netflix/final-deliverable -- x]]', breaking].join('\n');
    const ids = lint(invalid).map((f) => f.ruleId);
    assert.ok(ids.includes('core/invalid-directive'));
    assert.ok(ids.includes('netflix/final-deliverable'));
  });
});

describe('configuration', () => {
  const text = '[[ai: image.generated; stage: final]]';

  test('a configured severity overrides the rule, after the nonfiction raise', () => {
    const f = one(text, 'netflix/final-deliverable', { genre: 'documentary', severities: { 'netflix/final-deliverable': 'info' } });
    assert.equal(f.severity, 'info');
    assert.equal(one(text, 'netflix/final-deliverable', { severities: { 'netflix/*': 'error' } }).severity, 'error');
  });

  test("'off' turns a rule off, core rules included", () => {
    none(text, 'netflix/final-deliverable', { severities: { 'netflix/final-deliverable': 'off' } });
    none('[[ai: imag.generated]]', 'core/unknown-kind', { severities: { 'core/unknown-kind': 'off' } });
  });

  test('a custom rule from data runs, with its placeholders filled, and can be turned off', () => {
    const { rules, errors } = validateRules([
      {
        id: 'studio/no-voice-clones',
        title: 'No voice clones on this show',
        severity: 'error',
        when: { kind: 'audio.voice-*', missing: 'x-legal-ticket' },
        target: ['performer'],
        message: 'Voice clone of {field:performer} ({kind}) in a {genre}: legal needs {missing}.',
        source: { title: 'Studio AI policy', facts: '§4 Voices', url: 'https://example.com/policy' },
        fixes: [{ type: 'add-field', key: 'x-legal-ticket', value: '${1:LEG-}' }],
      },
    ]);
    assert.deepEqual(errors, []);
    const input = '[[ai: audio.voice-clone; performer: Dana Holt; consent: rider 12]]';
    const f = one(input, 'studio/no-voice-clones', { customRules: rules, packs: [] });
    assert.equal(f.message, 'Voice clone of Dana Holt (audio.voice-clone) in a scripted: legal needs `x-legal-ticket`.');
    assert.equal(textAt(input, f.range), 'Dana Holt');
    assert.equal(f.docs, 'https://example.com/policy');
    none(input, 'studio/no-voice-clones', { customRules: rules, severities: { 'studio/no-voice-clones': 'off' } });
    none('[[ai: audio.voice-clone; x-legal-ticket: LEG-4]]', 'studio/no-voice-clones', { customRules: rules });
    // custom rule ids are valid in waivers
    none('[[ai: audio.voice-clone; waive: studio/no-voice-clones -- legal said ok]]', 'core/unknown-rule', { customRules: rules });
  });
});

describe('robustness', () => {
  test('raiseSeverity climbs one level and stops at error', () => {
    assert.deepEqual((['hint', 'info', 'warning', 'error'] as const).map(raiseSeverity), ['info', 'warning', 'error', 'error']);
  });

  test('findings are sorted by position', () => {
    const text = '[[ai: image.generated; stage: final; element: key-visual]]\n[[ai: imag]]\nMidjourney';
    const findings = lint(text);
    const positions = findings.map((f) => f.range.start.line * 1000 + f.range.start.character);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    assert.ok(findings.length >= 4);
  });

  test('never throws on odd tags, and every range stays inside the document', () => {
    const pieces = ['[[ai:', ']]', ';', ':', '"', ',', 'waive', 'kind', 'stage', 'final', 'image.', '*', '--', '\n', '\r\n', 'é', '😀', ' ', 'x-', 'ai-lint:', 'disable', 'depicts: real-person', 'realism: photoreal', 'id: 1'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 300; round++) {
      let text = '';
      const n = Math.floor(random() * 30);
      for (let i = 0; i < n; i++) text += pieces[Math.floor(random() * pieces.length)];
      const doc = parseDoc(text);
      const index = new LineIndex(text);
      for (const genre of ['scripted', 'documentary'] as const) {
        for (const f of runRules(doc, { genre, packs: ALL_PACKS })) {
          for (const p of [f.range.start, f.range.end]) {
            assert.ok(p.line >= 0 && p.line < index.lineCount, `line inside: ${JSON.stringify(text)}`);
            assert.ok(p.character >= 0 && p.character <= index.lineText(p.line).length, `character inside: ${JSON.stringify(text)}`);
          }
        }
      }
    }
  });
});

test('a waiver silences document-level checks on its own tag too (duplicate ids)', () => {
  const text = '[[ai: text.ideation; id: X1]]\n[[ai: text.ideation; id: X1; waive: core/duplicate-id -- same plate, two scenes]]\n[[ai: text.ideation; id: X1]]\n';
  const dups = only(lint(text), 'core/duplicate-id');
  assert.deepEqual(dups.map((f) => f.range.start.line), [2]);
});

test('a reason-less waiver of core/duplicate-id silences it neither in the file nor across files', () => {
  const text = '[[ai: text.ideation; id: X1]]\n[[ai: text.ideation; id: X1; waive: core/duplicate-id]]\n';
  assert.deepEqual(only(lint(text), 'core/duplicate-id').map((f) => f.range.start.line), [1]);
  const a = parseDoc('[[ai: text.ideation; id: X1]]');
  const b = parseDoc('[[ai: text.ideation; id: X1; waive: core/duplicate-id]]');
  assert.equal(findDuplicateIds([{ path: 'a.fountain', doc: a }, { path: 'b.fountain', doc: b }]).length, 1);
  const reasoned = parseDoc('[[ai: text.ideation; id: X1; waive: core/duplicate-id -- same plate]]');
  assert.equal(findDuplicateIds([{ path: 'a.fountain', doc: a }, { path: 'b.fountain', doc: reasoned }]).length, 0);
});

describe('globMatch', () => {
  test('a star matches any run, everything else is literal', async () => {
    const { globMatch } = await import('../../server/src/core/conditions.js');
    const cases: [string, string, boolean][] = [
      ['image.*', 'image.generated', true],
      ['image.*', 'image.', true],
      ['image.*', 'imagex', false],
      ['*', '', true],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'acb', false],
      ['ab*ba', 'aba', false], // the ends may not share a character
      ['*.voice-*', 'audio.voice-clone', true],
      ['a**b', 'ab', true],
      ['video.generated', 'video.generated', true],
      ['video.generated', 'video.generatedx', false],
    ];
    for (const [pattern, value, want] of cases) assert.equal(globMatch(pattern, value), want, `${pattern} on ${value}`);
  });
});
