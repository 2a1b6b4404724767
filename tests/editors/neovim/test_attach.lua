-- Where the server starts: markdown in an agentops root (agentops.toml or agentops/), nowhere else.
local h = AgentopsTest
local ws = h.workspace()
h.setup()

h.test("setup() starts the server on a markdown artifact, rooted at agentops.toml", function()
  local buf = h.open(ws .. "/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md")
  local c = h.client(buf)
  h.eq(ws, c.config.root_dir, "root_dir")
  h.eq({ h.server }, c.config.cmd, "cmd")
  h.eq({ agentops = { debounceMs = 0 } }, c.config.settings, "settings")
end)

h.test("a second artifact of the same root reuses the client", function()
  local a = h.client(h.open(ws .. "/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"))
  local b = h.client(h.open(ws .. "/agentops/product-dev/product/mission.md"))
  h.eq(a.id, b.id, "client id")
  h.eq(1, #vim.lsp.get_clients({ name = "agentops" }), "agentops clients")
end)

h.test("a root marked only by an agentops/ folder", function()
  local root = vim.fn.tempname()
  vim.fn.mkdir(root .. "/agentops/infrastructure-ops/research", "p")
  local file = root .. "/agentops/infrastructure-ops/research/cache-research.md"
  vim.fn.writefile({ "# Research: cache", "", "## Summary", "", "Text." }, file)
  local buf = h.open(file)
  h.eq(vim.uv.fs_realpath(root), vim.uv.fs_realpath(h.client(buf).config.root_dir), "root_dir")
end)

h.test("markdown outside any root and non-markdown files get no client", function()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  vim.fn.writefile({ "# Notes" }, dir .. "/notes.md")
  vim.cmd.edit(dir .. "/notes.md")
  local buf = vim.api.nvim_get_current_buf()
  h.eq("markdown", vim.bo[buf].filetype, "filetype")
  vim.wait(300)
  h.eq(nil, h.client(buf), "client outside a root")
  vim.cmd.edit(ws .. "/package.json")
  vim.wait(300)
  h.eq(nil, h.client(vim.api.nvim_get_current_buf()), "client on package.json")
end)

h.test("lsp/agentops.lua (Neovim 0.11 vim.lsp.config) roots only inside agentops roots", function()
  local files = vim.api.nvim_get_runtime_file("lsp/agentops.lua", false)
  h.eq(1, #files, "lsp/agentops.lua on the runtimepath")
  local cfg = dofile(files[1])
  h.eq({ "agentops-lsp" }, cfg.cmd, "cmd")
  h.eq({ "markdown" }, cfg.filetypes, "filetypes")
  h.eq({ "agentops.toml", "agentops" }, cfg.root_markers, "root_markers")
  local inside = vim.fn.bufadd(ws .. "/agentops/product-dev/product/roadmap.md")
  local got
  cfg.root_dir(inside, function(root)
    got = root
  end)
  h.eq(ws, got, "root_dir inside")
  local outside = vim.fn.bufadd(vim.fn.tempname() .. "/x.md")
  got = "not called"
  cfg.root_dir(outside, function(root)
    got = root
  end)
  h.eq("not called", got, "root_dir outside")
  -- The same table starts a working client through 0.10's vim.lsp.start.
  h.stop_clients()
  vim.api.nvim_del_augroup_by_name("agentops")
  vim.cmd.edit(ws .. "/agentops/product-dev/product/roadmap.md")
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start({
    name = "agentops",
    cmd = { h.server },
    root_dir = ws,
    settings = cfg.settings,
  }, { bufnr = buf })
  h.truthy(id, "client started from lsp/agentops.lua's fields")
  h.wait("initialized", function()
    return vim.lsp.get_client_by_id(id).initialized
  end)
end)

h.finish()
