-- What a user who only adds the plugin to 'runtimepath' gets: with each way
-- of enabling the server and no other configuration (default 'completeopt'),
-- frame completions arrive in a markdown buffer and accepting one expands it.
local H = require('harness')

local M = {}

--- A directory holding `goalframe` (a link to the binary under test), for
--- the setups that find the server on $PATH.
function M.put_on_path()
  local dir = vim.fs.joinpath(H.tmp, 'bin')
  vim.fn.mkdir(dir, 'p')
  assert(vim.uv.fs_symlink(H.bin, vim.fs.joinpath(dir, 'goalframe')))
  vim.env.PATH = dir .. ':' .. vim.env.PATH
end

--- @param init fun() the user's configuration
function M.spec(init)
  return {
    init = init,
    tests = {
      {
        ':checkhealth with no client running starts one for the check and stops it',
        function()
          H.eq({}, vim.lsp.get_clients({ name = 'goalframe' }), 'clients before')
          vim.cmd('checkhealth goalframe')
          local report = H.text()
          H.ok(report:find('canon from <embedded>: 1 role(s), 1 role level(s)', 1, true), report)
          H.ok(not report:find('ERROR', 1, true), report)
          H.wait('the client of the check to stop', function()
            return #vim.lsp.get_clients({ name = 'goalframe' }) == 0
          end)
        end,
      },
      {
        'frame completions arrive in markdown and <C-y> expands one',
        function()
          H.edit('minimal.md', { '' })
          H.type('i@ae/p2')
          H.wait('the token typed', function()
            return vim.api.nvim_get_current_line() == '@ae/p2'
          end)
          H.sleep(300) -- a user's pause before asking for completion
          H.type('<C-x><C-o>')
          local labels = H.wait('frame items in the popup', function()
            local items = vim.fn.pumvisible() == 1 and vim.fn.complete_info({ 'items' }).items or {}
            return #items > 0 and vim.tbl_map(function(item)
              return item.abbr
            end, items)
          end)
          H.eq({ 'SMART goals', 'OKRs', 'MBO areas', 'Scorecard', 'All frames' }, labels, 'popup, in order')
          H.accept('SMART goals')
          H.wait('the SMART marker', function()
            return H.text():find('<!-- goalframe: account-executive-field-sales/P2 smart -->', 1, true)
          end)
          H.wait_placeholder_diagnostics()
        end,
      },
    },
  }
end

return M
