// `ai-use print-config FILE`: why a file gets the findings it gets (or none), like ESLint's
// --print-config: the config file that governs it, the genre and packs and where each came from
// (the document's own title page or front matter, the config, or the default), whether the
// config's include/exclude checks it, and the effective severity of every rule that can run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { effectivePacks, excludedByConfig, resolveConfigForDocument } from '../core/config.js';
import { effectiveRules } from '../core/engine.js';
import { DEFAULT_GENRE } from '../core/genres.js';
import { formatForPath, lintText } from '../core/lint.js';
import { readDocumentText } from '../core/project.js';

export const PRINT_CONFIG_HELP = `Usage: ai-use print-config <file> [--config <file>]

Print, as JSON, what applies to <file> (which need not exist yet): the config file that governs
it, its genre and guideline packs and where each comes from, whether the config's include and
exclude check it, and the effective severity of every rule (after the nonfiction raise and the
config's rules:), "off" for a rule turned off. The document's metadata is its Fountain title
page or Markdown front matter.

Options:
  -c, --config <file>   Use this config file instead of the nearest .ai-use.yaml
  -h, --help            Show this help
`;

export function printConfig(file: string, cwd: string, configPath?: string): Record<string, unknown> {
  const shown = (p: string) => (path.relative(cwd, p) || p).split(path.sep).join('/');
  const config = resolveConfigForDocument(file, { configPath });
  const format = formatForPath(file);
  let text: string | undefined;
  try {
    text = fs.statSync(file).isFile() ? readDocumentText(file) : undefined;
  } catch {
    text = undefined;
  }
  const result = format && text !== undefined ? lintText(text, format, config) : undefined;
  // Fountain's title page or Markdown's front matter: the document's own metadata.
  const where = 'metadata';
  const fromDocument = (key: string) => {
    const entry = result?.doc.metadata.get(key);
    return entry && entry.value.trim() !== '' ? entry : undefined;
  };
  const genre = result?.genre ?? config.genre ?? DEFAULT_GENRE;
  const genreFrom = fromDocument('genre') && result
    ? `the document's ${where} (genre: ${fromDocument('genre')!.value.trim()})`
    : config.genre
      ? `${shown(config.path!)} (genre: ${config.genreWritten})`
      : 'the default';
  const guidelines = result?.guidelines ?? effectivePacks(config, genre);
  const guidelinesFrom = fromDocument('ai-guidelines')
    ? `the document's ${where} (ai-guidelines)`
    : config.guidelines
      ? `${shown(config.path!)} (guidelines)`
      : `the default for ${genre}`;
  const rules: Record<string, string> = {};
  for (const { rule, severity } of effectiveRules({ genre, packs: guidelines, severities: config.rules, customRules: config.customRules })) {
    rules[rule.id] = severity ?? 'off';
  }
  return {
    file: shown(file),
    exists: text !== undefined,
    format: format ?? null,
    config: config.path ? shown(config.path) : null,
    configProblems: config.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.message}`),
    checked: format !== undefined && !excludedByConfig(file, config),
    genre,
    genreFrom,
    guidelines,
    guidelinesFrom,
    untaggedMentions: config.untaggedMentions,
    docsUrl: config.docsUrl ?? null,
    disclosures: config.disclosures,
    rules,
  };
}
