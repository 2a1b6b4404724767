-- Neovim 0.11+: `vim.lsp.enable("agentops")` with this plugin on the runtimepath.
-- Override any field with vim.lsp.config("agentops", { ... }), e.g. cmd or settings.
local config = require("agentops.config")

---@type vim.lsp.Config
return {
  cmd = config.defaults.cmd,
  filetypes = config.defaults.filetypes,
  root_markers = config.root_markers,
  -- Only markdown inside an agentops root: no root, no server (root_markers alone would
  -- start it for any markdown file).
  root_dir = function(bufnr, on_dir)
    local root = config.root(bufnr)
    if root then
      on_dir(root)
    end
  end,
  workspace_required = true,
  capabilities = config.capabilities(),
  handlers = config.handlers(),
  settings = { agentops = {} },
}
