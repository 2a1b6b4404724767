// Runs the integration suite inside a real VS Code (the extension host), on a copy of
// examples/my-startup, with the server from target/release (or AGENTOPS_LSP).
//
// VS Code cannot be installed on every machine that runs the project's tests (no display,
// no network): the suite then reports NOT RUN and exits 3, which tests/editors/run prints
// as such. It never passes without having run.
//
//   AGENTOPS_VSCODE=/path/to/code   the Electron executable of a VS Code build
//                                   (VSCode-linux-x64/code, "Visual Studio Code.app/Contents/MacOS/Electron", Code.exe)
//   AGENTOPS_VSCODE=download        let @vscode/test-electron download the current stable build
// On Linux without a display, run under xvfb-run -a.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { downloadAndUnzipVSCode, runTests } from "@vscode/test-electron";

export const NOT_RUN = 3;

async function main(): Promise<number> {
  const extensionDevelopmentPath = path.resolve(__dirname, "../../..");
  const repo = path.resolve(extensionDevelopmentPath, "../..");
  const want = process.env.AGENTOPS_VSCODE;
  if (!want) {
    console.log(
      "VS Code integration suite: NOT RUN — no VS Code build on this machine. " +
        "Set AGENTOPS_VSCODE=/path/to/code (a VS Code build's executable) or AGENTOPS_VSCODE=download (needs network); see docs/editors.md.",
    );
    return NOT_RUN;
  }
  const vscodeExecutablePath = want === "download" ? await downloadAndUnzipVSCode("stable") : want;
  if (!fs.existsSync(vscodeExecutablePath)) {
    console.error(`AGENTOPS_VSCODE=${vscodeExecutablePath} does not exist`);
    return 1;
  }
  const server = process.env.AGENTOPS_LSP ?? path.join(repo, "target", "release", "agentops-lsp");
  if (!fs.existsSync(server)) {
    console.error(`no server binary at ${server}: cargo build --release first (or set AGENTOPS_LSP)`);
    return 1;
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agentops-vscode-"));
  const workspace = path.join(tmp, "my-startup");
  fs.cpSync(path.join(repo, "examples", "my-startup"), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, ".vscode"), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, ".vscode", "settings.json"),
    JSON.stringify({ "agentops.server.path": server, "agentops.debounceMs": 0 }, null, 2),
  );
  try {
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath: path.join(__dirname, "suite", "index.js"),
      launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--user-data-dir", path.join(tmp, "user")],
      extensionTestsEnv: { AGENTOPS_TEST_WORKSPACE: workspace },
    });
  } catch (e) {
    console.error(`VS Code integration suite failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
