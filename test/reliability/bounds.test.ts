// What a config can make the checker do is bounded, and what does not run says so: include and
// exclude globs match in time linear in the path (a pattern that froze the CLI for 30 s now takes
// under a millisecond); custom rules are capped in total once YAML aliases are expanded; a rule
// that runs out of its work on a document, or a check that throws, gets a core/not-checked
// finding that names it. Never a hang, never a rule skipped in silence.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isIncluded, loadConfigFile } from '../../server/src/core/config.js';
import { setFaultHookForTests } from '../../server/src/core/engine.js';
import { lintText } from '../../server/src/core/lint.js';
import { MAX_CUSTOM_RULE_VALUES } from '../../server/src/core/rules.js';
import { ensureBuilt } from '../lsp/lsp-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const temp = mkdtempSync(path.join(tmpdir(), 'ai-use-bounds-'));
after(() => rmSync(temp, { recursive: true, force: true }));

const PATHOLOGICAL = '*a*a*a*a*a*a*a*a*a*ab';

/** 1-based line:column of a finding, as an editor shows it. */
const place = (f: { range: { start: { line: number; character: number } } }) => `${f.range.start.line + 1}:${f.range.start.character + 1}`;

describe('include and exclude globs cannot freeze anything', () => {
  it('ai-use check with the pathological include pattern and a 40-character file name answers at once', () => {
    ensureBuilt();
    const project = path.join(temp, 'glob-project');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, '.ai-use.yaml'), `include: ["${PATHOLOGICAL}", "**/*.fountain"]\n`);
    const name = `${'a'.repeat(40)}.fountain`;
    writeFileSync(path.join(project, name), 'INT. A - DAY\n\n[[ai: image.generated; tool: Midjourney]]\n');
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.cjs'), 'check', '.', '--format', 'json'], { cwd: project, encoding: 'utf8', timeout: 60000 });
    const elapsed = Date.now() - started;
    assert.notEqual(run.status, null, `the CLI was killed after ${elapsed} ms`);
    assert.deepEqual(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path), [name]);
    // picomatch took about 32 s on this pattern before the first file was checked; the whole run
    // (process start included) takes well under a second.
    assert.ok(elapsed < 15000, `took ${elapsed} ms`);
  });

  it('the pattern is tried on a path in under 50 ms in the code the CLI and the server share', () => {
    const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), `include: ["${PATHOLOGICAL}"]\nexclude: ["${PATHOLOGICAL}/**"]\n`);
    assert.deepEqual(config.findings, []);
    const started = performance.now();
    assert.equal(isIncluded(`notes/${'a'.repeat(40)}`, config), false);
    assert.equal(isIncluded(`notes/${'a'.repeat(40)}b`, config), true);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 50, `took ${elapsed.toFixed(1)} ms`);
  });

  it('a pattern the matcher does not support is a finding at its place in the config; the others apply', () => {
    const text = 'genre: documentary\ninclude:\n  - "**/*.md"\n  - "@(notes|drafts)/*.fountain"\nexclude: ["drafts/**", "ep{1..3}/**"]\n';
    const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), text);
    const found = config.findings.map((f) => `${f.ruleId} ${place(f)}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.message}`);
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0], /^core\/invalid-config 4:5-4:33 "include\[1\]" uses parentheses.*\{a,b\}.*The pattern is ignored\.$/);
    assert.match(found[1], /^core\/invalid-config 5:24-5:37 "exclude\[1\]" uses a range such as `\{1\.\.3\}`.*\{1,2,3\}/);
    assert.deepEqual(config.include, ['**/*.md']);
    assert.equal(isIncluded('notes/a.md', config), true);
    assert.equal(isIncluded('drafts/a.md', config), false);
    assert.equal(config.genre, 'documentary');
  });
});

// ---------------------------------------------------------------------------------------------

const RULE_HEAD = (id: string) => `  - id: ${id}\n    title: Rule ${id} here\n    severity: warning\n    message: The rule ${id} fired here.\n    source: { title: Studio policy, facts: "§1 x" }\n`;

/** A rule whose `any:` lists reuse 20 anchored lists of 40 patterns: `groups` x 400 conditions... */
function aliasRule(id: string, groups: number, perGroup = 20): string {
  const lines = [RULE_HEAD(id) + '    when:\n      any:'];
  let n = 0;
  for (let g = 0; g < groups; g++) {
    lines.push('        - any:');
    for (let c = 0; c < perGroup; c++) {
      const k = n % 20;
      const list = n < 20 ? `&w${k} [${Array.from({ length: 40 }, (_, i) => `"a moody wide shot of a city at night ${k}x${i}"`).join(', ')}]` : `*w${k}`;
      lines.push(`          - { field: prompt, contains: ${list} }`);
      n++;
    }
  }
  return lines.join('\n') + '\n';
}

const LIGHT_RULE = RULE_HEAD('studio/light') + '    when: { kind: image.generated, missing: approval }\n';

describe('custom rules are bounded in total, after YAML aliases', () => {
  it('a rule whose aliases expand to 80,000 patterns is refused at its place; the rule before it loads', () => {
    // 5 lists of 20 `any:` lists of 20 conditions, each condition reusing one of 20 anchored
    // lists of 40 patterns (each anchor used 100 times, as the YAML parser allows): 80,000 patterns.
    const lines = [RULE_HEAD('studio/bomb') + '    when:\n      any:'];
    let n = 0;
    for (let a = 0; a < 5; a++) {
      lines.push('        - any:');
      for (let b = 0; b < 20; b++) {
        lines.push('          - any:');
        for (let c = 0; c < 20; c++, n++) {
          const k = n % 20;
          const list = n < 20 ? `&w${k} [${Array.from({ length: 40 }, (_, i) => `"a moody wide shot of a city at night ${k}x${i}"`).join(', ')}]` : `*w${k}`;
          lines.push(`            - { field: prompt, contains: ${list} }`);
        }
      }
    }
    const text = `custom-rules:\n${LIGHT_RULE}${lines.join('\n')}\n`;
    const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), text);
    assert.equal(config.findings.length, 1, config.findings.map((f) => f.message).join('\n'));
    const [finding] = config.findings;
    assert.equal(finding.ruleId, 'core/invalid-config');
    const line = text.split('\n').findIndex((l) => l === '  - id: studio/bomb');
    assert.equal(place(finding), `${line + 1}:5`);
    assert.match(finding.message, new RegExp(`too large once its YAML aliases are expanded: custom rules may hold ${MAX_CUSTOM_RULE_VALUES.toLocaleString('en-US')} values in all`));
    assert.deepEqual(config.customRules.map((r) => r.id), ['studio/light']);
    // And the document is checked as usual, in no time: the refused rule is not there to run.
    const prompt = 'a moody wide shot of a city at night, rain, neon '.repeat(2100);
    const findings = lintText(`INT. A - DAY\n\n[[ai: image.generated; tool: Midjourney; prompt: "${prompt}"]]\n`, 'fountain', config).findings;
    assert.deepEqual(findings.filter((f) => f.ruleId.startsWith('studio/')).map((f) => f.ruleId), ['studio/light']);
  });

  it('a rule under the cap that needs more work than its share on a document gets core/not-checked naming it, at the tag where it stopped', () => {
    // 200 conditions of 40 patterns (8,000 patterns, under the cap) over a 1 MB prompt: 8 GB of reading.
    const text = `custom-rules:\n${aliasRule('studio/heavy', 10)}${LIGHT_RULE}`;
    const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), text);
    assert.deepEqual(config.findings, []);
    assert.deepEqual(config.customRules.map((r) => r.id), ['studio/heavy', 'studio/light']);
    const prompt = 'a moody wide shot of a city at night, rain, neon '.repeat(21000);
    const doc = `INT. A - DAY\n\n[[ai: image.generated; prompt: "${prompt}"]]\n\n[[ai: image.generated; prompt: "a moody wide shot of a city at night 3x7"]]\n`;
    const findings = lintText(doc, 'fountain', config).findings;
    const notChecked = findings.filter((f) => f.ruleId === 'core/not-checked');
    assert.equal(notChecked.length, 1, notChecked.map((f) => f.message).join('\n'));
    assert.match(notChecked[0].message, /^The custom rule `studio\/heavy` was not checked on this tag or any after it: it needs more work than a rule may do on one document/);
    assert.equal(place(notChecked[0]), '3:3');
    assert.equal(notChecked[0].severity, 'error');
    // The other custom rule is not held back by it: it fires on both tags.
    assert.equal(findings.filter((f) => f.ruleId === 'studio/light').length, 2);
    // On a document of ordinary size the same rule runs to the end and fires.
    const small = lintText('INT. A - DAY\n\n[[ai: image.generated; prompt: "a moody wide shot of a city at night 3x7"]]\n', 'fountain', config).findings;
    assert.deepEqual(small.filter((f) => f.ruleId.startsWith('studio/') || f.ruleId === 'core/not-checked').map((f) => f.ruleId).sort(), ['studio/heavy', 'studio/light']);
  });

  it('the not-checked finding is not hidden by a disable directive or a waiver', () => {
    const config = loadConfigFile(path.join(temp, '.ai-use.yaml'), `custom-rules:\n${aliasRule('studio/heavy', 10)}`);
    const prompt = 'a moody wide shot of a city at night, rain, neon '.repeat(21000);
    const doc = `<!-- ai-lint disable -- reason: noisy -->\n\n[[ai: image.generated; waive: studio/heavy, core/not-checked -- reason: noisy; prompt: "${prompt}"]]\n`;
    const findings = lintText(doc, 'markdown', config).findings;
    assert.ok(findings.some((f) => f.ruleId === 'core/not-checked' && f.message.includes('`studio/heavy`')), findings.map((f) => f.ruleId).join(', '));
  });
});

describe('a check that throws is a finding that names it', () => {
  afterEach(() => setFaultHookForTests(undefined));
  const doc = 'Genre: documentary\n\nINT. A - DAY\n\n[[ai: image.generated; tool: Midjourney]]\n\nA line of prose.\n\n[[ai: image.generated; tool: Midjourney]]\n';

  it('a built-in data rule that throws: core/not-checked names the rule and the error, at the first tag, and counts the others', () => {
    const clean = lintText(doc, 'fountain').findings;
    const target = clean.find((f) => f.ruleId === 'apa/cue-sheet-fields');
    assert.ok(target, 'the document fires apa/cue-sheet-fields when nothing throws');
    setFaultHookForTests((id) => {
      if (id === 'apa/cue-sheet-fields') throw new Error('injected fault');
    });
    const findings = lintText(doc, 'fountain').findings;
    assert.equal(findings.some((f) => f.ruleId === 'apa/cue-sheet-fields'), false);
    const notChecked = findings.filter((f) => f.ruleId === 'core/not-checked');
    assert.equal(notChecked.length, 1);
    assert.equal(notChecked[0].message, 'The rule `apa/cue-sheet-fields` failed here and on 1 more place (injected fault), so it was not checked there. This is a bug in AI-Use Lint: please report it with the file.');
    assert.equal(place(notChecked[0]), '5:3');
    // Every other finding is still there.
    assert.deepEqual(
      findings.filter((f) => f.ruleId !== 'core/not-checked').map((f) => f.ruleId),
      clean.filter((f) => f.ruleId !== 'apa/cue-sheet-fields').map((f) => f.ruleId),
    );
  });

  it('a core check on a tag, and a check of the whole document, that throw are named too', () => {
    setFaultHookForTests((id) => {
      if (id === 'core/unknown-kind' || id === 'core/untagged-mention') throw new TypeError('cannot read x');
    });
    const messages = lintText(doc, 'fountain').findings.filter((f) => f.ruleId === 'core/not-checked').map((f) => `${place(f)} ${f.message}`);
    assert.deepEqual(messages, [
      '1:1 The rule `core/untagged-mention` failed here (cannot read x), so it was not checked there. This is a bug in AI-Use Lint: please report it with the file.',
      '5:3 The rule `core/unknown-kind` failed here and on 1 more place (cannot read x), so it was not checked there. This is a bug in AI-Use Lint: please report it with the file.',
    ]);
  });

  it('without an injected fault no check throws on the examples (the fuzz tests assert the same on mutated documents)', () => {
    const findings = lintText(doc, 'fountain').findings;
    assert.equal(findings.filter((f) => f.ruleId === 'core/not-checked').length, 0);
  });
});
