// Packages the extension into a .vsix with vsce.
//
// With a server binary (AGENTOPS_LSP, else ../../target/release/agentops-lsp) it makes a
// platform-specific VSIX, as rust-analyzer ships: the binary is copied to server/ and the
// VSIX is marked for this machine's platform (or VSCE_TARGET, e.g. linux-arm64 when the
// binary was cross-built). Without one, a universal VSIX that finds the server through
// agentops.server.path or PATH.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.resolve(here, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(here, "package.json"), "utf8"));
const exe = process.platform === "win32" ? "agentops-lsp.exe" : "agentops-lsp";
const binary = process.env.AGENTOPS_LSP ?? path.join(repo, "target", "release", exe);
const target = process.env.VSCE_TARGET ?? `${process.platform === "win32" ? "win32" : process.platform}-${process.arch}`;

const serverDir = path.join(here, "server");
fs.rmSync(serverDir, { recursive: true, force: true });
const args = ["package", "--no-dependencies", "--skip-license", "--allow-missing-repository"];
let out;
if (fs.existsSync(binary)) {
  fs.mkdirSync(serverDir);
  fs.copyFileSync(binary, path.join(serverDir, exe));
  fs.chmodSync(path.join(serverDir, exe), 0o755);
  // The release profile already strips; a binary from another profile (AGENTOPS_LSP) is
  // stripped here, since symbols are for profiling, not for shipping.
  if (process.platform === "linux" && !process.env.VSCE_TARGET) {
    try {
      execFileSync("strip", [path.join(serverDir, exe)]);
    } catch {
      console.log("package: strip not available; the bundled binary keeps its symbols");
    }
  }
  out = `${pkg.name}-${target}-${pkg.version}.vsix`;
  args.push("--target", target);
} else {
  console.log(`package: no server binary at ${binary}; making a universal VSIX (server from the setting or PATH)`);
  out = `${pkg.name}-${pkg.version}.vsix`;
}
args.push("--out", out);
execFileSync(process.execPath, [path.join(here, "node_modules", "@vscode", "vsce", "vsce"), ...args], {
  cwd: here,
  stdio: "inherit",
});
console.log(`package: ${path.join(here, out)}`);
