-- `nvim -u` file of the tests: puts the plugin on 'runtimepath', lets the
-- spec named by $GOALFRAME_TEST_SPEC configure Neovim as a user's init.lua
-- would, and runs its tests once Neovim has started (VimEnter, nested so that
-- filetype detection and the LSP autocommands fire for the files they open).
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
vim.opt.runtimepath:prepend(vim.fn.fnamemodify(here, ':h:h'))
vim.o.swapfile = false
package.path = here .. '/?.lua;' .. package.path

local spec = dofile(assert(os.getenv('GOALFRAME_TEST_SPEC')))
spec.init()

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true,
  callback = function()
    require('harness').run(spec.tests)
  end,
})
