-- AI-Use Lint in Neovim (0.7 or later): add this to your init.lua, or `dofile()` it from there.
-- It starts one `ai-use-language-server --stdio` and attaches every Fountain and Markdown buffer
-- to it. test/lsp/neovim.test.ts loads this very file in headless Neovim 0.7.
--
-- The server: `npm install -g ./ai-use-lint-0.1.0.tgz` (README, Install) puts `ai-use-language-server` on your PATH; from a
-- built checkout, set `vim.g.ai_use_cmd = { "node", "/path/to/ai-use-lint/dist/server.cjs", "--stdio" }`
-- before this file runs.

local cmd = vim.g.ai_use_cmd or { "ai-use-language-server", "--stdio" }

-- Neovim 0.7 does not know Fountain files yet (`setfiletype` leaves a filetype a plugin set alone).
vim.api.nvim_create_autocmd({ "BufNewFile", "BufRead" }, {
  pattern = { "*.fountain", "*.spmd" },
  command = "setfiletype fountain",
})
local client_id = nil

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "fountain", "markdown" },
  callback = function(args)
    if client_id == nil or vim.lsp.client_is_stopped(client_id) then
      client_id = vim.lsp.start_client({
        name = "ai-use",
        cmd = cmd,
        -- The project config (.ai-use.yaml) is found by walking up from each file, so any root
        -- will do; the current directory is what `ai-use check` would use too.
        root_dir = vim.fn.getcwd(),
      })
    end
    if client_id then vim.lsp.buf_attach_client(args.buf, client_id) end
  end,
})
