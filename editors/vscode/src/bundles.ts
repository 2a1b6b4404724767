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

// Why a typed name cannot be a bundle name, or undefined when it may be one.
export function bundleNameProblem(name: string): string | undefined {
  const n = name.trim();
  if (n.length === 0) return "A bundle needs a name, e.g. k8s-upgrade-plan.";
  if (/[\\/]/.test(n) || n.includes("..")) return "A bundle name is a file name: no `/`, `\\` or `..`.";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n)) return "Use letters, digits, `-`, `_` and `.` (the pattern is <topic>-<type>[-vN]).";
  return undefined;
}

// `<topic>-<type>`: the work item of the current file and the phase it belongs to.
export function suggestBundleName(fp: FilePhase | undefined): string {
  if (!fp) return "";
  const type = fp.phase?.id ?? fp.item.current ?? "";
  const key = fp.item.key.replace(/[^A-Za-z0-9._-]+/g, "-");
  return type ? `${key}-${type}` : key;
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
