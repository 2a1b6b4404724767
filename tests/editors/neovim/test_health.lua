-- :checkhealth agentops, with the server found and with it missing.
local h = AgentopsTest
local ws = h.workspace()

local function health()
  vim.cmd("silent checkhealth agentops")
  local buf = vim.api.nvim_get_current_buf()
  local text = h.lines(buf)
  if #vim.api.nvim_list_tabpages() > 1 then
    vim.cmd("tabclose")
  end
  pcall(vim.api.nvim_buf_delete, buf, { force = true })
  return text
end

h.test("before setup(): says how to configure the server", function()
  local text = health()
  h.truthy(text:find("the server is not configured to start", 1, true), "warning in:\n" .. text)
  h.truthy(text:find('require("agentops").setup({})', 1, true), "advice in:\n" .. text)
end)

h.test("with setup() and a running client: Neovim, server version, root, client", function()
  h.setup()
  h.open(ws .. "/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md")
  local text = health()
  h.truthy(text:find("OK Neovim 0%.1%d"), "Neovim version in:\n" .. text)
  h.truthy(text:find("OK setup() was called", 1, true), "setup in:\n" .. text)
  h.truthy(text:find("OK server: " .. h.server .. " (agentops-lsp ", 1, true), "server in:\n" .. text)
  h.truthy(text:find("OK root of .*k8s%-upgrade%-plan%.md: " .. vim.pesc(ws)), "root in:\n" .. text)
  h.truthy(text:find("OK client %d+ running for " .. vim.pesc(ws)), "client in:\n" .. text)
end)

h.test("a missing server binary is an error with the fix", function()
  h.setup({ cmd = { "/nonexistent/agentops-lsp" } })
  local text = health()
  h.truthy(text:find("ERROR server `/nonexistent/agentops-lsp` (setup()) not found", 1, true), "error in:\n" .. text)
  h.truthy(text:find("cargo build --release", 1, true), "advice in:\n" .. text)
end)

h.finish()
