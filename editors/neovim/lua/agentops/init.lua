-- agentops-lsp for Neovim: starts the server on markdown buffers inside an agentops root
-- (Neovim 0.10: setup(); 0.11+: lsp/agentops.lua), and the :Agentops* commands.
local config = require("agentops.config")

local M = {}

-- The options of the last setup() call (nil: setup() was not called, e.g. 0.11's enable()).
M.options = nil

-- Starts (or reuses) the client for a buffer; returns its id, or nil outside a root.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local opts = M.options or config.merge()
  if not vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
    return nil
  end
  local root = config.root(bufnr)
  if not root then
    return nil
  end
  return vim.lsp.start(config.client_config(opts, root), { bufnr = bufnr })
end

function M.setup(opts)
  M.options = config.merge(opts)
  if vim.fn.has("nvim-0.10") == 0 then
    vim.notify("agentops: needs Neovim 0.10 or later", vim.log.levels.ERROR)
    return
  end
  local group = vim.api.nvim_create_augroup("agentops", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers opened before setup() ran (a plugin manager loading late).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      M.attach(buf)
    end
  end
end

-- The agentops client serving a buffer, else any running agentops client.
function M.client(bufnr)
  local clients = vim.lsp.get_clients({ name = config.name, bufnr = bufnr or 0 })
  if #clients == 0 then
    clients = vim.lsp.get_clients({ name = config.name })
  end
  return clients[1]
end

local function notify(msg, level)
  vim.notify("agentops: " .. msg, level or vim.log.levels.INFO)
end

-- Client methods are called with a colon from 0.11 (the field form is deprecated there)
-- and as plain fields in 0.10.
local function client_call(client, method, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

-- Calls `cb(result)` with a server answer, or reports the error (under `label`, else the
-- method); returns false when no client runs.
local function call(method, params, cb, label)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    notify("no agentops-lsp is running (open a markdown file in an agentops root; see :checkhealth agentops)",
      vim.log.levels.WARN)
    return false
  end
  client_call(client, "request", method, params, function(err, result)
    if err then
      notify((label or method) .. ": " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    cb(result)
  end, bufnr)
  return true
end

local function execute(command, args, cb)
  return call("workspace/executeCommand", { command = command, arguments = args }, cb, command)
end

local function current_uri()
  return vim.uri_from_bufnr(vim.api.nvim_get_current_buf())
end

-- The file to open for an item: its current phase's first artifact, else its last one.
local function item_file(item)
  for _, ph in ipairs(item.phases or {}) do
    if ph.id == item.current and ph.artifacts and #ph.artifacts > 0 then
      return ph.artifacts[1]
    end
  end
  local arts = item.artifacts or {}
  return arts[#arts]
end

-- The status report as lines, like `agentops-lsp status`, and per line the
-- absolute file it stands for (what Enter opens).
function M.status_lines(report)
  local lines, files = {}, {}
  local function add(line, file)
    table.insert(lines, line)
    files[#lines] = file
  end
  for i, root in ipairs(report.roots or {}) do
    if i == 1 and root.legend then
      add("legend: " .. root.legend .. "; Enter opens the item's file")
    end
    if #(report.roots or {}) > 1 then
      add("# " .. root.root)
    end
    local function abs(rel)
      return rel and (root.root .. "/" .. rel) or nil
    end
    for _, flavor in ipairs(root.flavors or {}) do
      add(flavor.name)
      local width = 0
      for _, item in ipairs(flavor.items) do
        width = math.max(width, vim.fn.strchars(item.key))
      end
      for _, item in ipairs(flavor.items) do
        local file = abs(item_file(item))
        local tail
        if item.current == vim.NIL or item.current == nil then
          tail = "  — complete"
        elseif #item.blockers > 0 then
          tail = "  — " .. table.concat(item.blockers, "; ")
        else
          tail = ""
        end
        local pad = string.rep(" ", width - vim.fn.strchars(item.key))
        add("  " .. item.key .. pad .. "  " .. item.timeline .. tail, file)
        local facts = {}
        local function date(label, v)
          if v ~= nil and v ~= vim.NIL then
            table.insert(facts, label .. " " .. v)
          end
        end
        date("started", item.started)
        date("last change", item.last_change)
        if item.days_in_phase ~= nil and item.days_in_phase ~= vim.NIL and item.current ~= vim.NIL then
          table.insert(facts, item.days_in_phase .. " days in " .. item.current)
        end
        if item.tasks ~= nil and item.tasks ~= vim.NIL then
          table.insert(facts, "tasks " .. item.tasks.done .. "/" .. item.tasks.total)
        end
        for _, a in ipairs(item.approvals or {}) do
          table.insert(facts, "approved by " .. a.by)
        end
        for _, b in ipairs(item.stale_bundles or {}) do
          table.insert(facts, "stale bundle " .. b)
        end
        if #facts > 0 then
          add("      " .. table.concat(facts, " · "), file)
        end
      end
    end
  end
  return lines, files
end

-- :AgentopsStatus — the report of the current buffer's root in a scratch
-- buffer; Enter opens the file of the item under the cursor, `q` closes.
function M.status(cb)
  return call("agentops/status", { uri = current_uri() }, function(report)
    local lines, files = M.status_lines(report)
    vim.cmd("botright new")
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].buftype = "nofile"
    vim.bo[buf].bufhidden = "wipe"
    vim.bo[buf].swapfile = false
    vim.api.nvim_buf_set_name(buf, "agentops://status/" .. buf)
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    vim.bo[buf].modifiable = false
    vim.bo[buf].filetype = "agentops-status"
    vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = buf, nowait = true })
    vim.keymap.set("n", "<CR>", function()
      local file = files[vim.api.nvim_win_get_cursor(0)[1]]
      if not file then
        return
      end
      -- Open above the split, where the user was working.
      vim.cmd("wincmd p")
      vim.cmd("edit " .. vim.fn.fnameescape(file))
    end, { buffer = buf, nowait = true, desc = "Open the item's file" })
    if cb then
      cb(report, buf)
    end
  end)
end

-- What an applying command answered, said: `ok(r)` when applied (nothing when nil), else
-- `refused` with the server's reason; then `cb(r)`.
local function answered(r, ok, refused, cb)
  if r and r.applied then
    if ok then
      notify(ok())
    end
  else
    notify(refused .. " — " .. tostring(r and r.reason or "nothing to do"), vim.log.levels.WARN)
  end
  if cb then
    cb(r)
  end
end

-- :AgentopsAdvance — the current artifact's work item one phase forward; on a roadmap, the
-- item under the cursor is started (the cursor goes as an LSP position in the client's encoding).
function M.advance(cb)
  local client = M.client(vim.api.nvim_get_current_buf())
  local position = client and vim.lsp.util.make_position_params(0, client.offset_encoding).position or nil
  return execute("agentops.advancePhase", { { uri = current_uri(), position = position } }, function(r)
    answered(r, function()
      return "advanced" .. (r.reason and r.reason ~= vim.NIL and (" — " .. r.reason) or "")
    end, "not advanced", cb)
  end)
end

-- :AgentopsApprove [NAME] — a human approves the current artifact; the server records who
-- (NAME, else the approver setting, else git's user.name) and when, and refuses while a
-- sign-off box is open or a template placeholder is left.
function M.approve(by, cb)
  local by_arg = (by and by ~= "") and by or nil
  return execute("agentops.approve", { { uri = current_uri(), by = by_arg } }, function(r)
    answered(r, function()
      return "approved by " .. tostring(r.approved_by) .. " at " .. tostring(r.approved_at)
    end, "not approved", cb)
  end)
end

-- :AgentopsNew spec|research|plan TITLE — new work from the flavor's template
-- (agentops.new): the current buffer's flavor when it is an artifact, else the first in
-- use that has the kind; the server shows the created file and says what it created.
function M.new(kind, title, cb)
  local params = { kind = kind, title = title }
  local uri = current_uri()
  if uri ~= nil and vim.startswith(uri, "file://") then
    params.uri = uri
  end
  -- Applied: the server's own message names the file it created.
  return execute("agentops.new", { params }, function(r)
    answered(r, nil, "nothing created", cb)
  end)
end

-- :AgentopsBundleSave[!] NAME — a bundle of the current artifact's work item (! replaces
-- an existing one).
function M.bundle_save(name, overwrite, cb)
  local params = { name = name, uri = current_uri(), overwrite = overwrite or false }
  return execute("agentops.bundleSave", { params }, function(r)
    notify(
      string.format(
        "saved bundle %s: %d sources, %d → %d tokens (%.1f:1)",
        r.name,
        r.sources,
        r.original_tokens,
        r.compressed_tokens,
        r.compression_ratio
      )
    )
    if cb then
      cb(r)
    end
  end)
end

-- :AgentopsBundleLoad NAME — verifies the bundle and opens its digest (the server asks
-- the editor to show it).
function M.bundle_load(name, cb)
  -- The uri picks the root when several are open.
  return execute("agentops.bundleLoad", { { name = name, uri = current_uri() } }, function(r)
    if not r.verified then
      notify("bundle " .. r.name .. " did not verify against its snapshot", vim.log.levels.WARN)
    elseif #r.changed > 0 then
      notify("loaded " .. r.name .. "; changed since saved: " .. table.concat(r.changed, ", "), vim.log.levels.WARN)
    else
      notify("loaded " .. r.name .. "; sources unchanged")
    end
    if cb then
      cb(r)
    end
  end)
end

-- :AgentopsSpecs [path] — the specs and plans that produce or touch a file or folder
-- (default: the current buffer's file), in the quickfix list.
function M.specs(path, cb)
  local target = (path and path ~= "") and vim.fn.fnamemodify(path, ":p") or vim.api.nvim_buf_get_name(0)
  if target == "" then
    notify("no file: give a path, or run it from a file's buffer", vim.log.levels.WARN)
    return false
  end
  local client = M.client(0)
  return call("agentops/specsForPath", { uri = vim.uri_from_fname(target) }, function(answer)
    if answer == nil or answer == vim.NIL then
      notify(vim.fn.fnamemodify(target, ":~:.") .. " is outside every agentops root", vim.log.levels.WARN)
      return
    end
    local items = {}
    for _, a in ipairs(answer.artifacts) do
      local loc = vim.lsp.util.locations_to_items({ { uri = a.uri, range = a.range } }, client.offset_encoding)[1]
      local phase = (a.phase ~= nil and a.phase ~= vim.NIL) and a.phase or "?"
      local state = a.done == true and "done" or ("phase " .. phase)
      loc.text = string.format("%s `%s` — %s of %s, %s", a.relation, a.declared or answer.path, a.kind, a.workItem, state)
      table.insert(items, loc)
    end
    vim.fn.setqflist({}, " ", { title = "agentops: specs for " .. answer.path, items = items })
    if #items == 0 then
      notify("no spec or plan produces or touches " .. answer.path)
    else
      vim.cmd("copen")
    end
    if cb then
      cb(answer, items)
    end
  end)
end

-- Bundle names for completion (asks the server synchronously, briefly).
function M.bundle_names()
  local client = M.client(0)
  if not client then
    return {}
  end
  local resp = client_call(client, "request_sync", "workspace/executeCommand", {
    command = "agentops.bundleList",
    arguments = { { uri = current_uri() } },
  }, 1000, 0)
  local names = {}
  for _, b in ipairs(resp and resp.result or {}) do
    table.insert(names, b.name)
  end
  return names
end

return M
