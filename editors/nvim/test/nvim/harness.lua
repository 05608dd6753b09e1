--- A small test runner that drives Neovim as a user does. Each test runs in
--- a coroutine that yields back to Neovim's main loop while it waits, so
--- keys sent with `nvim_input` are processed by the real input loop (insert
--- mode, completion popup, snippet mappings) rather than replayed.
local H = {}

local results = assert(io.open(assert(os.getenv('GOALFRAME_TEST_RESULTS')), 'a'))
local spec_name = vim.fn.fnamemodify(assert(os.getenv('GOALFRAME_TEST_SPEC')), ':t:r')

H.bin = assert(os.getenv('GOALFRAME_BIN'))
H.tmp = vim.fn.tempname()
vim.fn.mkdir(H.tmp, 'p')

--- Yields until `cond()` returns a truthy value, which it returns; fails the
--- test after `timeout` ms, naming what it waited for, or as soon as `cond`
--- raises an error. `cond` runs outside the test's coroutine: it must not wait.
--- @param what string
--- @param cond fun(): any
--- @param timeout? integer ms, default 10000
function H.wait(what, cond, timeout)
  local co = coroutine.running()
  local deadline = vim.uv.now() + (timeout or 10000)
  local timer = assert(vim.uv.new_timer())
  local done = false
  timer:start(0, 25, function()
    vim.schedule(function()
      if done then
        return
      end
      local ok, value = pcall(cond)
      if not ok or value or vim.uv.now() > deadline then
        done = true
        timer:close()
        coroutine.resume(co, ok, value)
      end
    end)
  end)
  local ok, value = coroutine.yield()
  if not ok then
    error(('while waiting for %s: %s'):format(what, value), 2)
  elseif not value then
    error('timed out waiting for ' .. what, 2)
  end
  return value
end

--- What the plugin showed the user with `vim.notify`, collected rather
--- than echoed once a spec's `init` calls `H.capture_notifications()`.
local notified = {}

function H.capture_notifications()
  vim.notify = function(msg, level)
    table.insert(notified, { msg = msg, level = level })
  end
end

--- Waits for a notification at `level` whose message matches `pattern`,
--- and takes it, so that a later wait does not see it again.
--- @return string the message
function H.wait_notified(level, pattern)
  return H.wait('a notification matching ' .. pattern, function()
    for i, n in ipairs(notified) do
      if n.level == level and n.msg:find(pattern) then
        table.remove(notified, i)
        return n.msg
      end
    end
  end)
end

--- Lets the main loop run for `ms` (a user's pause between keystrokes).
function H.sleep(ms)
  local deadline = vim.uv.now() + ms
  H.wait('sleep', function()
    return vim.uv.now() >= deadline
  end, ms + 1000)
end

--- Types keys (`nvim_input` notation) and lets the main loop process them.
function H.type(keys)
  vim.api.nvim_input(keys)
  H.sleep(50)
end

function H.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(('%s: expected %s, got %s'):format(what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function H.ok(cond, what)
  if not cond then
    error(what, 2)
  end
end

function H.lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr or 0, 0, -1, false)
end

function H.text(bufnr)
  return table.concat(H.lines(bufnr), '\n')
end

--- Selects the completion item labelled `label` in the open popup with
--- <C-n> and accepts it with <C-y>.
function H.accept(label)
  local index = H.wait('the popup to offer ' .. label, function()
    if vim.fn.pumvisible() == 0 then
      return
    end
    for i, item in ipairs(vim.fn.complete_info({ 'items' }).items) do
      if item.abbr == label then
        return i
      end
    end
  end)
  -- `selected` is 0-based, -1 when nothing is selected ('noselect').
  local selected = vim.fn.complete_info({ 'selected' }).selected + 1
  H.type(('<C-n>'):rep(index - selected) .. '<C-y>')
end

--- Number of `⟨word⟩` placeholders in the buffer.
function H.count_placeholders(bufnr)
  local n = 0
  for _ in H.text(bufnr):gmatch('⟨%l+⟩') do
    n = n + 1
  end
  return n
end

--- The goalframe diagnostics of a buffer.
function H.diagnostics(bufnr)
  return vim.tbl_filter(function(d)
    return d.source == 'goalframe'
  end, vim.diagnostic.get(bufnr or 0))
end

--- Waits until the published placeholder diagnostics match the placeholders
--- in the buffer one for one, each range covering exactly `⟨word⟩`.
function H.wait_placeholder_diagnostics(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local want = H.count_placeholders(bufnr)
  H.ok(want > 0, 'the buffer holds no placeholder')
  local diags = H.wait(('%d unfilled-placeholder diagnostics'):format(want), function()
    local d = vim.tbl_filter(function(x)
      return x.code == 'unfilled-placeholder'
    end, H.diagnostics(bufnr))
    return #d == want and H.count_placeholders(bufnr) == want and d
  end)
  for _, d in ipairs(diags) do
    local text = vim.api.nvim_buf_get_text(bufnr, d.lnum, d.col, d.end_lnum, d.end_col, {})[1]
    H.ok(text:match('^⟨%l+⟩$'), 'diagnostic range covers ' .. vim.inspect(text))
  end
  return diags
end

--- Opens a new file named `name` in the temp dir with `lines`, and waits for
--- the goalframe client to attach and initialize.
--- @return integer bufnr
function H.edit(name, lines)
  vim.cmd.edit(vim.fs.joinpath(H.tmp, name))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines or { '' })
  H.wait('goalframe to attach to ' .. name, function()
    local client = vim.lsp.get_clients({ name = 'goalframe', bufnr = bufnr })[1]
    return client and client.initialized
  end)
  return bufnr
end

--- Leaves insert/select mode and any snippet, and closes all buffers.
local function reset()
  if vim.snippet.active() then
    vim.snippet.stop()
  end
  vim.api.nvim_input('<Esc><Esc>')
  H.wait('normal mode', function()
    return vim.api.nvim_get_mode().mode == 'n'
  end, 2000)
  vim.cmd('silent! %bwipeout!')
end

local function record(line)
  results:write(line, '\n')
  results:flush()
  io.stdout:write(line, '\n')
end

--- Runs the tests in order, records `PASS`/`FAIL` lines, then quits.
--- @param tests { [1]: string, [2]: fun() }[]
function H.run(tests)
  coroutine.wrap(function()
    for _, t in ipairs(tests) do
      local start = vim.uv.now()
      local ok, err = xpcall(t[2], debug.traceback)
      local took = ('(%.1f s)'):format((vim.uv.now() - start) / 1000)
      record(('%s %s: %s %s%s'):format(ok and 'PASS' or 'FAIL', spec_name, t[1], took, ok and '' or ('\n' .. err)))
      pcall(reset)
    end
    record('DONE ' .. spec_name)
    vim.cmd('qall!')
  end)()
end

return H
