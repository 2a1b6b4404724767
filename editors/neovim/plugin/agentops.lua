-- User commands; they talk to whichever agentops client serves the current buffer, so
-- they work with setup() (0.10) and with vim.lsp.enable("agentops") (0.11+) alike.
if vim.g.loaded_agentops then
  return
end
vim.g.loaded_agentops = true

local function agentops()
  return require("agentops")
end

vim.api.nvim_create_user_command("AgentopsStatus", function()
  agentops().status()
end, { desc = "agentops: the status of every work item, per flavor" })

vim.api.nvim_create_user_command("AgentopsAdvance", function()
  agentops().advance()
end, { desc = "agentops: move the current artifact's work item to its next phase" })

vim.api.nvim_create_user_command("AgentopsApprove", function(args)
  agentops().approve(args.args)
end, { nargs = "?", desc = "agentops: approve the current artifact, recording who (NAME, else git user.name) and when" })

local NEW_KINDS = { "spec", "research", "plan" }

vim.api.nvim_create_user_command("AgentopsNew", function(args)
  local kind, title = args.args:match("^(%S+)%s*(.*)$")
  if not kind or not vim.tbl_contains(NEW_KINDS, kind) then
    vim.notify("agentops: usage: :AgentopsNew spec|research|plan TITLE", vim.log.levels.ERROR)
    return
  end
  if title ~= "" then
    agentops().new(kind, title)
    return
  end
  vim.ui.input({ prompt = "Title of the new " .. kind .. ": " }, function(t)
    if t and t ~= "" then
      agentops().new(kind, t)
    end
  end)
end, {
  nargs = "+",
  complete = function(lead, line)
    if line:match("^%S+%s+%S+%s") then
      return {}
    end
    return vim.tbl_filter(function(k)
      return vim.startswith(k, lead)
    end, NEW_KINDS)
  end,
  desc = "agentops: new spec, research or plan from the flavor's template, titled TITLE",
})

vim.api.nvim_create_user_command("AgentopsSpecs", function(args)
  agentops().specs(args.args)
end, {
  nargs = "?",
  complete = "file",
  desc = "agentops: the specs and plans that produce or touch this file (or PATH), in the quickfix list",
})

vim.api.nvim_create_user_command("AgentopsBundleSave", function(args)
  if args.args ~= "" then
    agentops().bundle_save(args.args, args.bang)
    return
  end
  vim.ui.input({ prompt = "Bundle name (<topic>-<type>): " }, function(name)
    if name and name ~= "" then
      agentops().bundle_save(name, args.bang)
    end
  end)
end, { nargs = "?", bang = true, desc = "agentops: save a context bundle of the current work item (! overwrites)" })

vim.api.nvim_create_user_command("AgentopsBundleLoad", function(args)
  if args.args ~= "" then
    agentops().bundle_load(args.args)
    return
  end
  local names = agentops().bundle_names()
  if #names == 0 then
    vim.notify("agentops: no bundles saved yet", vim.log.levels.INFO)
    return
  end
  vim.ui.select(names, { prompt = "Load bundle" }, function(name)
    if name then
      agentops().bundle_load(name)
    end
  end)
end, {
  nargs = "?",
  complete = function(lead)
    return vim.tbl_filter(function(n)
      return vim.startswith(n, lead)
    end, agentops().bundle_names())
  end,
  desc = "agentops: load a context bundle and open its digest",
})
