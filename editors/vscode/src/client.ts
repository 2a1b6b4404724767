// Starting the language client, and the calls the UI makes to the server.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  ResponseError,
  type ServerOptions,
} from "vscode-languageclient/node";

import { binaryName, type Resolution, resolveServer } from "./serverPath";
import type { StatusReport } from "./statusTree";

export const CLIENT_ID = "agentops";

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// A packaging step that dropped the executable bit must not hide the bundled binary.
function restoreExecutable(file: string): void {
  if (process.platform === "win32") return;
  try {
    if (fs.statSync(file).isFile() && !isExecutable(file)) fs.chmodSync(file, 0o755);
  } catch {
    // Absent or not ours to change: resolution reports what it finds.
  }
}

export function findServer(context: vscode.ExtensionContext): Resolution {
  restoreExecutable(path.join(context.extensionPath, "server", binaryName(process.platform)));
  const config = vscode.workspace.getConfiguration("agentops");
  return resolveServer({
    setting: config.get<string>("server.path"),
    extensionPath: context.extensionPath,
    platform: process.platform,
    pathEnv: process.env.PATH,
    pathExt: process.env.PATHEXT,
    homeDir: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isExecutable,
  });
}

export function createClient(serverPath: string, output: vscode.OutputChannel): LanguageClient {
  const serverOptions: ServerOptions = {
    command: serverPath,
    args: ["serve"],
  };
  const config = vscode.workspace.getConfiguration("agentops");
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "markdown" }],
    initializationOptions: { debounceMs: config.get<number>("debounceMs", 50) },
    // The server reads section `agentops` through workspace/configuration; this tells it
    // to read again when the user changes a setting.
    synchronize: { configurationSection: "agentops" },
    outputChannel: output,
  };
  return new LanguageClient(CLIENT_ID, "agentops", serverOptions, clientOptions);
}

/// A server error, or a missing method on an older server, as one readable sentence.
export function describeError(e: unknown, what: string): string {
  if (e instanceof ResponseError) {
    if (e.code === -32601) {
      return `${what}: this agentops-lsp does not support it yet (update the server).`;
    }
    return `${what}: ${e.message}`;
  }
  return `${what}: ${e instanceof Error ? e.message : String(e)}`;
}

export async function executeCommand<T>(client: LanguageClient, command: string, args: unknown[]): Promise<T> {
  return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
}

export async function requestStatus(client: LanguageClient, uri?: vscode.Uri): Promise<StatusReport> {
  const params = uri ? { uri: uri.toString() } : {};
  return await client.sendRequest<StatusReport>("agentops/status", params);
}
