// Bundle commands' pure parts: name checks and suggestions, list entries, result messages.
// The server owns the rules (docs/bundles.md); these only catch typos before a round trip.
import type { FilePhase } from "./statusTree";

export interface BundleEntry {
  name: string;
  uri: string;
  type?: string | null;
  tags?: string[] | null;
  stale?: boolean;
}

export interface SaveResult {
  name: string;
  uri: string;
  sources: number;
  original_tokens: number;
  compressed_tokens: number;
  compression_ratio: number;
}

export interface LoadResult {
  name: string;
  uri: string;
  verified: boolean;
  changed: string[];
}

// The bundle types of the built-in flavors (docs/bundles.md); a flavor may declare others,
// so these only shape the suggestion — the server has the last word.
export const BUNDLE_TYPES = ["research", "plan", "implementation", "implementation-progress", "implementation-complete"];

// Why a typed name cannot be a bundle name, or undefined when it may be one (the
// characters only: the server also checks the type suffix against the flavors).
export function bundleNameProblem(name: string): string | undefined {
  const n = name.trim();
  if (n.length === 0) return "A bundle needs a name, e.g. k8s-upgrade-plan.";
  if (/[\\/]/.test(n) || n.includes("..")) return "A bundle name is a file name: no `/`, `\\` or `..`.";
  if (!/^[a-z0-9-]+$/.test(n)) return "Use lowercase letters, digits and hyphens: <topic>-<type>[-vN].";
  if (n.startsWith("-") || n.endsWith("-") || n.includes("--")) return "Hyphens only between words.";
  return undefined;
}

// `<topic>-<type>` from the current file's work item and phase; when the phase is not a
// bundle type, `<topic>-` for the user to finish.
export function suggestBundleName(fp: FilePhase | undefined): string {
  if (!fp) return "";
  const topic = fp.item.key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const phase = fp.phase?.id ?? fp.item.current ?? "";
  const type = BUNDLE_TYPES.includes(phase) ? phase : phase.startsWith("implement") ? "implementation" : "";
  return type ? `${topic}-${type}` : `${topic}-`;
}

export interface PickItem {
  label: string;
  description?: string;
  detail?: string;
  name: string;
}

export function bundlePickItems(list: BundleEntry[]): PickItem[] {
  return list.map((b) => ({
    label: b.stale ? `$(warning) ${b.name}` : b.name,
    description: [b.type ?? "", ...(b.tags ?? []).map((t) => `#${t}`)].filter(Boolean).join(" "),
    detail: b.stale ? "stale: a source changed since it was saved" : undefined,
    name: b.name,
  }));
}

export function saveMessage(r: SaveResult): string {
  const ratio = Number.isFinite(r.compression_ratio) ? r.compression_ratio.toFixed(1) : String(r.compression_ratio);
  return `Saved bundle ${r.name}: ${r.sources} source${r.sources === 1 ? "" : "s"}, ${r.original_tokens} → ${r.compressed_tokens} tokens (${ratio}:1).`;
}

export function loadMessage(r: LoadResult): { text: string; warning: boolean } {
  if (!r.verified) {
    return { text: `Bundle ${r.name} did not verify: its snapshot does not match its sources list.`, warning: true };
  }
  if (r.changed.length > 0) {
    const shown = r.changed.slice(0, 3).join(", ");
    const more = r.changed.length > 3 ? ` and ${r.changed.length - 3} more` : "";
    return { text: `Loaded bundle ${r.name}; changed since it was saved: ${shown}${more}.`, warning: true };
  }
  return { text: `Loaded bundle ${r.name}; its sources are unchanged.`, warning: false };
}
