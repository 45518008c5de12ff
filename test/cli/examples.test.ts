// examples/README.md promises, row by row, which findings each tagged place in the example projects
// gets. This test holds it to that: `ai-use check --format json` must give exactly those rule ids.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface JsonPlace {
  line: number;
  endLine: number;
}
interface JsonFile {
  path: string;
  tags: JsonPlace[];
  findings: (JsonPlace & { ruleId: string })[];
}

const out = spawnSync(process.execPath, [path.join(repo, 'dist/cli.cjs'), 'check', '--format', 'json', 'examples'], { cwd: repo, encoding: 'utf8' });
const files: JsonFile[] = JSON.parse(out.stdout).files;

const readme = fs.readFileSync(path.join(repo, 'examples/README.md'), 'utf8');
const rows = [...readme.matchAll(/^\| ([\w.-]+):(\d+)(?:-(\d+))?(?:, [\d-]+)* \| ([^|]*) \| [^|]* \| ([^|]*) \|$/gm)].map((m) => ({
  where: `${m[1]}:${m[2]}${m[3] ? `-${m[3]}` : ''}`,
  file: m[1],
  from: Number(m[2]),
  to: Number(m[3] ?? m[2]),
  tag: m[4].trim(),
  expected: m[5].trim(),
}));

test('examples/README.md has a row for the tagged places of both projects', () => {
  assert.ok(rows.length >= 25, `${rows.length} rows`);
});

for (const row of rows) {
  test(`examples/README.md ${row.where} (${row.tag}): ${row.expected.slice(0, 60)}`, () => {
    const file = files.find((f) => f.path.endsWith(`/${row.file}`) || f.path.endsWith(`-${row.file}`));
    assert.ok(file, `no checked file matches ${row.file}`);
    // The place is the lines the row names, stretched over any tag that starts there.
    let last = row.to;
    for (const tag of file.tags) if (tag.line >= row.from && tag.line <= row.to) last = Math.max(last, tag.endLine);
    const actual = [...new Set(file.findings.filter((f) => f.line >= row.from && f.line <= last).map((f) => f.ruleId))].sort();
    const expected = row.expected.startsWith('none') ? [] : [...new Set([...row.expected.matchAll(/`([a-z-]+\/[a-z-]+)`/g)].map((m) => m[1]))].sort();
    assert.deepEqual(actual, expected, `${file.path} lines ${row.from}-${last}`);
  });
}
