// The host adapter table (server/src/core/hosts/index.ts): one source of truth for the formats,
// nothing outside it branching on a format id, and the same tag text giving the same findings in
// every format it lists.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultPacks, resolveGenre } from '../../server/src/core/genres.js';
import { HOST_ADAPTERS, adapterForPath, editorHostFormats } from '../../server/src/core/hosts/index.js';
import { lintText } from '../../server/src/core/lint.js';
import { loadBuiltinRules } from '../../server/src/core/rules.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('the host adapter table', () => {
  it('is the only place that compares a format id or a language id with a literal', () => {
    const ids = HOST_ADAPTERS.flatMap((a) => [a.id, ...a.languageIds]);
    const literal = `'(?:${ids.join('|')})'`;
    // A format, language id or tag host compared with one of the table's ids (`n === 'markdown'`
    // in server/src/core/report/index.ts is the report format of that name, not a host).
    const subject = '(?:[Ff]ormat|languageId|host)';
    const comparison = new RegExp(`${subject}\\s*[!=]==\\s*${literal}|${literal}\\s*[!=]==\\s*[\\w.]*${subject}\\b|\\bcase\\s+${literal}`);
    const offenders = [...sourceFiles('server/src'), ...sourceFiles('client/src')]
      .filter((file) => !file.replace(/\\/g, '/').startsWith('server/src/core/hosts/'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${file}:${i + 1}`, line }))
          .filter(({ line }) => comparison.test(line)),
      );
    assert.deepEqual(offenders, []);
  });

  it('gives every format an id, a file extension and a tag form, with no extension claimed twice', () => {
    const extensions = HOST_ADAPTERS.flatMap((a) => a.extensions);
    assert.equal(new Set(extensions).size, extensions.length);
    for (const a of HOST_ADAPTERS) {
      assert.ok(a.extensions.length > 0, a.id);
      for (const e of a.extensions) {
        assert.equal(adapterForPath(`Some/Script${e.toUpperCase()}`)?.id, a.id, `${e} upper-case`);
        assert.equal(adapterForPath(`script${e}`)?.id, a.id);
      }
      assert.ok(a.write.tag('ai: x')?.includes('ai: x'), a.id);
    }
  });

  it('is what package.json activates on and offers Insert Tag for', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const events: string[] = pkg.activationEvents;
    const insertTag = pkg.contributes.menus.commandPalette.find((m: { command: string }) => m.command === 'aiUse.insertTag').when as string;
    for (const f of editorHostFormats()) {
      for (const id of f.languageIds) {
        assert.ok(events.includes(`onLanguage:${id}`), `activationEvents lack onLanguage:${id}`);
        assert.ok(insertTag.includes(`editorLangId == ${id}`), `Insert Tag's when clause lacks ${id}`);
      }
      if (f.languageIds.length === 0) {
        for (const e of f.extensions) {
          assert.ok(events.includes(`workspaceContains:**/*${e}`), `activationEvents lack workspaceContains:**/*${e}`);
          assert.ok(insertTag.includes(`resourceExtname =~ /\\${e}$/i`), `Insert Tag's when clause lacks ${e}`);
        }
      }
    }
  });
});

/**
 * A small document of each format holding one tag (the tag text given as `ai: ...`) in a scene
 * or section, with the genre and packs on its title page or front matter. A format added to the
 * table needs its line here: the test below fails for a format without one.
 */
const DOCUMENTS: Record<string, (tagText: string, genre: string, packs: string[]) => string> = {
  fountain: (tag, genre, packs) => `Title: Same tag\nGenre: ${genre}\nAI-Guidelines: ${packs.join(', ')}\n\nINT. SAIL LOFT - DAY\n\nNadia sorts photographs.\n[[${tag}]]\n\nNADIA\nThat's her.\n`,
  markdown: (tag, genre, packs) => `---\ngenre: ${genre}\nai-guidelines: [${packs.join(', ')}]\n---\n\n# Edit notes\n\n## Cold open\n\nNadia sorts photographs.\n\n<!-- ${tag} -->\n\nLose the second shot.\n`,
};

describe('the same tag text gives the same rule ids in every format', () => {
  it('has a document for every format in the table', () => {
    assert.deepEqual(HOST_ADAPTERS.map((a) => a.id).filter((id) => !DOCUMENTS[id]), []);
  });
  const cases = loadBuiltinRules().flatMap((rule) =>
    rule.examples
      .filter((e) => e.fires && /^\[\[ai:/i.test(e.fires))
      .map((e, i) => {
        const genre = resolveGenre(e.genre ?? 'scripted') ?? 'scripted';
        const packs = [...new Set([...defaultPacks(genre), rule.pack].filter((p) => p !== 'core'))];
        return { name: `${rule.id} #${i + 1}`, ruleId: rule.id, tag: e.fires!.slice(2, -2), genre, packs };
      }),
  );
  for (const c of cases) {
    it(c.name, () => {
      const byFormat = HOST_ADAPTERS.map((a) => {
        const result = lintText(DOCUMENTS[a.id](c.tag, c.genre, c.packs), a.id);
        return { format: a.id, rules: result.findings.filter((f) => f.tagIndex !== undefined).map((f) => f.ruleId).sort() };
      });
      assert.ok(byFormat[0].rules.includes(c.ruleId), `${c.ruleId} fires in ${byFormat[0].format}: ${byFormat[0].rules.join(', ')}`);
      for (const other of byFormat.slice(1)) assert.deepEqual(other.rules, byFormat[0].rules, `${other.format} vs ${byFormat[0].format}`);
    });
  }
});
