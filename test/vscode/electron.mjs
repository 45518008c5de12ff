// `npm run test:electron`: the same test module as `npm run test:vscode`, run by
// @vscode/test-electron in VS Code desktop, for contributors whose machines can download VS Code
// (ours cannot: see ../shared/VSCODE-TESTS.md; CI runs test:vscode instead).
//
//   npm run build && npm run test:electron        # VS Code stable, downloaded into .vscode-test/
//   AI_USE_VSCODE_VERSION=1.91.0 npm run test:electron

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyExample, prepareSuite, ROOT } from './prepare.mjs';

const temp = mkdtempSync(path.join(tmpdir(), 'ai-use-electron-'));
try {
  const workspace = copyExample(path.join(temp, 'workspace'));
  const suite = await prepareSuite(temp, workspace);
  await runTests({
    version: process.env.AI_USE_VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', path.join(temp, 'ud'), '--extensions-dir', path.join(temp, 'exts')],
  });
  console.log('electron: passed');
} catch (error) {
  console.error(`test:electron: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(temp, { recursive: true, force: true });
}
