-- The client configuration shared by setup() (Neovim 0.10, vim.lsp.start) and
-- lsp/agentops.lua (Neovim 0.11+, vim.lsp.config / vim.lsp.enable).
local M = {}

M.name = "agentops"

-- A root holds an agentops.toml or an agentops/ folder. agentops.toml comes first: it is
-- the explicit marker, and vim.fs.root tries markers in order.
M.root_markers = { "agentops.toml", "agentops" }

M.defaults = {
  -- The server command; the binary's own default mode is `serve` (LSP over stdio).
  cmd = { "agentops-lsp" },
  filetypes = { "markdown" },
  -- Sent as initializationOptions and answered to workspace/configuration (section
  -- `agentops`); see docs/editors.md for the keys.
  settings = {},
  -- Extra fields merged into the client config (on_attach, capabilities, ...).
  client = {},
}

function M.merge(opts)
  return vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
end

-- The agentops root of a buffer, or nil when its file is in none.
function M.root(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return nil
  end
  return vim.fs.root(bufnr, M.root_markers)
end

-- Neovim's defaults plus what it supports without declaring it: apply_workspace_edit
-- carries out documentChanges (with the create/rename/delete it does declare), which the
-- server needs before it offers edits that create or rename files ("Advance to ...").
function M.capabilities(extra)
  return vim.tbl_deep_extend(
    "force",
    vim.lsp.protocol.make_client_capabilities(),
    { workspace = { workspaceEdit = { documentChanges = true } } },
    extra or {}
  )
end

-- Handlers the client needs. Neovim 0.11+ answers workspace/diagnostic/refresh with a
-- workspace pull when the server offers one, and keeps that pull's reports away from open
-- buffers (they hold document pulls): an open buffer whose findings changed because another
-- file did (a route's standing, after its source was edited) would keep stale diagnostics
-- until it is edited. So after the default handler, each attached buffer is pulled again.
function M.handlers()
  if vim.fn.has("nvim-0.11") ~= 1 then
    return {}
  end
  local method = "workspace/diagnostic/refresh"
  return {
    [method] = function(err, result, ctx)
      local default = vim.lsp.handlers[method]
      local answer = default and default(err, result, ctx) or vim.NIL
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      if err == nil and client then
        for bufnr in pairs(client.attached_buffers or {}) do
          if vim.api.nvim_buf_is_loaded(bufnr) then
            client:request("textDocument/diagnostic", {
              textDocument = { uri = vim.uri_from_bufnr(bufnr) },
            }, nil, bufnr)
          end
        end
      end
      return answer
    end,
  }
end

-- The table vim.lsp.start takes, for a root.
function M.client_config(opts, root)
  local client = vim.deepcopy(opts.client)
  -- vim.lsp.start (0.10) uses capabilities as given, not merged with the defaults.
  client.capabilities = M.capabilities(client.capabilities)
  return vim.tbl_deep_extend("force", {
    name = M.name,
    cmd = opts.cmd,
    root_dir = root,
    init_options = opts.settings,
    settings = { agentops = opts.settings },
    handlers = M.handlers(),
  }, client)
end

return M
