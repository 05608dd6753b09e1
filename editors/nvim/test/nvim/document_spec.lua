-- The whole goal document in Neovim: the outline (document_symbol), the
-- progress code lens and its next-placeholder command, the mapped jump
-- (wrapping), and fix-all through vim.lsp.buf.code_action.
local H = require('harness')

local BASELINE = '€1.2M 中文'

--- ae/P2's SMART and OKR frames in markdown; the first goal's baseline is
--- filled with multi-byte text, so that a jump counted in the wrong unit
--- lands in the wrong column.
--- @return string[]
local function review()
  local lines = { '# Review 😀 年度', '' }
  for _, frame in ipairs({ 'smart', 'okr' }) do
    local out = vim.fn.system({ H.bin, 'render', 'ae', 'p2', '--frame', frame, '--format', 'markdown' })
    assert(vim.v.shell_error == 0, out)
    vim.list_extend(lines, vim.split(out:gsub('\n$', ''), '\n', { plain = true }))
    table.insert(lines, '')
  end
  for i, line in ipairs(lines) do
    if line:find('**Measurable:**', 1, true) then
      lines[i] = line:gsub('⟨baseline⟩', BASELINE, 1)
      break
    end
  end
  return lines
end

--- The 1-based row and 0-based byte column of the `n`-th `needle` in `lines`.
local function find(lines, needle, n)
  local seen = 0
  for row, line in ipairs(lines) do
    local from = 1
    while true do
      local at = line:find(needle, from, true)
      if not at then
        break
      end
      seen = seen + 1
      if seen == n then
        return { row, at - 1 }
      end
      from = at + 1
    end
  end
  error(('no %s #%d'):format(needle, n))
end

--- `textDocument/completion` through the client; `on_items(items)`.
local function client_request(client, bufnr, params, on_items)
  local function handler(_, result)
    on_items(result and (result.items or result) or {})
  end
  if vim.fn.has('nvim-0.11') == 1 then
    client:request('textDocument/completion', params, handler, bufnr)
  else
    client.request('textDocument/completion', params, handler, bufnr)
  end
end

--- A review whose first goal's Time-bound date differs from its
--- Measurable date, opened as `name` once its date-mismatch is shown.
local function mismatched(name)
  local lines = review()
  for i, line in ipairs(lines) do
    if line:find('**Measurable:**', 1, true) then
      lines[i] = line:gsub('⟨target⟩ by ⟨date⟩', '20 deals by 2027-06-30', 1)
    elseif line:find('**Time-bound:**', 1, true) then
      lines[i] = line:gsub('⟨date⟩', '2027-05-31', 1)
      break
    end
  end
  local bufnr = H.edit(name, lines)
  H.wait('a date-mismatch diagnostic', function()
    return #vim.tbl_filter(function(d)
      return d.code == 'date-mismatch'
    end, H.diagnostics(bufnr)) == 1
  end)
  return bufnr
end

local function cursor()
  return vim.api.nvim_win_get_cursor(0)
end

return {
  init = function()
    require('goalframe').setup({ cmd = { H.bin, 'lsp' } })
    vim.keymap.set('n', ']p', function()
      require('goalframe').next_placeholder()
    end)
  end,
  tests = {
    {
      'document_symbol lists the blocks with their goals and filled counts',
      function()
        local bufnr = H.edit('outline.md', review())
        H.wait_placeholder_diagnostics(bufnr)
        local items
        vim.lsp.buf.document_symbol({
          on_list = function(list)
            items = list.items
          end,
        })
        H.wait('document symbols', function()
          return items
        end)
        local texts = vim.tbl_map(function(i)
          return i.text
        end, items)
        H.eq('[Namespace] SMART goals — Account Executive / Field Sales — P2', texts[1], 'the first block')
        H.ok(texts[2]:find('^%[Object%] Manages the entire sales cycle'), 'its first goal: ' .. texts[2])
        local blocks = vim.tbl_filter(function(t)
          return t:find('^%[Namespace%]')
        end, texts)
        H.eq({
          '[Namespace] SMART goals — Account Executive / Field Sales — P2',
          '[Namespace] OKRs — Account Executive / Field Sales — P2',
        }, blocks, 'the blocks')
        H.eq(12, #items, 'two blocks of five goals')
      end,
    },
    {
      'the code lens counts placeholders and its command jumps to the next one',
      function()
        local lines = review()
        local bufnr = H.edit('lens.md', lines)
        H.wait_placeholder_diagnostics(bufnr)
        vim.lsp.codelens.refresh({ bufnr = bufnr })
        local lenses = H.wait('two code lenses', function()
          local l = vim.lsp.codelens.get(bufnr)
          return #l == 2 and l[1].command and l
        end)
        table.sort(lenses, function(a, b)
          return a.range.start.line < b.range.start.line
        end)
        H.eq('1 of 20 placeholders filled', lenses[1].command.title, 'the SMART lens')
        H.eq('0 of 25 placeholders filled', lenses[2].command.title, 'the OKR lens')
        -- Run the SMART block's lens from its line: the first unfilled
        -- placeholder is the first goal's target, after the multi-byte baseline.
        vim.api.nvim_win_set_cursor(0, { lenses[1].range.start.line + 1, 0 })
        vim.lsp.codelens.run()
        local want = find(lines, '⟨target⟩', 1)
        H.wait('the cursor on the first target', function()
          local c = cursor()
          return c[1] == want[1] and c[2] == want[2]
        end)
      end,
    },
    {
      'the mapped jump goes to the next placeholder and wraps at the end',
      function()
        local lines = review()
        local bufnr = H.edit('jump.md', lines)
        H.wait_placeholder_diagnostics(bufnr)
        local target = find(lines, '⟨target⟩', 1)
        vim.api.nvim_win_set_cursor(0, target)
        H.type(']p')
        local date = find(lines, '⟨date⟩', 1)
        H.wait('the cursor on the first date', function()
          local c = cursor()
          return c[1] == date[1] and c[2] == date[2]
        end)
        vim.api.nvim_win_set_cursor(0, { #lines, 0 })
        H.type(']p')
        H.wait('the cursor back on the first target', function()
          local c = cursor()
          return c[1] == target[1] and c[2] == target[2]
        end)
      end,
    },
    {
      'fix-all through code_action aligns a mismatched Time-bound date',
      function()
        local bufnr = mismatched('fixall.md')
        vim.lsp.buf.code_action({ context = { only = { 'source.fixAll' } }, apply = true })
        H.wait('the Time-bound date aligned', function()
          return not H.text(bufnr):find('2027-05-31', 1, true)
            and select(2, H.text(bufnr):gsub('2027%-06%-30', '')) == 2
        end)
      end,
    },
    {
      'a fix-all chosen before more typing is refused, not applied where the text has moved',
      function()
        local bufnr = mismatched('stale.md')
        local client = vim.lsp.get_clients({ name = 'goalframe', bufnr = bufnr })[1]
        local params = {
          textDocument = { uri = vim.uri_from_bufnr(bufnr) },
          range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
          context = { diagnostics = {}, only = { 'source.fixAll' } },
        }
        local response
        if vim.fn.has('nvim-0.11') == 1 then
          response = client:request_sync('textDocument/codeAction', params, 5000, bufnr)
        else
          response = client.request_sync('textDocument/codeAction', params, 5000, bufnr)
        end
        local action = response and response.result and response.result[1]
        H.ok(action and action.edit.documentChanges, 'a versioned fix-all: ' .. vim.inspect(response))
        -- More typing, then the action: the edit was made for the text
        -- before it, and would land a line off.
        vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, { 'A line typed since.' })
        local typed = H.text(bufnr)
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        H.eq(typed, H.text(bufnr), 'the buffer as typed')
      end,
    },
    {
      'completion in a date slot offers the cycle end and the goal\'s other date',
      function()
        local lines = { '---', 'cycle: FY2027 H1', 'cycle_start: 2027-01-01', 'cycle_end: 2027-06-30', '---' }
        for i, line in ipairs(review()) do
          if i > 2 and line:find('**Measurable:**', 1, true) and not lines.filled then
            line = line:gsub('⟨target⟩ by ⟨date⟩', '20 deals by 2027-05-31', 1)
            lines.filled = true
          end
          table.insert(lines, line)
        end
        lines.filled = nil
        local bufnr = H.edit('dates.md', lines)
        H.wait_placeholder_diagnostics(bufnr)
        local row, col = unpack(find(lines, '⟨date⟩', 1))
        -- The first ⟨date⟩ left is the first goal's Time-bound row.
        H.ok(lines[row]:find('**Time-bound:**', 1, true), 'the first date slot is a Time-bound row: ' .. lines[row])
        vim.api.nvim_win_set_cursor(0, { row, col + 3 })
        local client = vim.lsp.get_clients({ name = 'goalframe', bufnr = bufnr })[1]
        local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
        local labels
        client_request(client, bufnr, params, function(items)
          labels = vim.tbl_map(function(i)
            return i.label
          end, items)
        end)
        H.wait('date completion items', function()
          return labels
        end)
        H.eq("2027-05-31 — the goal's other date", labels[1], 'the other date first')
        H.eq('2027-06-30 — end of cycle FY2027 H1', labels[2], 'then the cycle end')
      end,
    },
  },
}
