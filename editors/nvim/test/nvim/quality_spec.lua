-- Goal-quality diagnostics on filled rows, as Neovim shows them: a target
-- with no number (unmeasurable-target) and a Time-bound date that is not the
-- Measurable date (date-mismatch), whose quick fix is applied through
-- `vim.lsp.buf.code_action`.
local H = require('harness')

local TARGET = 'more deals'
local MEASURABLE_DATE = '2027-06-30'
local TIME_BOUND_DATE = '2027-05-31'
local FIX = 'Use the Measurable date `' .. MEASURABLE_DATE .. '`'

--- `goalframe render ae p2 --frame smart --format markdown` with the first
--- goal filled in. The baseline holds a multi-byte character (€) before the
--- target, so that a column counted in UTF-16 units rather than bytes shows.
--- @return string[] lines, integer measurable, integer time_bound (1-based rows of the first goal)
local function filled_smart()
  local out = vim.fn.system({ H.bin, 'render', 'ae', 'p2', '--frame', 'smart', '--format', 'markdown' })
  assert(vim.v.shell_error == 0, out)
  local lines = vim.split(out:gsub('\n$', ''), '\n', { plain = true })
  local measurable, time_bound
  for i, line in ipairs(lines) do
    if not measurable and line:find('**Measurable:**', 1, true) then
      measurable = i
      lines[i] = line:gsub(
        '⟨baseline⟩ to ⟨target⟩ by ⟨date⟩',
        ('12 deals (€1.2M) to %s by %s'):format(TARGET, MEASURABLE_DATE),
        1
      )
    elseif measurable and not time_bound and line:find('**Time-bound:**', 1, true) then
      time_bound = i
      lines[i] = line:gsub('⟨date⟩', TIME_BOUND_DATE, 1) -- the date holds no `%`
    end
  end
  assert(measurable and time_bound, 'no Measurable or Time-bound row in the SMART frame')
  assert(lines[measurable]:find(TARGET, 1, true) and lines[time_bound]:find(TIME_BOUND_DATE, 1, true), 'the rows were not filled')
  return lines, measurable, time_bound
end

--- The 0-based range Neovim reports for a diagnostic over the first `text`
--- in 1-based row `row` of `lines`: byte columns, end exclusive.
local function range_of(lines, row, text)
  local start = assert(lines[row]:find(text, 1, true), text)
  return { lnum = row - 1, col = start - 1, end_lnum = row - 1, end_col = start - 1 + #text }
end

--- The goalframe diagnostics of `bufnr` with code `code`, as ranges.
local function ranges(bufnr, code)
  local found = {}
  for _, d in ipairs(H.diagnostics(bufnr)) do
    if d.code == code then
      table.insert(found, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity })
    end
  end
  return found
end

return {
  init = function()
    require('goalframe').setup({ cmd = { H.bin, 'lsp' } })
  end,
  tests = {
    {
      'unmeasurable-target and date-mismatch on their exact ranges; the quick fix applies the Measurable date',
      function()
        local lines, measurable, time_bound = filled_smart()
        local bufnr = H.edit('quality.md', lines)
        local WARN = vim.diagnostic.severity.WARN
        local want_target = vim.tbl_extend('force', range_of(lines, measurable, TARGET), { severity = WARN })
        local want_date = vim.tbl_extend('force', range_of(lines, time_bound, TIME_BOUND_DATE), { severity = WARN })
        -- The multi-byte baseline puts the byte column past the character column.
        H.ok(want_target.col > vim.fn.strchars(lines[measurable]:sub(1, want_target.col)), 'no multi-byte text before the target')

        H.wait('unmeasurable-target and date-mismatch diagnostics', function()
          return #ranges(bufnr, 'unmeasurable-target') > 0 and #ranges(bufnr, 'date-mismatch') > 0
        end)
        H.eq({ want_target }, ranges(bufnr, 'unmeasurable-target'), 'unmeasurable-target')
        H.eq({ want_date }, ranges(bufnr, 'date-mismatch'), 'date-mismatch')

        -- The cursor inside the Time-bound date, as a user puts it there.
        vim.api.nvim_win_set_cursor(0, { time_bound, want_date.col + 2 })
        -- Diagnostics published after the fix (a report the server made for
        -- the fixed text, not what Neovim kept from before).
        local published = 0
        vim.api.nvim_create_autocmd('DiagnosticChanged', {
          buffer = bufnr,
          callback = function()
            published = published + 1
          end,
        })
        local offered = {}
        vim.lsp.buf.code_action({
          filter = function(action)
            table.insert(offered, action.title)
            return action.title == FIX
          end,
          apply = true,
        })
        local want_row = lines[time_bound]:sub(1, want_date.col) .. MEASURABLE_DATE
        H.eq(lines[time_bound]:sub(1, want_date.col) .. TIME_BOUND_DATE, lines[time_bound], 'the date ends the Time-bound row')
        local ok, err = pcall(H.wait, 'the quick fix "' .. FIX .. '" to be applied', function()
          return H.lines(bufnr)[time_bound] == want_row
        end)
        H.ok(ok, ('%s; code actions offered: %s'):format(err, vim.inspect(offered)))
        local want_lines = vim.deepcopy(lines)
        want_lines[time_bound] = want_row
        H.eq(want_lines, H.lines(bufnr), 'buffer after the fix')

        H.wait('diagnostics without date-mismatch', function()
          return published > 0 and #ranges(bufnr, 'date-mismatch') == 0
        end)
        H.eq({ want_target }, ranges(bufnr, 'unmeasurable-target'), 'unmeasurable-target after the fix')
      end,
    },
  },
}
