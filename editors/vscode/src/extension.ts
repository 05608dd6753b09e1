/**
 * Entry point: wires the server, the status bar and the commands together.
 * Activated by markdown and plain-text documents (and by the commands).
 */
import * as vscode from 'vscode';
import { exportGoals, importCanon, insertFrame, reporting, showCanonErrors } from './commands';
import { NEXT_PLACEHOLDER, nextPlaceholderCommand } from './nextPlaceholder';
import { Server } from './server';
import { SETTING } from './serverPath';
import { EXPORT_GOALS, IMPORT_CANON, INSERT_FRAME, RESTART, SHOW_CANON_ERRORS, StatusBar } from './statusBar';

let server: Server | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('goalframe', { log: true });
  server = new Server(context, output);
  const current = server;
  const status = new StatusBar(current);
  const exportProblems = vscode.languages.createDiagnosticCollection('goalframe export');

  context.subscriptions.push(
    output,
    current,
    status,
    exportProblems,
    vscode.commands.registerCommand(INSERT_FRAME, reporting(() => insertFrame(current))),
    vscode.commands.registerCommand(SHOW_CANON_ERRORS, reporting(() => showCanonErrors(current))),
    vscode.commands.registerCommand(RESTART, reporting(() => current.restart())),
    vscode.commands.registerCommand(IMPORT_CANON, reporting(() => importCanon(current, output))),
    vscode.commands.registerCommand(EXPORT_GOALS, reporting(() => exportGoals(current, exportProblems))),
    vscode.commands.registerCommand(NEXT_PLACEHOLDER, nextPlaceholderCommand(current)),
    // Which binary runs is fixed at start; the other settings apply live.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTING)) {
        void current.restart();
      }
    }),
  );

  await current.start();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
