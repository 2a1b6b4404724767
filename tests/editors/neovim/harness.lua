-- A minimal test harness for headless Neovim: each test file runs in its own nvim
-- (tests/editors/neovim/run), with the plugin on the runtimepath and the real server.
local H = {}

H.repo = assert(vim.env.AGENTOPS_REPO, "AGENTOPS_REPO is not set (run tests/editors/neovim/run)")
H.server = assert(vim.env.AGENTOPS_LSP, "AGENTOPS_LSP is not set (run tests/editors/neovim/run)")

local results = { passed = 0, failed = 0 }
local function out(s)
  io.stdout:write(s .. "\n")
  io.stdout:flush()
end

-- Every message the plugin shows, for assertions.
H.messages = {}
vim.notify = function(msg, level)
  table.insert(H.messages, { msg = msg, level = level or vim.log.levels.INFO })
end

function H.test(name, body)
  local seen = #H.messages
  local ok, err = xpcall(body, debug.traceback)
  if ok then
    results.passed = results.passed + 1
    out("ok - " .. name)
  else
    results.failed = results.failed + 1
    out("not ok - " .. name .. "\n  " .. tostring(err):gsub("\n", "\n  "))
    for i = seen + 1, #H.messages do
      out("  message: " .. H.messages[i].msg)
    end
  end
end

-- Client methods: colon-called from 0.11, plain fields in 0.10.
function H.call(client, method, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

function H.stop_clients()
  for _, c in ipairs(vim.lsp.get_clients()) do
    H.call(c, "stop", true)
  end
  vim.wait(2000, function()
    return #vim.lsp.get_clients() == 0
  end)
end

function H.finish()
  out(string.format("%d passed, %d failed", results.passed, results.failed))
  H.stop_clients()
  vim.cmd((results.failed > 0 and "cquit 1" or "qall!"))
end

function H.wait(what, cond, ms)
  local value
  local ok = vim.wait(ms or 10000, function()
    value = cond()
    return value ~= nil and value ~= false
  end, 20)
  if not ok then
    -- `what` may be a function: its text is only known once the wait is over.
    error("timed out waiting for " .. (type(what) == "function" and what() or what), 2)
  end
  return value
end

function H.eq(want, got, what)
  if not vim.deep_equal(want, got) then
    error(string.format("%s: want %s, got %s", what or "value", vim.inspect(want), vim.inspect(got)), 2)
  end
end

function H.truthy(v, what)
  if not v then
    error((what or "condition") .. " does not hold", 2)
  end
  return v
end

-- A fresh copy of examples/my-startup (the tests write to it).
function H.workspace()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  local r = vim.system({ "cp", "-R", H.repo .. "/examples/my-startup", dir .. "/my-startup" }):wait()
  assert(r.code == 0, "copying examples/my-startup failed: " .. (r.stderr or ""))
  return vim.uv.fs_realpath(dir .. "/my-startup")
end

function H.setup(opts)
  require("agentops").setup(vim.tbl_deep_extend("force", {
    cmd = { H.server },
    settings = { debounceMs = 0 },
  }, opts or {}))
end

-- Opens a file and waits for the agentops client to be attached and initialized.
function H.open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  H.wait("agentops client on " .. path, function()
    local c = vim.lsp.get_clients({ name = "agentops", bufnr = buf })[1]
    return c and c.initialized
  end)
  return buf
end

function H.client(buf)
  return vim.lsp.get_clients({ name = "agentops", bufnr = buf })[1]
end

function H.diagnostic(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      return d
    end
  end
end

function H.lines(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

-- A file's text as the editor sees it: its buffer when loaded, else the disk.
function H.content(path)
  local buf = vim.fn.bufnr(path)
  if buf > 0 and vim.api.nvim_buf_is_loaded(buf) then
    return H.lines(buf)
  end
  if vim.uv.fs_stat(path) then
    return table.concat(vim.fn.readfile(path), "\n")
  end
end

function H.message(pattern)
  for _, m in ipairs(H.messages) do
    if m.msg:find(pattern) then
      return m
    end
  end
end

-- A synchronous request to the buffer's agentops client.
function H.request(buf, method, params)
  local c = H.truthy(H.client(buf), "an agentops client")
  local resp, err = H.call(c, "request_sync", method, params, 10000, buf)
  if not resp then
    error(method .. ": " .. tostring(err), 2)
  end
  if resp.err then
    error(method .. ": " .. vim.inspect(resp.err), 2)
  end
  return resp.result
end

-- The user's quick fix at the diagnostic `d`: the cursor on it, then
-- vim.lsp.buf.code_action applying the action whose title matches `pattern`
-- (a Lua pattern). Returns the titles offered, for failure messages.
function H.pick_action(d, pattern)
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local titles = {}
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      table.insert(titles, a.title)
      return a.title:find(pattern) ~= nil
    end,
  })
  return titles
end

return H
