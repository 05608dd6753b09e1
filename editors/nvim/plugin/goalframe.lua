-- Defines `:Goalframe`; the modules load only when it is used.
if vim.g.loaded_goalframe then
  return
end
vim.g.loaded_goalframe = true

vim.api.nvim_create_user_command('Goalframe', function(opts)
  require('goalframe.command').run(opts)
end, {
  nargs = '+',
  bang = true,
  complete = function(...)
    return require('goalframe.command').complete(...)
  end,
  desc = 'goalframe: insert [role] [level] [frame] | canon import {file...} {outdir}',
})
