-- `:Goalframe[!] export`: the server's `goalframe.export` from Neovim. An
-- unfilled buffer is refused, its problems as diagnostics and in the
-- quickfix list, nothing written; with `!` the file holds exactly what
-- `goalframe export --allow-incomplete` writes; what is left out of the
-- command line is asked for with the server's formats.
local H = require('harness')
local command = require('goalframe.command')

--- The SMART frame with its first goal filled.
local function frame()
  local out = vim.fn.system({ H.bin, 'render', 'ae', 'p2', '--frame', 'smart', '--format', 'markdown' })
  assert(vim.v.shell_error == 0, out)
  out = out:gsub('from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩', 'from 12 deals to 18 deals by 2027-06-30', 1)
  return vim.split(out:gsub('\n$', ''), '\n', { plain = true })
end

--- What `goalframe export NAME --allow-incomplete --format FORMAT` writes in the buffer's folder.
local function cli_export(dir, name, format)
  local out = vim.system({ H.bin, 'export', name, '--allow-incomplete', '--format', format }, { cwd = dir, text = true }):wait()
  assert(out.code == 0, out.stderr)
  return out.stdout
end

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('*a')
  f:close()
  return s
end

return {
  init = function()
    H.capture_notifications()
    require('goalframe').setup({ cmd = { H.bin, 'lsp' } })
  end,
  tests = {
    {
      'the message says what was written, or why nothing was',
      function()
        H.eq(
          'goalframe: exported 1 goal from 2 documents to /ws/g.csv',
          command.export_message({ written = true, goals = 1, documents = 2, output = '/ws/g.csv', skipped = {} }),
          'written'
        )
        local refused = command.export_message({ written = false, refusedGoals = 3, refusedDocuments = 1, skipped = { {} } })
        H.ok(refused:find('^goalframe: 3 goals in 1 document are not ready for export; nothing was written %(1 file could not be read%)'), refused)
        H.eq({}, command.export_warnings({ written = true }), 'no warnings from an older server')
        H.eq(
          { 'goalframe: the goals of a@b.co for FY2027 H1 come from 2 documents: a.md, b.md; …' },
          command.export_warnings({ warnings = { 'the goals of a@b.co for FY2027 H1 come from 2 documents: a.md, b.md; …' } }),
          'each warning'
        )
      end,
    },
    {
      ':Goalframe export refuses an unfilled buffer with its problems; :Goalframe! export writes what the command line writes',
      function()
        local bufnr = H.edit('submit.md', frame())
        vim.cmd('silent write')
        local path = vim.api.nvim_buf_get_name(bufnr)
        local dir = vim.fs.dirname(path)
        local unfilled = H.count_placeholders(bufnr)
        H.ok(unfilled > 0, 'the frame has placeholders left')
        local out = vim.fs.joinpath(H.tmp, 'out.csv')

        H.type(':Goalframe export csv ' .. out .. '<CR>')
        H.wait_notified(vim.log.levels.ERROR, 'not ready for export; nothing was written')
        H.eq(0, vim.fn.filereadable(out), 'nothing written')
        local ns = vim.api.nvim_get_namespaces()['goalframe.export']
        local shown = vim.diagnostic.get(bufnr, { namespace = ns })
        H.eq(unfilled, #shown, 'the export problems as diagnostics')
        H.eq('unfilled-placeholder', shown[1].code, 'their code')
        local qf = vim.fn.getqflist()
        H.eq(unfilled, #qf, 'quickfix items')
        H.eq(path, vim.api.nvim_buf_get_name(qf[1].bufnr), 'the quickfix file')

        H.type(':Goalframe! export csv ' .. out .. '<CR>')
        local said = H.wait_notified(vim.log.levels.INFO, '^goalframe: exported ')
        H.ok(said:find(out, 1, true), said)
        -- The server names the document from its workspace folder, or in full.
        local got = read(out):gsub(vim.pesc(path), 'submit.md')
        H.eq(cli_export(dir, 'submit.md', 'csv'), got, 'the export')
        H.ok(got:find('18 deals', 1, true), 'the filled target is exported')
        H.eq(0, #vim.diagnostic.get(bufnr, { namespace = ns }), 'the export problems cleared')
      end,
    },
    {
      ':Goalframe! export alone asks for the format (the server list) and the file',
      function()
        local bufnr = H.edit('ask.md', frame())
        vim.cmd('silent write')
        local offered, default
        vim.ui.select = function(items, opts, on_choice)
          offered = vim.tbl_map(opts.format_item, items)
          on_choice('json')
        end
        vim.ui.input = function(opts, on_confirm)
          default = opts.default
          on_confirm(vim.fs.joinpath(H.tmp, opts.default))
        end
        H.type(':Goalframe! export<CR>')
        H.wait_notified(vim.log.levels.INFO, '^goalframe: exported ')
        H.eq({ 'JSON', 'CSV', 'Culture Amp', 'Betterworks' }, offered, 'the formats offered')
        H.eq('ask-json.json', default, 'the file proposed')
        local doc = vim.json.decode(read(vim.fs.joinpath(H.tmp, 'ask-json.json')))
        H.eq(1, doc.version, 'the JSON version')
        H.ok(#doc.goals > 0, 'goals exported')
        local path = vim.api.nvim_buf_get_name(bufnr)
        H.ok(doc.goals[1].path == 'ask.md' or doc.goals[1].path == path, doc.goals[1].path)
      end,
    },
  },
}
