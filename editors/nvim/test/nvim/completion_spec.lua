-- The user's path with native completion: type a token, accept a frame from
-- the popup, fill the tabstops; and `:Goalframe insert`.
local H = require('harness')

local SMART_MARKER = '<!-- goalframe: account-executive-field-sales/P2 smart -->'
local OKR_MARKER = '<!-- goalframe: account-executive-field-sales/P2 okr -->'

--- The frames of the server's own `goalframe.canon` answer, asked here
--- rather than through the plugin, so the checks compare the plugin's lists
--- with what the server says.
--- @return { id: string, label: string }[]
local function server_frames(bufnr)
  local client = vim.lsp.get_clients({ name = 'goalframe', bufnr = bufnr })[1]
  local response = client:request_sync('workspace/executeCommand', { command = 'goalframe.canon' }, 3000, bufnr)
  local frames = assert(response and response.result and response.result.frames, 'no frames in goalframe.canon')
  H.ok(#frames > 0 and vim.iter(frames):any(function(f)
    return f.id == 'smart'
  end), 'goalframe.canon frames: ' .. vim.inspect(frames))
  return frames
end

--- First line at or after `from` that contains `needle` (plain).
local function find_line(needle, from)
  for i, line in ipairs(H.lines()) do
    if i >= (from or 1) and line:find(needle, 1, true) then
      return i, line
    end
  end
end

--- Types over the current tabstop, then jumps with <Tab> as a user does.
local function fill(text)
  H.wait('a selected tabstop', function()
    return vim.api.nvim_get_mode().mode == 's' and vim.snippet.active()
  end)
  H.type(text)
  H.type('<Tab>')
end

--- `goalframe render ae p2 --frame <frame> --format <format>` as lines, with
--- the heading line and empty line a text buffer's insertion starts with.
--- @return string[]
local function rendered(frame, title, markdown)
  local out = vim.fn.system({ H.bin, 'render', 'ae', 'p2', '--frame', frame, '--format', markdown and 'markdown' or 'text' })
  assert(vim.v.shell_error == 0, out)
  local lines = vim.split(out:gsub('\n$', ''), '\n', { plain = true })
  if not markdown then
    lines = vim.list_extend({ title .. ' — Account Executive / Field Sales — P2', '' }, lines)
  end
  return lines
end

--- Types `keys` in insert mode at the end of the buffer's last line (after
--- `<CR>`s as given), asks for completion and accepts `label`, as a user
--- does; leaves the snippet session.
local function accept_frame(keys, label, marker_text)
  H.type(keys)
  H.sleep(300) -- let the popups opened while typing settle, as a user pauses
  H.type('<C-x><C-o>')
  H.accept(label)
  H.wait('the ' .. label .. ' frame', function()
    return find_line(marker_text)
  end)
  if vim.snippet.active() then
    vim.snippet.stop()
  end
  H.type('<Esc>')
  H.wait('normal mode', function()
    return vim.api.nvim_get_mode().mode == 'n'
  end)
end

--- Three frames typed one below another, the next token on the line below
--- the last (indented) row, where 'autoindent' keeps that row's indent.
local function frames_in_a_row(name, markdown)
  H.edit(name, { '' })
  H.eq(true, vim.bo.autoindent, "'autoindent'")
  local title = markdown and '## SMART goals' or 'SMART goals — '
  accept_frame('i@ae/p2', 'SMART goals', title)
  local last = H.lines()[#H.lines()]
  H.ok(last:match('^%s+%S'), 'the SMART frame ends with an indented row: ' .. last)
  accept_frame('GA<CR><CR>@ae/p2', 'MBO areas', markdown and '## MBO areas' or 'MBO areas — ')
  accept_frame('GA<CR><CR>Goals: @ae/p2', 'OKRs', markdown and '## OKRs' or 'OKRs — ')
  local want = rendered('smart', 'SMART goals', markdown)
  vim.list_extend(want, { '' })
  local mbo = rendered('mbo', 'MBO areas', markdown)
  vim.list_extend(want, mbo)
  -- Text typed before a token is the author's and stays as typed, with
  -- the indentation 'autoindent' gave it; the frame starts at column 0.
  vim.list_extend(want, { '', mbo[#mbo]:match('^%s*') .. 'Goals:' })
  vim.list_extend(want, rendered('okr', 'OKRs', markdown))
  H.eq(want, H.lines(), name)
end

return {
  init = function()
    vim.o.completeopt = 'menu,menuone,noinsert'
    vim.o.showmode = false
    vim.opt.shortmess:append('c')
    require('goalframe').setup({
      cmd = { H.bin, 'lsp' },
      autotrigger = true,
      severity = { ['unknown-role'] = 'warning' },
    })
  end,
  tests = {
    {
      'typing @ae/p2 and accepting SMART goals from the popup expands the markdown frame',
      function()
        local bufnr = H.edit('goals.md', { '# Goals 2026', '' })
        vim.api.nvim_win_set_cursor(0, { 2, 0 })
        H.type('A@ae/p2')
        H.wait('the token typed', function()
          return vim.api.nvim_get_current_line() == '@ae/p2'
        end)
        H.sleep(300) -- let the popups opened while typing settle, as a user pauses
        H.type('<C-x><C-o>')
        H.accept('SMART goals')
        H.wait('the SMART marker', function()
          return find_line(SMART_MARKER)
        end)
        H.ok(not H.text():find('@ae/p2', 1, true), 'the token is left in the buffer')
        H.ok(vim.snippet.active(), 'no snippet session after accepting the frame')
        H.wait_placeholder_diagnostics(bufnr)

        -- ⟨baseline⟩ → ⟨target⟩ → ⟨date⟩ of the first SMART item; its
        -- Time-bound date is the same tabstop and follows.
        local measurable = find_line('Move the metric this drives from')
        fill('10%')
        fill('25%')
        fill('Q3 2026')
        local _, line = find_line('Move the metric this drives from')
        H.ok(line:find('from 10% to 25% by Q3 2026.', 1, true), 'Measurable row: ' .. line)
        local _, time_bound = find_line('Time-bound', measurable)
        H.ok(time_bound:find('Q3 2026', 1, true) and not time_bound:find('⟨'), 'Time-bound row: ' .. time_bound)
        local _, second = find_line('Move the metric this drives from', measurable + 1)
        H.ok(second:find('from ⟨baseline⟩ to ⟨target⟩ by ⟨date⟩', 1, true), 'second item changed: ' .. second)
        H.type('<Esc>')
        H.wait_placeholder_diagnostics(bufnr)
      end,
    },
    {
      'role and level items reopen completion until the frames, and OKRs expands',
      function()
        local bufnr = H.edit('chain.md', { '' })
        H.type('i@acc')
        H.accept('Account Executive / Field Sales')
        H.wait('the role id inserted', function()
          return vim.api.nvim_get_current_line() == '@account-executive-field-sales/'
        end)
        H.accept('P2 — Developing Professional')
        H.wait('the level inserted', function()
          return vim.api.nvim_get_current_line() == '@account-executive-field-sales/P2'
        end)
        H.accept('OKRs')
        H.wait('the OKR marker', function()
          return find_line(OKR_MARKER)
        end)
        H.ok(not H.text():find('@account', 1, true), 'the token is left in the buffer')
        H.wait_placeholder_diagnostics(bufnr)
      end,
    },
    {
      'frames typed one below another land verbatim at column 0 (markdown)',
      function()
        frames_in_a_row('rows.md', true)
      end,
    },
    {
      'frames typed one below another land verbatim at column 0 (text)',
      function()
        frames_in_a_row('rows.txt', false)
      end,
    },
    {
      'a frame item\'s preview is the plain-text frame, without markdown escapes',
      function()
        H.edit('preview.md', { '' })
        H.type('i@ae/p2')
        H.sleep(300)
        H.type('<C-x><C-o>')
        local info = H.wait('the SMART item with its preview', function()
          if vim.fn.pumvisible() == 0 then
            return
          end
          for _, item in ipairs(vim.fn.complete_info({ 'items' }).items) do
            if item.abbr == 'SMART goals' and item.info ~= '' then
              return item.info
            end
          end
        end)
        local want = table.concat(rendered('smart', 'SMART goals', false), '\n')
        H.eq(want, info, 'preview')
        H.ok(not info:find('\\[%$|]') and not info:find('```', 1, true), 'markup in the preview')
      end,
    },
    {
      ':Goalframe insert on an indented blank line puts the frame at column 0',
      function()
        H.edit('indented.md', { '# Objectives', '   ' })
        vim.api.nvim_win_set_cursor(0, { 2, 3 })
        H.type(':Goalframe insert ae p2 okr<CR>')
        H.wait('the OKR marker', function()
          return find_line(OKR_MARKER)
        end)
        if vim.snippet.active() then
          vim.snippet.stop()
        end
        local want = vim.list_extend({ '# Objectives' }, rendered('okr', 'OKRs', true))
        H.eq(want, H.lines(), 'buffer')
      end,
    },
    {
      ':Goalframe insert ae p2 okr expands the frame as a snippet',
      function()
        local bufnr = H.edit('okr.md', { '# Objectives', '' })
        vim.api.nvim_win_set_cursor(0, { 2, 0 })
        H.type(':Goalframe insert ae p2 okr<CR>')
        H.wait('the OKR marker', function()
          return find_line(OKR_MARKER)
        end)
        H.eq(2, find_line(OKR_MARKER), 'marker line (the empty cursor line, below the heading)')
        H.wait_placeholder_diagnostics(bufnr)
        local kr1 = find_line('KR1.')
        fill('40')
        fill('55')
        fill('30 June')
        local _, line = find_line('KR1.')
        H.ok(line:find('From 40 to 55 by 30 June', 1, true), 'KR1 row: ' .. line)
        local _, kr2 = find_line('KR2.', kr1)
        H.ok(kr2:find('⟨target⟩ by ⟨date⟩', 1, true), 'KR2 is its own row group: ' .. kr2)
        H.type('<Esc>')
        H.wait_placeholder_diagnostics(bufnr)
      end,
    },
    {
      ':Goalframe insert in a text buffer expands to exactly the plain rendering',
      function()
        H.edit('goals.txt', { 'Review notes' })
        H.type(':Goalframe insert account-executive-field-sales P2 smart<CR>')
        H.wait('the SMART frame', function()
          return find_line('SMART goals — Account Executive / Field Sales — P2')
        end)
        local golden = vim.fn.readfile(vim.env.GOALFRAME_REPO .. '/tests/golden/seed-smart.txt')
        local want = vim.list_extend({ 'Review notes', 'SMART goals — Account Executive / Field Sales — P2', '' }, golden)
        local got = H.lines()
        while got[#got] == '' do
          table.remove(got)
        end
        H.eq(want, got, 'text buffer')
      end,
    },
    {
      ':Goalframe completes subcommands, roles, levels and frames from the canon',
      function()
        H.edit('complete.md')
        H.eq({ 'canon', 'export', 'insert' }, vim.fn.getcompletion('Goalframe ', 'cmdline'), 'subcommands')
        H.eq({ 'import' }, vim.fn.getcompletion('Goalframe canon ', 'cmdline'), 'canon subcommands')
        H.eq(
          { 'json', 'csv', 'culture-amp', 'betterworks' },
          vim.fn.getcompletion('Goalframe export ', 'cmdline'),
          'export formats: the server\'s, in its order'
        )
        H.eq({ 'culture-amp' }, vim.fn.getcompletion('Goalframe export cu', 'cmdline'), 'format prefix')
        H.eq({ 'workspace' }, vim.fn.getcompletion('Goalframe export csv goals.csv ', 'cmdline'), 'the scope')
        local roles = vim.fn.getcompletion('Goalframe insert ', 'cmdline')
        H.ok(vim.tbl_contains(roles, 'account-executive-field-sales') and vim.tbl_contains(roles, 'ae'), vim.inspect(roles))
        H.eq({ 'account-executive-field-sales' }, vim.fn.getcompletion('Goalframe insert acc', 'cmdline'), 'role prefix')
        H.eq({ 'P2' }, vim.fn.getcompletion('Goalframe insert ae ', 'cmdline'), 'levels of ae')
        local ids = vim.tbl_map(function(f)
          return f.id
        end, server_frames(vim.api.nvim_get_current_buf()))
        H.eq(ids, vim.fn.getcompletion('Goalframe insert ae p2 ', 'cmdline'), 'frames: the server\'s ids, in its order')
      end,
    },
    {
      ':Goalframe insert without a frame asks for one among the server\'s frames, by label',
      function()
        local bufnr = H.edit('pick.md', { '' })
        local frames = server_frames(bufnr)
        local asked
        local select = vim.ui.select
        vim.ui.select = function(items, opts, on_choice)
          asked = { prompt = opts.prompt, ids = items, labels = vim.tbl_map(opts.format_item or tostring, items) }
          on_choice(items[2])
        end
        local ok, err = pcall(vim.cmd, 'Goalframe insert ae p2')
        vim.ui.select = select
        assert(ok, err)
        H.eq('Frame', asked and asked.prompt, 'the question asked')
        H.eq(vim.tbl_map(function(f)
          return f.id
        end, frames), asked.ids, 'choices: the server\'s ids, in its order')
        H.eq(vim.tbl_map(function(f)
          return f.label
        end, frames), asked.labels, 'shown as the server\'s labels')
        local marker = '<!-- goalframe: account-executive-field-sales/P2 ' .. frames[2].id .. ' -->'
        H.wait('the ' .. frames[2].label .. ' frame', function()
          return H.text(bufnr):find(marker, 1, true)
        end)
      end,
    },
    {
      'a server that lists no frames (older than `frames`) gets an error, not a made-up list',
      function()
        local bufnr = H.edit('old-server.md', { '' })
        local client_mod = require('goalframe.client')
        local canon = client_mod.canon
        client_mod.canon = function(client)
          local answer, err = canon(client)
          if answer then
            answer.frames = nil
          end
          return answer, err
        end
        local messages = {}
        local notify = vim.notify
        vim.notify = function(msg, level)
          table.insert(messages, { msg, level })
        end
        local ok, err = pcall(function()
          H.eq({}, vim.fn.getcompletion('Goalframe insert ae p2 ', 'cmdline'), 'frames')
          vim.cmd('Goalframe insert ae p2 smart')
        end)
        client_mod.canon = canon
        vim.notify = notify
        assert(ok, err)
        H.eq(1, #messages, vim.inspect(messages))
        H.eq(vim.log.levels.ERROR, messages[1][2], 'level of ' .. messages[1][1])
        H.ok(messages[1][1]:find('frames', 1, true), messages[1][1])
        H.sleep(200)
        H.eq({ '' }, H.lines(bufnr), 'buffer')
      end,
    },
    {
      'an unknown role is reported with the server\'s suggestion and inserts nothing',
      function()
        H.edit('unknown.md', { '' })
        local messages = {}
        local notify = vim.notify
        vim.notify = function(msg, level)
          table.insert(messages, { msg, level })
        end
        H.type(':Goalframe insert acount-executive p2 smart<CR>')
        local ok, msg = pcall(H.wait, 'an error message', function()
          return messages[1]
        end)
        vim.notify = notify
        assert(ok, msg)
        H.eq(vim.log.levels.ERROR, msg[2], 'level of ' .. msg[1])
        H.ok(msg[1]:find('account-executive-field-sales', 1, true), 'no suggestion in: ' .. msg[1])
        H.eq({ '' }, H.lines(), 'buffer')
      end,
    },
    {
      'settings reach the server: unknown-role is a warning as configured',
      function()
        local bufnr = H.edit('settings.md', { 'Owner: @nosuchrole/p2 ' })
        local d = H.wait('an unknown-role diagnostic', function()
          return vim.iter(H.diagnostics(bufnr)):find(function(x)
            return x.code == 'unknown-role'
          end)
        end)
        H.eq(vim.diagnostic.severity.WARN, d.severity, 'severity')
      end,
    },
    {
      ':checkhealth goalframe reports the binary, its version and the canon',
      function()
        H.edit('health.md')
        vim.cmd('checkhealth goalframe')
        local report = H.wait('the health report', function()
          local text = H.text()
          return text:find('canon', 1, true) and text
        end)
        local version = vim.trim(vim.fn.system({ H.bin, '--version' }))
        H.ok(report:find('binary: ' .. H.bin, 1, true), report)
        H.ok(report:find('version: ' .. version, 1, true), report)
        H.ok(report:find('canon from <embedded>: 1 role(s), 1 role level(s)', 1, true), report)
        H.ok(report:find('account-executive-field-sales (Account Executive / Field Sales): P2', 1, true), report)
        H.ok(report:find('no load errors', 1, true), report)
        H.ok(not report:find('ERROR', 1, true), report)
      end,
    },
    {
      'the help file has valid tags',
      function()
        local doc = vim.fs.joinpath(H.tmp, 'doc')
        vim.fn.mkdir(doc, 'p')
        local help = vim.api.nvim_get_runtime_file('doc/goalframe.txt', false)[1]
        vim.fn.writefile(vim.fn.readfile(help), vim.fs.joinpath(doc, 'goalframe.txt'))
        vim.cmd.helptags(vim.fn.fnameescape(doc))
        local tags = vim.fn.readfile(vim.fs.joinpath(doc, 'tags'))
        for _, tag in ipairs({ 'goalframe.setup()', ':Goalframe-insert', 'goalframe-cmp', 'goalframe-tabstops' }) do
          H.ok(vim.iter(tags):any(function(line)
            return vim.startswith(line, tag .. '\t')
          end), 'no tag ' .. tag)
        end
      end,
    },
  },
}
