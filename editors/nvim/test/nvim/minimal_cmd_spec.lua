return require('minimal').spec(function()
  require('goalframe').setup({ cmd = { require('harness').bin, 'lsp' } })
end)
