// What both harnesses (run.mjs: code-server; electron.mjs: @vscode/test-electron) prepare before
// VS Code starts: a temp copy of the example docuseries as the workspace, the test module bundled
// to CommonJS, and context.json beside it with what `ai-use check --format json` says about the
// workspace (the editor is compared with the CLI on the same files).

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLE = path.join(ROOT, 'examples/true-crime-docuseries');

/** A fresh copy of the example project under `parent`, named as a user would name it. */
export function copyExample(parent) {
  const workspace = path.join(parent, 'lantern-road');
  cpSync(EXAMPLE, workspace, { recursive: true });
  return workspace;
}

/** Bundles the suite into `<temp>/suite/index.js` and writes its context.json; returns the bundle. */
export async function prepareSuite(temp, workspace) {
  const suiteDir = path.join(temp, 'suite');
  mkdirSync(suiteDir, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'test/vscode/suite/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    outfile: path.join(suiteDir, 'index.js'),
    logLevel: 'warning',
  });
  const reportDir = path.join(temp, 'reports');
  mkdirSync(reportDir, { recursive: true });
  const check = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.cjs'), 'check', '.', '--format', 'json', '--no-exit'], { cwd: workspace, encoding: 'utf8', timeout: 60000 });
  if (check.status !== 0) throw new Error(`ai-use check failed: ${check.stderr}`);
  writeFileSync(path.join(suiteDir, 'context.json'), JSON.stringify({ workspace, expected: JSON.parse(check.stdout), reportDir }, null, 2));
  return path.join(suiteDir, 'index.js');
}
