-- requires: nvim-0.11
-- Neovim 0.11+: lsp/agentops.lua through vim.lsp.config / vim.lsp.enable, no setup().
local h = AgentopsTest
local ws = h.workspace()
vim.lsp.config("agentops", { cmd = { h.server }, settings = { agentops = { debounceMs = 0 } } })
vim.lsp.enable("agentops")

h.test("vim.lsp.enable starts the server at the agentops root, with diagnostics", function()
  local buf = h.open(ws .. "/agentops/infrastructure-ops/plans/monitoring-plan.md")
  h.eq(ws, h.client(buf).config.root_dir, "root_dir")
  h.wait("frontmatter-invalid-value", function()
    return h.diagnostic(buf, "frontmatter-invalid-value")
  end)
end)

h.test("no client for markdown outside an agentops root", function()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  vim.fn.writefile({ "# Notes" }, dir .. "/notes.md")
  vim.cmd.edit(dir .. "/notes.md")
  vim.wait(300)
  h.eq(nil, h.client(vim.api.nvim_get_current_buf()), "client outside a root")
end)

h.test("lsp/agentops.lua's capabilities let the server create files: :AgentopsAdvance", function()
  h.open(ws .. "/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md")
  vim.cmd("AgentopsAdvance")
  h.wait("the report created from its template", function()
    local text = h.content(ws .. "/agentops/infrastructure-ops/reports/k8s-upgrade-report.md")
    return text and text:find("# Implementation Report: ", 1, true)
  end)
end)

h.test(":checkhealth agentops sees vim.lsp.enable and the configured command", function()
  vim.cmd("silent checkhealth agentops")
  local text = h.lines(vim.api.nvim_get_current_buf())
  h.truthy(text:find('vim.lsp.enable("agentops") is in effect', 1, true), "enable in:\n" .. text)
  h.truthy(text:find("server: " .. h.server .. " (agentops-lsp ", 1, true), "server in:\n" .. text)
end)

h.finish()
