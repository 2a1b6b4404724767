-- :checkhealth agentops
local config = require("agentops.config")

local M = {}

-- The command in use: setup()'s, else 0.11's vim.lsp.config, else the default.
local function server_cmd()
  local agentops = require("agentops")
  if agentops.options then
    return agentops.options.cmd, "setup()"
  end
  if vim.fn.has("nvim-0.11") == 1 then
    local ok, cfg = pcall(function()
      return vim.lsp.config[config.name]
    end)
    if ok and cfg and cfg.cmd then
      return cfg.cmd, "vim.lsp.config"
    end
  end
  return config.defaults.cmd, "default"
end

function M.check()
  vim.health.start("agentops")

  local v = vim.version()
  local version = string.format("%d.%d.%d", v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.10") == 1 then
    vim.health.ok("Neovim " .. version)
  else
    vim.health.error("Neovim " .. version .. ": agentops needs 0.10 or later")
  end

  local agentops = require("agentops")
  if agentops.options then
    vim.health.ok("setup() was called: markdown buffers in an agentops root start the server")
  elseif vim.fn.has("nvim-0.11") == 1 and vim.lsp.is_enabled and vim.lsp.is_enabled(config.name) then
    vim.health.ok('vim.lsp.enable("agentops") is in effect')
  else
    vim.health.warn("the server is not configured to start", {
      'Neovim 0.10: require("agentops").setup({})',
      'Neovim 0.11+: vim.lsp.enable("agentops")',
    })
  end

  local cmd, from = server_cmd()
  if type(cmd) ~= "table" or not cmd[1] then
    vim.health.error("the server command (" .. from .. ") is not a list: " .. vim.inspect(cmd))
    return
  end
  local exe = vim.fn.exepath(cmd[1])
  if exe == "" then
    vim.health.error("server `" .. cmd[1] .. "` (" .. from .. ") not found", {
      "build it: cargo build --release, in the agentops-lsp repository",
      "put target/release/agentops-lsp on PATH, or set cmd = { '/path/to/agentops-lsp' }",
    })
  else
    local out = vim.system({ exe, "--version" }, { text = true }):wait(5000)
    if out.code == 0 then
      vim.health.ok("server: " .. exe .. " (" .. vim.trim(out.stdout or "") .. ")")
    else
      vim.health.error("server " .. exe .. " --version failed: " .. vim.trim((out.stderr or "") .. (out.stdout or "")))
    end
  end

  -- The buffer :checkhealth was run from is the alternate one.
  local buf = vim.fn.bufnr("#")
  if buf > 0 and vim.api.nvim_buf_is_valid(buf) and vim.api.nvim_buf_get_name(buf) ~= "" then
    local name = vim.api.nvim_buf_get_name(buf)
    local root = config.root(buf)
    if root then
      vim.health.ok("root of " .. vim.fn.fnamemodify(name, ":~:.") .. ": " .. root)
    else
      vim.health.info(vim.fn.fnamemodify(name, ":~:.") .. " is in no agentops root (no agentops.toml or agentops/ above it)")
    end
  end
  local clients = vim.lsp.get_clients({ name = config.name })
  if #clients == 0 then
    vim.health.info("no agentops client is running")
  end
  for _, c in ipairs(clients) do
    vim.health.ok(string.format("client %d running for %s", c.id, c.config.root_dir or "?"))
  end
end

return M
