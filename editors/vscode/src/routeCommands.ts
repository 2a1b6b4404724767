// "Route to Another Flavor…" and "Acknowledge Routed Source": cross-flavor routes
// (docs/links.md#cross-flavor-routes) from the palette and the editor's context menu. Like
// the other commands, optional arguments skip the prompts and errors then propagate.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { describeError, executeCommand, requestStatus } from "./client";

interface RouteResult {
  applied: boolean;
  uri?: string;
  reason?: string | null;
}

interface AcknowledgeResult {
  applied: boolean;
  acknowledged?: string[];
  reason?: string | null;
}

function markdownUri(explicit?: string): string | undefined {
  if (explicit) return explicit;
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === "file" && doc.languageId === "markdown") return doc.uri.toString();
  void vscode.window.showWarningMessage("agentops: open a markdown artifact first.");
  return undefined;
}

// The flavors a route can go to: those in use in the file's root, bundles aside (a
// bundle is a digest, never follow-up work). The server says why when one has no routes.
async function pickFlavor(client: LanguageClient, uri: string): Promise<string | undefined> {
  const report = await requestStatus(client, vscode.Uri.parse(uri));
  const names = report.roots
    .flatMap((r) => r.flavors)
    .map((f) => f.name)
    .filter((n, i, all) => n !== "context-bundles" && all.indexOf(n) === i);
  const pick = await vscode.window.showQuickPick(names, { title: "Route to flavor" });
  return pick;
}

export async function route(
  client: LanguageClient,
  args?: { uri?: string; flavor?: string },
): Promise<RouteResult | undefined> {
  const uri = markdownUri(args?.uri);
  if (!uri) return undefined;
  try {
    const flavor = args?.flavor ?? (await pickFlavor(client, uri));
    if (!flavor) return undefined;
    const r = await executeCommand<RouteResult>(client, "agentops.route", [{ uri, flavor }]);
    if (!r.applied) void vscode.window.showWarningMessage(`agentops: not routed — ${r.reason ?? "nothing to do"}.`);
    return r;
  } catch (e) {
    if (args?.flavor !== undefined) throw e;
    void vscode.window.showErrorMessage(describeError(e, "Route"));
    return undefined;
  }
}

export async function acknowledge(
  client: LanguageClient,
  args?: { uri?: string; source?: string },
): Promise<AcknowledgeResult | undefined> {
  const uri = markdownUri(args?.uri);
  if (!uri) return undefined;
  try {
    const r = await executeCommand<AcknowledgeResult>(client, "agentops.acknowledge", [
      args?.source ? { uri, source: args.source } : { uri },
    ]);
    if (r.applied) {
      void vscode.window.showInformationMessage(`agentops: acknowledged ${r.acknowledged?.join(", ") || "the source"}.`);
    } else {
      void vscode.window.showWarningMessage(`agentops: nothing acknowledged — ${r.reason ?? "nothing to do"}.`);
    }
    return r;
  } catch (e) {
    if (args?.uri !== undefined) throw e;
    void vscode.window.showErrorMessage(describeError(e, "Acknowledge"));
    return undefined;
  }
}
