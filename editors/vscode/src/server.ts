/**
 * Owns the language client's lifetime: finds the binary, starts, restarts
 * and stops it, and is the one place the rest of the extension asks the
 * server things through (`workspace/executeCommand`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient, State } from 'vscode-languageclient/node';
import { CANON_COMMAND, type CanonInfo } from './canon';
import { createClient } from './client';
import { type Resolution, resolveServer, SETTING } from './serverPath';
import type { ServerState } from './status';

export class Server implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private state: ServerState = 'stopped';
  /** Starts and restarts run one at a time, however fast settings change. */
  private lifecycle: Promise<void> = Promise.resolve();
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  /** Fires on every start, stop and restart, so views can refresh. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly canonFilesEmitter = new vscode.EventEmitter<void>();
  /** Fires when a canon file the server watches changes: the canon is being reloaded. */
  readonly onDidChangeCanonFiles = this.canonFilesEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get current(): ServerState {
    return this.state;
  }

  start(): Promise<void> {
    return this.serialized(() => this.launch());
  }

  restart(): Promise<void> {
    return this.serialized(async () => {
      await this.stop();
      await this.launch();
    });
  }

  private serialized(task: () => Promise<void>): Promise<void> {
    const run = this.lifecycle.then(task, task);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  /** Where the `goalframe` binary is, found as the server's is (a command runs the same binary). */
  binary(): Resolution {
    return resolveServer({
      configured: vscode.workspace.getConfiguration().get<string>(SETTING) ?? '',
      extensionPath: this.context.extensionPath,
      workspaceRoot: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      homedir: os.homedir(),
      platform: process.platform,
      env: process.env,
      isExecutableFile,
    });
  }

  private async launch(): Promise<void> {
    const resolution = this.binary();
    if (resolution.kind === 'missing') {
      this.output.error(resolution.message);
      this.setState('stopped');
      void showNotFound(resolution.message);
      return;
    }

    this.output.info(`Starting ${resolution.path} (found via ${resolution.source})`);
    const client = createClient(resolution.path, this.output, () => this.canonFilesEmitter.fire());
    this.client = client;
    client.onDidChangeState(({ newState }) => {
      if (this.client === client) {
        this.setState(newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped');
      }
    });
    try {
      await client.start();
    } catch (error) {
      this.output.error(`The goalframe server failed to start: ${String(error)}`);
      void vscode.window.showErrorMessage(
        `goalframe: the server at ${resolution.path} failed to start. See the "goalframe" output for details.`,
      );
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.setState('stopped');
    if (client !== undefined) {
      try {
        await client.stop(2000);
      } catch (error) {
        this.output.warn(`Stopping the server: ${String(error)}`);
      }
      await client.dispose();
    }
  }

  /** `workspace/executeCommand`; rejects with the server's message (e.g. an unknown role). */
  async execute<T>(command: string, args: unknown[] = []): Promise<T> {
    if (this.client === undefined || this.state !== 'running') {
      throw new Error('the goalframe server is not running; run "goalframe: Restart server"');
    }
    return (await this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args })) as T;
  }

  /** LSP diagnostics (e.g. `goalframe.export`'s problems) as VS Code's. */
  async asDiagnostics(items: unknown[]): Promise<vscode.Diagnostic[]> {
    if (this.client === undefined) {
      return [];
    }
    return this.client.protocol2CodeConverter.asDiagnostics(items as Parameters<LanguageClient['protocol2CodeConverter']['asDiagnostics']>[0]);
  }

  /** The canon of the workspace folder holding `document` (each folder has its own), else of the first. */
  canon(document?: vscode.Uri): Promise<CanonInfo> {
    return this.execute<CanonInfo>(CANON_COMMAND, document === undefined ? [] : [{ uri: document.toString() }]);
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.canonFilesEmitter.dispose();
  }

  private setState(state: ServerState): void {
    if (state !== this.state) {
      this.state = state;
      this.stateEmitter.fire(state);
    }
  }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

async function showNotFound(message: string): Promise<void> {
  const open = 'Open Settings';
  if ((await vscode.window.showErrorMessage(message, open)) === open) {
    await vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
  }
}
