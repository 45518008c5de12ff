// The report model: summary counts, cue sheet rows, findings linked to their rows, and the AI
// attribution statement per document (FACTS.md §9a grammar).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributionFor, contributionOf } from '../../server/src/core/report/model.js';
import { parseFountain } from '../../server/src/core/fountain.js';
import { parseMarkdown } from '../../server/src/core/markdown.js';
import { CLEAN_FOUNTAIN, HOSTILE_FOUNTAIN, NOTES_MD, reportOf } from './helpers.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD, 'ideas.fountain': CLEAN_FOUNTAIN });

/** A scripted Fountain page: one scene per list of tag bodies (an empty list is a scene with no tag). */
function script(...scenes: string[][]) {
  return parseFountain(scenes.map((bodies, i) => `INT. ROOM ${i + 1} - DAY\n\nAction.${bodies.map((b) => ` [[ai: ${b}]]`).join('')}\n`).join('\n'));
}

/** One scene holding these tag bodies. */
const tags = (...bodies: string[]) => script(bodies);

test('header: project, date, tool, genres and the guidelines applied', () => {
  assert.equal(report.version, 1);
  assert.equal(report.project, 'The Lantern Road');
  assert.equal(report.generatedAt, '2025-06-02T09:30:00.000Z');
  assert.equal(report.tool.version, '0.1.0');
  assert.deepEqual(report.genres, ['true-crime', 'scripted']);
  assert.deepEqual(report.guidelines, ['netflix', 'apa', 'sag-aftra', 'wga', 'eu-ai-act']);
});

test('summary: uses by kind and stage, findings by severity, disclosed/approved/consented shares', () => {
  const s = report.summary;
  assert.equal(s.documents, 3);
  assert.equal(s.documentsWithUses, 2);
  assert.equal(s.uses, 4);
  assert.deepEqual(s.usesByKind.map((c) => [c.name, c.count]).sort(), [['audio.music', 1], ['image.generated', 1], ['text.transcription', 1], ['video.enhanced', 1]]);
  assert.deepEqual(s.usesByStage, [{ name: 'final', count: 4 }]);
  const total = s.findingsBySeverity.error + s.findingsBySeverity.warning + s.findingsBySeverity.info + s.findingsBySeverity.hint;
  assert.equal(total, s.findings);
  assert.equal(s.findings, report.findings.length);
  assert.ok(s.findingsBySeverity.error > 0, 'the hostile archival image breaks error rules');
  // Media reaching the audience: the image (disclosure none), the music (credits), the enhanced video (no disclosure).
  assert.deepEqual(s.disclosed, { count: 1, of: 3, percent: 33 });
  // Approval: the image's "-2+3" is a reference, the music's NFX-1 too; the video's is pending.
  assert.deepEqual(s.approved, { count: 2, of: 3, percent: 67, pending: 1 });
  // Consent applies only to the real person in the image.
  assert.equal(s.consented.of, 1);
});

test('cue sheet: one row per tag with place, IPTC type, fields and the findings on it', () => {
  assert.equal(report.cueSheet.length, 4);
  const [image, music, transcript, video] = report.cueSheet;
  assert.equal(image.file, 'ep101.fountain');
  assert.equal(image.line, 6);
  assert.equal(image.scene, 'INT. LIVING ROOM - NIGHT');
  assert.equal(image.kind, 'image.generated');
  assert.equal(image.iptcDigitalSourceType, 'trainedAlgorithmicMedia');
  assert.equal(image.iptcUri, 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia');
  assert.equal(image.tool, '<script>alert(1)</script>');
  assert.deepEqual(image.disclosure, ['none']);
  assert.equal(image.id, 'LR-1');
  assert.ok(image.findings.some((f) => f.ruleId === 'apa/synthetic-archival' && f.severity === 'error'));
  assert.equal(music.scene, 'INT. KITCHEN - NIGHT');
  assert.deepEqual(music.disclosure, ['credits']);
  assert.equal(transcript.section, 'Interviews');
  assert.equal(transcript.iptcDigitalSourceType, null, 'transcripts are not media');
  assert.equal(video.timecode, '00:07:40:00-00:08:55:00');
  assert.equal(video.source, 'KPEL-TV news,\n15 Nov 1998');
  assert.equal(video.sourceRights, 'licensed');
  assert.equal(video.approval, 'pending');
  assert.deepEqual(report.cueSheet.map((r) => r.row), [1, 2, 3, 4]);
});

test('findings: rule, severity, message, 1-based location, docs link, source, and the cue sheet row', () => {
  const archival = report.findings.find((f) => f.ruleId === 'apa/synthetic-archival');
  assert.ok(archival);
  assert.equal(archival.file, 'ep101.fountain');
  assert.equal(archival.line, 6);
  assert.ok(archival.column > 1);
  assert.match(archival.docs!, /^https:\/\/.*docs\/rules\/apa\/synthetic-archival\.md$/);
  assert.ok(archival.source?.title.includes('Archival Producers Alliance'));
  assert.equal(archival.cueSheetRow, 1);
  for (const f of report.findings) {
    if (f.cueSheetRow !== null) assert.ok(report.cueSheet[f.cueSheetRow - 1].findings.some((r) => r.ruleId === f.ruleId));
  }
  const rule = report.rules.find((r) => r.id === 'apa/synthetic-archival');
  assert.ok(rule && rule.title.length > 3 && rule.title !== rule.id, 'rule titles come from the catalogue');
});

test('attribution per document: Ph for media and transcripts only, none for untagged', () => {
  const byPath = new Map(report.documents.map((d) => [d.path, d.attribution]));
  // A photo and a score: AI made media, not the script's text.
  const script = byPath.get('ep101.fountain')!;
  assert.equal(script.statement, 'AIA Ph Nc Hin R <script>alert(1)</script> v1.0');
  assert.deepEqual(script.tools, ['<script>alert(1)</script>', 'Suno v4.5']);
  assert.equal(byPath.get('notes/ep101.md')!.statement, 'AIA Ph Se Hin R Descript 6, "pro" v1.0', 'the transcription tool names the notes');
  const none = byPath.get('ideas.fountain')!;
  assert.equal(none.statement, null);
  assert.equal(none.model, null);
  assert.match(none.basis, /no statement/);
});

test('proportion: one AI prop image, or media in every scene, leaves a screenplay primarily human', () => {
  const prop = attributionFor(script([], ['image.generated; tool: Midjourney 6.1; element: prop'], [], []));
  assert.equal(prop.proportion, 'Ph');
  assert.equal(prop.statement, 'AIA Ph Nc Hin Nr Midjourney 6.1 v1.0');
  const media = attributionFor(script(['image.generated'], ['video.generated'], ['audio.music'], ['likeness.replica']));
  assert.equal(media.proportion, 'Ph', 'new media everywhere is still not AI-written text');
  assert.deepEqual(media.contributions, ['Nc']);
});

test('proportion: text.draft makes a blend; text.draft in most scenes makes it primarily AI', () => {
  const one = attributionFor(script(['text.draft; tool: Claude 3.7 Sonnet'], [], ['image.generated; tool: Midjourney'], ['image.generated; tool: Midjourney']));
  assert.equal(one.proportion, 'HAb');
  assert.equal(one.model, 'Claude 3.7 Sonnet', 'the tool that wrote text names the statement, even if another is used more');
  assert.equal(one.statement, 'AIA HAb Nc Hin Nr Claude 3.7 Sonnet v1.0');
  assert.deepEqual(one.tools, ['Claude 3.7 Sonnet', 'Midjourney']);
  assert.match(one.basis, /1 text\.draft tag, in 1 of 4 scenes/);
  // Half the scenes is not most of them.
  assert.equal(attributionFor(script(['text.draft'], ['text.draft'], [], [])).proportion, 'HAb');
  const most = attributionFor(script(['text.draft; tool: GPT-4o'], ['text.draft; tool: GPT-4o', 'text.draft'], [], ['text.draft']));
  assert.equal(most.proportion, 'PAI');
  assert.match(most.basis, /text\.draft in 3 of 4 scenes/);
  // Without scene headings there is no "most of the scenes": a blend, never PAI.
  assert.equal(attributionFor(parseFountain('Action. [[ai: text.draft]]\n\nMore. [[ai: text.draft]]\n')).proportion, 'HAb');
  // A tag above the first scene heading is in no scene.
  assert.equal(attributionFor(parseFountain('Note. [[ai: text.draft]]\n\nINT. A - DAY\n\nAction.\n')).proportion, 'HAb');
});

test('proportion: text.rewrite in most scenes makes a blend; in fewer it stays primarily human', () => {
  const polish = attributionFor(script(['text.rewrite; tool: Grammarly'], [], []));
  assert.equal(polish.proportion, 'Ph');
  assert.equal(polish.statement, 'AIA Ph Ce Hin Nr Grammarly v1.0');
  assert.match(polish.basis, /rewrote text in 1 of 3 scenes/);
  assert.equal(attributionFor(script(['text.rewrite'], ['text.rewrite'], [])).proportion, 'HAb');
  // Drafts and rewrites together count towards the blend, not towards PAI.
  assert.equal(attributionFor(script(['text.draft'], ['text.rewrite'], ['text.rewrite'])).proportion, 'HAb');
});

test('proportion in Markdown notes: sections are the units', () => {
  const notes = (n: number, drafted: number) =>
    parseMarkdown(Array.from({ length: n }, (_, i) => `## Shot ${i + 1}\n\nNotes.${i < drafted ? ' <!-- ai: text.draft; tool: Gemini -->' : ''}\n`).join('\n'));
  assert.equal(attributionFor(notes(3, 2)).proportion, 'PAI');
  assert.equal(attributionFor(notes(4, 1)).proportion, 'HAb');
});

test('attribution: contribution codes per kind, Nr when any use lacks reviewed-by', () => {
  assert.equal(contributionOf('image.generated'), 'Nc');
  assert.equal(contributionOf('text.draft'), 'Nc');
  assert.equal(contributionOf('text.rewrite'), 'Ce');
  assert.equal(contributionOf('video.composite'), 'Ce');
  assert.equal(contributionOf('text.ideation'), 'Ce');
  assert.equal(contributionOf('audio.enhanced'), 'Se');
  assert.equal(contributionOf('text.translation'), 'Se');
  assert.equal(contributionOf('nonsense'), null);

  const mixed = attributionFor(tags('image.generated; tool: Midjourney 6.1; reviewed-by: Ana', 'video.composite; tool: Runway Gen-4', 'audio.enhanced; tool: midjourney 6.1'));
  assert.equal(mixed.statement, 'AIA Ph Se Ce Nc Hin Nr Midjourney 6.1 v1.0', 'the most used tool, case-insensitively');
  assert.deepEqual(mixed.tools, ['Midjourney 6.1', 'Runway Gen-4']);
  assert.equal(mixed.review, 'Nr');

  const noTool = attributionFor(tags('text.rewrite; reviewed-by: Ana'));
  assert.equal(noTool.statement, 'AIA HAb Ce Hin R v1.0', 'the one scene is rewritten: most of the scenes');
  assert.equal(noTool.model, null);

  const pendingReview = attributionFor(tags('image.generated; reviewed-by: pending'));
  assert.equal(pendingReview.review, 'Nr', '"pending" is no review record');
});

test('attribution: never EAI or Eh, contribution codes only with PAI, HAb, Ph, one model in the slot', () => {
  const bodies = ['image.generated; tool: A', 'video.composite; tool: B, with a comma', 'audio.enhanced', 'text.ideation; tool: C', 'nonsense.kind', 'text.translation', 'text.draft; tool: D', 'text.rewrite; tool: E'];
  for (let mask = 1; mask < 1 << bodies.length; mask++) {
    const chosen = bodies.filter((_, i) => mask & (1 << i));
    const a = attributionFor(script(chosen.slice(0, 3), chosen.slice(3)));
    assert.match(a.statement!, /^AIA (PAI|HAb|Ph)( (Se|Ce|Nc))* Hin (R|Nr)( .+)? v1\.0$/, chosen.join(', '));
    assert.doesNotMatch(a.statement!, /\b(EAI|Eh)\b/);
    const slot = a.statement!.replace(/^AIA (PAI|HAb|Ph)( (Se|Ce|Nc))* Hin (R|Nr) ?/, '').replace(/ ?v1\.0$/, '');
    assert.equal(slot, a.model ?? '', 'the slot holds exactly the model');
    assert.ok(a.model === null || a.tools.includes(a.model));
  }
});

test('tool names with line breaks or control characters stay on one line in the statement', () => {
  const a = attributionFor(tags('image.generated; tool: "Evil\u0007\nTool"'));
  assert.equal(a.tools[0], 'Evil Tool');
  assert.doesNotMatch(a.statement!, /[\n\u0007]/);
});
