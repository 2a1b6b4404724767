// The integration suite, run inside VS Code's extension host by runTest.ts. A plain list of
// async tests (no framework): each failure is printed, and run() rejects if any failed.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";

import type { LoadResult, SaveResult } from "../../../src/bundles";
import type { Api } from "../../../src/extension";
import type { SpecPick } from "../../../src/specs";

const ws = process.env.AGENTOPS_TEST_WORKSPACE ?? "";
const file = (rel: string) => vscode.Uri.file(path.join(ws, ...rel.split("/")));

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === "object" ? String(d.code.value) : String(d.code);
}

async function open(rel: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file(rel)));
}

let api: Api;

const tests: [string, () => Promise<void>][] = [
  [
    "activates in a workspace with agentops.toml and starts the server from the setting",
    async () => {
      const ext = vscode.extensions.getExtension<Api>("agentops.agentops-lsp");
      assert.ok(ext, "extension agentops.agentops-lsp is loaded");
      api = await ext.activate();
      assert.equal(api.problem(), undefined);
      assert.equal(api.session()?.server.source, "setting");
    },
  ],
  [
    "diagnostics: a misspelt status is reported at the value",
    async () => {
      await open("agentops/infrastructure-ops/plans/monitoring-plan.md");
      const uri = file("agentops/infrastructure-ops/plans/monitoring-plan.md");
      const d = await waitFor("frontmatter-invalid-value", () =>
        vscode.languages.getDiagnostics(uri).find((x) => codeOf(x) === "frontmatter-invalid-value"),
      );
      assert.equal(d.source, "agentops");
      assert.deepEqual([d.range.start.line, d.range.start.character], [1, 8]);
    },
  ],
  [
    "code action: add the missing section, applied to the document",
    async () => {
      const rel = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md";
      const editor = await open(rel);
      const d = await waitFor("section-missing", () =>
        vscode.languages.getDiagnostics(file(rel)).find((x) => codeOf(x) === "section-missing"),
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        "vscode.executeCodeActionProvider",
        file(rel),
        d.range,
      );
      const add = actions.find((a) => a.title.startsWith("Add missing section"));
      assert.ok(add?.edit, `an "Add missing section" action among: ${actions.map((a) => a.title).join("; ")}`);
      assert.ok(await vscode.workspace.applyEdit(add.edit));
      assert.match(editor.document.getText(), /^## Out of Scope$/m);
      await waitFor("section-missing cleared", () =>
        !vscode.languages.getDiagnostics(file(rel)).some((x) => codeOf(x) === "section-missing") || undefined,
      );
    },
  ],
  [
    "status tree: flavors, then work items, then phases",
    async () => {
      const nodes = (await api.session()?.tree.refresh()) ?? [];
      assert.deepEqual(
        nodes.map((n) => n.label),
        ["product-dev", "infrastructure-ops", "context-bundles"],
      );
      const k8s = nodes[1].children.find((i) => i.label === "k8s-upgrade");
      assert.deepEqual(k8s?.children.map((p) => p.label), ["✓ research", "✓ plan", "→ implement"]);
    },
  ],
  [
    "status bar: the phase of the active artifact",
    async () => {
      await open("agentops/infrastructure-ops/plans/k8s-upgrade-plan.md");
      const bar = api.session()?.statusBar;
      assert.ok(bar);
      await bar.update();
      assert.equal(bar.item.text, "$(milestone) plan ✓ · next implement");
    },
  ],
  [
    "Save Bundle and Load Bundle run the server's bundle commands",
    async () => {
      await open("agentops/infrastructure-ops/plans/k8s-upgrade-plan.md");
      const saved = await vscode.commands.executeCommand<SaveResult>("agentops.editor.saveBundle", {
        name: "k8s-upgrade-implementation",
      });
      assert.ok(saved.sources >= 2, `sources: ${saved.sources}`);
      assert.ok(fs.existsSync(path.join(ws, ".agentops", "bundles", "k8s-upgrade-implementation.md")));
      const loaded = await vscode.commands.executeCommand<LoadResult>("agentops.editor.loadBundle", {
        name: "k8s-upgrade-implementation",
      });
      assert.equal(loaded.verified, true);
      assert.deepEqual(loaded.changed, []);
    },
  ],
  [
    "Advance Phase creates the next artifact",
    async () => {
      const plan = file("agentops/infrastructure-ops/plans/k8s-upgrade-plan.md");
      const r = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>(
        "agentops.editor.advancePhase",
        { uri: plan.toString() },
      );
      assert.equal(r.applied, true, r.reason);
      assert.ok(fs.existsSync(path.join(ws, "agentops", "infrastructure-ops", "reports", "k8s-upgrade-report.md")));
    },
  ],
  [
    "Show Specs for Current File answers for a code file",
    async () => {
      const items = await vscode.commands.executeCommand<SpecPick[]>("agentops.editor.showSpecs", {
        uri: file("src/auth").toString(),
        pick: false,
      });
      assert.ok(items.length > 0, "some artifact declares src/auth");
    },
  ],
  [
    "completion after / in a command block offers the flavor's slash commands",
    async () => {
      const rel = "agentops/infrastructure-ops/research/k8s-upgrade-research.md";
      const editor = await open(rel);
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      await editor.edit((e) => e.insert(end, "\n\n```bash\n/\n```\n"));
      const at = editor.document.lineAt(editor.document.lineCount - 3).range.end;
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        "vscode.executeCompletionItemProvider",
        file(rel),
        at,
        "/",
      );
      const labels = list.items.map((i) => (typeof i.label === "string" ? i.label : i.label.label));
      assert.ok(labels.includes("/plan"), `completions: ${labels.join(", ")}`);
    },
  ],
];

export async function run(): Promise<void> {
  let failed = 0;
  for (const [name, body] of tests) {
    try {
      await body();
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  console.log(`${tests.length - failed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} of ${tests.length} integration tests failed`);
}
