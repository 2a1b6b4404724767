// The `agentops/status` report (docs/phases.md) as a tree — flavors → work items → phases
// → artifacts — and the phase of one file for the status bar. Pure (no vscode import).
import * as path from "node:path";

export type PhaseStatus = "done" | "in-progress" | "not-started" | "skipped";

export interface PhaseReport {
  id: string;
  title: string;
  status: PhaseStatus;
  detail: string | null;
  artifacts: string[];
}

export interface ItemReport {
  flavor: string;
  key: string;
  phases: PhaseReport[];
  current: string | null;
  blockers: string[];
  artifacts: string[];
  timeline: string;
}

export interface FlavorReport {
  name: string;
  title: string;
  items: ItemReport[];
}

export interface RootReport {
  root: string;
  flavors: FlavorReport[];
}

export interface StatusReport {
  roots: RootReport[];
}

export type NodeKind = "root" | "flavor" | "item" | "phase" | "artifact";

export interface StatusNode {
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  // A codicon name.
  icon?: string;
  // Absolute path of the file this node opens (artifact nodes).
  file?: string;
  children: StatusNode[];
}

// The mark docs/phases.md uses in timelines.
export function phaseMark(status: PhaseStatus, current: boolean): string {
  switch (status) {
    case "done":
      return "✓";
    case "skipped":
      return "–";
    case "in-progress":
      return current ? "→" : "…";
    case "not-started":
      return current ? "→" : "·";
  }
}

function phaseIcon(status: PhaseStatus, current: boolean): string {
  if (status === "done") return "pass";
  if (current) return "arrow-right";
  if (status === "in-progress") return "loading";
  if (status === "skipped") return "debug-step-over";
  return "circle-large-outline";
}

function artifactNode(root: string, rel: string): StatusNode {
  return {
    kind: "artifact",
    label: path.posix.basename(rel),
    description: path.posix.dirname(rel),
    icon: "markdown",
    file: path.join(root, ...rel.split("/")),
    children: [],
  };
}

function phaseNode(root: string, item: ItemReport, ph: PhaseReport): StatusNode {
  const current = item.current === ph.id;
  const mark = phaseMark(ph.status, current);
  return {
    kind: "phase",
    label: `${mark} ${ph.id}`,
    description: [ph.title !== ph.id ? ph.title : "", ph.detail ?? ""].filter(Boolean).join(" — "),
    tooltip: current && item.blockers.length > 0 ? item.blockers.join("\n") : `${ph.title}: ${ph.status}`,
    icon: phaseIcon(ph.status, current),
    children: ph.artifacts.map((a) => artifactNode(root, a)),
  };
}

function itemNode(root: string, item: ItemReport): StatusNode {
  const description = item.current === null ? "complete" : `→ ${item.current}`;
  return {
    kind: "item",
    label: item.key,
    description,
    tooltip: [item.timeline, ...item.blockers].join("\n"),
    icon: item.current === null ? "check-all" : "milestone",
    children: item.phases.map((ph) => phaseNode(root, item, ph)),
  };
}

function flavorNodes(r: RootReport): StatusNode[] {
  return r.flavors.map((f) => ({
    kind: "flavor",
    label: f.name,
    description: f.title,
    icon: "symbol-namespace",
    children: f.items.map((i) => itemNode(r.root, i)),
  }));
}

// One root: its flavors at the top. Several: one node per root above them.
export function buildTree(report: StatusReport): StatusNode[] {
  const roots = report.roots ?? [];
  if (roots.length === 1) {
    return flavorNodes(roots[0]);
  }
  return roots.map((r) => ({
    kind: "root",
    label: path.basename(r.root) || r.root,
    description: r.root,
    icon: "root-folder",
    children: flavorNodes(r),
  }));
}

export interface FilePhase {
  root: string;
  flavor: string;
  item: ItemReport;
  // The phase whose artifacts include the file (none for a file outside every phase).
  phase: PhaseReport | undefined;
}

function samePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  return platform === "win32" || platform === "darwin" ? a.toLowerCase() === b.toLowerCase() : a === b;
}

// The work item and phase that a file belongs to, found by its path relative to its root.
export function phaseOfFile(
  report: StatusReport,
  file: string,
  platform: NodeJS.Platform = process.platform,
): FilePhase | undefined {
  const p = platform === "win32" ? path.win32 : path.posix;
  for (const r of report.roots ?? []) {
    const rel = p.relative(r.root, file);
    if (rel === "" || rel.startsWith("..") || p.isAbsolute(rel)) continue;
    const relPosix = rel.split(p.sep).join("/");
    for (const f of r.flavors) {
      for (const item of f.items) {
        if (!item.artifacts.some((a) => samePath(a, relPosix, platform))) continue;
        const phase = item.phases.find((ph) => ph.artifacts.some((a) => samePath(a, relPosix, platform)));
        return { root: r.root, flavor: f.name, item, phase };
      }
    }
  }
  return undefined;
}

// The status bar's text and tooltip for a file's phase.
export function statusBarText(fp: FilePhase): { text: string; tooltip: string } {
  const { item, phase } = fp;
  const here = phase ? `${phase.id} ${phaseMark(phase.status, item.current === phase.id)}` : item.key;
  let next = "";
  if (item.current === null) {
    next = " · complete";
  } else if (!phase || item.current !== phase.id) {
    next = ` · next ${item.current}`;
  }
  const tooltip = [`${fp.flavor} / ${item.key}`, item.timeline, ...item.blockers].join("\n");
  return { text: `$(milestone) ${here}${next}`, tooltip };
}
