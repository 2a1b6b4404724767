import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { buildTree, itemFacts, itemFile, phaseOfFile, type RootReport, type StatusReport, statusBarText } from "../../src/statusTree";

const repo = path.resolve(__dirname, "../../../../..");

const k8s = {
  flavor: "infrastructure-ops",
  key: "k8s-upgrade",
  phases: [
    { id: "research", title: "Research", status: "done" as const, detail: "complete", artifacts: ["agentops/infrastructure-ops/research/k8s-upgrade-research.md"] },
    { id: "plan", title: "Plan", status: "done" as const, detail: "Approved", artifacts: ["agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"] },
    { id: "implement", title: "implement", status: "not-started" as const, detail: null, artifacts: [] },
  ],
  current: "implement",
  blockers: ["create reports/k8s-upgrade-report.md (/implement)"],
  artifacts: ["agentops/infrastructure-ops/research/k8s-upgrade-research.md", "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"],
  timeline: "✓ research (complete) · ✓ plan (Approved) · → implement",
};

const report: StatusReport = {
  roots: [{ root: "/w/my-startup", flavors: [{ name: "infrastructure-ops", title: "Infrastructure operations", items: [k8s] }] }],
};

test("one root: flavors → work items → phases → artifacts", () => {
  const tree = buildTree(report);
  assert.equal(tree.length, 1);
  const [flavor] = tree;
  assert.equal(flavor.kind, "flavor");
  assert.equal(flavor.label, "infrastructure-ops");
  const [item] = flavor.children;
  assert.deepEqual([item.kind, item.label, item.description], ["item", "k8s-upgrade", "→ implement"]);
  assert.equal(item.tooltip, "✓ research (complete) · ✓ plan (Approved) · → implement\ncreate reports/k8s-upgrade-report.md (/implement)");
  assert.deepEqual(
    item.children.map((p) => [p.label, p.description]),
    [
      ["✓ research", "Research — complete"],
      ["✓ plan", "Plan — Approved"],
      ["→ implement", ""],
    ],
  );
  assert.equal(item.children[2].tooltip, "create reports/k8s-upgrade-report.md (/implement)");
  const [artifact] = item.children[1].children;
  assert.deepEqual([artifact.kind, artifact.label, artifact.file], [
    "artifact",
    "k8s-upgrade-plan.md",
    path.join("/w/my-startup", "agentops", "infrastructure-ops", "plans", "k8s-upgrade-plan.md"),
  ]);
});

test("several roots: one node per root above its flavors", () => {
  const two: StatusReport = { roots: [report.roots[0], { root: "/w/other", flavors: [] }] };
  const tree = buildTree(two);
  assert.deepEqual(tree.map((n) => [n.kind, n.label, n.children.length]), [
    ["root", "my-startup", 1],
    ["root", "other", 0],
  ]);
  assert.deepEqual(buildTree({ roots: [] }), []);
});

test("a file's phase, and the status bar text for it", () => {
  const plan = phaseOfFile(report, "/w/my-startup/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md", "linux");
  assert.ok(plan);
  assert.equal(plan.phase?.id, "plan");
  assert.deepEqual(statusBarText(plan), {
    text: "$(milestone) plan ✓ · next implement",
    tooltip: "infrastructure-ops / k8s-upgrade\n✓ research (complete) · ✓ plan (Approved) · → implement\ncreate reports/k8s-upgrade-report.md (/implement)",
  });
  assert.equal(phaseOfFile(report, "/w/my-startup/README.md", "linux"), undefined);
  assert.equal(phaseOfFile(report, "/w/elsewhere/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md", "linux"), undefined);
});

test("the current phase's own artifact shows → without a 'next'", () => {
  const item = { ...k8s, current: "plan", phases: k8s.phases.map((p) => (p.id === "plan" ? { ...p, status: "in-progress" as const } : p)) };
  const r: StatusReport = { roots: [{ root: "/w", flavors: [{ name: "infrastructure-ops", title: "", items: [item] }] }] };
  const fp = phaseOfFile(r, "/w/agentops/infrastructure-ops/plans/k8s-upgrade-plan.md", "linux");
  assert.ok(fp);
  assert.equal(statusBarText(fp).text, "$(milestone) plan →");
});

test("Windows paths compare case-insensitively", () => {
  const r: StatusReport = { roots: [{ ...report.roots[0], root: "C:\\w\\my-startup" }] };
  const fp = phaseOfFile(r, "c:\\W\\my-startup\\agentops\\infrastructure-ops\\plans\\k8s-upgrade-plan.md", "win32");
  assert.equal(fp?.phase?.id, "plan");
});

// The tree built from what the real server reports on examples/my-startup, so the types
// above cannot drift from the server's JSON unnoticed.
const binary = process.env.AGENTOPS_LSP ?? path.join(repo, "target", "release", "agentops-lsp");
test("the real report of examples/my-startup", { skip: fs.existsSync(binary) ? false : `no server binary at ${binary} (cargo build --release, or set AGENTOPS_LSP)` }, () => {
  const root = path.join(repo, "examples", "my-startup");
  const json = execFileSync(binary, ["status", root, "--json"], { encoding: "utf8" });
  const one = JSON.parse(json) as RootReport;
  const tree = buildTree({ roots: [one] });
  assert.deepEqual(tree.map((f) => f.label), ["product-dev", "infrastructure-ops", "context-bundles"]);
  const infra = tree[1];
  const k8sNode = infra.children.find((i) => i.label === "k8s-upgrade");
  assert.ok(k8sNode, "k8s-upgrade work item");
  // Days in the phase come from the files' git history: present in a clone, not in a copy.
  assert.match(k8sNode.description ?? "", /^→ implement( · \d+d)?$/);
  assert.deepEqual(k8sNode.children.map((p) => p.label), ["✓ research", "✓ plan", "→ implement"]);
  const fp = phaseOfFile({ roots: [{ ...one, root }] }, path.join(root, "agentops/infrastructure-ops/plans/monitoring-plan.md"));
  assert.ok(fp);
  assert.equal(statusBarText(fp).text, "$(milestone) plan →");
});

test("an item opens its current file and shows the dashboard's facts", () => {
  const item = { ...k8s, attention: "blocked" as const, started: "2025-11-04", last_change: "2025-11-06", days_in_phase: 9, tasks: { done: 7, total: 21 }, approvals: [{ artifact: "a.md", by: "Ada", at: null }], stale_bundles: ["k8s-upgrade-plan"], routes_awaiting: [] };
  assert.equal(itemFile(item), "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md");
  assert.deepEqual(itemFacts(item), ["started 2025-11-04", "last change 2025-11-06", "9 days in implement", "tasks 7/21", "approved by Ada", "stale bundle k8s-upgrade-plan"]);
  const tree = buildTree({ roots: [{ root: "/w/my-startup", flavors: [{ name: "infrastructure-ops", title: "I", items: [item] }] }] });
  const node = tree[0].children[0];
  assert.equal(node.description, "! → implement · 7/21 · 9d");
  assert.equal(node.file, path.join("/w/my-startup", "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"));
  assert.equal(node.icon, "warning");
});
