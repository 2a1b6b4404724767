// The palette commands. Each takes optional arguments that skip its prompts (the
// integration suite and keybindings use them) and returns what the server answered.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import {
  BUNDLE_TYPES,
  type BundleEntry,
  bundleNameProblem,
  bundlePickItems,
  type LoadResult,
  loadMessage,
  type SaveResult,
  saveMessage,
  suggestBundleName,
} from "./bundles";
import { describeError, executeCommand, requestStatus } from "./client";
import { acknowledge, route } from "./routeCommands";
import { noSpecsMessage, type SpecPick, type SpecsForPath, specPickItems } from "./specs";
import type { PhaseStatusBar, StatusTreeProvider } from "./statusView";
import { phaseOfFile } from "./statusTree";

interface Deps {
  client: LanguageClient;
  tree: StatusTreeProvider;
  statusBar: PhaseStatusBar;
}

function activeArtifact(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === "file" && doc.languageId === "markdown") return doc;
  void vscode.window.showWarningMessage("agentops: open a markdown artifact first.");
  return undefined;
}

async function saveBundle(d: Deps, args?: { name?: string; overwrite?: boolean }): Promise<SaveResult | undefined> {
  const doc = activeArtifact();
  if (!doc) return undefined;
  let name = args?.name;
  if (name === undefined) {
    let suggestion = "";
    try {
      suggestion = suggestBundleName(phaseOfFile(await requestStatus(d.client, doc.uri), doc.uri.fsPath));
    } catch {
      // No suggestion: the user types the whole name.
    }
    name = await vscode.window.showInputBox({
      title: "Save Bundle",
      prompt: `Bundle name, <topic>-<type>[-vN] with a type such as ${BUNDLE_TYPES.join(", ")}; made from this file's work item`,
      value: suggestion,
      valueSelection: [suggestion.length, suggestion.length],
      validateInput: (v) => bundleNameProblem(v),
    });
    if (name === undefined) return undefined;
  }
  const params = { name: name.trim(), uri: doc.uri.toString(), overwrite: args?.overwrite ?? false };
  try {
    const r = await executeCommand<SaveResult>(d.client, "agentops.bundleSave", [params]);
    void vscode.window.showInformationMessage(saveMessage(r));
    return r;
  } catch (e) {
    if (args?.name !== undefined) throw e;
    const again = await vscode.window.showErrorMessage(describeError(e, "Save Bundle"), "Overwrite");
    if (again === "Overwrite") return saveBundle(d, { name: params.name, overwrite: true });
    return undefined;
  }
}

async function loadBundle(d: Deps, args?: { name?: string }): Promise<LoadResult | undefined> {
  let name = args?.name;
  if (name === undefined) {
    const uri = vscode.window.activeTextEditor?.document.uri;
    let list: BundleEntry[];
    try {
      list = await executeCommand<BundleEntry[]>(d.client, "agentops.bundleList", [uri ? { uri: uri.toString() } : {}]);
    } catch (e) {
      void vscode.window.showErrorMessage(describeError(e, "Load Bundle"));
      return undefined;
    }
    if (list.length === 0) {
      void vscode.window.showInformationMessage("agentops: no bundles saved yet (.agentops/bundles/ is empty).");
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(bundlePickItems(list), { title: "Load Bundle" });
    if (!pick) return undefined;
    name = pick.name;
  }
  try {
    // The server opens the digest itself (window/showDocument).
    // The uri picks the root when several workspace folders are open.
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const r = await executeCommand<LoadResult>(d.client, "agentops.bundleLoad", [uri ? { name, uri } : { name }]);
    const m = loadMessage(r);
    if (m.warning) void vscode.window.showWarningMessage(m.text);
    else void vscode.window.showInformationMessage(m.text);
    return r;
  } catch (e) {
    if (args?.name !== undefined) throw e;
    void vscode.window.showErrorMessage(describeError(e, "Load Bundle"));
    return undefined;
  }
}

interface AdvanceResult {
  applied: boolean;
  reason?: string;
}

async function advancePhase(d: Deps, args?: { uri?: string }): Promise<AdvanceResult | undefined> {
  const uri = args?.uri ?? activeArtifact()?.uri.toString();
  if (!uri) return undefined;
  // On a roadmap the server starts the item under the cursor.
  const editor = vscode.window.activeTextEditor;
  const at = editor && editor.document.uri.toString() === uri ? editor.selection.active : undefined;
  const position = at ? d.client.code2ProtocolConverter.asPosition(at) : undefined;
  try {
    const r = await executeCommand<AdvanceResult>(d.client, "agentops.advancePhase", [{ uri, position }]);
    if (r.applied) {
      void vscode.window.showInformationMessage(`agentops: advanced${r.reason ? ` — ${r.reason}` : ""}.`);
    } else {
      void vscode.window.showWarningMessage(`agentops: not advanced — ${r.reason ?? "nothing to do"}.`);
    }
    void d.tree.refresh();
    d.statusBar.schedule(0);
    return r;
  } catch (e) {
    if (args?.uri !== undefined) throw e;
    void vscode.window.showErrorMessage(describeError(e, "Advance Phase"));
    return undefined;
  }
}

interface ApproveResult {
  applied: boolean;
  approved_by?: string;
  approved_at?: string;
  reason?: string | null;
}

// A human approves the active artifact: the server records who and when, and refuses
// (with the reason) while a sign-off box is open or a template placeholder is left.
async function approve(d: Deps, args?: { uri?: string; by?: string }): Promise<ApproveResult | undefined> {
  const uri = args?.uri ?? activeArtifact()?.uri.toString();
  if (!uri) return undefined;
  try {
    const r = await executeCommand<ApproveResult>(d.client, "agentops.approve", [{ uri, by: args?.by }]);
    if (r.applied) {
      void vscode.window.showInformationMessage(`agentops: approved by ${r.approved_by} at ${r.approved_at}.`);
    } else {
      void vscode.window.showWarningMessage(`agentops: not approved — ${r.reason ?? "nothing to do"}.`);
    }
    void d.tree.refresh();
    d.statusBar.schedule(0);
    return r;
  } catch (e) {
    if (args?.uri !== undefined) throw e;
    void vscode.window.showErrorMessage(describeError(e, "Approve"));
    return undefined;
  }
}

interface NewResult {
  applied: boolean;
  title?: string;
  uri?: string | null;
  reason?: string | null;
}

// "New Spec" / "New Research" / "New Plan": asks for a title, and the server creates the
// artifact from its flavor's template (agentops.new) and shows it. The flavor is the
// active file's when it is an artifact, else the first in use that has the kind.
async function newArtifact(
  d: Deps,
  kind: "spec" | "research" | "plan",
  args?: { title?: string; uri?: string },
): Promise<NewResult | undefined> {
  let title = args?.title;
  if (title === undefined) {
    title = await vscode.window.showInputBox({
      title: `New ${kind}`,
      prompt: `Title of the new ${kind}; it also names its file or folder`,
      validateInput: (v) => (/[\p{L}\p{N}]/u.test(v) ? undefined : "a title needs a letter or digit"),
    });
    if (title === undefined) return undefined;
  }
  const doc = vscode.window.activeTextEditor?.document;
  const uri = args?.uri ?? (doc?.uri.scheme === "file" ? doc.uri.toString() : undefined);
  try {
    const r = await executeCommand<NewResult>(d.client, "agentops.new", [{ kind, title: title.trim(), uri }]);
    if (!r.applied) {
      void vscode.window.showWarningMessage(`agentops: nothing created — ${r.reason ?? "nothing to do"}.`);
    }
    void d.tree.refresh();
    d.statusBar.schedule(0);
    return r;
  } catch (e) {
    if (args?.title !== undefined) throw e;
    void vscode.window.showErrorMessage(describeError(e, `New ${kind}`));
    return undefined;
  }
}

async function showStatus(d: Deps): Promise<number> {
  await vscode.commands.executeCommand("agentops.status.focus");
  return (await d.tree.refresh()).length;
}

// `menu`: called from a context menu with the clicked file, so errors are shown, not thrown.
async function showSpecs(
  d: Deps,
  args?: { uri?: string; pick?: boolean; menu?: boolean },
): Promise<SpecPick[] | undefined> {
  const uri = args?.uri ? vscode.Uri.parse(args.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== "file") {
    void vscode.window.showWarningMessage("agentops: open a file of the workspace first.");
    return undefined;
  }
  let answer: SpecsForPath | null;
  try {
    answer = await d.client.sendRequest<SpecsForPath | null>("agentops/specsForPath", { uri: uri.toString() });
  } catch (e) {
    if (args?.uri !== undefined && !args.menu) throw e;
    void vscode.window.showErrorMessage(describeError(e, "Show Specs"));
    return undefined;
  }
  const items = specPickItems(answer);
  if (args?.pick === false) return items;
  if (items.length === 0) {
    void vscode.window.showInformationMessage(noSpecsMessage(answer, vscode.workspace.asRelativePath(uri)));
    return items;
  }
  const chosen = await vscode.window.showQuickPick(items, { title: `Specs for ${answer?.path ?? ""}` });
  if (chosen) {
    const target = vscode.Uri.parse(chosen.uri);
    const selection = chosen.range
      ? new vscode.Range(
          chosen.range.start.line,
          chosen.range.start.character,
          chosen.range.end.line,
          chosen.range.end.character,
        )
      : undefined;
    await vscode.window.showTextDocument(target, { selection });
  }
  return items;
}

export function registerCommands(d: Deps): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  return [
    reg("agentops.editor.saveBundle", (args?: { name?: string; overwrite?: boolean }) => saveBundle(d, args)),
    reg("agentops.editor.loadBundle", (args?: { name?: string }) => loadBundle(d, args)),
    reg("agentops.editor.advancePhase", (args?: { uri?: string }) => advancePhase(d, args)),
    reg("agentops.editor.approve", (args?: { uri?: string; by?: string }) => approve(d, args)),
    reg("agentops.editor.newSpec", (args?: { title?: string; uri?: string }) => newArtifact(d, "spec", args)),
    reg("agentops.editor.newResearch", (args?: { title?: string; uri?: string }) =>
      newArtifact(d, "research", args),
    ),
    reg("agentops.editor.newPlan", (args?: { title?: string; uri?: string }) => newArtifact(d, "plan", args)),
    reg("agentops.editor.showStatus", () => showStatus(d)),
    reg("agentops.editor.refreshStatus", () => d.tree.refresh()),
    reg("agentops.editor.showSpecs", (args?: { uri?: string; pick?: boolean }) => showSpecs(d, args)),
    // From a context menu: VS Code passes the file (or folder) clicked.
    reg("agentops.editor.showSpecsForFile", (target?: vscode.Uri) => showSpecs(d, { uri: target?.toString(), menu: true })),
    reg("agentops.editor.route", (args?: { uri?: string; flavor?: string }) => route(d.client, args)),
    reg("agentops.editor.acknowledge", (args?: { uri?: string; source?: string }) => acknowledge(d.client, args)),
  ];
}
