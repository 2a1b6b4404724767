-- The walkthrough's week, scripted as a user does it in Neovim (docs/phases.md, "The week in
-- an editor"): start work from a command line with a code action, type into the created
-- file, and at each step check what the user sees — the lens's timeline, the diagnostics
-- (placed on the buffer's real text), the actions offered.
local h = AgentopsTest
local ws = h.workspace()
h.setup()

-- The titles of the code actions at the cursor.
local function actions(buf)
  local params = vim.lsp.util.make_range_params(0, "utf-16")
  params.context = { diagnostics = {} }
  local titles = {}
  for _, a in ipairs(h.request(buf, "textDocument/codeAction", params) or {}) do
    table.insert(titles, a.title)
  end
  return titles
end

local function has(titles, prefix)
  for _, t in ipairs(titles) do
    if t:sub(1, #prefix) == prefix then
      return t
    end
  end
end

-- Applies the action whose title starts with `prefix`, as <leader>ca would.
local function apply(buf, prefix)
  local titles = actions(buf)
  h.truthy(has(titles, prefix), "`" .. prefix .. "` among: " .. table.concat(titles, "; "))
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      return a.title:sub(1, #prefix) == prefix
    end,
  })
end

-- The lens title, once it satisfies `pattern` (the timeline moves after the edit's analysis).
local function lens(buf, pattern)
  local last
  return h.wait(function()
    return "lens matching `" .. pattern .. "`, last: " .. tostring(last)
  end, function()
    local r = h.request(buf, "textDocument/codeLens", { textDocument = { uri = vim.uri_from_bufnr(buf) } })
    last = r and r[1] and r[1].command and r[1].command.title
    return last and last:find(pattern) and last
  end)
end

-- The buffer a workspace edit created, by a pattern of its path; opened and saved.
local function created(pattern)
  local name = h.wait("a buffer for " .. pattern, function()
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      local n = vim.api.nvim_buf_get_name(b)
      if n:find(pattern) then
        return n
      end
    end
  end)
  local buf = h.open(name)
  -- Neovim 0.10 does not make the folder of a created file: ++p does.
  vim.cmd("silent write ++p")
  return buf
end

-- Types over each `[placeholder]` of the template, line by line (each a didChange).
local function fill(buf, words)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    -- Checkboxes (`[ ]`, `[x]`) are not placeholders.
    local new = l:gsub("%[([^%]]+)%]", function(inner)
      if inner == " " or inner:lower() == "x" then
        return nil
      end
      return words
    end)
    if new ~= l then
      vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { new })
    end
  end
end

-- Every agentops diagnostic lies within the buffer's real text.
local function placed(buf)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local line = lines[d.lnum + 1]
    h.truthy(line and d.col <= #line, d.code .. " at " .. d.lnum .. ":" .. d.col .. " outside the text")
  end
end

-- A slash command typed at the end of `path` in a shell block, the cursor on it.
local function command_line(path, line)
  local buf = h.open(path)
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { "", "```bash", line, "```" })
  vim.api.nvim_win_set_cursor(0, { last + 3, 3 })
  return buf
end

-- Ticks every open box of the buffer, as the user types `x` into each.
local function tick_all(buf)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l:find("^%s*[-*] %[ %]") then
      vim.api.nvim_buf_set_lines(buf, i - 1, i, false, { (l:gsub("%[ %]", "[x]", 1)) })
    end
  end
end

local spec_dir = "saved%-searches/"

h.test("product-dev: /shape-spec on the roadmap starts the spec folder with the idea", function()
  local buf = command_line(ws .. "/agentops/product-dev/product/roadmap.md", "/shape-spec saved searches")
  apply(buf, "Start Spec requirements: create agentops/product-dev/specs/")
  local req = created(spec_dir .. "planning/requirements%.md$")
  local text = h.lines(req)
  h.truthy(text:find("# Spec Requirements: saved searches\n", 1, true), "title from the idea:\n" .. text)
  h.truthy(text:find("## Initial Description\nsaved searches\n", 1, true), "the idea carried in:\n" .. text)
  lens(req, "→ requirements %(template unfilled: %d+ placeholders%)")
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  h.truthy(not has(actions(req), "Advance"), "no Advance from an unfilled template")
end)

h.test("product-dev: requirements → spec → verification → tasks → implementation", function()
  local req = h.open(vim.fn.glob(ws .. "/agentops/product-dev/specs/*-saved-searches/planning/requirements.md"))
  fill(req, "Saved searches are kept per user")
  lens(req, "✓ requirements · → spec")
  placed(req)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  apply(req, "Advance to Spec writing: create spec.md")
  vim.cmd("silent write")
  local spec = created(spec_dir .. "spec%.md$")
  h.truthy(h.lines(spec):find("# Specification: saved searches", 1, true), "spec title")
  lens(spec, "→ spec %(template unfilled")
  fill(spec, "A user saves a search and runs it again")
  lens(spec, "✓ spec · → verification")
  placed(spec)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  apply(spec, "Advance to Spec verification: create spec-verification.md")
  vim.cmd("silent write")
  local ver = created(spec_dir .. "verification/spec%-verification%.md$")
  lens(ver, "→ verification %(template unfilled")
  fill(ver, "None")
  lens(ver, "→ verification %(⏳ In Progress%)")
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  apply(ver, "Mark Spec verification complete")
  lens(ver, "✓ verification %(passed%) · → tasks")
  apply(ver, "Advance to Task")
  vim.cmd("silent write")
  local tasks = created(spec_dir .. "tasks%.md$")
  lens(tasks, "→ tasks")
  fill(tasks, "Store saved searches")
  placed(tasks)
  lens(tasks, "→ tasks %(0/%d+ tasks%)")
  -- Ticking every box finishes the tasks: the timeline moves on (a lens refresh, not a reopen).
  tick_all(tasks)
  lens(tasks, "✓ tasks %(%d+/%d+ tasks%) · → implementation")
  vim.cmd("silent write")
end)

h.test("infrastructure-ops: /research → research → plan → approve → implement", function()
  local buf = command_line(ws .. "/agentops/infrastructure-ops/research/k8s-upgrade-research.md", '/research "Cache layer"')
  apply(buf, "Start Research: create agentops/infrastructure-ops/research/cache-layer")
  local research = created("research/cache%-layer[%-%w]*%.md$")
  h.truthy(h.lines(research):find("# Research: Cache layer", 1, true), "research title:\n" .. h.lines(research))
  lens(research, "→ research %(template unfilled")
  fill(research, "Reads dominate: cache them in Redis")
  placed(research)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  apply(research, "Mark Research complete")
  lens(research, "✓ research")
  apply(research, "Advance to Plan: create cache-layer")
  vim.cmd("silent write")
  local plan = created("plans/cache%-layer[%-%w]*%.md$")
  local text = h.lines(plan)
  h.truthy(text:find("research: ../research/cache-layer", 1, true), "plan links its research:\n" .. text)
  lens(plan, "→ plan %(template unfilled")
  fill(plan, "Read-through cache with a one-minute TTL")
  placed(plan)
  -- Not approved while the sign-off boxes are open: the server refuses, and ticks nothing.
  vim.cmd("AgentopsApprove Ada")
  h.wait("the refusal", function()
    return h.message("^agentops: not approved")
  end)
  h.truthy(h.lines(plan):find("- [ ]", 1, true), "sign-off boxes left open")
  tick_all(plan)
  vim.cmd("silent write")
  vim.cmd("AgentopsApprove Ada")
  h.wait("approved by Ada", function()
    return h.message("^agentops: approved by Ada")
  end)
  h.wait("approved_by in the plan", function()
    return h.lines(plan):find("approved_by: Ada", 1, true)
  end)
  lens(plan, "✓ plan %(Approved%) · → implement")
end)

h.finish()
