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
  // Since issue 19 (docs/status.schema.json); optional so older servers still show.
  attention?: "stale" | "awaiting" | "blocked" | "in-progress" | "ready" | "done";
  started?: string | null;
  last_change?: string | null;
  days_in_phase?: number | null;
  approvals?: { artifact: string; by: string; at: string | null }[];
  tasks?: { done: number; total: number } | null;
  stale_bundles?: string[];
  routes_awaiting?: string[];
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

// The file an item opens: its current phase's first artifact, else its last one.
export function itemFile(item: ItemReport): string | undefined {
  const here = item.phases.find((ph) => ph.id === item.current && ph.artifacts.length > 0);
  return here ? here.artifacts[0] : item.artifacts[item.artifacts.length - 1];
}

// Dates, tasks, approvals and flags of an item, as `status` prints them.
export function itemFacts(item: ItemReport): string[] {
  const facts: string[] = [];
  if (item.started) facts.push(`started ${item.started}`);
  if (item.last_change) facts.push(`last change ${item.last_change}`);
  if (item.days_in_phase !== undefined && item.days_in_phase !== null && item.current !== null) {
    facts.push(`${item.days_in_phase} days in ${item.current}`);
  }
  if (item.tasks) facts.push(`tasks ${item.tasks.done}/${item.tasks.total}`);
  for (const a of item.approvals ?? []) facts.push(`approved by ${a.by}`);
  for (const b of item.stale_bundles ?? []) facts.push(`stale bundle ${b}`);
  for (const r of item.routes_awaiting ?? []) facts.push(`route awaiting acknowledgement from ${r}`);
  return facts;
}

const URGENT = new Set(["stale", "awaiting", "blocked"]);

function itemNode(root: string, item: ItemReport): StatusNode {
  let description = item.current === null ? "complete" : `→ ${item.current}`;
  if (item.tasks) description += ` · ${item.tasks.done}/${item.tasks.total}`;
  if (item.days_in_phase !== undefined && item.days_in_phase !== null && item.current !== null) {
    description += ` · ${item.days_in_phase}d`;
  }
  const file = itemFile(item);
  const urgent = item.attention !== undefined && URGENT.has(item.attention);
  return {
    kind: "item",
    label: item.key,
    description: urgent ? `! ${description}` : description,
    tooltip: [item.timeline, ...item.blockers, ...itemFacts(item)].join("\n"),
    icon: urgent ? "warning" : item.current === null ? "check-all" : "milestone",
    file: file === undefined ? undefined : path.join(root, ...file.split("/")),
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
