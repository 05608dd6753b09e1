--- Turns the options of `require('goalframe').setup()` into the one LSP
--- client configuration that every way of starting the server uses: the
--- `lsp/goalframe.lua` file (runtimepath-only installs), `setup()` on
--- Neovim 0.11+, and the `vim.lsp.start()` fallback on 0.10.
local M = {}

--- @class goalframe.Options
--- @field cmd? string[] server command (default `{ 'goalframe', 'lsp' }`)
--- @field filetypes? string[] buffers the server attaches to
--- @field canon? string[] canon directories (`canon` in docs/lsp.md)
--- @field placeholders? string[] extra look-alike placeholder tokens (docs/lsp.md)
--- @field severity? table<string, string> diagnostic code → error|warning|information|hint|off
--- @field native_completion? boolean enable `vim.lsp.completion` on attach (0.11+), which expands accepted frames as snippets
--- @field autotrigger? boolean open native completion as `@` and `/` are typed
M.defaults = {
  cmd = { 'goalframe', 'lsp' },
  filetypes = { 'markdown', 'text' },
  native_completion = true,
  -- Off by default: with the default 'completeopt' the popup inserts its
  -- first item, so every `@` typed in prose would insert a role.
  autotrigger = false,
}

--- The settings object of docs/lsp.md. Only keys the user gave are sent, so the
--- server's defaults and the workspace's `goalframe.toml` apply otherwise;
--- it is a JSON object even when empty (an empty Lua table would encode as `[]`).
--- @param opts goalframe.Options
local function settings(opts)
  local s = vim.empty_dict()
  s.canon = opts.canon
  s.placeholders = opts.placeholders
  s.severity = opts.severity
  return s
end

--- Role and level completion items carry the command
--- `editor.action.triggerSuggest` so that completion reopens at the next
--- part of the `@role/level` token. Neovim has no such command; native
--- completion runs it through the client, which asks for completion again.
local function trigger_suggest()
  vim.schedule(function()
    if vim.lsp.completion and vim.fn.mode() == 'i' then
      vim.lsp.completion.get()
    end
  end)
end

--- @param opts? goalframe.Options
--- @return vim.lsp.Config
function M.client_config(opts)
  opts = vim.tbl_extend('force', M.defaults, opts or {})
  local s = settings(opts)
  return {
    name = 'goalframe',
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    root_markers = { 'goalframe.toml', '.git' },
    init_options = s,
    settings = { goalframe = s },
    commands = { ['editor.action.triggerSuggest'] = trigger_suggest },
    -- Neovim applies versioned edits, refusing one made for an older
    -- version of the buffer, but does not say that it takes them: said
    -- here, a fix chosen after more typing is refused rather than put
    -- where the text has moved.
    capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), {
      workspace = { workspaceEdit = { documentChanges = true } },
    }),
    -- Always a function (never nil), so that `setup{ native_completion = false }`
    -- overrides the default configuration's hook when the two are merged.
    on_attach = function(client, bufnr)
      if opts.native_completion and vim.lsp.completion then
        vim.lsp.completion.enable(true, client.id, bufnr, { autotrigger = opts.autotrigger })
      end
    end,
  }
end

--- The configuration in effect: on 0.11+ the resolved `vim.lsp.config`
--- (which includes the user's own overrides), on 0.10 what `setup()` stored.
--- @return vim.lsp.Config
function M.current()
  if vim.lsp.config then
    return vim.lsp.config.goalframe
  end
  return M.stored or M.client_config()
end

return M
