-- The walkthrough's "service mesh" in Neovim, on a copy of examples/my-startup: product edits
-- the authentication spec, ops' monitoring research is warned (route-stale), the hover shows
-- what changed, and the "Acknowledge" quick fix, applied by vim.lsp.buf.code_action, clears it.
local h = AgentopsTest
local ws = h.workspace()
h.setup()

local spec = ws .. "/agentops/product-dev/specs/2025-11-06-user-authentication/spec.md"
local research = ws .. "/agentops/infrastructure-ops/research/monitoring-strategy-research.md"

h.test("auth spec edited: the monitoring research is warned, acknowledging clears it", function()
  local rbuf = h.open(research)
  local sbuf = h.open(spec)
  local n = h.wait("the expiry line", function()
    for i, l in ipairs(vim.api.nvim_buf_get_lines(sbuf, 0, -1, false)) do
      if l == "- Expiry 30 days, moved forward on every authenticated request" then
        return i
      end
    end
  end)
  vim.api.nvim_buf_set_lines(sbuf, n - 1, n, false, { "- Expiry 14 days, moved forward on every authenticated request" })
  local d = h.wait("route-stale on the research", function()
    return h.diagnostic(rbuf, "route-stale")
  end)
  h.eq(vim.diagnostic.severity.WARN, d.severity, "severity")
  h.truthy(d.message:find("edited `Specific Requirements`", 1, true), "names the section: " .. d.message)
  h.truthy(h.diagnostic(sbuf, "route-unacknowledged"), "the spec says ops has not acknowledged it")
  -- Hover on the acknowledgement: what changed.
  local hover = h.request(rbuf, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(rbuf) },
    position = { line = d.lnum, character = d.col + 2 },
  })
  h.truthy(hover and hover.contents.value:find("Changed since acknowledged", 1, true), vim.inspect(hover))
  -- The quick fix, as a user picks it.
  vim.api.nvim_set_current_buf(rbuf)
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local titles = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      table.insert(titles, a.title)
      return a.title:find("^Acknowledge the product%-dev spec `2025%-11%-06%-user%-authentication`") ~= nil
    end,
  })
  h.wait(function()
    return "route-stale cleared (actions: " .. table.concat(titles, "; ") .. ")"
  end, function()
    return h.diagnostic(rbuf, "route-stale") == nil
  end)
  h.wait("route-unacknowledged cleared on the spec", function()
    return h.diagnostic(sbuf, "route-unacknowledged") == nil
  end)
end)

h.finish()
