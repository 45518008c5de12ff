// The report model: summary counts, cue sheet rows, findings linked to their rows, and the AI
// attribution statement per document (FACTS.md §9a grammar).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributionFor, contributionOf } from '../../server/src/core/report/model.js';
import { parseFountain } from '../../server/src/core/fountain.js';
import { CLEAN_FOUNTAIN, HOSTILE_FOUNTAIN, NOTES_MD, reportOf } from './helpers.js';

const report = reportOf({ 'ep101.fountain': HOSTILE_FOUNTAIN, 'notes/ep101.md': NOTES_MD, 'ideas.fountain': CLEAN_FOUNTAIN });

/** Tags of a scripted Fountain page holding these tag bodies. */
function tags(...bodies: string[]) {
  return parseFountain(`INT. ROOM - DAY\n\n${bodies.map((b) => `Action. [[ai: ${b}]]`).join('\n\n')}\n`).tags;
}

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

test('attribution per document: PAI for mostly generated, Ph for enhancement only, none for untagged', () => {
  const byPath = new Map(report.documents.map((d) => [d.path, d.attribution]));
  assert.equal(byPath.get('ep101.fountain')!.statement, 'AIA PAI Nc Hin R <script>alert(1)</script>; Suno v4.5 v1.0');
  assert.equal(byPath.get('notes/ep101.md')!.statement, 'AIA Ph Se Hin R Descript 6, "pro"; Topaz Video AI 5 v1.0');
  const none = byPath.get('ideas.fountain')!;
  assert.equal(none.statement, null);
  assert.match(none.basis, /no statement/);
});

test('attribution: contribution codes per kind, HAb for a blend, Nr when any use lacks reviewed-by', () => {
  assert.equal(contributionOf('image.generated'), 'Nc');
  assert.equal(contributionOf('text.draft'), 'Nc');
  assert.equal(contributionOf('text.rewrite'), 'Ce');
  assert.equal(contributionOf('video.composite'), 'Ce');
  assert.equal(contributionOf('text.ideation'), 'Ce');
  assert.equal(contributionOf('audio.enhanced'), 'Se');
  assert.equal(contributionOf('text.translation'), 'Se');
  assert.equal(contributionOf('nonsense'), null);

  const blend = attributionFor(tags('image.generated; tool: Midjourney 6.1; reviewed-by: Ana', 'video.composite; tool: Runway Gen-4', 'audio.enhanced; tool: midjourney 6.1'));
  assert.equal(blend.statement, 'AIA HAb Se Ce Nc Hin Nr Midjourney 6.1; Runway Gen-4 v1.0');
  assert.equal(blend.proportion, 'HAb');
  assert.equal(blend.review, 'Nr');

  const noTool = attributionFor(tags('text.rewrite; reviewed-by: Ana'));
  assert.equal(noTool.statement, 'AIA HAb Ce Hin R v1.0');

  const pendingReview = attributionFor(tags('image.generated; reviewed-by: pending'));
  assert.equal(pendingReview.review, 'Nr', '"pending" is no review record');
});

test('attribution: never EAI or Eh, and contribution codes only with PAI, HAb, Ph', () => {
  const bodies = ['image.generated', 'video.composite', 'audio.enhanced', 'text.ideation', 'nonsense.kind', 'text.translation'];
  for (let mask = 1; mask < 1 << bodies.length; mask++) {
    const chosen = bodies.filter((_, i) => mask & (1 << i));
    const a = attributionFor(tags(...chosen));
    assert.match(a.statement!, /^AIA (PAI|HAb|Ph)( (Se|Ce|Nc))* Hin (R|Nr)( .+)? v1\.0$/, chosen.join(', '));
    assert.doesNotMatch(a.statement!, /\b(EAI|Eh)\b/);
  }
});

test('tool names with line breaks or control characters stay on one line in the statement', () => {
  const a = attributionFor(tags('image.generated; tool: "Evil\u0007\nTool"'));
  assert.equal(a.tools[0], 'Evil Tool');
  assert.doesNotMatch(a.statement!, /[\n\u0007]/);
});
