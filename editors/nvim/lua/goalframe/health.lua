--- `:checkhealth goalframe`: the server binary, its version, and the canon
--- it loaded (what `goalframe.canon` answers), with the errors of the last
--- canon load and of the settings it was given.
local config = require('goalframe.config')
local client_mod = require('goalframe.client')

local M = {}

--- @param canon table the `goalframe.canon` result
local function report_canon(canon)
  vim.health.ok(('canon from %s: %d role(s), %d role level(s)'):format(
    table.concat(canon.sources, ', '),
    canon.roleCount,
    canon.roleLevelCount
  ))
  for _, role in ipairs(canon.roles) do
    local codes = vim.tbl_map(function(level)
      return level.code
    end, role.levels)
    vim.health.info(('%s (%s): %s'):format(role.id, role.title, table.concat(codes, ', ')))
  end
  if #canon.errors == 0 then
    vim.health.ok('the canon in use is the latest (no load errors)')
  end
  for _, e in ipairs(canon.errors) do
    vim.health.error(('%s:%d:%d: %s'):format(e.file, e.line, e.column, e.message), {
      'the server keeps serving the last canon that loaded; fix the file and save it',
    })
  end
  for _, message in ipairs(canon.settingsErrors or {}) do
    vim.health.error('settings: ' .. message, { 'see `:h goalframe-options`' })
  end
end

function M.check()
  vim.health.start('goalframe')
  local cfg = config.current()
  if type(cfg.cmd) ~= 'table' then
    vim.health.info('`cmd` is a function; the binary cannot be checked')
    return
  end
  local bin = vim.fn.exepath(cfg.cmd[1])
  if bin == '' then
    vim.health.error(('`%s` is not executable'):format(cfg.cmd[1]), {
      'put goalframe on $PATH or pass `cmd = { "/path/to/goalframe", "lsp" }` to setup()',
    })
    return
  end
  vim.health.ok('binary: ' .. bin)

  local version = vim.system({ bin, '--version' }, { text = true }):wait(5000)
  if version.code == 0 then
    vim.health.ok('version: ' .. vim.trim(version.stdout))
  else
    vim.health.error('`goalframe --version` failed: ' .. vim.trim(version.stderr or ''))
  end

  local client = client_mod.get(vim.api.nvim_get_current_buf())
  local temporary = not client
  if temporary then
    client = client_mod.start_detached(vim.tbl_extend('force', cfg, { root_dir = vim.fn.getcwd() }))
    if not client then
      vim.health.error('the language server did not start: see `:LspLog`')
      return
    end
  end
  local canon, err = client_mod.canon(client)
  if canon then
    report_canon(canon)
  else
    vim.health.error('goalframe.canon failed: ' .. err)
  end
  if temporary then
    client_mod.stop(client)
  end
end

return M
