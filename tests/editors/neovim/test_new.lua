-- :AgentopsNew through Neovim's own LSP client, on a copy of examples/my-startup: the
-- server creates the artifact from the flavor's template and Neovim shows it.
local h = AgentopsTest
local ws = h.workspace()
h.setup()

h.test(":AgentopsNew research TITLE creates the research note, titled and shown", function()
  h.open(ws .. "/agentops/infrastructure-ops/research/k8s-upgrade-research.md")
  vim.cmd("AgentopsNew research Cache warming")
  local note = ws .. "/agentops/infrastructure-ops/research/cache-warming-research.md"
  h.wait("the research note from its template", function()
    local text = h.content(note)
    return text and text:find("# Research: Cache warming", 1, true)
      and text:find("## Problem Statement\nCache warming\n", 1, true)
  end)
  -- The server shows what it created (window/showDocument): the current buffer.
  h.wait("the note shown", function()
    return vim.api.nvim_buf_get_name(0) == note
  end)
end)

h.test(":AgentopsNew spec TITLE creates the dated spec folder from its requirements", function()
  h.open(ws .. "/agentops/product-dev/specs/2025-11-08-notification-system/spec.md")
  vim.cmd("AgentopsNew spec Team invites")
  h.wait("requirements.md in a dated team-invites folder", function()
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      local name = vim.api.nvim_buf_get_name(b)
      if name:find("/specs/%d%d%d%d%-%d%d%-%d%d%-team%-invites/planning/requirements%.md$") then
        local text = table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), "\n")
        return text:find("# Spec Requirements: Team invites", 1, true)
          and text:find("## Initial Description\nTeam invites\n", 1, true)
      end
    end
  end)
end)

h.test(":AgentopsNew with an unknown kind says how to use it", function()
  vim.cmd("AgentopsNew nonsense X")
  h.wait("the usage message", function()
    return h.message("usage: :AgentopsNew spec|research|plan TITLE")
  end)
end)

h.finish()
