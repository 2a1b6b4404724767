// Where the agentops-lsp binary comes from: the `agentops.server.path` setting, else the
// binary bundled in a platform-specific VSIX, else PATH. Pure (no vscode import) so the
// order and the messages are unit-tested.
import * as path from "node:path";

export type ServerSource = "setting" | "bundled" | "path";

export interface Found {
  kind: "found";
  path: string;
  source: ServerSource;
}

export interface NotFound {
  kind: "not-found";
  // One sentence for the user: what was tried and how to fix it.
  message: string;
}

export type Resolution = Found | NotFound;

export interface ResolveInput {
  // The `agentops.server.path` setting ("" or undefined when unset).
  setting: string | undefined;
  // The extension's install folder (the bundled binary lives in its `server/`).
  extensionPath: string;
  platform: NodeJS.Platform;
  // The PATH environment variable.
  pathEnv: string | undefined;
  // Windows' PATHEXT, used only on win32.
  pathExt?: string;
  homeDir: string;
  // The first workspace folder, against which a relative setting is read.
  workspaceFolder?: string;
  isExecutable: (file: string) => boolean;
}

export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "agentops-lsp.exe" : "agentops-lsp";
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

// The setting with `~` and `${workspaceFolder}` expanded, made absolute against the
// workspace folder (or left relative when there is none, so the message shows it as typed).
export function expandSetting(
  value: string,
  platform: NodeJS.Platform,
  homeDir: string,
  workspaceFolder: string | undefined,
): string {
  const p = pathApi(platform);
  let v = value.trim();
  if (workspaceFolder) {
    v = v.split("${workspaceFolder}").join(workspaceFolder);
  }
  if (v === "~" || v.startsWith("~/") || v.startsWith("~\\")) {
    v = p.join(homeDir, v.slice(1));
  }
  if (!p.isAbsolute(v) && workspaceFolder) {
    v = p.join(workspaceFolder, v);
  }
  return v;
}

export function resolveServer(input: ResolveInput): Resolution {
  const p = pathApi(input.platform);
  const name = binaryName(input.platform);

  const setting = input.setting?.trim();
  if (setting) {
    const file = expandSetting(setting, input.platform, input.homeDir, input.workspaceFolder);
    if (input.isExecutable(file)) {
      return { kind: "found", path: file, source: "setting" };
    }
    // A setting that points nowhere is a mistake to report, not a reason to quietly run
    // some other binary.
    return {
      kind: "not-found",
      message: `agentops.server.path is set to "${setting}", but ${file} is not an executable file. Fix the setting or clear it to use the bundled binary or PATH.`,
    };
  }

  const bundled = p.join(input.extensionPath, "server", name);
  if (input.isExecutable(bundled)) {
    return { kind: "found", path: bundled, source: "bundled" };
  }

  const delimiter = input.platform === "win32" ? ";" : ":";
  const dirs = (input.pathEnv ?? "").split(delimiter).filter((d) => d.length > 0);
  const names =
    input.platform === "win32"
      ? [...new Set([name, ...(input.pathExt ?? ".EXE").split(";").filter(Boolean).map((e) => "agentops-lsp" + e.toLowerCase())])]
      : [name];
  for (const dir of dirs) {
    for (const n of names) {
      const file = p.join(dir, n);
      if (input.isExecutable(file)) {
        return { kind: "found", path: file, source: "path" };
      }
    }
  }

  return {
    kind: "not-found",
    message: `agentops-lsp was not found: agentops.server.path is not set, this extension has no bundled binary (${bundled}), and no ${name} is on PATH (${dirs.length} folders searched). Install it (cargo install --path server, in the agentops-lsp repository) or set agentops.server.path.`,
  };
}
