import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import configSchema from '../../server/schemas/ai-use-config.schema.json' with { type: 'json' };
import { loadConfigFile, type ResolvedConfig } from '../../server/src/core/config.js';
import { LineIndex } from '../../server/src/core/line-index.js';
import { lintText } from '../../server/src/core/lint.js';
import { FRAME_RATES } from '../../server/src/core/timecode.js';
import type { Finding } from '../../server/src/core/types.js';

const load = (text: string): ResolvedConfig => loadConfigFile(path.join(os.tmpdir(), '.ai-use.yaml'), text);

function underlined(config: ResolvedConfig, finding: Finding): string {
  const index = new LineIndex(config.text ?? '');
  return config.text!.slice(index.offsetAt(finding.range.start), index.offsetAt(finding.range.end));
}

test('config fps and drop-frame are read; the schema lists exactly the rates the code knows', () => {
  const config = load('fps: 29.97\ndrop-frame: true\n');
  assert.deepEqual(config.findings, []);
  assert.equal(config.fps, 29.97);
  assert.equal(config.dropFrame, true);
  assert.deepEqual(configSchema.properties.fps.enum.filter((v) => v !== null), [...FRAME_RATES]);
});

test('a bad fps, a misspelt key and drop-frame at a rate without it are findings at their exact place', () => {
  const bad = load('genre: documentary\nfps: 31\n');
  assert.equal(bad.findings.length, 1);
  assert.equal(underlined(bad, bad.findings[0]), '31');
  assert.match(bad.findings[0].message, /29\.97/);
  assert.equal(bad.fps, undefined);
  const typo = load('fsp: 25\n');
  assert.equal(typo.findings.length, 1);
  assert.equal(underlined(typo, typo.findings[0]), 'fsp');
  assert.match(typo.findings[0].message, /fps/);
  const df = load('fps: 25\ndrop-frame: true\n');
  assert.equal(df.findings.length, 1);
  assert.equal(underlined(df, df.findings[0]), 'true');
  assert.match(df.findings[0].message, /only at 29\.97 and 59\.94/);
  assert.equal(df.dropFrame, undefined);
});

test('a written timecode whose frames are not below the config\'s fps is a finding at the value, in any host', () => {
  const config = load('fps: 25\n');
  const fountain = 'INT. HARBOUR - DAY\n\nA still. [[ai: image.generated; tool: Midjourney 6.1; timecode: 01:00:12:25]]\n';
  const found = lintText(fountain, 'fountain', config).findings.filter((f) => f.ruleId === 'core/invalid-value');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /frame 25, but at 25 fps frames run 00-24/);
  assert.equal(found[0].range.start.character, fountain.split('\n')[2].indexOf('01:00:12:25'));
  assert.equal(lintText(fountain.replace(':25]]', ':24]]'), 'fountain', config).findings.filter((f) => f.ruleId === 'core/invalid-value').length, 0);
  // A drop-frame `;` in a 25 fps project.
  const markdown = '<!-- ai: video.generated; tool: Sora; timecode: 01:00:12;10 -->\n';
  const df = lintText(markdown, 'markdown', config).findings.filter((f) => f.ruleId === 'core/invalid-value');
  assert.equal(df.length, 1);
  assert.match(df[0].message, /drop-frame exists only/);
  // No fps set: frames up to 59 pass as before.
  assert.equal(lintText(fountain, 'fountain').findings.filter((f) => f.ruleId === 'core/invalid-value').length, 0);
});
