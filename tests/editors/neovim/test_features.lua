-- The server's features through Neovim's own LSP client, on a copy of examples/my-startup.
local h = AgentopsTest
local ws = h.workspace()
h.setup()

h.test("diagnostics: a misspelt status, placed on the value", function()
  local buf = h.open(ws .. "/agentops/infrastructure-ops/plans/monitoring-plan.md")
  local d = h.wait("frontmatter-invalid-value", function()
    return h.diagnostic(buf, "frontmatter-invalid-value")
  end)
  h.eq("agentops", d.source, "source")
  h.eq(vim.diagnostic.severity.ERROR, d.severity, "severity")
  h.eq({ 1, 8, 1, 15 }, { d.lnum, d.col, d.end_lnum, d.end_col }, "range")
  h.truthy(d.message:find("did you mean `Approved`", 1, true), "message suggests Approved: " .. d.message)
end)

h.test("code action: Add missing section, applied by vim.lsp.buf.code_action", function()
  local buf = h.open(ws .. "/agentops/product-dev/specs/2025-11-08-notification-system/spec.md")
  local d = h.wait("section-missing", function()
    return h.diagnostic(buf, "section-missing")
  end)
  local titles = h.pick_action(d, "^Add missing section")
  h.wait(function()
    return "the section in the buffer (actions: " .. table.concat(titles, "; ") .. ")"
  end, function()
    return vim.tbl_contains(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "## Out of Scope")
  end)
  h.wait("section-missing cleared", function()
    return h.diagnostic(buf, "section-missing") == nil
  end)
end)

h.test(":AgentopsAdvance creates the next phase's artifact", function()
  h.open(ws .. "/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md")
  vim.cmd("AgentopsAdvance")
  local report = ws .. "/agentops/infrastructure-ops/reports/k8s-upgrade-report.md"
  -- Neovim creates the file, then fills its buffer from the template (unsaved).
  h.wait("the report created from its template", function()
    local text = h.content(report)
    return text and text:find("plan: ../plans/k8s-upgrade-plan.md", 1, true)
      and text:find("# Implementation Report: ", 1, true)
  end)
  h.wait("the advanced message", function()
    return h.message("^agentops: advanced")
  end)
end)

h.test(":AgentopsStatus shows every work item with its timeline", function()
  h.open(ws .. "/agentops/infrastructure-ops/plans/monitoring-plan.md")
  vim.cmd("AgentopsStatus")
  local buf = h.wait("the status buffer", function()
    local b = vim.api.nvim_get_current_buf()
    return vim.bo[b].filetype == "agentops-status" and b
  end)
  local text = h.lines(buf)
  h.truthy(text:find("infrastructure-ops\n", 1, true), "flavor line in:\n" .. text)
  h.truthy(text:find("  monitoring-strategy  ✓ research (complete) · → plan (Aproved)", 1, true), "item line in:\n" .. text)
  h.truthy(text:find("2025-11-06-user-authentication", 1, true), "product-dev item in:\n" .. text)
  h.truthy(text:find("started 2025-11-10", 1, true), "dates in:\n" .. text)
  -- Enter on the item's line opens its current file in the window above.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local row
  for i, l in ipairs(lines) do
    if l:find("^  k8s%-upgrade ") then
      row = i
    end
  end
  h.truthy(row, "k8s-upgrade line in:\n" .. text)
  vim.api.nvim_win_set_cursor(0, { row, 2 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<CR>", true, false, true), "x", false)
  local opened = vim.api.nvim_buf_get_name(0)
  -- Its current phase is implement, whose report :AgentopsAdvance created above.
  h.truthy(opened:find("agentops/infrastructure%-ops/reports/k8s%-upgrade%-report%.md$"), "opened " .. opened)
  h.eq(2, #vim.api.nvim_list_wins(), "the status split stays open")
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.bo[vim.api.nvim_win_get_buf(w)].filetype == "agentops-status" then
      vim.api.nvim_win_close(w, true)
    end
  end
end)

h.test("completion after / in a command block: the slash commands, applied as Neovim applies them", function()
  local buf = h.open(ws .. "/agentops/infrastructure-ops/research/k8s-upgrade-research.md")
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { "", "```bash", "/", "```" })
  local line = last + 2
  local result = h.request(buf, "textDocument/completion", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = 1 },
    context = { triggerKind = 2, triggerCharacter = "/" },
  })
  local items = result and (result.items or result) or {}
  local plan
  local labels = {}
  for _, it in ipairs(items) do
    table.insert(labels, it.label)
    if it.label == "/plan" then
      plan = it
    end
  end
  h.truthy(plan, "`/plan` among completions: " .. table.concat(labels, ", "))
  h.truthy(vim.tbl_contains(labels, "/bundle-save"), "`/bundle-save` among completions")
  h.truthy(plan.textEdit, "`/plan` carries its edit")
  vim.lsp.util.apply_text_edits({ plan.textEdit }, buf, h.client(buf).offset_encoding)
  h.eq("/plan", vim.trim(vim.api.nvim_buf_get_lines(buf, line, line + 1, false)[1]), "the completed line")
  vim.cmd("silent! edit!")
end)

h.test(":AgentopsSpecs from a code file: the tasks that produce it, the spec that touches it", function()
  h.open(ws .. "/agentops/product-dev/product/mission.md")
  vim.cmd.edit(ws .. "/src/auth/session.ts")
  vim.cmd("AgentopsSpecs")
  local qf = h.wait("the quickfix list", function()
    local l = vim.fn.getqflist({ title = 1, items = 1 })
    return #l.items > 0 and l
  end)
  h.eq("agentops: specs for src/auth/session.ts", qf.title, "title")
  local got = {}
  for _, it in ipairs(qf.items) do
    local name = vim.fn.bufname(it.bufnr):gsub("^.*/my%-startup/", "")
    table.insert(got, { name, it.lnum, it.col, it.text })
  end
  h.eq({
    {
      "agentops/product-dev/specs/2025-11-06-user-authentication/tasks.md",
      28,
      61,
      "produces `src/auth/session.ts` — tasks of 2025-11-06-user-authentication, done",
    },
    {
      "agentops/product-dev/specs/2025-11-08-notification-system/spec.md",
      45,
      4,
      "touches `src/auth/session.ts` — spec of 2025-11-08-notification-system, phase verification",
    },
  }, got, "quickfix items")
  vim.cmd("cclose")
end)

h.test(":AgentopsBundleSave then :AgentopsBundleLoad", function()
  h.open(ws .. "/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md")
  vim.cmd("AgentopsBundleSave k8s-upgrade-implementation")
  local digest = ws .. "/.agentops/bundles/k8s-upgrade-implementation.md"
  h.wait("the bundle digest on disk", function()
    return vim.uv.fs_stat(digest) ~= nil
  end)
  h.wait("the saved message", function()
    return h.message("^agentops: saved bundle k8s%-upgrade%-implementation")
  end)
  h.eq(
    { "AgentopsBundleLoad k8s-upgrade-implementation", "AgentopsBundleLoad k8s-upgrade-plan", "AgentopsBundleLoad k8s-upgrade-research" },
    (function()
      local got = vim.fn.getcompletion("AgentopsBundleLoad k8s", "cmdline")
      table.sort(got)
      return vim.tbl_map(function(n)
        return "AgentopsBundleLoad " .. n
      end, got)
    end)(),
    ":AgentopsBundleLoad completion"
  )
  vim.cmd("AgentopsBundleLoad k8s-upgrade-implementation")
  h.wait("the loaded message", function()
    return h.message("^agentops: loaded k8s%-upgrade%-implementation; sources unchanged")
  end)
  -- window/showDocument: the server asks Neovim to open the digest.
  h.wait("the digest shown", function()
    return vim.uv.fs_realpath(vim.api.nvim_buf_get_name(0)) == vim.uv.fs_realpath(digest)
  end)
end)

h.test(":AgentopsBundleSave asks for a name; replacing needs !; :AgentopsBundleLoad offers a list", function()
  h.open(ws .. "/agentops/infrastructure-ops/research/k8s-upgrade-research.md")
  local input, select = vim.ui.input, vim.ui.select
  vim.ui.input = function(_, on_confirm)
    on_confirm("k8s-upgrade-research-v2")
  end
  vim.ui.select = function(items, _, on_choice)
    on_choice(vim.tbl_contains(items, "k8s-upgrade-research-v2") and "k8s-upgrade-research-v2" or nil)
  end
  local ok, err = pcall(function()
    vim.cmd("AgentopsBundleSave")
    h.wait("k8s-upgrade-research-v2 saved", function()
      return h.message("^agentops: saved bundle k8s%-upgrade%-research%-v2:")
    end)
    h.truthy(vim.uv.fs_stat(ws .. "/.agentops/bundles/k8s-upgrade-research-v2.md"), "its digest on disk")
    local seen = #h.messages
    vim.cmd("AgentopsBundleSave k8s-upgrade-research-v2")
    h.wait("a refusal to replace it", function()
      local m = h.messages[seen + 1]
      return m and m.level == vim.log.levels.ERROR and m.msg:find("agentops.bundleSave", 1, true) and m
    end)
    vim.cmd("AgentopsBundleSave! k8s-upgrade-research-v2")
    h.wait("replaced with !", function()
      for i = seen + 2, #h.messages do
        if h.messages[i].msg:find("^agentops: saved bundle k8s%-upgrade%-research%-v2:") then
          return true
        end
      end
    end)
    vim.cmd("AgentopsBundleLoad")
    h.wait("loaded from the list", function()
      return h.message("^agentops: loaded k8s%-upgrade%-research%-v2")
    end)
  end)
  vim.ui.input, vim.ui.select = input, select
  assert(ok, err)
end)

h.finish()
