// Bundles the CLI (and, as they land, the language server and the VS Code client) with esbuild.
// The bundles are CommonJS so that VS Code and plain `node` load them the same way; rule packs and
// schemas are copied beside them because the core reads them at run time.
import * as esbuild from 'esbuild';
import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse as parseYaml } from 'yaml';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
if (typeof pkg.homepage !== 'string' || !/^https:\/\//.test(pkg.homepage)) throw new Error('package.json needs an https homepage (the base of the docs links)');

const minify = process.argv.includes('--minify');
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !minify,
  minify,
  logLevel: 'warning',
  // ESM sources read files next to themselves through import.meta.url; give the CJS bundle one.
  // The version and the docs links' base come from package.json, here (server/src/core/package-info.ts).
  define: { 'import.meta.url': 'importMetaUrl', AI_USE_PACKAGE: JSON.stringify({ version: pkg.version, homepage: pkg.homepage }) },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

await esbuild.build({
  ...common,
  entryPoints: { cli: 'server/src/cli/index.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node\n' + common.banner.js },
});

// The language server: `ai-use-language-server --stdio` (package.json bin), also started by the client.
await esbuild.build({
  ...common,
  entryPoints: { server: 'server/src/lsp/server.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node\n' + common.banner.js },
});

// The host formats the client sends to the server and writes Insert Tag for, taken from the
// server's adapter table (server/src/core/hosts/index.ts) so the client keeps no list of its own
// and does not bundle the parsers.
const hostTable = await esbuild.build({ ...common, entryPoints: ['server/src/core/hosts/index.ts'], write: false, sourcemap: false, minify: false });
const hostModule = { exports: {} };
new Function('module', 'exports', 'require', '__filename', hostTable.outputFiles[0].text)(hostModule, hostModule.exports, createRequire(import.meta.url), `${process.cwd()}/dist/hosts.cjs`);
const editorHostFormats = hostModule.exports.editorHostFormats();

// The VS Code client; `vscode` is provided by the extension host.
await esbuild.build({
  ...common,
  entryPoints: { client: 'client/src/extension.ts' },
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  external: ['vscode'],
  define: { ...common.define, AI_USE_HOST_FORMATS: JSON.stringify(editorHostFormats) },
});

cpSync('server/packs', 'dist/packs', { recursive: true });
cpSync('server/schemas', 'dist/schemas', { recursive: true });

// Each pack read and checked against the pack schema once, here: the bundles read the JSON
// written beside it (while its sha256 matches the YAML) instead of parsing YAML and compiling
// the schema at every start (server/src/core/rules.ts, checkedAtBuild). Same Ajv options there.
const ajv = new Ajv({ allErrors: true, discriminator: true, verbose: true, strict: true });
ajv.addSchema(JSON.parse(readFileSync('server/schemas/rule.schema.json', 'utf8')));
const validatePack = ajv.compile(JSON.parse(readFileSync('server/schemas/pack.schema.json', 'utf8')));
for (const file of readdirSync('dist/packs').filter((f) => f.endsWith('.yaml'))) {
  const text = readFileSync(`dist/packs/${file}`, 'utf8');
  const data = parseYaml(text);
  if (!validatePack(data)) throw new Error(`server/packs/${file} does not match the pack schema: ${ajv.errorsText(validatePack.errors)}`);
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeFileSync(`dist/packs/${file.replace(/\.yaml$/, '.json')}`, JSON.stringify({ sha256, data }));
}
