// The "Agentops Status" tree view and the status-bar item, both fed by `agentops/status`.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { describeError, requestStatus } from "./client";
import { buildTree, phaseOfFile, type StatusNode, type StatusReport, statusBarText } from "./statusTree";

export class StatusTreeProvider implements vscode.TreeDataProvider<StatusNode> {
  private readonly changed = new vscode.EventEmitter<StatusNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: StatusNode[] = [];

  constructor(private readonly client: LanguageClient) {}

  /// Asks the server again; resolves to the new top-level nodes.
  async refresh(): Promise<StatusNode[]> {
    try {
      this.nodes = buildTree(await requestStatus(this.client));
    } catch (e) {
      this.nodes = [{ kind: "root", label: describeError(e, "Status"), icon: "error", children: [] }];
    }
    this.changed.fire(undefined);
    return this.nodes;
  }

  getTreeItem(node: StatusNode): vscode.TreeItem {
    const state =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.kind === "flavor" || node.kind === "root"
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.description = node.description;
    item.tooltip = node.tooltip;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    item.contextValue = `agentops.${node.kind}`;
    if (node.file) {
      const uri = vscode.Uri.file(node.file);
      item.resourceUri = uri;
      item.command = { command: "vscode.open", title: "Open", arguments: [uri] };
    }
    return item;
  }

  getChildren(node?: StatusNode): StatusNode[] {
    return node ? node.children : this.nodes;
  }
}

/// Shows the phase of the active markdown artifact; hidden for other files.
export class PhaseStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem("agentops.phase", vscode.StatusBarAlignment.Left, 50);
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(private readonly client: LanguageClient) {
    this.item.name = "agentops phase";
    this.item.command = "agentops.editor.showStatus";
  }

  /// Re-reads soon: edits arrive in bursts, and the server debounces them too.
  schedule(delayMs = 400): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delayMs);
  }

  async update(): Promise<void> {
    const generation = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== "file" || doc.languageId !== "markdown") {
      this.item.hide();
      return;
    }
    let report: StatusReport;
    try {
      report = await requestStatus(this.client, doc.uri);
    } catch {
      this.item.hide();
      return;
    }
    // A newer update started while this one waited: its answer wins.
    if (generation !== this.generation) return;
    const fp = phaseOfFile(report, doc.uri.fsPath);
    if (!fp) {
      this.item.hide();
      return;
    }
    const { text, tooltip } = statusBarText(fp);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
  }
}
