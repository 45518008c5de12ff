// `npm run test:vscode`: the extension inside real VS Code, offline (/work/shared/VSCODE-TESTS.md,
// tier 1): code-server 4.139.1 (= VS Code 1.139.1) under Node 24, driven by playwright-core and
// Debian's Chromium.
//
// 1. Installs Node 24 and code-server once into ~/.cache/ai-use-lint (AI_USE_VSCODE_CACHE).
// 2. `npm run package`: the minified .vsix that users install.
// 3. Run 1 (development): the test module test/vscode/suite/index.ts runs inside the extension
//    host (extensionDevelopmentPath = this repo) on a temp copy of the example docuseries, and is
//    compared with `ai-use check --format json` on the same files.
// 4. Run 2 (the .vsix): `code-server --install-extension ai-use-lint-<version>.vsix` into a fresh
//    extensions folder, then code-server WITHOUT extensionDevelopmentPath: the browser opens the
//    Fountain script like a user (Ctrl+P), waits for the squiggles and the status bar item, hovers
//    a squiggle and saves a screenshot to test/vscode/out/.
//
// code-server runs in its own session and process group (spawn detached = setsid) and the whole
// group is killed afterwards; every wait is bounded; the temp folder is removed. Closing line:
// `vscode: N passed, N failed`. AI_USE_VSCODE_KEEP=1 keeps the temp folder for debugging.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, ensureInstalled, MissingSystemPackages } from './install.mjs';
import { copyExample, prepareSuite, ROOT } from './prepare.mjs';

const OUT = path.join(ROOT, 'test/vscode/out');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

// Workbench settings for a quiet, deterministic window.
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const results = [];
/** Process groups and temp folders still to clean up, for the exit handler (any exit path). */
const liveGroups = new Set();
let liveTemp;
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (liveTemp && !process.env.AI_USE_VSCODE_KEEP) rmSync(liveTemp, { recursive: true, force: true });
});
function record(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${ok ? 'ok' : 'not ok'} ${results.length} - ${name}${detail ? `\n  ${detail.split('\n').join('\n  ')}` : ''}`);
}

function log(message) {
  console.log(`# ${message}`);
}

/** Rejects after `ms` with a message naming what hung. */
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
    }),
  ]);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// code-server

class CodeServer {
  constructor(paths, temp, name) {
    this.paths = paths;
    this.name = name;
    this.dir = path.join(temp, name);
    this.logFile = path.join(temp, `${name}.log`);
    this.child = undefined;
    mkdirSync(path.join(this.dir, 'ud', 'User'), { recursive: true });
    mkdirSync(path.join(this.dir, 'exts'), { recursive: true });
    writeFileSync(path.join(this.dir, 'ud', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  }

  get env() {
    return {
      ...process.env,
      PATH: `${path.dirname(this.paths.node)}:${process.env.PATH}`,
      XDG_CONFIG_HOME: path.join(this.dir, 'config'),
      XDG_DATA_HOME: path.join(this.dir, 'data'),
      XDG_CACHE_HOME: path.join(this.dir, 'cache'),
      // Nothing from the shell that runs us may change what code-server does.
      VSCODE_IPC_HOOK_CLI: '',
      NODE_OPTIONS: '',
    };
  }

  get commonArgs() {
    return ['--user-data-dir', path.join(this.dir, 'ud'), '--extensions-dir', path.join(this.dir, 'exts'), '--disable-telemetry', '--disable-update-check'];
  }

  /** `code-server --install-extension <vsix>`: a short, bounded run of its own. */
  installExtension(vsix) {
    const run = spawnSync(this.paths.node, [this.paths.codeServer, ...this.commonArgs, '--install-extension', vsix], {
      env: this.env,
      encoding: 'utf8',
      timeout: 120000,
      killSignal: 'SIGKILL',
    });
    if (run.status !== 0) throw new Error(`--install-extension failed (${run.status ?? run.signal}): ${run.stdout}${run.stderr}`);
    return `${run.stdout}`.trim();
  }

  async start(workspace) {
    this.port = await freePort();
    const out = openSync(this.logFile, 'a');
    // detached: the child calls setsid(), so it leads a new session and process group that we
    // can kill as a whole (code-server forks its server, extension host and our language server).
    this.child = spawn(
      this.paths.node,
      [
        this.paths.codeServer, ...this.commonArgs,
        '--auth', 'none', '--bind-addr', `127.0.0.1:${this.port}`, '--disable-workspace-trust',
        '--disable-getting-started-override', '--vscode-option', 'enable-smoke-test-driver',
        workspace,
      ],
      { env: this.env, detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    liveGroups.add(this.child.pid);
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    const deadline = Date.now() + 90000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited (${this.child.exitCode}): ${this.tail()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 90 s: ${this.tail()}`);
      await sleep(250);
    }
  }

  url(workspace, payload) {
    const query = new URLSearchParams({ folder: workspace });
    if (payload) query.set('payload', JSON.stringify(payload));
    return `http://127.0.0.1:${this.port}/?${query}`;
  }

  remote(file) {
    return `vscode-remote://127.0.0.1:${this.port}${file}`;
  }

  /** The last lines of the extension host's and our output channel's logs, for failures. */
  extensionHostLog(lines = 40) {
    const logs = path.join(this.dir, 'ud', 'logs');
    const found = [];
    const walk = (dir) => {
      for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/exthost\.log$|AI-Use Lint\.log$/.test(entry.name)) found.push(full);
      }
    };
    walk(logs);
    return found.map((f) => `--- ${path.relative(logs, f)}\n${readFileSync(f, 'utf8').split('\n').slice(-lines).join('\n')}`).join('\n') || '(no extension host log)';
  }

  tail(lines = 30) {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Kills the whole process group: TERM, then KILL after 5 s. Returns true when nothing is left. */
  async stop() {
    const child = this.child;
    if (!child?.pid) return true;
    const pgid = child.pid;
    this.child = undefined;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 5000;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(pgid)) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* gone */
      }
      const hard = Date.now() + 3000;
      while (groupAlive(pgid) && Date.now() < hard) await sleep(100);
    }
    const gone = !groupAlive(pgid);
    if (gone) liveGroups.delete(pgid);
    return gone;
  }
}

// ---------------------------------------------------------------------------------------------
// the browser

const NOISE = /chat|copilot|agent|languageModel|mcp|Failed to load resource|\[Extension Host\] (?!.*(ok|not ok|passed))|punycode|DeprecationWarning|webview|service worker|ERR_|telemetry|ms-vscode|GitHub|net::/i;

async function openBrowser() {
  return withTimeout(
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60000 }),
    70000,
    'launching Chromium',
  );
}

async function newPage(browser, onLog) {
  const context = await browser.newContext({ viewport: { width: 1500, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('console', (message) => onLog(`console.${message.type()}`, message.text()));
  page.on('pageerror', (error) => onLog('pageerror', String(error)));
  return { context, page };
}

// ---------------------------------------------------------------------------------------------
// run 1: the test module in the extension host

async function runSuite(server, browser, temp, workspace) {
  const suite = await prepareSuite(temp, workspace);
  await server.start(workspace);
  const lines = [];
  let resolveExit;
  const exited = new Promise((resolve) => (resolveExit = resolve));
  const onLog = (type, text) => {
    for (const line of String(text).split('\n')) {
      const clean = line.replace(/^\[Extension Host\]\s*/, '').replace(/^%c\S*\s*/, '');
      if (/^(ok|not ok) \d+ - |^\d+ passed, \d+ failed$/.test(clean.trim()) && !lines.includes(clean)) {
        lines.push(clean);
        console.log(`  ${clean}`);
      } else if (/^ {2}\S/.test(clean) && lines.length && lines.at(-1).startsWith('not ok')) {
        console.log(`  ${clean}`);
      } else if (process.env.AI_USE_VSCODE_VERBOSE && !NOISE.test(clean)) {
        console.log(`  [${type}] ${clean}`);
      }
    }
  };
  const { context, page } = await newPage(browser, onLog);
  try {
    await page.exposeFunction('codeAutomationLog', (type, args) => onLog(type, (Array.isArray(args) ? args : [args]).map(String).join(' ')));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    const payload = [
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['extensionTestsPath', server.remote(suite)],
    ];
    const started = Date.now();
    await page.goto(server.url(workspace, payload), { waitUntil: 'domcontentloaded', timeout: 60000 });
    const code = await withTimeout(exited, 300000, 'the VS Code test module (run 1)');
    const passed = lines.filter((l) => l.startsWith('ok ')).length;
    const failed = lines.filter((l) => l.startsWith('not ok ')).length;
    log(`run 1 (extensionDevelopmentPath): exit code ${code}, ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const line of lines.filter((l) => /^(ok|not ok) /.test(l))) {
      const ok = line.startsWith('ok ');
      results.push({ name: line.replace(/^(ok|not ok) \d+ - /, 'in VS Code: '), ok });
    }
    if (code !== 0 && failed === 0) record('the VS Code test module ran to the end', false, `exit code ${code}; code-server log:\n${server.tail()}`);
    if (passed + failed === 0) record('the VS Code test module printed results', false, server.tail());
  } finally {
    await withTimeout(context.close(), 15000, 'closing the page').catch(() => {});
    const clean = await server.stop();
    record('run 1: code-server process group stopped, nothing left running', clean);
  }
}

// ---------------------------------------------------------------------------------------------
// run 2: the packaged .vsix, as a user gets it

async function runVsix(server, browser, workspace) {
  const installed = server.installExtension(VSIX);
  record(`code-server --install-extension ${path.basename(VSIX)}`, /successfully installed/i.test(installed) || existsSync(path.join(server.dir, 'exts')), installed);

  await server.start(workspace);
  const { context, page } = await newPage(browser, () => {});
  try {
    await page.goto(server.url(workspace), { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60000 });
    await page.waitForSelector('.monaco-workbench .explorer-folders-view, .monaco-workbench .part.sidebar', { timeout: 60000 });
    await sleep(1500);

    // Open the script as a user does: Quick Open, type the name, Enter.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
    const quickInput = page.locator('.quick-input-widget input');
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.keyboard.press('Control+P');
      try {
        await quickInput.waitFor({ state: 'visible', timeout: 4000 });
        break;
      } catch {
        await sleep(1000);
      }
    }
    await quickInput.fill('ep101-narration.fountain');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'ep101-narration.fountain' }).waitFor({ timeout: 15000 });

    // Our diagnostics appear as squiggles in the editor (Monaco renders only the visible lines:
    // the first lines of the script carry warnings, the errors come further down).
    const squiggles = page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info');
    await squiggles.first().waitFor({ state: 'attached', timeout: 60000 });
    const shown = await squiggles.count();
    record('the installed .vsix activates and its diagnostics show as squiggles', shown > 0, `${shown} squiggles on screen`);

    // Status bar: the item of the installed extension with the counts.
    const statusItem = page.locator(`[id="${EXTENSION_ID}.aiUse.status"]`);
    let statusText = '';
    try {
      await statusItem.waitFor({ state: 'visible', timeout: 20000 });
      statusText = (await statusItem.innerText()).trim();
    } catch {
      statusText = '';
    }
    record('the status bar shows the uses and findings of the script', /\d/.test(statusText), `status bar item: ${JSON.stringify(statusText)}`);

    // Scroll a tag with several findings into view and hover its squiggle.
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ state: 'visible', timeout: 5000 });
    await quickInput.fill(':68');
    await page.keyboard.press('Enter');
    await sleep(800);
    const hoverShown = await hoverASquiggle(page);
    record('hovering a squiggle shows the findings with their rules', hoverShown.ok, hoverShown.detail);

    mkdirSync(OUT, { recursive: true });
    const shot = path.join(OUT, 'workbench-fountain-hover.png');
    await page.screenshot({ path: shot, timeout: 20000 });
    log(`screenshot: ${shot}`);
  } catch (error) {
    // What the window showed when it failed, and what the extension host said.
    mkdirSync(OUT, { recursive: true });
    const shot = path.join(OUT, 'run2-failure.png');
    await page.screenshot({ path: shot, timeout: 20000 }).catch(() => {});
    log(`failure screenshot: ${shot}`);
    throw new Error(`${error instanceof Error ? error.message : error}\nextension host log:\n${server.extensionHostLog()}`);
  } finally {
    await withTimeout(context.close(), 15000, 'closing the page').catch(() => {});
    const clean = await server.stop();
    record('run 2: code-server process group stopped, nothing left running', clean);
  }
}

/** Moves the mouse over error squiggles until a hover with a rule id appears. */
async function hoverASquiggle(page) {
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /apa\/|netflix\/|eu-ai-act\// });
  const squiggles = page.locator('.monaco-editor .squiggly-error');
  const count = await squiggles.count();
  for (let i = 0; i < Math.min(count, 12); i++) {
    const box = await squiggles.nth(i).boundingBox();
    if (!box || box.width < 4 || box.y < 80 || box.y > 700) continue;
    await page.mouse.move(box.x + Math.min(12, box.width / 2), box.y + box.height / 2, { steps: 4 });
    try {
      await hover.first().waitFor({ state: 'visible', timeout: 4000 });
      const text = (await hover.first().innerText()).split('\n').slice(0, 3).join(' / ');
      return { ok: true, detail: text };
    } catch {
      await page.mouse.move(5, 5);
    }
  }
  return { ok: false, detail: `no hover over ${count} squiggles` };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const paths = ensureInstalled({ log });
  log(`code-server ${paths.codeServer}`);

  log('npm run package');
  const pack = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 180000 });
  if (pack.status !== 0) throw new Error(`npm run package failed:\n${pack.stdout}\n${pack.stderr}`);
  const size = readFileSync(VSIX).length;
  record(`${path.basename(VSIX)} is under 3 MB`, size < 3 * 1024 * 1024, `${(size / 1024).toFixed(0)} KB`);

  const temp = mkdtempSync(path.join(tmpdir(), 'ai-use-vscode-'));
  liveTemp = temp;
  const servers = [];
  let browser;
  const cleanup = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (browser) await withTimeout(browser.close(), 15000, 'closing Chromium').catch(() => {});
    browser = undefined;
    if (process.env.AI_USE_VSCODE_KEEP) log(`kept ${temp}`);
    else rmSync(temp, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    log(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const workspace = copyExample(path.join(temp, 'workspace'));
    browser = await openBrowser();

    // AI_USE_VSCODE_ONLY=suite or =vsix runs one of the two (for debugging).
    const only = process.env.AI_USE_VSCODE_ONLY;
    const dev = new CodeServer(paths, temp, 'dev');
    servers.push(dev);
    if (only !== 'vsix') {
      try {
        await runSuite(dev, browser, temp, workspace);
      } catch (error) {
        record('run 1 (extensionDevelopmentPath)', false, `${error instanceof Error ? error.message : error}\n${dev.tail()}`);
      }
    }

    // A fresh copy: run 1 edited (and restored) files, and wrote no report into the workspace.
    const workspace2 = copyExample(path.join(temp, 'workspace2'));
    const packaged = new CodeServer(paths, temp, 'vsix');
    servers.push(packaged);
    if (only !== 'suite') {
      try {
        await runVsix(packaged, browser, workspace2);
      } catch (error) {
        record('run 2 (the installed .vsix)', false, `${error instanceof Error ? error.message : error}\n${packaged.tail()}`);
      }
    }
  } finally {
    await cleanup();
  }
  record('temp folder removed', process.env.AI_USE_VSCODE_KEEP ? true : !existsSync(temp));

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  console.log(`vscode: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

// A hard limit for the whole run: whatever hangs, CI gets an answer.
const watchdog = setTimeout(() => {
  console.error('test:vscode: gave up after 20 minutes');
  process.exit(1);
}, 20 * 60 * 1000);
watchdog.unref();

main().catch((error) => {
  if (error instanceof MissingSystemPackages) {
    console.error(`test:vscode: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  console.error(`test:vscode: ${error instanceof Error ? error.stack : error}`);
  console.log(`vscode: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exitCode = 1;
});
