--- The whole goal document in Neovim: the `goalframe.nextPlaceholder`
--- command that the server's progress code lens carries (docs/lsp.md), and
--- the same jump for a key mapping. The server finds the next unfilled
--- placeholder; this moves the cursor there.
local client_mod = require('goalframe.client')

local M = {}

local COMMAND = 'goalframe.nextPlaceholder'

--- Calls a client method on 0.11 (`client:request()`) and 0.10
--- (`client.request()`).
local function call(client, method, ...)
  if vim.fn.has('nvim-0.11') == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

--- Asks the server for the next unfilled placeholder after `position`
--- (LSP, in the client's encoding) of `bufnr` and moves the cursor of the
--- current window there; says so when every slot is filled.
--- @param client vim.lsp.Client
--- @param bufnr integer
--- @param position { line: integer, character: integer }
local function jump(client, bufnr, position)
  local params = {
    command = COMMAND,
    arguments = { { uri = vim.uri_from_bufnr(bufnr), position = position } },
  }
  call(client, 'request', 'workspace/executeCommand', params, function(err, location)
    if err then
      vim.notify('goalframe: ' .. err.message, vim.log.levels.ERROR)
    elseif location == nil or location == vim.NIL then
      vim.notify('goalframe: every placeholder is filled', vim.log.levels.INFO)
    else
      vim.lsp.util.show_document(location, client.offset_encoding, { focus = true })
    end
  end, bufnr)
end

--- Jumps to the next unfilled placeholder after the cursor, wrapping to
--- the first one of the document (map it, see `:h goalframe-next-placeholder`).
function M.next_placeholder()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_mod.get(bufnr)
  if not client then
    vim.notify('goalframe: no language server attached', vim.log.levels.WARN)
    return
  end
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  jump(client, bufnr, params.position)
end

--- The code lens's command, run as a client command: from the lens's
--- position, in the buffer the lens is in.
function M.register()
  vim.lsp.commands[COMMAND] = function(command, ctx)
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    local arg = command.arguments and command.arguments[1]
    if client and arg and arg.position then
      jump(client, ctx.bufnr, arg.position)
    else
      M.next_placeholder()
    end
  end
end

return M
