-- The walkthrough's "service mesh" in Neovim, on a copy of examples/my-startup: product edits
-- the authentication spec, ops' monitoring research is warned (route-stale), the hover shows
-- what changed, and the "Acknowledge" quick fix, applied by vim.lsp.buf.code_action, clears it.
local h = AgentopsTest
local ws = h.workspace()
h.setup()

local spec = ws .. "/agentops/product-dev/specs/2025-11-06-user-authentication/spec.md"
local research = ws .. "/agentops/infrastructure-ops/research/monitoring-strategy-research.md"

h.test("auth spec edited: the monitoring research is warned, acknowledging clears it", function()
  local sbuf = h.open(spec)
  -- Indexed: the spec's planted finding is out.
  h.wait("the spec checked", function()
    return h.diagnostic(sbuf, "section-unexpected")
  end)
  local n = h.wait("the expiry line", function()
    for i, l in ipairs(vim.api.nvim_buf_get_lines(sbuf, 0, -1, false)) do
      if l == "- Expiry 30 days, moved forward on every authenticated request" then
        return i
      end
    end
  end)
  vim.api.nvim_buf_set_lines(sbuf, n - 1, n, false, { "- Expiry 14 days, moved forward on every authenticated request" })
  h.wait("route-unacknowledged on the spec", function()
    return h.diagnostic(sbuf, "route-unacknowledged")
  end)
  -- Ops opens its research (Neovim pulls a buffer's diagnostics when it opens or changes).
  local rbuf = h.open(research)
  local d = h.wait("route-stale on the research", function()
    return h.diagnostic(rbuf, "route-stale")
  end)
  h.eq(vim.diagnostic.severity.WARN, d.severity, "severity")
  h.truthy(d.message:find("edited `Specific Requirements`", 1, true), "names the section: " .. d.message)
  -- Hover on the acknowledgement: what changed.
  local hover = h.request(rbuf, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(rbuf) },
    position = { line = d.lnum, character = d.col + 2 },
  })
  h.truthy(hover and hover.contents.value:find("Changed since acknowledged", 1, true), vim.inspect(hover))
  -- The quick fix, as a user picks it.
  vim.api.nvim_set_current_buf(rbuf)
  local titles = h.pick_action(d, "^Acknowledge the product%-dev spec `2025%-11%-06%-user%-authentication`")
  h.wait(function()
    return "route-stale cleared (actions: " .. table.concat(titles, "; ") .. ")"
  end, function()
    return h.diagnostic(rbuf, "route-stale") == nil
  end)
  h.truthy(vim.api.nvim_buf_get_lines(rbuf, 0, -1, false)[11]:find("path: ../../product-dev/specs/2025-11-06-user-authentication/spec.md", 1, true), "the entry kept its place")
end)

h.finish()
