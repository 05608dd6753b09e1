--- `:Goalframe insert [role] [level] [frame]`: expands a frame at the cursor
--- as a snippet. `:Goalframe[!] canon import {file...} {outdir}`: writes a
--- canon from spreadsheets with the `goalframe` binary. `:Goalframe[!]
--- export [format] [file] [workspace]`: the server's `goalframe.export`. Roles, levels and frames come from the server's canon, so
--- a custom canon completes and inserts exactly like the default one.
local client_mod = require('goalframe.client')

local M = {}

--- `list` when it is a non-empty list of tables whose `fields` are all
--- strings, else nil: a list the server sent, never one made up here.
--- @param list any
--- @param fields string[]
--- @return table[]?
local function records(list, fields)
  if type(list) ~= 'table' or #list == 0 then
    return nil
  end
  for _, item in ipairs(list) do
    if type(item) ~= 'table' then
      return nil
    end
    for _, field in ipairs(fields) do
      if type(item[field]) ~= 'string' then
        return nil
      end
    end
  end
  return list
end

--- The frames the server renders, in its order (`frames` of the
--- `goalframe.canon` answer); nil from a server older than that field, so
--- that the plugin never makes the list up.
--- @param canon table
--- @return { id: string, label: string }[]?
local function frames_of(canon)
  return records(canon.frames, { 'id', 'label' })
end

--- @param frames { id: string, label: string }[]
local function frame_ids(frames)
  return vim.tbl_map(function(frame)
    return frame.id
  end, frames)
end

--- @param canon table
--- @param name string id, alias or title, case-insensitive (as the server matches)
local function find_role(canon, name)
  name = name:lower()
  for _, role in ipairs(canon.roles) do
    for _, known in ipairs({ role.id, role.title, unpack(role.aliases or {}) }) do
      if known:lower() == name then
        return role
      end
    end
  end
end

--- @param role table
local function level_codes(role)
  return vim.tbl_map(function(level)
    return level.code
  end, role.levels)
end

--- Frames are blocks that start at column 0 with a marker line, so they go
--- on the cursor line when it is blank and on a new line below it
--- otherwise. A blank line's indentation is removed first: `vim.snippet`
--- would add it to every line of the frame.
--- @param text string snippet
local function expand_at_cursor(text)
  local row = vim.api.nvim_win_get_cursor(0)[1]
  if vim.api.nvim_get_current_line():match('%S') then
    vim.api.nvim_buf_set_lines(0, row, row, false, { '' })
    row = row + 1
  else
    vim.api.nvim_buf_set_lines(0, row - 1, row, false, { '' })
  end
  vim.api.nvim_win_set_cursor(0, { row, 0 })
  vim.snippet.expand(text)
end

--- @param bufnr integer
--- @param client vim.lsp.Client
--- @param role string
--- @param level string
--- @param frame string
local function insert(bufnr, client, role, level, frame)
  local args = {
    role = role,
    level = level,
    frame = frame,
    form = vim.bo[bufnr].filetype == 'markdown' and 'markdown' or 'text',
    snippet = true,
  }
  client_mod.render(client, bufnr, args, function(err, text)
    if err then
      vim.notify('goalframe: ' .. err, vim.log.levels.ERROR)
    elseif vim.api.nvim_get_current_buf() == bufnr then
      expand_at_cursor(text)
    end
  end)
end

--- Asks with `vim.ui.select` for what the command line left out.
--- @param choices string[]
--- @param prompt string
--- @param given string?
--- @param on_choice fun(choice: string)
--- @param format_item (fun(choice: string): string)?
local function choose(choices, prompt, given, on_choice, format_item)
  if given then
    on_choice(given)
  elseif #choices == 1 then
    on_choice(choices[1])
  else
    vim.ui.select(choices, { prompt = prompt, format_item = format_item }, function(choice)
      if choice then
        on_choice(choice)
      end
    end)
  end
end

--- The current buffer, its goalframe client and the server's canon; nil
--- after telling the user why not.
--- @return integer? bufnr, vim.lsp.Client? client, table? canon
local function client_and_canon()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_mod.get(bufnr)
  if not client then
    vim.notify('goalframe: the language server is not running', vim.log.levels.ERROR)
    return nil
  end
  local canon, err = client_mod.canon(client)
  if not canon then
    vim.notify('goalframe: ' .. err, vim.log.levels.ERROR)
    return nil
  end
  return bufnr, client, canon
end

--- @param fargs string[] role, level, frame (each optional)
local function run_insert(fargs)
  local bufnr, client, canon = client_and_canon()
  if not canon then
    return
  end
  local frames = frames_of(canon)
  if not frames then
    vim.notify(
      'goalframe: the server did not list its frames (`frames` of goalframe.canon); '
        .. 'it is older than this plugin, update the goalframe binary',
      vim.log.levels.ERROR
    )
    return
  end
  local labels = {}
  for _, frame in ipairs(frames) do
    labels[frame.id] = frame.label
  end
  local ids = vim.tbl_map(function(role)
    return role.id
  end, canon.roles)
  choose(ids, 'Role', fargs[1], function(role)
    local known = find_role(canon, role)
    if not known then
      -- The server's error names the closest roles.
      insert(bufnr, client, role, fargs[2] or '', fargs[3] or 'all')
      return
    end
    choose(level_codes(known), 'Level', fargs[2], function(level)
      choose(frame_ids(frames), 'Frame', fargs[3], function(frame)
        insert(bufnr, client, role, level, frame)
      end, function(id)
        return labels[id]
      end)
    end)
  end)
end

--- Candidates for the argument at position `index` of `:Goalframe insert`.
--- @param index integer 1 = role, 2 = level, 3 = frame
--- @param words string[] the arguments before it
local function insert_candidates(index, words)
  local client = client_mod.get(vim.api.nvim_get_current_buf())
  local canon = client and client_mod.canon(client)
  if not canon then
    return {}
  end
  if index == 3 then
    local frames = frames_of(canon)
    return frames and frame_ids(frames) or {}
  end
  if index == 1 then
    local names = {}
    for _, role in ipairs(canon.roles) do
      table.insert(names, role.id)
      for _, alias in ipairs(role.aliases or {}) do
        if not alias:find('%s') then
          table.insert(names, alias)
        end
      end
    end
    return names
  end
  local role = find_role(canon, words[1])
  return role and level_codes(role) or {}
end

--- The `goalframe` binary: the first word of the server command.
local function binary()
  local cmd = require('goalframe.config').current().cmd
  return type(cmd) == 'table' and cmd[1] or 'goalframe'
end

--- The arguments of `goalframe` for `:Goalframe[!] canon import {file...} {outdir}`
--- (`!`: replace a non-empty {outdir}), or nil and why not.
--- @param fargs string[] the words after `canon`
--- @param force boolean
--- @return string[]?, string?
function M.import_args(fargs, force)
  if fargs[1] ~= 'import' then
    return nil, 'usage: :Goalframe[!] canon import {file...} {outdir}'
  end
  if #fargs < 3 then
    return nil, 'usage: :Goalframe[!] canon import {file...} {outdir} (at least one .csv or .xlsx file, then the folder)'
  end
  local args = { 'canon', 'import' }
  for i = 2, #fargs - 1 do
    table.insert(args, vim.fn.expand(fargs[i]))
  end
  vim.list_extend(args, { '--out', vim.fn.expand(fargs[#fargs]) })
  if force then
    table.insert(args, '--force')
  end
  return args
end

--- Quickfix items from the import's standard error: a CSV cell
--- (`file:row:column: message`) can be jumped to (its row is the file's
--- line unless a cell above holds a line break); a workbook cell
--- (`file[Sheet]!C12: message`) and the closing count are text.
--- @param stderr string
--- @return vim.quickfix.entry[]
function M.import_problems(stderr)
  local items = {}
  for line in vim.gsplit(stderr, '\n', { plain = true, trimempty = true }) do
    line = line:gsub('\r$', ''):gsub('^error: ', '')
    local file, row, col, message = line:match('^(.-):(%d+):(%d+): (.*)$')
    if file then
      table.insert(items, { filename = file, lnum = tonumber(row), col = tonumber(col), text = message, type = 'E' })
    else
      table.insert(items, { text = line, type = 'E' })
    end
  end
  return items
end

--- @param fargs string[]
--- @param opts { bang: boolean }
local function run_canon(fargs, opts)
  local args, err = M.import_args(fargs, opts.bang)
  if not args then
    vim.notify('goalframe: ' .. err, vim.log.levels.ERROR)
    return
  end
  local cmd = { binary() }
  vim.list_extend(cmd, args)
  vim.system(cmd, { text = true }, function(result)
    vim.schedule(function()
      if result.code == 0 then
        vim.notify('goalframe: ' .. vim.trim(result.stdout or ''), vim.log.levels.INFO)
        return
      end
      local items = M.import_problems(result.stderr or '')
      vim.fn.setqflist({}, ' ', { title = 'goalframe canon import', items = items })
      local last = items[#items]
      vim.notify(
        'goalframe: the import failed: ' .. (last and last.text or ('exit code ' .. result.code)) .. ' (:copen lists the problems)',
        vim.log.levels.ERROR
      )
    end)
  end)
end

--- Candidates for `:Goalframe canon …`: `import`, then files and folders.
--- @param index integer
local function canon_candidates(index, _, arglead)
  if index == 1 then
    return { 'import' }
  end
  return vim.fn.getcompletion(arglead or '', 'file')
end

--- The export formats the server offers, in its order (`exportFormats`
--- of `goalframe.canon`); nil from a server older than that field.
--- @param canon table
--- @return { id: string, label: string, extension: string }[]?
local function export_formats(canon)
  return records(canon.exportFormats, { 'id', 'label', 'extension' })
end

local EXPORT_NS = vim.api.nvim_create_namespace('goalframe.export')

local function plural(n, word)
  return ('%d %s%s'):format(n, word, n == 1 and '' or 's')
end

--- What `:Goalframe export` tells the user about a `goalframe.export` result.
--- @param result table
--- @return string
function M.export_message(result)
  local skipped = #(result.skipped or {}) > 0 and (' (%s could not be read)'):format(plural(#result.skipped, 'file')) or ''
  if result.written then
    return ('goalframe: exported %s from %s to %s%s'):format(
      plural(result.goals, 'goal'),
      plural(result.documents, 'document'),
      result.output,
      skipped
    )
  end
  return ('goalframe: %s in %s %s not ready for export; nothing was written%s (:copen lists the problems; :Goalframe! export writes them anyway)'):format(
    plural(result.refusedGoals, 'goal'),
    plural(result.refusedDocuments, 'document'),
    result.refusedGoals == 1 and 'is' or 'are',
    skipped
  )
end

--- The warnings shown besides a `goalframe.export` result's message (one
--- person's goals for a cycle in two documents), each its own.
--- @param result table
--- @return string[]
function M.export_warnings(result)
  return vim.tbl_map(function(w)
    return 'goalframe: ' .. w
  end, result.warnings or {})
end

--- Shows a refused export's problems: as diagnostics in their buffers
--- (namespace `goalframe.export`, cleared by the next export) and in the
--- quickfix list.
--- @param client vim.lsp.Client
--- @param result table
local function show_export_problems(client, result)
  vim.diagnostic.reset(EXPORT_NS)
  if result.written then
    return
  end
  local items = {}
  for _, doc in ipairs(result.problems or {}) do
    local bufnr = vim.uri_to_bufnr(doc.uri)
    vim.fn.bufload(bufnr)
    local diagnostics = {}
    for _, d in ipairs(doc.diagnostics) do
      local lnum = d.range.start.line
      local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ''
      local col = vim.str_byteindex(line, client.offset_encoding or 'utf-16', d.range.start.character, false)
      local end_line = vim.api.nvim_buf_get_lines(bufnr, d.range['end'].line, d.range['end'].line + 1, false)[1] or ''
      local end_col = vim.str_byteindex(end_line, client.offset_encoding or 'utf-16', d.range['end'].character, false)
      table.insert(diagnostics, {
        bufnr = bufnr,
        lnum = lnum,
        col = col,
        end_lnum = d.range['end'].line,
        end_col = end_col,
        severity = d.severity,
        message = d.message,
        code = d.code,
        source = 'goalframe export',
      })
    end
    vim.diagnostic.set(EXPORT_NS, bufnr, diagnostics)
    vim.list_extend(items, vim.diagnostic.toqflist(diagnostics))
  end
  vim.fn.setqflist({}, ' ', { title = 'goalframe export', items = items })
end

--- `:Goalframe[!] export [{format} [{file} [workspace]]]`: the goals of the
--- current buffer (or of the workspace) to {file}; `!` exports goals with
--- values still missing. What is left out is asked for.
--- @param fargs string[]
--- @param opts { bang: boolean }
local function run_export(fargs, opts)
  local bufnr, client, canon = client_and_canon()
  if not canon then
    return
  end
  local formats = export_formats(canon)
  if not formats then
    vim.notify(
      'goalframe: the server did not list its export formats (`exportFormats` of goalframe.canon); '
        .. 'it is older than this plugin, update the goalframe binary',
      vim.log.levels.ERROR
    )
    return
  end
  local workspace = fargs[3] == 'workspace'
  if fargs[3] and not workspace then
    vim.notify('goalframe: usage: :Goalframe[!] export [{format} [{file} [workspace]]]', vim.log.levels.ERROR)
    return
  end
  local by_id = {}
  for _, f in ipairs(formats) do
    by_id[f.id] = f
  end
  local ids = vim.tbl_map(function(f)
    return f.id
  end, formats)
  choose(ids, 'Export format', fargs[1], function(id)
    local format = by_id[id]
    if not format then
      vim.notify(('goalframe: unknown format `%s`; expected %s'):format(id, table.concat(ids, ', ')), vim.log.levels.ERROR)
      return
    end
    local function export(file)
      local args = {
        format = id,
        output = vim.fn.fnamemodify(vim.fn.expand(file), ':p'),
        uri = not workspace and vim.uri_from_bufnr(bufnr) or nil,
        allowIncomplete = opts.bang,
      }
      client_mod.export(client, bufnr, args, function(export_err, result)
        if export_err then
          vim.notify('goalframe: nothing was exported: ' .. export_err, vim.log.levels.ERROR)
          return
        end
        show_export_problems(client, result)
        for _, warning in ipairs(M.export_warnings(result)) do
          vim.notify(warning, vim.log.levels.WARN)
        end
        vim.notify(M.export_message(result), result.written and vim.log.levels.INFO or vim.log.levels.ERROR)
      end)
    end
    if fargs[2] then
      export(fargs[2])
      return
    end
    local stem = workspace and 'goals' or vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t:r')
    vim.ui.input({ prompt = 'Export to: ', default = ('%s-%s.%s'):format(stem, id, format.extension), completion = 'file' }, function(file)
      if file and file ~= '' then
        export(file)
      end
    end)
  end, function(fid)
    return by_id[fid] and by_id[fid].label or fid
  end)
end

--- Candidates for `:Goalframe export …`: the formats, a file, `workspace`.
--- @param index integer
local function export_candidates(index, _, arglead)
  if index == 1 then
    local client = client_mod.get(vim.api.nvim_get_current_buf())
    local canon = client and client_mod.canon(client)
    local formats = canon and export_formats(canon)
    return formats and vim.tbl_map(function(f)
      return f.id
    end, formats) or {}
  elseif index == 2 then
    return vim.fn.getcompletion(arglead or '', 'file')
  elseif index == 3 then
    return { 'workspace' }
  end
  return {}
end

local subcommands = {
  insert = { run = run_insert, complete = insert_candidates },
  canon = { run = run_canon, complete = canon_candidates },
  export = { run = run_export, complete = export_candidates },
}

--- Entry point of the `:Goalframe` user command.
--- @param opts vim.api.keyset.create_user_command.command_args
function M.run(opts)
  local sub = subcommands[opts.fargs[1]]
  if not sub then
    vim.notify('goalframe: unknown subcommand ' .. (opts.fargs[1] or ''), vim.log.levels.ERROR)
    return
  end
  sub.run(vim.list_slice(opts.fargs, 2), opts)
end

--- Command-line completion of `:Goalframe`.
--- @param arglead string
--- @param cmdline string
--- @param cursorpos integer
--- @return string[]
function M.complete(arglead, cmdline, cursorpos)
  local words = vim.split(cmdline:sub(1, cursorpos), '%s+')
  local candidates
  if #words == 2 then
    candidates = vim.tbl_keys(subcommands)
    table.sort(candidates)
  elseif subcommands[words[2]] then
    candidates = subcommands[words[2]].complete(#words - 2, vim.list_slice(words, 3), arglead)
  else
    candidates = {}
  end
  return vim.tbl_filter(function(c)
    return vim.startswith(c:lower(), arglead:lower())
  end, candidates)
end

return M
