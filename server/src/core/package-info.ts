// The product's version and home page, from package.json: the build injects them into the bundles
// (scripts/build.mjs, esbuild `define`), so package.json is the only place they are written. Run
// from the sources (tsx, the tests), package.json is read instead.
import { readFileSync } from 'node:fs';

declare const AI_USE_PACKAGE: { version: string; homepage: string } | undefined;

function fromPackageJson(): { version: string; homepage: string } {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string; homepage: string };
  return { version: pkg.version, homepage: pkg.homepage };
}

const info = typeof AI_USE_PACKAGE === 'undefined' ? fromPackageJson() : AI_USE_PACKAGE;

/** The version `ai-use --version` prints and the reports record. */
export const VERSION: string = info.version;

/** The repository's address (package.json `homepage`); the rule docs are under docs/ in it. */
export const PROJECT_URL: string = info.homepage.replace(/\/+$/, '');
