--- Configuration for `vim.lsp.enable('goalframe')` (Neovim 0.11+): the same
--- defaults `require('goalframe').setup()` starts from, so adding this folder
--- to 'runtimepath' is enough.
return require('goalframe.config').client_config()
