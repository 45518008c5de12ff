// The include/exclude matcher (server/src/core/glob.ts): the same answers as picomatch, which the
// project used before, on every ordinary pattern; and time linear in the path on any pattern.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { compileGlob, globProblem, MAX_GLOB_LENGTH } from '../../server/src/core/glob.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 1500;

/** How config.ts applies a pattern: without a slash it matches the file name in any folder. */
function ours(pattern: string, path: string, dot: boolean): boolean {
  const match = compileGlob(pattern, { dot });
  return pattern.includes('/') ? match(path) : match(path.slice(path.lastIndexOf('/') + 1));
}

function theirs(pattern: string, path: string, dot: boolean): boolean {
  return picomatch(pattern, { dot, basename: !pattern.includes('/') })(path);
}

// Patterns from every piece of the syntax; `**` only alone between slashes (picomatch reads
// `a**b` and `**{a,b}` by rules of its own). Paths as a folder walk makes them: no empty, `.`
// or `..` names, no trailing slash; dot names included.
const atom = fc.constantFrom('a', 'b', '.', '-', '*', '?', '[ab]', '[^a]', '[a-b]', '[.]', '{a,b}', '{a,b.a}', '{.a,b}', '{a,*b}', '{b,a*}', '{a,b/a}', '\\*');
const name = fc
  .array(atom, { minLength: 1, maxLength: 4 })
  .map((a) => a.join(''))
  .filter((s) => !s.replace(/\\\*/g, '').includes('**'));
const pattern = fc
  .tuple(fc.constantFrom('', '', '!', './'), fc.array(fc.oneof({ weight: 4, arbitrary: name }, { weight: 1, arbitrary: fc.constant('**') }), { minLength: 1, maxLength: 4 }))
  .map(([prefix, parts]) => prefix + parts.join('/'));
const segment = fc
  .array(fc.constantFrom('a', 'b', '.', '-'), { minLength: 1, maxLength: 3 })
  .map((a) => a.join(''))
  .filter((s) => s !== '.' && s !== '..');
const filePath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((a) => a.join('/'));

describe('glob matching', () => {
  it('answers as picomatch does on random patterns and paths (dot files, negation, braces, classes, **)', () => {
    fc.assert(
      fc.property(pattern, filePath, fc.boolean(), (p, path, dot) => ours(p, path, dot) === theirs(p, path, dot)),
      { numRuns: RUNS },
    );
  });

  it('answers as picomatch does on the patterns projects write', () => {
    const patterns = ['**/*.fountain', '**/*.md', '**/node_modules/**', 'drafts/**', 'notes/*.md', '*.{fountain,spmd}', 'episode-[0-9][0-9]/**', '**/.git/**', '.*', 'scripts/**/final-*.fountain', '!archive/**'];
    const paths = ['pilot.fountain', 'drafts/old.fountain', 'notes/ep1.md', 'notes/deep/ep1.md', 'node_modules/x/README.md', 'a/node_modules/b.md', 'episode-01/scene.fountain', 'episode-1/scene.fountain', '.git/HEAD', '.vscode/notes.md', 'scripts/s1/final-cut.fountain', 'archive/x.md', 'x.spmd'];
    for (const p of patterns) for (const path of paths) for (const dot of [false, true]) assert.equal(ours(p, path, dot), theirs(p, path, dot), `${p} on ${path}${dot ? ' (dot)' : ''}`);
  });

  it('negates a class with `!` as well as `^`, as VS Code and .gitignore do (picomatch 4 read `[!a]` as the set of `!` and `a`)', () => {
    assert.equal(compileGlob('[!a]x')('bx'), true);
    assert.equal(compileGlob('[!a]x')('ax'), false);
    assert.equal(compileGlob('[^a]x')('bx'), true);
  });

  it('matches the pathological pattern against a 40-character name in under 50 ms (picomatch: about 30 s)', () => {
    const started = performance.now();
    const match = compileGlob('*a*a*a*a*a*a*a*a*a*ab');
    assert.equal(match('a'.repeat(40)), false);
    assert.equal(match(`${'a'.repeat(40)}.fountain`), false);
    assert.equal(match(`${'a'.repeat(40)}b`), true);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 50, `took ${elapsed.toFixed(1)} ms`);
  });

  it('stays linear on the longest pattern allowed over a 4,000-character path', () => {
    const longest = `${'*a'.repeat((MAX_GLOB_LENGTH - 2) / 2)}*b`;
    assert.equal(longest.length, MAX_GLOB_LENGTH);
    const started = performance.now();
    assert.equal(compileGlob(longest)(`${'a'.repeat(3999)}b`), true);
    // About 20 ms here; a backtracking matcher would not finish at all.
    assert.ok(performance.now() - started < 5000);
  });

  it('refuses what it does not support, saying what to write instead', () => {
    assert.match(globProblem('@(a|b).md')!, /parentheses.*\{a,b\}/);
    assert.match(globProblem('scene (draft).md')!, /\[\(\]/);
    assert.match(globProblem('ep{1..3}.md')!, /range.*\{1,2,3\}/);
    assert.match(globProblem('[[:alpha:]]*.md')!, /\[a-zA-Z\]/);
    assert.match(globProblem('[z-a].md')!, /backwards/);
    assert.match(globProblem('a'.repeat(MAX_GLOB_LENGTH + 1))!, new RegExp(`at most ${MAX_GLOB_LENGTH}`));
    for (const ok of ['**/*.md', '[(]draft[)].md', '\\(x\\).md', '{a,b}/**', 'a|b', '[a-]']) assert.equal(globProblem(ok), undefined, ok);
    assert.equal(compileGlob('[(]draft[)].md')('(draft).md'), true);
  });
});
