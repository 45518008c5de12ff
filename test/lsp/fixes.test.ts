// Every quick-fix, applied as a client without snippet support would (plain text), then the
// document linted again: the finding it fixes must be gone and no other finding may appear.
// The broken tags are each built-in rule's own "fires" example (so a new rule with fixes is
// covered without touching this file), plus the did-you-mean and untagged-mention cases.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DISCLOSURES } from '../../server/src/core/config.js';
import { defaultPacks, resolveGenre } from '../../server/src/core/genres.js';
import { LineIndex } from '../../server/src/core/line-index.js';
import { lintText, type DocumentResult } from '../../server/src/core/lint.js';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import type { Finding, HostFormat } from '../../server/src/core/types.js';
import {
  applyEdits,
  directiveLine,
  disableForFileFix,
  planFixes,
  snippetToPlain,
  waiveFix,
  type FixContext,
  type PlannedFix,
} from '../../server/src/lsp/fixEdits.js';

interface Case {
  name: string;
  ruleId: string;
  genre: string;
  /** The tag in Fountain note form; Markdown cases turn it into a comment. */
  tag: string;
  /** Text around the tag (an untagged mention), Fountain action. */
  prose?: string;
  /** Guideline packs, when the rule's pack is not among the genre's defaults. */
  packs?: string[];
}

function fountainDocument(c: Case): string {
  const packs = c.packs ? `AI-Guidelines: ${c.packs.join(', ')}\n` : '';
  return `Title: Fix test\nGenre: ${c.genre}\n${packs}\nINT. SAIL LOFT - DAY\n\n${c.prose ?? 'Nadia sorts photographs.'}\n${c.tag}\n\nNADIA\nThat's her.\n`;
}

function markdownDocument(c: Case): string {
  const tag = c.tag.replace(/^\[\[/, '<!-- ').replace(/\]\]$/, ' -->');
  const packs = c.packs ? `ai-guidelines: [${c.packs.join(', ')}]\n` : '';
  return `---\ngenre: ${c.genre}\n${packs}---\n\n# Edit notes\n\n## Cold open\n\n${c.prose ?? 'Drone over the slip at night.'}\n\n${c.tag ? `${tag}\n` : ''}\nLose the second ticket-hut shot.\n`;
}

function lint(text: string, format: HostFormat): DocumentResult {
  return lintText(text, format, {});
}

/** As the server's quick-fix context: fixes are tried before they are offered. */
function fixContext(result: DocumentResult): FixContext {
  return {
    doc: result.doc,
    index: new LineIndex(result.doc.text),
    disclosures: { ...DEFAULT_DISCLOSURES },
    findings: result.findings,
    recheck: (text) => lint(text, result.format).findings,
  };
}

function apply(result: DocumentResult, fix: PlannedFix): string {
  const index = new LineIndex(result.doc.text);
  return applyEdits(result.doc.text, index, fix.edits.map((e) => ({ range: e.range, newText: snippetToPlain(e.snippet) })));
}

const key = (f: Finding) => `${f.ruleId}#${f.tagIndex ?? '-'}`;

function countByKey(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
  return counts;
}

/** Findings after the fix that were not there before (same rule on the same tag counts as the same). */
function introduced(before: readonly Finding[], after: readonly Finding[]): Finding[] {
  const left = countByKey(before);
  const added: Finding[] = [];
  for (const f of after) {
    const n = left.get(key(f)) ?? 0;
    if (n > 0) left.set(key(f), n - 1);
    else added.push(f);
  }
  return added;
}

const cases: Case[] = [
  ...loadBuiltinRules()
    .filter((rule) => rule.fixes.length > 0 && !rule.check)
    .flatMap((rule) =>
      rule.examples
        .filter((e) => e.fires)
        .map((e, i, all) => {
          const genre = resolveGenre(e.genre ?? 'scripted') ?? 'scripted';
          const defaults: string[] = defaultPacks(genre);
          return { name: all.length > 1 ? `${rule.id} (example ${i + 1})` : rule.id, ruleId: rule.id, genre, tag: e.fires!, packs: defaults.includes(rule.pack) ? undefined : [...defaults, rule.pack] };
        }),
    ),
  { name: 'core/unknown-kind', ruleId: 'core/unknown-kind', genre: 'scripted', tag: '[[ai: image.genrated; stage: temp]]' },
  { name: 'core/unknown-key', ruleId: 'core/unknown-key', genre: 'scripted', tag: '[[ai: text.ideation; stgae: ideation]]' },
  { name: 'core/invalid-value', ruleId: 'core/invalid-value', genre: 'scripted', tag: '[[ai: text.ideation; stage: ideaton]]' },
  { name: 'core/untagged-mention', ruleId: 'core/untagged-mention', genre: 'scripted', tag: '', prose: 'The storyboards came out of Midjourney overnight.' },
];

for (const format of ['fountain', 'markdown'] as const) {
  describe(`quick-fixes applied to ${format}`, () => {
    for (const c of cases) {
      const text = format === 'fountain' ? fountainDocument(c) : markdownDocument(c);
      const before = lint(text, format);
      const targets = before.findings.filter((f) => f.ruleId === c.ruleId);

      it(`${c.name}: the example fires`, () => {
        assert.ok(targets.length > 0, `${c.ruleId} did not fire on:\n${text}\nfindings: ${before.findings.map(key).join(', ')}`);
      });
      const finding = targets[0];
      if (!finding) continue;
      const ctx = fixContext(before);
      const offered = [...planFixes(finding, ctx), waiveFix(finding, ctx), disableForFileFix(finding, ctx)].filter((f): f is PlannedFix => f !== undefined);

      it(`${c.name}: every fix descriptor is offered`, () => {
        assert.ok(offered.length >= finding.fixes.length, `${finding.fixes.length} descriptors, ${offered.length} fixes`);
      });

      const outcomes = offered.map((fix) => {
        const fixed = apply(before, fix);
        const after = lint(fixed, format);
        const stillThere = after.findings.filter((f) => f.ruleId === c.ruleId && (c.ruleId === 'core/untagged-mention' || f.tagIndex === finding.tagIndex));
        return { fix, fixed, after, resolved: stillThere.length < targets.length, added: introduced(before.findings, after.findings) };
      });

      for (const { fix, fixed, after, resolved, added } of outcomes) {
        it(`${c.name}: "${fix.title}" removes the finding`, () => {
          assert.ok(resolved, `${c.ruleId} still reported after "${fix.title}":\n${fixed}`);
        });
        it(`${c.name}: "${fix.title}" introduces no other finding`, () => {
          if (c.ruleId === 'core/untagged-mention') {
            // "Tag this as AI use" inserts a new tag with a guessed kind and a tool the user
            // checks: the new tag's own findings (missing stage, approval...) are theirs to fill.
            const newTag = after.doc.tags.length - 1;
            assert.deepEqual(added.filter((f) => f.tagIndex !== newTag).map(key), [], 'findings outside the new tag');
          } else {
            assert.deepEqual(added.map((f) => `${key(f)}: ${f.message}`), [], `"${fix.title}" introduced findings in:\n${fixed}`);
          }
        });
      }
    }
  });
}

describe('fix placement', () => {
  it('adds a field on its own line in a one-field-per-line tag, keeping the indentation', () => {
    const text = 'INT. ROOM - DAY\n\nA photo.\n[[ai: image.generated\n  tool: Midjourney 6.1\n  stage: final]]\n';
    const result = lint(text, 'fountain');
    const finding = result.findings.find((f) => f.ruleId === 'netflix/final-deliverable')!;
    const fix = planFixes(finding, fixContext(result)).find((f) => /approval/i.test(f.title))!;
    assert.equal(apply(result, fix), 'INT. ROOM - DAY\n\nA photo.\n[[ai: image.generated\n  tool: Midjourney 6.1\n  stage: final\n  approval: reference]]\n');
  });

  it('keeps CRLF line breaks in inserted lines', () => {
    const text = 'Title: X\r\nGenre: documentary\r\n\r\nINT. ROOM - DAY\r\n\r\nA chart.\r\n[[ai: video.generated; disclosure: credits]]\r\n';
    const result = lint(text, 'fountain');
    const finding = result.findings.find((f) => f.ruleId === 'apa/on-screen-disclosure')!;
    const fix = planFixes(finding, fixContext(result)).find((f) => f.title.includes('on-screen label') || f.title.includes('on-screen disclosure'))!;
    const fixed = apply(result, fix);
    assert.ok(fixed.includes('\r\n\r\nSUPER: AI-GENERATED RE-CREATION\r\n\r\nA chart.'), fixed);
    assert.ok(!/[^\r]\n/.test(fixed), 'a bare \\n was inserted');
  });

  it('creates the Fountain cue sheet in a boneyard under its own section, then appends to it', () => {
    const text = 'Title: X\nGenre: documentary\n\nINT. ROOM - DAY\n\nOld news reel.\n[[ai: video.enhanced; tool: Topaz Video AI 5; timecode: 00:07:40:00; source: KPEL | reel 2; source-rights: licensed]]\n';
    const result = lint(text, 'fountain');
    const finding = result.findings.find((f) => f.ruleId === 'apa/enhancement')!;
    const fix = planFixes(finding, fixContext(result)).find((f) => /a row/i.test(f.title))!;
    const once = apply(result, fix);
    assert.match(once, /\n# GenAI cue sheet\n\n\/\*\n\| Timecode \| Description \| Tool \| Prompt \| Source \| Source rights \|\n\|---\|---\|---\|---\|---\|---\|\n\| 00:07:40:00 \| video\.enhanced: [^|]* \| Topaz Video AI 5 \|  \| KPEL \\\| reel 2 \| licensed \|\n\*\/\n$/);
    assert.match(once, /disclosure: cue-sheet/);
    // A second use goes into the same table.
    const second = `${once}\nEXT. QUAY - DAY\n\nFog.\n[[ai: video.enhanced; tool: Topaz Video AI 5; timecode: 00:09:00:00]]\n`;
    const result2 = lint(second, 'fountain');
    const finding2 = result2.findings.find((f) => f.ruleId === 'apa/enhancement' && f.tagIndex === 1)!;
    const fix2 = planFixes(finding2, fixContext(result2)).find((f) => /a row/i.test(f.title))!;
    const twice = apply(result2, fix2);
    assert.equal(twice.match(/# GenAI cue sheet/g)?.length, 1);
    assert.match(twice, /\| 00:07:40:00 [^\n]*\n\| 00:09:00:00 [^\n]*\n\*\//);
  });

  it('appends to an existing Markdown cue sheet table', () => {
    const text = '---\ngenre: documentary\n---\n\n# Notes\n\nReel.\n\n<!-- ai: video.enhanced; tool: Topaz Video AI 5; timecode: 00:07:40:00 -->\n\n## GenAI cue sheet\n\n| Timecode | Description | Tool | Prompt | Source | Source rights |\n|---|---|---|---|---|---|\n| 00:00:42:00 | Score | Suno | drone | none | owned |\n\n## After\n';
    const result = lint(text, 'markdown');
    const finding = result.findings.find((f) => f.ruleId === 'apa/enhancement')!;
    const fix = planFixes(finding, fixContext(result)).find((f) => /a row/i.test(f.title))!;
    assert.match(apply(result, fix), /\| 00:00:42:00 \| Score \| Suno \| drone \| none \| owned \|\n\| 00:07:40:00 \| video\.enhanced[^\n]*\|\n\n## After\n$/);
  });

  it('puts the file-wide directive after the title page or the front matter', () => {
    const fountain = lint('Title: X\nGenre: documentary\n\nINT. ROOM - DAY\n\nA chart.\n[[ai: video.generated; disclosure: credits]]\n', 'fountain');
    assert.equal(directiveLine(fountain.doc, new LineIndex(fountain.doc.text)), 3);
    const markdown = lint('---\ngenre: documentary\n---\n\n# Notes\n', 'markdown');
    assert.equal(directiveLine(markdown.doc, new LineIndex(markdown.doc.text)), 3);
    const bare = lint('INT. ROOM - DAY\n', 'fountain');
    assert.equal(directiveLine(bare.doc, new LineIndex(bare.doc.text)), 0);
  });

  it('marks a single did-you-mean as preferred and safe for fix-all, and two as neither', () => {
    const one = lint('INT. ROOM - DAY\n\nA.\n[[ai: text.ideation; stage: ideaton]]\n', 'fountain');
    const [fix] = planFixes(one.findings.find((f) => f.ruleId === 'core/invalid-value')!, fixContext(one));
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.safe, true);
    const two = lint('INT. ROOM - DAY\n\nA.\n[[ai: image.genrated]]\n', 'fountain');
    const finding = two.findings.find((f) => f.ruleId === 'core/unknown-kind')!;
    if (finding.fixes.length > 1) assert.ok(planFixes(finding, fixContext(two)).every((f) => !f.isPreferred && !f.safe));
  });
});
