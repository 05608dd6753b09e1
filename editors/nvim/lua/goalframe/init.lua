--- goalframe: goal-template frames and placeholder diagnostics for markdown
--- and text documents, from the goalframe language server. See `:h goalframe`.
local config = require('goalframe.config')

local M = {}

--- The options `setup()` accepts and their types, checked by hand because
--- `vim.validate` changed its signature between 0.10 and 0.11.
local OPTION_TYPES = {
  cmd = 'table',
  filetypes = 'table',
  canon = 'table',
  placeholders = 'table',
  severity = 'table',
  native_completion = 'boolean',
  autotrigger = 'boolean',
}

--- Neovim 0.10 has no `vim.lsp.enable`: start (or reuse) the client for
--- every buffer of a configured filetype, including those already open.
--- @param cfg vim.lsp.Config
local function start_on_filetypes(cfg)
  local function start(bufnr)
    local root = vim.fs.root(bufnr, cfg.root_markers)
    vim.lsp.start(vim.tbl_extend('force', cfg, { root_dir = root }), { bufnr = bufnr })
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = vim.api.nvim_create_augroup('goalframe', {}),
    pattern = cfg.filetypes,
    callback = function(ev)
      start(ev.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(cfg.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr)
    end
  end
end

--- Registers and enables the goalframe language server.
--- @param opts? goalframe.Options
function M.setup(opts)
  opts = opts or {}
  for key, value in pairs(opts) do
    local kind = OPTION_TYPES[key]
    if not kind then
      error(('goalframe.setup: unknown option `%s` (see :h goalframe-options)'):format(key), 2)
    elseif type(value) ~= kind then
      error(('goalframe.setup: `%s` must be a %s'):format(key, kind), 2)
    end
  end

  require('goalframe.goals').register()
  local cfg = config.client_config(opts)
  if vim.lsp.config then
    vim.lsp.config('goalframe', cfg)
    vim.lsp.enable('goalframe')
  else
    config.stored = cfg
    start_on_filetypes(cfg)
  end
end

--- Jumps to the next unfilled placeholder (`:h goalframe-next-placeholder`).
function M.next_placeholder()
  require('goalframe.goals').next_placeholder()
end

return M
