--- The running goalframe client and its `workspace/executeCommand`
--- commands (`goalframe.canon`, `goalframe.render`, `goalframe.export`), so the rest of the
--- plugin never builds LSP requests itself.
local M = {}

--- Calls a client method: 0.11 made them methods (`client:request()`),
--- 0.10 has plain functions (`client.request()`).
local function call(client, method, ...)
  if vim.fn.has('nvim-0.11') == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

--- Runs server command `command` with `args`; `on_result(err_message, result)`.
local function execute(client, bufnr, command, args, on_result)
  local params = { command = command, arguments = { args } }
  call(client, 'request', 'workspace/executeCommand', params, function(err, result)
    on_result(err and err.message, result)
  end, bufnr)
end

--- The goalframe client attached to `bufnr`, else any running one.
--- @param bufnr integer
--- @return vim.lsp.Client?
function M.get(bufnr)
  return vim.lsp.get_clients({ name = 'goalframe', bufnr = bufnr })[1]
    or vim.lsp.get_clients({ name = 'goalframe' })[1]
end

--- The canon the server has loaded (docs/lsp.md `goalframe.canon`).
--- Synchronous, because command-line completion and `:checkhealth` need the
--- answer before they return.
--- @param client vim.lsp.Client
--- @return table? canon, string? error
function M.canon(client)
  local response, err =
    call(client, 'request_sync', 'workspace/executeCommand', { command = 'goalframe.canon' }, 3000)
  if not response then
    return nil, err or 'no answer from the server'
  end
  if response.err then
    return nil, response.err.message
  end
  return response.result
end

--- Asks the server to render a frame; `on_result(err_message, text)`.
--- @param client vim.lsp.Client
--- @param bufnr integer
--- @param args { role: string, level: string, frame: string, form: string, snippet: boolean }
--- @param on_result fun(err: string?, text: string?)
function M.render(client, bufnr, args, on_result)
  execute(client, bufnr, 'goalframe.render', args, on_result)
end

--- Asks the server to export goals (docs/export.md `goalframe.export`);
--- `on_result(err_message, result)`.
--- @param client vim.lsp.Client
--- @param bufnr integer
--- @param args { format: string, output: string, uri: string?, allowIncomplete: boolean }
--- @param on_result fun(err: string?, result: table?)
function M.export(client, bufnr, args, on_result)
  execute(client, bufnr, 'goalframe.export', args, on_result)
end

--- Starts a client attached to no buffer, for `:checkhealth` when none runs.
--- @param cfg vim.lsp.Config
--- @return vim.lsp.Client?
function M.start_detached(cfg)
  local id
  if vim.fn.has('nvim-0.11') == 1 then
    id = vim.lsp.start(cfg, { attach = false })
  else
    id = vim.lsp.start_client(cfg)
  end
  local client = id and vim.lsp.get_client_by_id(id)
  if client and vim.wait(5000, function()
    return client.initialized
  end) then
    return client
  end
end

--- @param client vim.lsp.Client
function M.stop(client)
  call(client, 'stop')
end

return M
