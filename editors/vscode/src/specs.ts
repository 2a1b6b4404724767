// "Show Specs for Current File": the `agentops/specsForPath` answer as quick-pick entries.
// Pure (no vscode import).

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface SpecRef {
  uri: string;
  path: string;
  flavor: string;
  kind: string;
  workItem: string;
  phase: string | null;
  relation: string;
  // The entry as the artifact wrote it (a path or a glob such as `src/payments/**`).
  declared?: string;
  // The artifact's work item has finished its phases.
  done?: boolean;
  range?: LspRange | null;
}

export interface SpecsForPath {
  path: string;
  artifacts: SpecRef[];
}

export interface SpecPick {
  label: string;
  description: string;
  detail: string;
  uri: string;
  range?: LspRange | null;
}

export function specPickItems(answer: SpecsForPath | null | undefined): SpecPick[] {
  if (!answer) return [];
  return answer.artifacts.map((a) => ({
    label: a.path,
    description: `${a.relation}${a.declared ? ` ${a.declared}` : ""} · ${a.kind}`,
    detail: `${a.flavor} / ${a.workItem} — ${a.done ? "done" : a.phase ? `phase ${a.phase}` : "no phase"}`,
    uri: a.uri,
    range: a.range,
  }));
}

// What to say when nothing declares the file.
export function noSpecsMessage(answer: SpecsForPath | null | undefined, shownPath: string): string {
  if (!answer) return `${shownPath} is outside every agentops root.`;
  return `No spec or plan produces or touches ${answer.path}.`;
}
