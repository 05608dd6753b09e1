return require('minimal').spec(function()
  require('minimal').put_on_path()
  require('goalframe').setup()
end)
