// Entry point: finds the server, starts the client, wires the status view, the status bar
// and the palette commands. A restart (command, or a change of agentops.server.path)
// tears the whole session down and builds it again.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { createClient, findServer } from "./client";
import { registerCommands } from "./commands";
import type { Found } from "./serverPath";
import { PhaseStatusBar, StatusTreeProvider } from "./statusView";

// What the extension exports: the integration suite inspects a running session with it.
export interface Api {
  session(): Session | undefined;
  /// Why no session runs (the server was not found), if so.
  problem(): string | undefined;
}

export interface Session {
  server: Found;
  client: LanguageClient;
  tree: StatusTreeProvider;
  statusBar: PhaseStatusBar;
  disposables: vscode.Disposable[];
}

const PALETTE = [
  "agentops.editor.saveBundle",
  "agentops.editor.loadBundle",
  "agentops.editor.advancePhase",
  "agentops.editor.approve",
  "agentops.editor.showStatus",
  "agentops.editor.refreshStatus",
  "agentops.editor.showSpecs",
  "agentops.editor.showSpecsForFile",
  "agentops.editor.route",
  "agentops.editor.acknowledge",
  "agentops.editor.newSpec",
  "agentops.editor.newResearch",
  "agentops.editor.newPlan",
];

let current: Session | undefined;
let problem: string | undefined;
let output: vscode.OutputChannel | undefined;
// Disposes the commands registered in place of the real ones when no server was found.
let stopStubs: (() => void) | undefined;

// No server: the palette commands still answer, with the reason.
function unavailable(message: string): void {
  problem = message;
  current = undefined;
  output?.appendLine(message);
  const stubs = PALETTE.map((id) => vscode.commands.registerCommand(id, () => notFound(message)));
  stopStubs = () => stubs.forEach((s) => s.dispose());
  void notFound(message);
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  output ??= vscode.window.createOutputChannel("agentops");
  const found = findServer(context);
  if (found.kind === "not-found") {
    unavailable(found.message);
    return;
  }
  problem = undefined;
  output.appendLine(`agentops-lsp: ${found.path} (from ${found.source})`);
  const client = createClient(found.path, output);
  try {
    await client.start();
  } catch (e) {
    // A binary that is not agentops-lsp, or one that dies at start: say which, keep the
    // palette answering.
    const message = `agentops-lsp (${found.path}, from ${found.source}) did not start: ${e instanceof Error ? e.message : String(e)}`;
    await client.dispose().catch(() => undefined);
    unavailable(message);
    return;
  }
  const tree = new StatusTreeProvider(client);
  const statusBar = new PhaseStatusBar(client);
  const disposables: vscode.Disposable[] = [
    statusBar,
    vscode.window.registerTreeDataProvider("agentops.status", tree),
    ...registerCommands({ client, tree, statusBar }),
    vscode.window.onDidChangeActiveTextEditor(() => statusBar.schedule(0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) statusBar.schedule();
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.languageId === "markdown") void tree.refresh();
    }),
  ];
  current = { server: found, client, tree, statusBar, disposables };
  await vscode.commands.executeCommand("setContext", "agentops.active", true);
  void tree.refresh();
  statusBar.schedule(0);
}

async function stop(): Promise<void> {
  stopStubs?.();
  stopStubs = undefined;
  const s = current;
  current = undefined;
  if (!s) return;
  s.disposables.forEach((d) => d.dispose());
  await s.client.stop();
}

async function notFound(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, "Open Settings");
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "agentops.server.path");
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<Api> {
  const restart = async () => {
    await stop();
    await start(context);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand("agentops.editor.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("agentops.server.path")) void restart();
    }),
    { dispose: () => void stop() },
  );
  await start(context);
  return { session: () => current, problem: () => problem };
}

export async function deactivate(): Promise<void> {
  await stop();
}
