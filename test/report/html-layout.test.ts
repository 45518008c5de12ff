// The HTML report as a reader sees it: the examples' report laid out by a real Chromium on a
// 1400 px screen and at the printable width of A4 landscape (the @page rule), and printed to PDF.
// Codes, ids, timecodes, rule ids and column headings never break inside a token, the page never
// scrolls sideways, and prompts get room to be read.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { scanProject } from '../../server/src/core/project.js';
import { buildReport } from '../../server/src/core/report/model.js';
import { renderHtml } from '../../server/src/core/report/html.js';
import { loadBuiltinRules } from '../../server/src/core/rules.js';
import { FIXED_DATE, repo } from './helpers.js';

/** Runs in the page (plain JavaScript, so neither tsc nor tsx touches it): measures the layout. */
const PROBE = fs.readFileSync(path.join(repo, 'test/report/layout-probe.js'), 'utf8').replace(/^[\s\S]*?(?=function)/, '');

const CHROMIUM = process.env.AI_USE_CHROMIUM || '/usr/bin/chromium';
const skip = fs.existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (set AI_USE_CHROMIUM)`;

/** A4 landscape (297 mm) less the 12 mm @page margins, in CSS pixels (96 per inch). */
const PRINT_WIDTH = Math.floor(((297 - 24) / 25.4) * 96);

interface Layout {
  scrollWidth: number;
  clientWidth: number;
  /** Pieces of short values rendered on more than one line: `column: text`. */
  broken: string[];
  tableWidth: number;
  detailWidth: number;
}

/**
 * Cue sheet and findings columns whose values are tokens, by heading, and where a value may wrap:
 * at spaces always, and after the characters of `after` (or between camel-case words). Found
 * by heading text, so the check does not depend on how the page marks its cells.
 */
const TOKEN_COLUMNS: Record<string, { after?: string; camel?: boolean }> = {
  '#': {},
  Line: {},
  Timecode: { after: '-' },
  'Kind / ID': {},
  'IPTC digital source type': { camel: true },
  Approval: {},
  Stage: {},
  Findings: { after: '/' },
  Severity: {},
  Rule: { after: '/' },
  Location: { after: '/' },
};

async function layout(page: Page): Promise<Layout> {
  return page.evaluate(`(${PROBE})(${JSON.stringify(TOKEN_COLUMNS)})`) as Promise<Layout>;
}

describe('HTML report layout in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  let file: string;
  let dir: string;

  before(async () => {
    const examples = path.join(repo, 'examples');
    const project = scanProject([examples]);
    const html = renderHtml(buildReport(project, { root: repo, generatedAt: FIXED_DATE, toolVersion: '0.1.0', rules: loadBuiltinRules() }));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-use-html-layout-'));
    file = path.join(dir, 'report.html');
    fs.writeFileSync(file, html);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 60000 });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`file://${file}`);
  });

  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on a 1400 px screen: no token broken, no sideways scroll, prompts across the table', async () => {
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1400, height: 1000 });
    const l = await layout(page);
    assert.deepEqual(l.broken, [], 'tokens split over lines');
    assert.ok(l.scrollWidth <= l.clientWidth, `page scrolls sideways: ${l.scrollWidth} > ${l.clientWidth}`);
    assert.ok(l.detailWidth > 0.8 * l.tableWidth, `prompt cell ${l.detailWidth} of ${l.tableWidth} px`);
  });

  it('printed on A4 landscape: the same at the printable width, and a PDF of A4 landscape pages', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: PRINT_WIDTH, height: 700 });
    const l = await layout(page);
    assert.deepEqual(l.broken, [], 'tokens split over lines');
    assert.ok(l.scrollWidth <= l.clientWidth, `wider than the page: ${l.scrollWidth} > ${l.clientWidth}`);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const text = pdf.toString('latin1');
    const sizes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.ok(sizes.length > 1, 'several pages');
    for (const [w, hgt] of sizes) assert.ok(Math.abs(w - 841.89) < 1 && Math.abs(hgt - 595.28) < 1, `page ${w} x ${hgt} pt is not A4 landscape`);
  });
});
