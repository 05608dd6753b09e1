-- The `canon` setting: a canon of the user's replaces the built-in one, for
-- completion, `:Goalframe insert` and `:checkhealth`; a canon file changed
-- on disk is seen without a restart; a canon with errors is reported by
-- `:checkhealth` while the server keeps the canon it had.
local H = require('harness')

--- Writes a canon directory holding one role, QA Analyst at P2, and the
--- levels file of the built-in canon. `role_key` names the responsibilities
--- key, so that a misspelt one makes a canon with errors.
local function write_canon(name, role_key)
  local dir = vim.fs.joinpath(H.tmp, name)
  vim.fn.mkdir(dir, 'p')
  vim.fn.writefile(
    vim.fn.readfile(vim.env.GOALFRAME_REPO .. '/canon/levels.json'),
    vim.fs.joinpath(dir, 'levels.json')
  )
  vim.fn.writefile({
    '{ "roles": [ { "id": "qa-analyst", "title": "QA Analyst", "family": "Quality", "aliases": ["qa"],',
    '  "levels": { "P2": { "' .. role_key .. '": ["Writes test plans for features."] } } } ] }',
  }, vim.fs.joinpath(dir, 'qa.json'))
  return dir
end

local function health_report()
  vim.cmd('checkhealth goalframe')
  return H.wait('the health report', function()
    local text = H.text()
    return text:find('canon', 1, true) and text
  end)
end

--- What the server showed the user (window/showMessage goes to vim.notify);
--- collected rather than echoed, which headless Neovim 0.11 follows with a
--- pause for each error message.
local notified = {}

return {
  init = function()
    vim.notify = function(msg, level)
      table.insert(notified, { msg = msg, level = level })
    end
    require('goalframe').setup({
      cmd = { H.bin, 'lsp' },
      canon = { write_canon('canon', 'responsibilities') },
      severity = { ['canon-drif'] = 'error' },
    })
  end,
  tests = {
    {
      'roles come from the configured canon: completion, :Goalframe insert, :checkhealth',
      function()
        local bufnr = H.edit('qa.md', { '' })
        -- The server loads the configured canon after `initialized`, once it
        -- has pulled `workspace/configuration`: the first answers may still
        -- come from the built-in canon.
        H.wait('the roles of the configured canon', function()
          return vim.deep_equal({ 'qa-analyst', 'qa' }, vim.fn.getcompletion('Goalframe insert ', 'cmdline'))
        end)
        H.type(':Goalframe insert qa p2 smart<CR>')
        H.wait('the QA Analyst frame', function()
          return H.text():find('<!-- goalframe: qa-analyst/P2 smart -->', 1, true)
        end)
        H.ok(H.text():find('Writes test plans for features.', 1, true), H.text())
        H.wait_placeholder_diagnostics(bufnr)
        H.type('<Esc>')
        local report = health_report()
        H.ok(report:find('qa-analyst (QA Analyst): P2', 1, true), report)
        H.ok(report:find(vim.fs.joinpath(H.tmp, 'canon'), 1, true), report)
        H.ok(not report:find('account-executive', 1, true), report)
        H.ok(report:find('settings: initializationOptions: unknown diagnostic code `canon-drif`', 1, true), report)
        H.ok(vim.iter(notified):any(function(n)
          return n.level == vim.log.levels.ERROR and n.msg:find('`canon-drif`', 1, true) ~= nil
        end), 'the settings error was not shown: ' .. vim.inspect(notified))
      end,
    },
    {
      'a canon file added or removed on disk is seen without a restart (the server watches it itself)',
      function()
        -- Neovim on Linux offers no file watching to the server, so the
        -- server watches the canon directory on its own.
        H.edit('watched.md', { '' })
        local added = vim.fs.joinpath(H.tmp, 'canon', 'qb.json')
        vim.fn.writefile({
          '{ "roles": [ { "id": "qb-analyst", "title": "QB Analyst", "family": "Quality", "aliases": ["qb"],',
          '  "levels": { "P2": { "responsibilities": ["Reviews test plans."] } } } ] }',
        }, added)
        H.wait('the added role', function()
          return vim.deep_equal({ 'qa-analyst', 'qa', 'qb-analyst', 'qb' }, vim.fn.getcompletion('Goalframe insert ', 'cmdline'))
        end)
        vim.fn.delete(added)
        H.wait('the role gone again', function()
          return vim.deep_equal({ 'qa-analyst', 'qa' }, vim.fn.getcompletion('Goalframe insert ', 'cmdline'))
        end)
      end,
    },
    {
      'a canon with errors is reported by :checkhealth, file:line:col each',
      function()
        local broken = write_canon('broken', 'responsibilites')
        H.edit('broken.md')
        local client = vim.lsp.get_clients({ name = 'goalframe' })[1]
        client.settings.goalframe.canon = { broken }
        client:notify('workspace/didChangeConfiguration', { settings = vim.empty_dict() })
        -- The server reloads after pulling the new settings: ask until it has.
        local report
        for _ = 1, 50 do
          vim.cmd('silent! bwipeout! health://')
          report = health_report()
          if report:find(broken, 1, true) then
            break
          end
          H.sleep(100)
        end
        H.ok(report:find(vim.fs.joinpath(broken, 'qa.json') .. ':2:', 1, true), report)
        H.ok(report:find('did you mean `responsibilities`', 1, true), report)
        H.ok(report:find('qa-analyst (QA Analyst): P2', 1, true), 'the last good canon is still served: ' .. report)
      end,
    },
  },
}
