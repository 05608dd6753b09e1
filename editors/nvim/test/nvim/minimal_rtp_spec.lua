-- Neovim 0.11+ only: the `lsp/goalframe.lua` on 'runtimepath', no setup().
return require('minimal').spec(function()
  require('minimal').put_on_path()
  vim.lsp.enable('goalframe')
end)
