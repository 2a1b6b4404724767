import * as assert from "node:assert/strict";
import { test } from "node:test";

import { expandSetting, type ResolveInput, resolveServer } from "../../src/serverPath";

function input(over: Partial<ResolveInput>, executables: string[]): ResolveInput {
  const set = new Set(executables);
  return {
    setting: "",
    extensionPath: "/ext",
    platform: "linux",
    pathEnv: "/usr/local/bin:/usr/bin",
    homeDir: "/home/u",
    workspaceFolder: "/work/project",
    isExecutable: (f) => set.has(f),
    ...over,
  };
}

test("the setting wins over the bundled binary and PATH", () => {
  const r = resolveServer(input({ setting: "/opt/agentops-lsp" }, ["/opt/agentops-lsp", "/ext/server/agentops-lsp", "/usr/bin/agentops-lsp"]));
  assert.deepEqual(r, { kind: "found", path: "/opt/agentops-lsp", source: "setting" });
});

test("a setting that points nowhere is reported, not silently replaced", () => {
  const r = resolveServer(input({ setting: "/opt/missing" }, ["/ext/server/agentops-lsp", "/usr/bin/agentops-lsp"]));
  assert.equal(r.kind, "not-found");
  assert.match(r.kind === "not-found" ? r.message : "", /agentops\.server\.path is set to "\/opt\/missing"/);
});

test("~, ${workspaceFolder} and relative settings are expanded", () => {
  assert.equal(expandSetting("~/bin/agentops-lsp", "linux", "/home/u", undefined), "/home/u/bin/agentops-lsp");
  assert.equal(expandSetting("${workspaceFolder}/target/release/agentops-lsp", "linux", "/h", "/w"), "/w/target/release/agentops-lsp");
  assert.equal(expandSetting("target/release/agentops-lsp", "linux", "/h", "/w"), "/w/target/release/agentops-lsp");
  const r = resolveServer(input({ setting: " target/release/agentops-lsp " }, ["/work/project/target/release/agentops-lsp"]));
  assert.deepEqual(r, { kind: "found", path: "/work/project/target/release/agentops-lsp", source: "setting" });
});

test("the bundled binary comes before PATH", () => {
  const r = resolveServer(input({}, ["/ext/server/agentops-lsp", "/usr/bin/agentops-lsp"]));
  assert.deepEqual(r, { kind: "found", path: "/ext/server/agentops-lsp", source: "bundled" });
});

test("PATH is searched in order", () => {
  const r = resolveServer(input({}, ["/usr/bin/agentops-lsp", "/usr/local/bin/agentops-lsp"]));
  assert.deepEqual(r, { kind: "found", path: "/usr/local/bin/agentops-lsp", source: "path" });
});

test("Windows: .exe names, ; separated PATH, PATHEXT", () => {
  const win = { platform: "win32" as const, extensionPath: "C:\\ext", pathEnv: "C:\\tools;C:\\bin", pathExt: ".COM;.EXE" };
  assert.deepEqual(resolveServer(input(win, ["C:\\ext\\server\\agentops-lsp.exe"])), {
    kind: "found",
    path: "C:\\ext\\server\\agentops-lsp.exe",
    source: "bundled",
  });
  assert.deepEqual(resolveServer(input(win, ["C:\\bin\\agentops-lsp.exe"])), {
    kind: "found",
    path: "C:\\bin\\agentops-lsp.exe",
    source: "path",
  });
});

test("nothing found: one message naming every place tried and the fix", () => {
  const r = resolveServer(input({ pathEnv: undefined }, []));
  assert.equal(r.kind, "not-found");
  const m = r.kind === "not-found" ? r.message : "";
  assert.match(m, /agentops\.server\.path is not set/);
  assert.match(m, /\/ext\/server\/agentops-lsp/);
  assert.match(m, /no agentops-lsp is on PATH \(0 folders searched\)/);
  assert.match(m, /cargo install/);
});
