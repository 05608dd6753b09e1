-- `:Goalframe[!] canon import {file...} {outdir}`: runs `goalframe canon
-- import` with the configured binary; a good table becomes a canon folder,
-- a bad one fills the quickfix list with its problems, each at its cell.
local H = require('harness')
local command = require('goalframe.command')

local HEADER = 'role,title,family,aliases,level,level_name,kind,name,text'

local function write(name, lines)
  local path = vim.fs.joinpath(H.tmp, name)
  vim.fn.writefile(lines, path)
  return path
end

return {
  init = function()
    H.capture_notifications()
    require('goalframe').setup({ cmd = { H.bin, 'lsp' } })
  end,
  tests = {
    {
      'the command line and the problems are read as the binary writes them',
      function()
        H.eq(
          { 'canon', 'import', 'a.csv', 'b.xlsx', '--out', 'out', '--force' },
          command.import_args({ 'import', 'a.csv', 'b.xlsx', 'out' }, true),
          'import_args'
        )
        local args, err = command.import_args({ 'import', 'a.csv' }, false)
        H.eq(nil, args, 'no folder')
        H.ok(err:find('{outdir}', 1, true), err)
        H.eq({
          { filename = '/hr/r.csv', lnum = 4, col = 6, text = 'unknown kind `x`', type = 'E' },
          { text = '/hr/c.xlsx[Roles]!B12: missing `text`: the canon text', type = 'E' },
          { text = '2 problems; nothing was written', type = 'E' },
        }, command.import_problems(table.concat({
          'error: /hr/r.csv:4:6: unknown kind `x`',
          'error: /hr/c.xlsx[Roles]!B12: missing `text`: the canon text',
          'error: 2 problems; nothing was written',
          '',
        }, '\n')), 'import_problems')
      end,
    },
    {
      ':Goalframe canon import writes the canon; a bad table fills the quickfix list',
      function()
        local good = write('good.csv', { HEADER, 'qa,QA Analyst,Quality,qa-a,P2,Developing,responsibility,,Writes test plans.' })
        local out = vim.fs.joinpath(H.tmp, 'canon')
        H.type(':Goalframe canon import ' .. good .. ' ' .. out .. '<CR>')
        H.wait_notified(vim.log.levels.INFO, 'wrote .*1 role, 1 level,')
        local role = table.concat(vim.fn.readfile(vim.fs.joinpath(out, 'roles', 'qa.json')), '\n')
        H.ok(role:find('"Writes test plans."', 1, true), role)

        local bad = write('bad.csv', { HEADER, '', 'qa,QA Analyst,Quality,,P2,Developing,responsibilty,,x' })
        H.type(':Goalframe! canon import ' .. bad .. ' ' .. out .. '<CR>')
        H.wait_notified(vim.log.levels.ERROR, '1 problem; nothing was written')
        local qf = vim.fn.getqflist()
        H.eq(2, #qf, 'quickfix items')
        H.eq({ 3, 7 }, { qf[1].lnum, qf[1].col }, 'the cell')
        H.eq(bad, vim.api.nvim_buf_get_name(qf[1].bufnr), 'the file')
        H.ok(qf[1].text:find('did you mean `responsibility`', 1, true), qf[1].text)
        -- The folder is as the good import left it.
        H.ok(vim.fn.filereadable(vim.fs.joinpath(out, 'roles', 'qa.json')) == 1, 'canon kept')

        -- Without !, a non-empty folder is refused; with it, replaced.
        local other = write('other.csv', { HEADER, 'ux,UX,Design,,P2,Developing,responsibility,,Draws.' })
        H.type(':Goalframe canon import ' .. other .. ' ' .. out .. '<CR>')
        H.wait_notified(vim.log.levels.ERROR, 'pass %-%-force')
        H.type(':Goalframe! canon import ' .. other .. ' ' .. out .. '<CR>')
        H.wait('the replaced canon', function()
          return vim.fn.filereadable(vim.fs.joinpath(out, 'roles', 'ux.json')) == 1
        end)
        H.ok(vim.fn.filereadable(vim.fs.joinpath(out, 'roles', 'qa.json')) == 0, 'old role removed')
      end,
    },
  },
}
