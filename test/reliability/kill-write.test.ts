// Nothing lost (SPEC §9): `ai-use report` is killed (SIGKILL, no chance to clean up) at moments
// spread over its run, writing over an earlier report. After every kill the report file is either
// the earlier report, whole, or the new one, whole: never empty, never half written.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureBuilt, ROOT } from '../lsp/lsp-client.js';

const CLI = path.join(ROOT, 'dist/cli.cjs');

const EPISODE = (n: number) =>
  `Title: Ep ${n}\nGenre: documentary\n\n` +
  Array.from({ length: 400 }, (_, i) => `INT. ROOM ${i} - DAY\n\nShot ${i}. [[ai: image.generated; tool: Tool ${i}; depicts: real-person; realism: photoreal; presented-as: archival; prompt: "a long prompt that makes the report bigger ${'x'.repeat(80)}"; stage: final; id: E${n}-${i}]]\n\n`).join('');

describe('a report killed while it is written leaves the earlier report whole', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-use-kill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL at 8 moments during the run: the file is always a complete report', async () => {
    ensureBuilt();
    const project = path.join(dir, 'project');
    mkdirSync(project);
    for (let n = 1; n <= 12; n++) writeFileSync(path.join(project, `ep${n}.fountain`), EPISODE(n));
    const out = path.join(dir, 'report.json');
    const args = [CLI, 'report', project, '--format', 'json', '--out', out];
    const started = Date.now();
    const first = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    const runMs = Date.now() - started;
    const earlier = readFileSync(out, 'utf8');
    const earlierReport = JSON.parse(earlier) as { generated: string; summary: { uses: number } };
    assert.equal(earlierReport.summary.uses, 12 * 400);

    const outcomes = { earlier: 0, replaced: 0 };
    for (let k = 0; k < 8; k++) {
      const child = spawn(process.execPath, args, { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Moments spread over the whole run, the last ones near its end, where the write happens.
      await new Promise((resolve) => setTimeout(resolve, Math.round(runMs * (0.3 + (0.75 * k) / 8))));
      child.kill('SIGKILL');
      await exited;
      const now = readFileSync(out, 'utf8');
      const report = JSON.parse(now) as { summary: { uses: number } };
      assert.equal(report.summary.uses, 12 * 400, `after kill ${k + 1} the report is not whole`);
      if (now === earlier) outcomes.earlier++;
      else outcomes.replaced++;
    }
    assert.equal(outcomes.earlier + outcomes.replaced, 8);
    // The killed runs could not remove their temp files; the next write does.
    const finished = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(finished.status, 0, finished.stderr);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });
});
