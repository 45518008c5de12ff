// Tier 2 of VSCODE-TESTS.md: a real editor's LSP client. Headless Neovim 0.7 runs the snippet of
// the README (docs/editors/neovim.lua: vim.lsp.start_client, since 0.7 has no vim.lsp.start), opens
// a Fountain file and must receive our pushed diagnostics (0.7 has no pull diagnostics).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, SERVER } from './lsp-client.js';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const nvimMissing = nvim.error || nvim.status !== 0 ? 'nvim is not installed (apt-get install -y --no-install-recommends neovim)' : undefined;

const SCRIPT = `Title: Neovim test
Genre: documentary

EXT. QUAY - NIGHT

A police launch idles.
[[ai: video.composite; tool: Runway Gen-4; presented-as: archival; stage: finale]]
`;

// Lua: the snippet users copy (docs/editors/neovim.lua) starts and attaches the client when the
// buffer gets its filetype; then wait for the diagnostics and print them as lines.
const SNIPPET = fileURLToPath(new URL('../../docs/editors/neovim.lua', import.meta.url));
const LUA = (server: string, file: string) => `
local out = {}
local function finish(code)
  io.stdout:write(table.concat(out, "\\n") .. "\\n")
  io.stdout:flush()
  vim.cmd(code == 0 and "qall!" or "cquit 1")
end
local ok, err = pcall(function()
  vim.g.ai_use_cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(server)}, "--stdio" }
  dofile(${JSON.stringify(SNIPPET)})
  vim.cmd("filetype on")
  vim.cmd("edit " .. vim.fn.fnameescape(${JSON.stringify(file)}))
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.bo[buf].filetype == "fountain", "filetype is " .. vim.bo[buf].filetype)
  local got = vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  if not got then
    table.insert(out, "TIMEOUT")
    return finish(1)
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
    table.insert(out, string.format("DIAG %s %d %d %d %s", code, d.lnum, d.col, d.severity, d.source or ""))
  end
  finish(0)
end)
if not ok then
  table.insert(out, "ERROR " .. tostring(err))
  finish(1)
end
`;

describe('Neovim 0.7 as the LSP client', { skip: nvimMissing }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-use-nvim-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('receives our diagnostics with rule codes and exact positions', () => {
    ensureBuilt();
    const file = path.join(dir, 'ep1.fountain');
    writeFileSync(file, SCRIPT);
    const lua = path.join(dir, 'test.lua');
    writeFileSync(lua, LUA(SERVER, file));
    const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', lua], { encoding: 'utf8', timeout: 30000, cwd: dir });
    const output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, output);
    const diagnostics = run.stdout.split('\n').filter((l) => l.startsWith('DIAG '));
    const line = 6;
    const col = SCRIPT.split('\n')[line].indexOf('finale');
    // vim.diagnostic severities: 1 error, 2 warning; source is ours.
    assert.ok(diagnostics.includes(`DIAG core/invalid-value ${line} ${col} 2 ai-use`), output);
    assert.ok(diagnostics.some((d) => d.startsWith('DIAG apa/synthetic-archival 6 ') && d.endsWith(' 1 ai-use')), output);
  });
});
