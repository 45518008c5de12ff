// Quick-fixes on hostile documents (SPEC §9: fixes idempotent, never touch text outside their
// range). Mutated documents full of guideline-breaking tags are linted; for a sample of their
// findings every offered fix (planFixes as the server's quick-fix provider calls it, the waiver and
// disable-for-the-file) is planned and applied, and:
// - planning never throws;
// - every edit range lies inside the document (an out-of-range position would be clamped by the
//   client and the edit would land on other text), edits do not overlap, and no edit boundary falls
//   between the halves of a surrogate pair;
// - the text before the first edit and after the last is unchanged, and applying the edits front to
//   back (the server's applyEdits) and back to front (as a client does) gives the same text;
// - the new text lints without throwing, with every range inside it;
// - applying the same fix again (same rule at the same place, re-planned on the new text) is not
//   offered, or changes nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_DISCLOSURES } from '../../server/src/core/config.js';
import { GENRES } from '../../server/src/core/genres.js';
import { LineIndex } from '../../server/src/core/line-index.js';
import { lintText, type DocumentResult, type DocumentSettings } from '../../server/src/core/lint.js';
import type { Finding, HostFormat } from '../../server/src/core/types.js';
import {
  applyEdits,
  disableForFileFix,
  editsOverlap,
  isAboutDirective,
  planFixes,
  snippetToPlain,
  waiveFix,
  type FixContext,
  type PlannedFix,
} from '../../server/src/lsp/fixEdits.js';
import { editsBackToFront } from '../lsp/lsp-client.js';
import {
  applyMutations,
  assertDocumentRanges,
  assertRange,
  corpusSeeds,
  exampleSeeds,
  firingTags,
  mutationArb,
  splitsSurrogatePair,
  toMarkdownTag,
  window,
} from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS) || 0;
const runs = (n: number) => (RUNS > 0 ? Math.max(1, Math.round(RUNS / 4)) : n);

const seeds = [...exampleSeeds(), ...corpusSeeds()];
const tags = firingTags();

type FixKind = 'quick' | 'waive' | 'disable';

function contexts(result: DocumentResult, settings: DocumentSettings): { plain: FixContext; quick: FixContext } {
  const plain: FixContext = { doc: result.doc, index: new LineIndex(result.doc.text), disclosures: { ...DEFAULT_DISCLOSURES, ...settings.disclosures } };
  return { plain, quick: { ...plain, findings: result.findings, recheck: (text) => lintText(text, result.format, settings).findings } };
}

function plan(kind: FixKind, finding: Finding, result: DocumentResult, settings: DocumentSettings): PlannedFix[] {
  const { plain, quick } = contexts(result, settings);
  if (kind === 'quick') return planFixes(finding, quick);
  if (kind === 'waive') {
    const w = waiveFix(finding, plain);
    return w ? [w] : [];
  }
  // As the server's code actions: no "disable for this file" for a finding about a directive.
  return isAboutDirective(finding, result.doc) ? [] : [disableForFileFix(finding, plain)];
}

function offsets(index: LineIndex, fix: PlannedFix): { start: number; end: number; text: string }[] {
  return fix.edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), text: snippetToPlain(e.snippet) }));
}

/** Checks one fix on `text` and returns the text after it. */
function applyChecked(text: string, fix: PlannedFix, what: string): string {
  const index = new LineIndex(text);
  assert.ok(fix.edits.length > 0, `${what}: a fix with no edit`);
  fix.edits.forEach((e, i) => assertRange(index, e.range, `${what} edit ${i}`));
  assert.ok(!editsOverlap(fix.edits), `${what}: overlapping edits`);
  const edits = offsets(index, fix);
  for (const e of edits) {
    assert.ok(!splitsSurrogatePair(text, e.start) && !splitsSurrogatePair(text, e.end), `${what}: an edit boundary splits a surrogate pair`);
  }
  const plainEdits = fix.edits.map((e) => ({ range: e.range, newText: snippetToPlain(e.snippet) }));
  const out = applyEdits(text, index, plainEdits);
  // As a client applies them: back to front, each range into the text as it then is.
  let client = text;
  for (const e of editsBackToFront(plainEdits)) {
    const start = index.offsetAt(e.range.start);
    const end = index.offsetAt(e.range.end);
    client = client.slice(0, start) + e.newText + client.slice(end);
  }
  assert.equal(client, out, `${what}: the server's and a client's application differ`);
  const first = Math.min(...edits.map((e) => e.start));
  const last = Math.max(...edits.map((e) => e.end));
  assert.equal(out.slice(0, first), text.slice(0, first), `${what}: text before the first edit changed`);
  assert.equal(out.slice(out.length - (text.length - last)), text.slice(last), `${what}: text after the last edit changed`);
  const delta = edits.reduce((s, e) => s + e.text.length - (e.end - e.start), 0);
  assert.equal(out.length, text.length + delta, `${what}: length does not add up`);
  return out;
}

/** Where an offset of the old text is after the edits (undefined when an edit replaced it). */
function mapOffset(o: number, edits: { start: number; end: number; text: string }[]): number | undefined {
  let shift = 0;
  for (const e of edits) {
    if (e.end <= o) shift += e.text.length - (e.end - e.start);
    else if (e.start < o && o < e.end) return undefined;
  }
  return o + shift;
}

/** The finding in `after` that is `finding` of `before`: same rule, same tag (or same place). */
function sameFinding(finding: Finding, before: DocumentResult, after: DocumentResult, edits: { start: number; end: number; text: string }[]): Finding | undefined {
  const oldIndex = new LineIndex(before.doc.text);
  const newIndex = new LineIndex(after.doc.text);
  if (finding.tagIndex !== undefined) {
    const tagStart = mapOffset(oldIndex.offsetAt(before.doc.tags[finding.tagIndex].range.start), edits);
    if (tagStart === undefined) return undefined;
    const t = after.doc.tags.findIndex((tag) => newIndex.offsetAt(tag.range.start) === tagStart);
    if (t < 0) return undefined;
    const onTag = after.findings.filter((f) => f.ruleId === finding.ruleId && f.tagIndex === t);
    // A tag may have the rule twice (two unknown keys): the one at the same place. Only when the
    // fix rewrote that place is any finding of the rule on the tag taken, if it has one.
    const start = mapOffset(oldIndex.offsetAt(finding.range.start), edits);
    if (start === undefined) return onTag.length === 1 ? onTag[0] : undefined;
    return onTag.find((f) => newIndex.offsetAt(f.range.start) === start);
  }
  const start = mapOffset(oldIndex.offsetAt(finding.range.start), edits);
  if (start === undefined) return undefined;
  return after.findings.find((f) => f.ruleId === finding.ruleId && f.tagIndex === undefined && newIndex.offsetAt(f.range.start) === start);
}

const stats = { documents: 0, findings: 0, fixes: 0, stillThere: 0, reapplied: 0, notOffered: 0 };

function checkDocument(text: string, format: HostFormat, settings: DocumentSettings, pick: number[]): void {
  const result = lintText(text, format, settings);
  stats.documents++;
  if (result.findings.length === 0) return;
  const chosen = [...new Set(pick.map((p) => p % result.findings.length))];
  for (const i of chosen) {
    const finding = result.findings[i];
    stats.findings++;
    for (const kind of ['quick', 'waive', 'disable'] as const) {
      for (const fix of plan(kind, finding, result, settings)) {
        const what = `${kind} fix "${fix.title}" for ${finding.ruleId}`;
        stats.fixes++;
        const out = applyChecked(text, fix, what);
        const after = lintText(out, format, settings);
        assertDocumentRanges(after.doc, new LineIndex(out));
        // Again: the same rule at the same place, re-planned on the new text.
        const again = sameFinding(finding, result, after, offsets(new LineIndex(text), fix).sort((a, b) => a.start - b.start));
        if (again) stats.stillThere++;
        const replanned = again ? plan(kind, again, after, settings).find((f) => f.title === fix.title) : undefined;
        if (!replanned) {
          stats.notOffered++;
          continue;
        }
        stats.reapplied++;
        const twice = applyChecked(out, replanned, `${what} (again)`);
        assert.equal(twice, out, `${what}: applying it a second time changed the text again`);
      }
    }
  }
}

const disclosureTemplate = fc.oneof(
  fc.constantFrom('AI-GENERATED', '{tool} made this', '${1:x} $0 } \\ {nope}', '[[ai: image.generated]]', '<!-- x -->', 'a\nb', '{subject} at {timecode}', ''),
  fc.string({ maxLength: 20 }),
);

const docArb = fc
  .record({
    seed: fc.constantFrom(...seeds),
    start: fc.double({ min: 0, max: 1, noNaN: true }),
    inserted: fc.array(fc.record({ tag: fc.constantFrom(...tags), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), inline: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    mutations: fc.array(mutationArb, { maxLength: 5 }),
    format: fc.constantFrom<HostFormat>('fountain', 'markdown'),
    crlf: fc.boolean(),
  })
  .map(({ seed, start, inserted, mutations, format, crlf }) => {
    let text = window(seed.text, start, 1500);
    for (const { tag, at, inline } of inserted) {
      const i = Math.floor(at * (text.length + 1));
      const t = format === 'markdown' ? toMarkdownTag(tag) : tag;
      text = inline ? `${text.slice(0, i)}${t}${text.slice(i)}` : `${text.slice(0, i)}\n\n${t}\n\n${text.slice(i)}`;
    }
    if (crlf) text = text.replace(/\r?\n/g, '\r\n');
    return { text: applyMutations(text, mutations), format };
  });

const settingsArb: fc.Arbitrary<DocumentSettings> = fc.record({
  genre: fc.constantFrom(...GENRES),
  disclosures: fc.dictionary(fc.constantFrom('on-screen', 'credits', 'narration', 'platform'), disclosureTemplate),
});

describe('quick-fixes on mutated documents', () => {
  it('every fix stays in its range, re-lints cleanly and is idempotent', (t) => {
    fc.assert(
      fc.property(docArb, settingsArb, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (doc, settings, pick) => {
        checkDocument(doc.text, doc.format, settings, pick);
      }),
      { numRuns: runs(60), includeErrorInReport: true, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
    t.diagnostic(`fix fuzz: ${stats.documents} documents, ${stats.findings} findings, ${stats.fixes} fixes applied, finding still there after ${stats.stillThere}, ${stats.reapplied} re-offered and re-applied (no change), ${stats.notOffered} not offered again`);
  });

  it('every finding of the example projects: every fix, twice', (t) => {
    const before = { ...stats };
    for (const seed of exampleSeeds()) {
      const all = lintText(seed.text, seed.format, {}).findings.map((_, i) => i);
      checkDocument(seed.text, seed.format, {}, all);
      checkDocument(seed.text.replace(/\r?\n/g, '\r\n'), seed.format, {}, all);
    }
    t.diagnostic(`examples: ${stats.findings - before.findings} findings, ${stats.fixes - before.fixes} fixes`);
  });
});

describe('fixes that could not remove their finding are not offered (bugs the fuzzing found)', () => {
  const offered = (text: string, ruleId: string) => {
    const result = lintText(text, 'fountain', {});
    const finding = result.findings.find((f) => f.ruleId === ruleId);
    assert.ok(finding, `${ruleId} fires on ${JSON.stringify(text)}`);
    return { result, finding, waive: plan('waive', finding, result, {}), disable: plan('disable', finding, result, {}) };
  };

  // Findings about a directive are never silenced by a directive (engine.ts): a "disable for this
  // file" for them left the finding in place, and applying it again added a second directive.
  for (const [text, ruleId] of [
    ['INT. A - DAY\n\n[[ai-lint: frobnicate]]\n', 'core/invalid-directive'],
    ['[[ai-lint: disable nope/x -- r]]\n', 'core/unknown-rule'],
    ['[[ai-lint: disable]]\n', 'core/waiver-without-reason'],
  ] as const) {
    it(`no "disable for this file" for ${ruleId} on a directive`, () => {
      const { result, finding, disable } = offered(text, ruleId);
      assert.ok(isAboutDirective(finding, result.doc));
      assert.deepEqual(disable, []);
    });
  }

  // A waiver never silences the complaints about waivers (engine.ts): "Waive core/waiver-without-reason
  // on this tag" added a waive field that changed nothing, again on every application.
  for (const [text, ruleId] of [
    ['INT. A - DAY\n\n[[ai: image.generated; waive: netflix/final-deliverable]]\n', 'core/waiver-without-reason'],
    ['INT. A - DAY\n\n[[ai: image.generated; waive: nope/rule -- because]]\n', 'core/unknown-rule'],
  ] as const) {
    it(`no waiver for ${ruleId}; disabling it for the file works`, () => {
      const { result, finding, waive, disable } = offered(text, ruleId);
      assert.deepEqual(waive, []);
      assert.equal(disable.length, 1);
      const out = applyChecked(text, disable[0], 'disable');
      assert.ok(!lintText(out, 'fountain', {}).findings.some((f) => f.ruleId === ruleId), `${ruleId} is gone after disabling it`);
      assert.equal(result.doc.text, text);
    });
  }

  // A line of spaces ends the title page but not a note: "disable for this file" went in after it,
  // inside the note, where it was note text; applying it again added a second one (seed 110795742).
  it('"disable for this file" goes after a note that runs across the blank line', () => {
    const text = 'Genre: \nA line.[[A note.\n  \nStill the note.]] More.\n\nINT. A - DAY\n';
    const { disable } = offered(text, 'core/unknown-genre');
    assert.equal(disable.length, 1);
    const out = applyChecked(text, disable[0], 'disable');
    assert.ok(!lintText(out, 'fountain', {}).findings.some((f) => f.ruleId === 'core/unknown-genre'), 'core/unknown-genre is gone after disabling it');
    assert.match(out, /Still the note\.\]\] More\.\n\n\[\[ai-lint: disable-file core\/unknown-genre -- /);
  });
});

describe('two findings of one rule on one tag are two findings (seed -1390236573)', () => {
  // The fuzzer took the second unknown key's fix, "applied again", for the first one's.
  it('fixing one unknown key leaves the other, whose fix then changes only it', () => {
    const text = 'INT. A - DAY\n\n[[ai: image.generated; presente: archival; depicts: real-person; presente: x]]\n';
    const result = lintText(text, 'fountain', {});
    const unknown = result.findings.filter((f) => f.ruleId === 'core/unknown-key');
    assert.equal(unknown.length, 2);
    const [fix] = plan('quick', unknown[1], result, {}).filter((f) => /presented-as/.test(f.title));
    const out = applyChecked(text, fix, 'second key');
    assert.match(out, /presente: archival; depicts: real-person; presented-as: x\]\]/);
    const after = lintText(out, 'fountain', {});
    const left = after.findings.filter((f) => f.ruleId === 'core/unknown-key');
    assert.deepEqual(left.map((f) => f.range.start.character), [unknown[0].range.start.character]);
    const [other] = plan('quick', left[0], after, {}).filter((f) => /presented-as/.test(f.title));
    assert.match(applyChecked(out, other, 'first key'), /presented-as: archival; depicts: real-person; presented-as: x\]\]/);
  });
});

describe('a field added after a quote left open closes it first (seed -568426273)', () => {
  // The open quote runs to the end of the tag: a waive or any other field added after it was
  // read as more of the quoted value, so the finding stayed and each application added another.
  for (const [text, format] of [
    ['INT. A - DAY\n\n[[ai: image.generated; note: "a long note]]\n', 'fountain'],
    ['<!-- ai: image.generated; depicts: real-person\nnote: "runs on\n\nover a blank line -->\n\nText.\n', 'markdown'],
    ['INT. A - DAY\n\n[[ai: "]]\n', 'fountain'],
    // a quote where a field starts: a field without a colon, all key
    ['<!-- ai:genre: news\n"\n\n<!-- ai: image.generated; depicts: real-person -->\n\nText.\n', 'markdown'],
  ] as const) {
    it(`${format}: ${JSON.stringify(text.slice(0, 40))}`, () => {
      const result = lintText(text, format, {});
      const finding = result.findings.find((f) => f.tagIndex !== undefined && f.ruleId !== 'core/tag-syntax');
      assert.ok(finding, 'a finding on the tag');
      const [waive] = plan('waive', finding, result, {});
      const out = applyChecked(text, waive, 'waive');
      const after = lintText(out, format, {});
      assert.ok(!after.findings.some((f) => f.ruleId === finding.ruleId && f.tagIndex === finding.tagIndex), `${finding.ruleId} is waived: ${out}`);
      const before = result.doc.tags[finding.tagIndex!].fields;
      const now = after.doc.tags[finding.tagIndex!].fields;
      // (A field without a colon is all key: its key gains the closing quote; its value stays empty.)
      assert.deepEqual(now.slice(0, before.length).map((f) => f.value), before.map((f) => f.value), 'the values read as before');
      assert.equal(now[before.length]?.key, 'waive');
    });
  }
});

describe('text a fix inserts cannot open a note, a boneyard or a comment', () => {
  // The disclosure template is the project's, the tool name the writer's: a `/*` in either would
  // have opened a boneyard on the SUPER line and hidden the rest of the script.
  const settings: DocumentSettings = { disclosures: { 'on-screen': 'AI RE-CREATION [[ai: image.generated]] <!-- x --> /* y' } };
  const text = 'Title: X\nGenre: documentary\n\nINT. ROOM - DAY\n\nA photo.\n[[ai: image.generated; tool: Gen/*Pro*/; depicts: real-person; realism: photoreal; presented-as: re-creation; timecode: 00:01:00:00; prompt: p; source: none; disclosure: credits]]\n\nLater scene text.\n';

  it('the SUPER line holds the template and the tool as plain text, and is idempotent', () => {
    const result = lintText(text, 'fountain', settings);
    const finding = result.findings.find((f) => f.ruleId === 'apa/on-screen-disclosure');
    assert.ok(finding, result.findings.map((f) => f.ruleId).join());
    const fix = plan('quick', finding, result, settings).find((f) => /on-screen label/.test(f.title));
    assert.ok(fix);
    const out = applyChecked(text, fix, 'insert-disclosure');
    assert.match(out, /^SUPER: AI RE-CREATION \[ \[ai: image\.generated\] \] <!- - x - -> \/ \* y$/m);
    const after = lintText(out, 'fountain', settings);
    assert.equal(after.doc.tags.length, 1, 'no new tag came in with the label');
    assert.ok(after.doc.prose.some((p) => out.slice(p.start, p.end).includes('Later scene text')), 'the text after it is still script, not boneyard');
    assert.ok(!after.findings.some((f) => f.ruleId === 'apa/on-screen-disclosure'));
  });

  it('a credits line and a cue-sheet row with a tool named `*/` stay inside their places', () => {
    // Drama with the EU AI Act: deep-fake offers a credits line. An upres in a documentary:
    // apa/enhancement offers a cue-sheet row. (Planned without the recheck, so every one is tried.)
    const drama = lintText(text.replace('Genre: documentary', 'Genre: drama\nAI-Guidelines: eu-ai-act'), 'fountain', {});
    const upres = lintText(text.replace(/\[\[ai: [^\]]*\]\]/, '[[ai: video.enhanced; tool: Gen/*Pro*/; timecode: 00:01:00:00]]'), 'fountain', settings);
    const tried: string[] = [];
    for (const result of [drama, upres]) for (const finding of result.findings) {
      for (const fix of planFixes(finding, contexts(result, settings).plain).filter((f) => /credits line|cue sheet/i.test(f.title))) {
        tried.push(fix.title);
        const out = applyChecked(result.doc.text, fix, fix.title);
        const after = lintText(out, 'fountain', settings);
        assert.equal(after.doc.tags.length, 1, `${fix.title}: a tag came in`);
        const prose = after.doc.prose.map((p) => out.slice(p.start, p.end)).join('\n');
        if (/credits/i.test(fix.title)) {
          // The whole credits line is script text: the tool's `/*` opened no boneyard in it.
          const line = out.split('\n').find((l) => l.includes('(generative AI)'))!;
          assert.ok(prose.includes(line), `${fix.title}: part of ${JSON.stringify(line)} went into a boneyard`);
        } else {
          // The cue sheet is kept in a boneyard: the tool's `*/` did not end it early.
          assert.ok(!prose.includes('|'), `${fix.title}: cue-sheet rows leaked out of the boneyard:\n${out}`);
        }
      }
    }
    assert.ok(tried.some((t) => /credits line/i.test(t)) && tried.some((t) => /cue sheet/i.test(t)), `tried: ${tried.join(', ')}`);
  });
});
