-- Neovim (0.7+) as a second real client: start the server, attach it to the opened buffer,
-- wait for diagnostics and write them as JSON to $TL_OUT, then quit.
-- Runs once the file given on the command line is loaded.
vim.api.nvim_create_autocmd("VimEnter", { callback = function()
  local client_id = vim.lsp.start_client({
    name = "tensorlint",
    cmd = { vim.env.TL_PYTHON, "-m", "tensorlint.server" },
    root_dir = vim.fn.getcwd(),
    init_options = { debounce = 0 },
  })
  vim.lsp.buf_attach_client(0, client_id)
  vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(items, {
      lnum = d.lnum, col = d.col, end_col = d.end_col,
      code = d.code or lsp.code, source = d.source, message = d.message,
    })
  end
  local f = assert(io.open(vim.env.TL_OUT, "w"))
  f:write(vim.fn.json_encode(items))
  f:close()
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  vim.cmd("qa!")
end })
