-- Run by tests/editors/neovim/as-documented in a Neovim set up exactly as docs/editors.md
-- says (plugin linked into the package directory, init.lua from the page, server on PATH).
local h = AgentopsTest
local ws = h.workspace()

h.test("the plugin is loaded from Neovim's package directory", function()
  local files = vim.api.nvim_get_runtime_file("lua/agentops/init.lua", false)
  h.eq(1, #files, "lua/agentops/init.lua on the runtimepath")
  h.truthy(files[1]:find("/.local/share/nvim/site/pack/agentops/start/agentops/", 1, true), "loaded from " .. files[1])
  h.eq(2, vim.fn.exists(":AgentopsBundleLoad"), ":AgentopsBundleLoad defined")
end)

h.test("init.lua's setup() starts agentops-lsp from PATH and diagnostics arrive", function()
  local buf = h.open(ws .. "/agentops/infrastructure-ops/plans/monitoring-plan.md")
  h.eq({ "agentops-lsp" }, h.client(buf).config.cmd, "cmd")
  h.wait("frontmatter-invalid-value", function()
    return h.diagnostic(buf, "frontmatter-invalid-value")
  end)
end)

h.finish()
