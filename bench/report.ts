// The project report workload: `node dist/cli.cjs report <dir> --format html --out <file>` as a
// child process, its wall time and its peak resident set size.

import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './workloads.js';

const CLI = path.join(ROOT, 'dist/cli.cjs');
const GNU_TIME = '/usr/bin/time';

export interface ReportRun {
  wallMs: number;
  /** Peak RSS of the child in bytes. */
  maxRss: number;
  /** How the RSS was measured. */
  rssBy: string;
  reportBytes: number;
}

/**
 * Peak RSS from GNU time's `-v` when it is installed; otherwise from a preloaded script that
 * prints process.resourceUsage().maxRSS as the child exits. Either way it is the child's own peak.
 */
export function runReport(projectDir: string, out: string, preloadDir: string): ReportRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
  const args = [CLI, 'report', projectDir, '--format', 'html', '--out', out];
  const useTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', 'true']).status === 0;
  let command: string;
  let commandArgs: string[];
  if (useTime) {
    command = GNU_TIME;
    commandArgs = ['-v', process.execPath, ...args];
  } else {
    const preload = path.join(preloadDir, 'maxrss.cjs');
    writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, `\\nbench-maxrss-kb: ${process.resourceUsage().maxRSS}\\n`));\n");
    command = process.execPath;
    commandArgs = ['--require', preload, ...args];
  }
  const started = performance.now();
  const child = spawnSync(command, commandArgs, { cwd: projectDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`ai-use report exited ${child.status}: ${child.stderr.slice(-2000)}`);
  const kb = useTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1] : /bench-maxrss-kb: (\d+)/.exec(child.stderr)?.[1];
  if (!kb) throw new Error(`no peak RSS in the output: ${child.stderr.slice(-2000)}`);
  return { wallMs, maxRss: Number(kb) * 1024, rssBy: useTime ? '/usr/bin/time -v' : 'resourceUsage().maxRSS', reportBytes: statSync(out).size };
}
