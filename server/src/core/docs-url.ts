// Where a rule's documentation lives. One place, so the CLI, the report and the server agree.
// The base is the config's `docs-url` when a production hosts its own copy of the rule pages,
// else the repository's docs (package.json `homepage`, through package-info.ts).
import { PROJECT_URL } from './package-info.js';

export { PROJECT_URL };

/** The default base of the rule pages: docs/rules/ of the repository. */
export const DEFAULT_DOCS_URL = `${PROJECT_URL}/blob/main/docs/rules/`;

/** The page of `ruleId` (`apa/cue-sheet-fields`) under `docsUrl` (the config's `docs-url`), else the repository's. */
export function ruleDocsUrl(ruleId: string, docsUrl?: string): string {
  const base = docsUrl ?? DEFAULT_DOCS_URL;
  return `${base.endsWith('/') ? base : `${base}/`}${ruleId}.md`;
}

/** The docs page of a rule, relative to the repository root (and to the installed package). */
export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

/** The page listing the primary sources the rules cite (docs/sources.md), in the repository. */
export const SOURCES_PATH = 'docs/sources.md';

/**
 * The anchor of a citation's section in docs/sources.md: the heading's text as GitHub makes ids
 * (lower case, punctuation dropped, each space a hyphen): "§1 Talent & Performance" is
 * `1-talent--performance`.
 */
export function sourcesAnchor(section: string): string {
  return section.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The address of a citation's section of docs/sources.md. */
export function sourcesUrl(section: string): string {
  return `${PROJECT_URL}/blob/main/${SOURCES_PATH}#${sourcesAnchor(section)}`;
}
