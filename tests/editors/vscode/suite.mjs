// The VS Code suite: the packaged VSIX installed in code-server (VS Code 1.96's server
// build), driven through Chromium with playwright-core as a user drives it — palette,
// Quick Open, Problems panel, Explorer context menu. What the editor shows is compared
// with what the CLI (the same engine) says about the same files.
//
//   node suite.mjs   (tests/editors/vscode/run sets the environment below)
// Env: CODE_SERVER (its out/node/entry.js), PLAYWRIGHT (playwright-core's folder),
//      CHROMIUM, VSIX, AGENTOPS_LSP (for the CLI's expectations), ARTIFACTS (screenshots of
//      failures, the code-server and extension logs), AGENTOPS_VSCODE_ONLY (a regexp: run
//      only the tests whose name matches).
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

import { Workbench } from "./browser.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../../..");
const env = (k) => process.env[k] || (console.error(`suite.mjs: ${k} is not set`), process.exit(2));
const codeServer = env("CODE_SERVER");
const lsp = env("AGENTOPS_LSP");
const artifacts = env("ARTIFACTS");
const only = process.env.AGENTOPS_VSCODE_ONLY ? new RegExp(process.env.AGENTOPS_VSCODE_ONLY) : undefined;
const { chromium } = createRequire(path.join(env("PLAYWRIGHT"), "package.json"))("playwright-core");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agentops-vscode-"));
const userDir = path.join(tmp, "user");
const extDir = path.join(tmp, "extensions");
fs.mkdirSync(path.join(userDir, "User"), { recursive: true });
fs.rmSync(artifacts, { recursive: true, force: true });
fs.mkdirSync(artifacts, { recursive: true });
fs.writeFileSync(
  path.join(userDir, "User", "settings.json"),
  JSON.stringify({
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.welcomePage.walkthroughs.openOnInstall": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "files.autoSave": "off",
    "editor.lightbulb.enabled": "off",
    "agentops.approver": "Suite Tester",
  }),
);
// code-server writes its config under XDG dirs: keep them in the scratch folder.
const serverEnv = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, "xdg"), XDG_DATA_HOME: path.join(tmp, "xdg") };
delete serverEnv.VSCODE_IPC_HOOK_CLI;

function cli(args, cwd) {
  try {
    return execFileSync(lsp, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    // check exits 1 when it found errors: its output is still the answer.
    if (e.status === 1 && typeof e.stdout === "string") return e.stdout;
    throw e;
  }
}

// What the Problems panel must list for `rel`: the CLI's findings on it, hints aside (the
// panel does not list hints), with the column in UTF-16 code units as VS Code counts.
function expectedMarkers(root, rel) {
  const report = JSON.parse(cli(["check", "--format", "json", "--no-cache", root], root));
  const bytes = fs.readFileSync(path.join(root, rel));
  return report.diagnostics
    .filter((d) => d.path === rel && d.severity !== "hint")
    .map((d) => {
      const start = d.range.bytes[0];
      const lineStart = bytes.lastIndexOf(0x0a, start - 1) + 1;
      const col = bytes.subarray(lineStart, start).toString("utf8").length + 1;
      return key({ path: rel, severity: d.severity, message: d.message, line: d.range.start.line, col });
    })
    .sort();
}

const key = (m) => `${m.path}:${m.line}:${m.col}: ${m.severity}: ${m.message}`;

// Materializes one of the server's layout fixtures (`//- path` starts a file).
function materialize(fixture, root) {
  let current;
  const flush = () => {
    if (!current) return;
    const full = path.join(root, current.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, current.body);
  };
  for (const line of fs.readFileSync(fixture, "utf8").split(/(?<=\n)/)) {
    if (line.startsWith("//- ")) {
      flush();
      current = { path: line.slice(4).trim(), body: "" };
    } else if (current) current.body += line;
  }
  flush();
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what, probe, tries = 300) {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual, null, 1);
  const e = JSON.stringify(expected, null, 1);
  if (a !== e) throw new Error(`${what}:\n  expected ${e}\n  actual   ${a}`);
}

// --- the example workspace and the layouts ------------------------------------------
const example = path.join(tmp, "my-startup");
fs.cpSync(path.join(repo, "examples", "my-startup"), example, { recursive: true });
// A finding after astral and accented characters on its line: VS Code's columns are UTF-16.
const k8sPlan = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md";
fs.appendFileSync(path.join(example, k8sPlan), "\nVoir 🚀 l’étude: [notes](../research/absent-é.md)\n");

const LAYOUTS = ["spec-kit", "rpi", "agents", "agent-os-v1"];
for (const name of LAYOUTS) {
  materialize(path.join(repo, "server", "tests", "fixtures", "layouts", `${name}.fixture`), path.join(tmp, name));
}

// --- code-server and the browser -----------------------------------------------------
console.log(`code-server: installing ${path.basename(env("VSIX"))}`);
execFileSync(
  process.execPath,
  [codeServer, "--extensions-dir", extDir, "--user-data-dir", userDir, "--install-extension", env("VSIX")],
  { env: serverEnv, stdio: ["ignore", "pipe", "inherit"] },
);
const port = await freePort();
const serverLog = fs.openSync(path.join(artifacts, "code-server.log"), "w");
const server = spawn(
  process.execPath,
  [
    codeServer,
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--extensions-dir", extDir,
    "--user-data-dir", userDir,
    "--disable-workspace-trust",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
  ],
  { env: serverEnv, stdio: ["ignore", serverLog, serverLog] },
);
let browser;
const cleanup = async () => {
  await browser?.close().catch(() => undefined);
  server.kill();
  // The extension logs (the server's output channel among them) are kept for failures.
  fs.cpSync(path.join(userDir, "logs"), path.join(artifacts, "logs"), { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
};

const results = { passed: 0, failed: 0 };
let page;
let wb;
let n = 0;
async function test(name, body) {
  n++;
  if (only && !only.test(name)) return;
  try {
    await wb?.reset();
    await body();
    results.passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    results.failed++;
    const shot = path.join(artifacts, `${String(n).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`);
    await page?.screenshot({ path: shot }).catch(() => undefined);
    // Where in the suite it failed: the first frames in its own files.
    const where = (e instanceof Error ? (e.stack ?? "") : "").split("\n").filter((l) => /(suite|browser)\.mjs/.test(l)).slice(0, 2).join("\n  ");
    console.log(`not ok - ${name}\n  ${(e instanceof Error ? e.message : String(e)).replace(/\n/g, "\n  ")}\n  ${where}\n  screenshot: ${shot}`);
  }
}

// Opens a folder in the workbench and waits for the extension: its status view shows
// once it has activated and its server started (the view's `when` is agentops.active).
async function openFolder(folder) {
  await wb.open(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  await page.locator(".pane-header", { hasText: "Agentops Status" }).waitFor({ timeout: 60_000 });
}

const fileOf = (rel) => path.join(example, rel);
const read = (rel) => fs.readFileSync(fileOf(rel), "utf8");

try {
  await waitFor("code-server to listen", async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  browser = await chromium.launch({
    executablePath: env("CHROMIUM"),
    // Root in a container has no user namespace for the sandbox; the page is our own.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  wb = new Workbench(page);

  for (const layout of LAYOUTS) {
    await test(`activates on the ${layout} layout: its findings in the Problems panel`, async () => {
      const root = path.join(tmp, layout);
      await openFolder(root);
      const want = cli(["check", "--no-cache", root], root)
        .split("\n")
        .filter((l) => /^\S+:\d+:\d+: (error|warning|info)\[/.test(l)).length;
      if (want === 0) throw new Error(`the ${layout} fixture has no finding to show`);
      const got = await wb.problems({ expect: (ms) => ms.length >= want });
      assertEqual(got.length, want, `${layout}: markers in the Problems panel (${got.map(key).join("; ")})`);
    });
  }

  await openFolder(example);

  await test("diagnostics: the Problems panel lists the CLI's findings at their positions (UTF-16 columns)", async () => {
    for (const rel of [
      "agentops/infrastructure-ops/plans/monitoring-plan.md",
      k8sPlan,
      "agentops/infrastructure-ops/research/disaster-recovery-research.md",
    ]) {
      const want = expectedMarkers(example, rel);
      const name = path.basename(rel);
      const got = await wb.problems({
        filter: name,
        expect: (ms) => ms.filter((m) => m.path === rel).length >= want.length,
      });
      assertEqual(got.filter((m) => m.path === rel).map(key).sort(), want, `markers of ${rel}`);
    }
    const astral = expectedMarkers(example, k8sPlan).find((m) => m.includes("absent-é.md"));
    if (!astral) throw new Error("the finding after the emoji is missing");
  });

  await test("quick fix: Change `Aproved` to `Approved`, applied and saved", async () => {
    const rel = "agentops/infrastructure-ops/plans/monitoring-plan.md";
    await wb.openFile(rel);
    await wb.goTo(2, 9);
    await wb.codeAction("Quick Fix...", "Change `Aproved` to `Approved`");
    await waitFor("the fixed line", async () => (await wb.editorLine(2)) === "status: Approved");
    await wb.saveUntil("status: Approved", () => read(rel).includes("status: Approved"));
    const left = await wb.problems({ filter: path.basename(rel), expect: (ms) => !ms.some((m) => m.path === rel) });
    assertEqual(left.filter((m) => m.path === rel).map(key), [], "markers left on the fixed plan");
  });

  await test("code action that creates a file: Advance to Implement creates the report; opened, its findings match its text", async () => {
    const report = "agentops/infrastructure-ops/reports/k8s-upgrade-report.md";
    await wb.openFile(k8sPlan);
    await wb.goTo(1, 1);
    await wb.codeAction("Refactor...", "create k8s-upgrade-report.md");
    // Created on disk by the edit, its text in an unsaved editor: open it as a user would.
    await waitFor("the report created", () => fs.existsSync(fileOf(report)));
    await wb.openFile(report);
    await wb.saveUntil(report, () => fs.existsSync(fileOf(report)) && read(report).length > 0);
    const want = expectedMarkers(example, report);
    const got = await wb.problems({
      filter: "k8s-upgrade-report.md",
      expect: (ms) => ms.filter((m) => m.path === report).length === want.length,
    });
    assertEqual(got.filter((m) => m.path === report).map(key).sort(), want, "markers of the created report");
  });

  await test("Save Bundle and Load Bundle from the command palette", async () => {
    await wb.openFile(k8sPlan);
    await wb.command("Agentops: Save Bundle");
    await wb.answer("k8s-upgrade-implementation");
    await waitFor("the saved bundle", () => fs.existsSync(path.join(example, ".agentops", "bundles", "k8s-upgrade-implementation.md")));
    await page.locator(".notifications-toasts", { hasText: "k8s-upgrade-implementation" }).first().waitFor({ timeout: 30_000 });
    await wb.command("Agentops: Load Bundle");
    const labels = await wb.quickPickLabels();
    if (!labels.includes("k8s-upgrade-implementation")) throw new Error(`bundles offered: ${labels.join(", ")}`);
    await wb.pickRow("k8s-upgrade-implementation");
    // The server opens the digest it verified.
    await wb.activeTab("k8s-upgrade-implementation.md");
  });

  await test("status view: Show Status lists the flavors in use and their work items; a work item opens its file", async () => {
    await wb.command("Agentops: Show Status");
    const view = page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Agentops Status" }) });
    const rows = view.locator(".monaco-list-row");
    const status = JSON.parse(cli(["status", "--json", example], example));
    const [first, second] = status.flavors;
    // The first flavor open on its work items, then the next flavor (the view is short:
    // the rows below its fold are not rendered).
    const want = [first.name, ...first.items.map((i) => i.key), second.name];
    await waitFor("the status tree", async () => (await rows.count()) >= want.length);
    const shown = await rows.evaluateAll((els) => els.map((e) => e.querySelector(".label-name")?.textContent?.trim() ?? ""));
    assertEqual(shown.slice(0, want.length), want, "rows of the Agentops Status view");
    // A work item opens its file as `status` names it: the current phase's first
    // artifact, else its last one.
    const item = first.items[0];
    const here = item.phases.find((ph) => ph.id === item.current && ph.artifacts.length > 0);
    const file = here ? here.artifacts[0] : item.artifacts[item.artifacts.length - 1];
    await rows.nth(shown.indexOf(item.key)).click();
    await wb.activeTab(path.basename(file));
  });

  await test("Explorer context menu: Show Specs for This File lists what the CLI traces", async () => {
    const rel = "src/auth/session.ts";
    const traced = JSON.parse(cli(["trace", rel, "--root", example, "--json"], example)).artifacts.map((a) => a.path);
    await wb.command("File: Reveal Active File in Explorer View").catch(() => undefined);
    await wb.openFile(rel);
    await wb.command("File: Reveal Active File in Explorer View");
    const row = page.locator(".explorer-folders-view .monaco-list-row.selected", { hasText: "session.ts" });
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: "right" });
    await page.locator(".context-view .action-label", { hasText: "Show Specs for This File" }).click();
    const labels = await wb.quickPickLabels();
    assertEqual([...labels].sort(), [...traced].sort(), "specs offered for src/auth/session.ts");
    await page.keyboard.press("Escape");
  });

  await test("New Research from the palette creates the research from its template and opens it", async () => {
    await wb.openFile(k8sPlan);
    await wb.command("Agentops: New Research");
    await wb.answer("Edge cache");
    await wb.activeTab("edge-cache");
    const research = "agentops/infrastructure-ops/research/edge-cache-research.md";
    await wb.saveUntil(research, () => fs.existsSync(fileOf(research)) && /edge cache/i.test(read(research)));
  });

  await test("Approve from the palette records who and when", async () => {
    const rel = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md";
    await wb.openFile(rel);
    await wb.command("Agentops: Approve (records who and when)");
    await wb.saveUntil("approved_by", () => read(rel).includes("approved_by: Suite Tester"));
  });

  await test("Route to Another Flavor, then Acknowledge Routed Source after the source changed", async () => {
    const spec = "agentops/product-dev/specs/2025-11-06-user-authentication/spec.md";
    const dir = "agentops/infrastructure-ops/research";
    const existing = new Set(fs.readdirSync(fileOf(dir)));
    // One spec.md tab only: the tabs are how the test moves between the two files.
    await wb.command("View: Close All Editors");
    await wb.openFile(spec);
    await wb.command("Agentops: Route to Another Flavor…");
    await wb.pickRow("infrastructure-ops");
    const created = await waitFor("the routed research", () => fs.readdirSync(fileOf(dir)).find((f) => !existing.has(f)));
    const routed = `${dir}/${created}`;
    // The route edits both files (the target's routed_from, the source's routes): save them.
    // The server shows the new file; Quick Open may not index it yet, its tab is there.
    const tab = () => page.locator(".tabs-container .tab", { hasText: created }).first().click();
    await wb.activeTab(created);
    await wb.saveUntil(routed, () => read(routed).includes("routed_from"));
    await page.locator(".tabs-container .tab", { hasText: "spec.md" }).first().click();
    await wb.activeTab("spec.md");
    await wb.saveUntil(spec, () => read(spec).includes(created));
    if (!read(routed).includes("routed_from")) throw new Error(`${routed} records no routed_from`);
    if (!read(spec).includes(created)) throw new Error(`the spec does not route to ${created}`);
    // The product team edits the spec: the route goes stale on the ops side.
    await page.keyboard.press("Control+End");
    await page.keyboard.type("\nA new requirement the ops research has not read yet.\n");
    await wb.saveUntil("the spec's new requirement", () => read(spec).includes("A new requirement"));
    const stale = (ms) => ms.some((m) => m.path === routed && /changed since it was acknowledged/.test(m.message));
    await tab();
    const shown = await wb.problems({ filter: created, expect: stale });
    if (!stale(shown)) throw new Error(`no route-stale on the routed research: ${shown.map(key).join("; ")}`);
    await tab();
    await wb.activeTab(created);
    const before = read(routed);
    await wb.command("Agentops: Acknowledge Routed Source");
    await wb.saveUntil("routed_from updated", () => read(routed) !== before);
    const left = await wb.problems({ filter: created, expect: (ms) => !stale(ms) });
    if (stale(left)) throw new Error("the route is still stale after Acknowledge");
  });

  await test("Getting Started walkthrough: its steps are shown", async () => {
    await wb.command("Welcome: Open Walkthrough...");
    await wb.pickRow("Get started with agentops");
    for (const step of ["See what the server found", "Where each work item stands", "Which specs touch this code"]) {
      await page.locator(".getting-started-step", { hasText: step }).first().waitFor({ timeout: 30_000 });
    }
  });
} catch (e) {
  results.failed++;
  console.log(`not ok - the suite could not run: ${e instanceof Error ? e.stack : String(e)}`);
  await page?.screenshot({ path: path.join(artifacts, "suite-error.png") }).catch(() => undefined);
} finally {
  await cleanup();
}
if (results.failed > 0) console.log(`screenshots and logs: ${artifacts}`);
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed > 0 ? 1 : 0);
