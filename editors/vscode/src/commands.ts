/**
 * The palette commands. Roles, levels, the frames and frame text all come
 * from the server (`goalframe.canon`, `goalframe.render`), so what the
 * command offers and inserts is exactly what completion does.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { canonSetting, hasWorkbook, importArgs, importProblems, SPREADSHEET_EXTENSIONS } from './importCanon';
import { type CanonError, type CanonRole, canonFrames, RENDER_COMMAND } from './canon';
import { EXPORT_COMMAND, type ExportResult, exportFileName, exportFormats, exportMessage, exportWarnings } from './exportGoals';
import type { Server } from './server';
import { canonLabel } from './status';

/** Quick picks role → level → frame, then the rendered frame as a snippet on the cursor's line. */
export async function insertFrame(server: Server): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showErrorMessage('goalframe: open a document to insert a goal frame into.');
    return;
  }

  const canon = await server.canon(editor.document.uri);
  const frames = canonFrames(canon);
  if (frames === undefined) {
    void vscode.window.showErrorMessage(
      'goalframe: the server did not list its frames (`frames` of goalframe.canon); it is older than this extension, update the goalframe binary.',
    );
    return;
  }
  const role = await pickRole(canon.roles);
  if (role === undefined) {
    return;
  }
  const level = await vscode.window.showQuickPick(
    role.levels.map((l) => ({ label: `${l.code} — ${l.name}`, code: l.code })),
    { title: `Insert goal frame: ${role.title}`, placeHolder: 'Level' },
  );
  if (level === undefined) {
    return;
  }
  const frame = await vscode.window.showQuickPick(
    frames.map((f) => ({ label: f.label, id: f.id })),
    { title: `Insert goal frame: ${role.title} — ${level.code}`, placeHolder: 'Frame' },
  );
  if (frame === undefined) {
    return;
  }

  const text = await server.execute<string>(RENDER_COMMAND, [
    {
      role: role.id,
      level: level.code,
      frame: frame.id,
      form: editor.document.languageId === 'markdown' ? 'markdown' : 'text',
      snippet: true,
      uri: editor.document.uri.toString(),
    },
  ]);
  // A frame starts at column 0 on its own line, exactly as rendered (as
  // completion inserts it, docs/lsp.md): a line of only indentation is
  // replaced, after text the frame goes on a new line below. The snippet
  // then starts at column 0 of an empty line, so VS Code adds no
  // indentation to its lines.
  let line = editor.document.lineAt(editor.selection.active.line);
  if (!line.isEmptyOrWhitespace) {
    const end = line.range.end;
    await editor.edit((b) => b.insert(end, '\n'), { undoStopBefore: true, undoStopAfter: false });
    line = editor.document.lineAt(line.lineNumber + 1);
  }
  await editor.insertSnippet(new vscode.SnippetString(text), line.range, { undoStopBefore: false, undoStopAfter: true });
}

async function pickRole(roles: CanonRole[]): Promise<CanonRole | undefined> {
  const picked = await vscode.window.showQuickPick(
    roles.map((role) => ({
      label: role.title,
      description: [role.id, ...role.aliases].join(', '),
      detail: `${role.family} · ${role.levels.map((l) => l.code).join(', ')}`,
      role,
    })),
    { title: 'Insert goal frame', placeHolder: 'Role', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.role;
}

/** Lists the errors of the last failed canon load; picking one opens it at its line. */
export async function showCanonErrors(server: Server): Promise<void> {
  const canon = await server.canon(vscode.window.activeTextEditor?.document.uri);
  if (canon.errors.length === 0) {
    void vscode.window.showInformationMessage(
      `goalframe: the canon in use (${canonLabel(canon.sources)}) loaded without errors.`,
    );
    return;
  }
  const picked = await vscode.window.showQuickPick(
    canon.errors.map((error) => {
      const location = `${error.file}:${error.line}:${error.column}`;
      // The message may repeat the location the label already shows.
      const message = error.message.startsWith(`${location}: `) ? error.message.slice(location.length + 2) : error.message;
      return { label: location, detail: message, error };
    }),
    {
      title: `goalframe: the last canon load failed (${canon.errors.length}); still using the last good canon`,
      matchOnDetail: true,
    },
  );
  if (picked !== undefined) {
    await reveal(picked.error);
  }
}

async function reveal(error: CanonError): Promise<void> {
  const position = new vscode.Position(Math.max(error.line - 1, 0), Math.max(error.column - 1, 0));
  await vscode.window.showTextDocument(vscode.Uri.file(error.file), {
    selection: new vscode.Range(position, position),
  });
}

/**
 * Spreadsheets (.csv, .xlsx) → a canon folder, with `goalframe canon
 * import`: files, then the folder, then (for a workbook) the sheet; a
 * non-empty folder is replaced only when the user says so. Problems go to
 * the goalframe output, one per cell.
 */
export async function importCanon(server: Server, output: vscode.LogOutputChannel): Promise<void> {
  const binary = server.binary();
  if (binary.kind === 'missing') {
    void vscode.window.showErrorMessage(binary.message);
    return;
  }
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
  const files = await vscode.window.showOpenDialog({
    title: 'Import canon: the spreadsheets (read in order into one canon)',
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    defaultUri: workspace,
    filters: { Spreadsheets: SPREADSHEET_EXTENSIONS },
    openLabel: 'Import',
  });
  if (files === undefined || files.length === 0) {
    return;
  }
  const folders = await vscode.window.showOpenDialog({
    title: 'Import canon: the folder to write the canon to',
    canSelectMany: false,
    canSelectFiles: false,
    canSelectFolders: true,
    defaultUri: workspace,
    openLabel: 'Write the canon here',
  });
  const out = folders?.[0]?.fsPath;
  if (out === undefined) {
    return;
  }
  const paths = files.map((f) => f.fsPath);
  let sheet: string | undefined;
  if (hasWorkbook(paths)) {
    sheet = await vscode.window.showInputBox({
      title: 'Import canon: the sheet to read',
      prompt: 'The sheet of the .xlsx files to read; leave empty for the first sheet',
    });
    if (sheet === undefined) {
      return;
    }
  }
  let force = false;
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(
      `${out} is not empty. Replace it, and everything in it, with the imported canon?`,
      { modal: true },
      replace,
    );
    if (answer !== replace) {
      return;
    }
    force = true;
  }
  const args = importArgs({ files: paths, out, sheet, force });
  output.info(`Running ${binary.path} ${args.join(' ')}`);
  const result = await run(binary.path, args, workspace?.fsPath ?? path.dirname(paths[0]));
  if (result.code === 0) {
    output.info(result.stdout.trim());
    const use = 'Use this canon';
    if ((await vscode.window.showInformationMessage(`goalframe: ${result.stdout.trim()}`, use)) === use) {
      // The workspace's setting when there is a workspace, else the user's.
      await vscode.workspace
        .getConfiguration('goalframe', workspace)
        .update(
          'canon',
          [canonSetting(out, workspace?.fsPath)],
          workspace !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
        );
    }
    return;
  }
  const problems = importProblems(result.stderr);
  for (const problem of problems) {
    output.error(problem.location === '' ? problem.message : `${problem.location}: ${problem.message}`);
  }
  const summary = problems.at(-1)?.message ?? `goalframe exited with ${String(result.code)}`;
  const show = 'Show problems';
  if ((await vscode.window.showErrorMessage(`goalframe: the import failed: ${summary}`, show)) === show) {
    output.show(true);
  }
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(binary: string, args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr: stderr !== '' ? stderr : (error?.message ?? '') });
    });
  });
}

/**
 * The goals of the current document or of the workspace, in a format the
 * server offers, to a file (`goalframe.export`, written atomically). When
 * the pre-flight check refuses, nothing is written: the problems go to
 * the Problems panel (collection "goalframe export", cleared by the next
 * export) and the user may export anyway, with the missing values empty.
 */
export async function exportGoals(server: Server, problems: vscode.DiagnosticCollection): Promise<void> {
  const canon = await server.canon();
  const formats = exportFormats(canon as { exportFormats?: unknown });
  if (formats === undefined) {
    void vscode.window.showErrorMessage(
      'goalframe: the server did not list its export formats (`exportFormats` of goalframe.canon); it is older than this extension, update the goalframe binary.',
    );
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const document = editor !== undefined && editor.document.uri.scheme === 'file' ? editor.document : undefined;
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
  const scopes: { label: string; description: string; uri?: vscode.Uri }[] = [];
  if (document !== undefined) {
    scopes.push({ label: 'This document', description: vscode.workspace.asRelativePath(document.uri), uri: document.uri });
  }
  if (workspace !== undefined) {
    scopes.push({ label: 'The workspace', description: 'every goal document in the workspace folders' });
  }
  if (scopes.length === 0) {
    void vscode.window.showErrorMessage('goalframe: open a goal document or a folder to export goals from.');
    return;
  }
  const scope = scopes.length === 1 ? scopes[0] : await vscode.window.showQuickPick(scopes, { title: 'Export goals', placeHolder: 'From' });
  if (scope === undefined) {
    return;
  }
  const format = await vscode.window.showQuickPick(
    formats.map((f) => ({ label: f.label, description: f.id, detail: f.description ?? undefined, format: f })),
    { title: `Export goals: ${scope.label.toLowerCase()}`, placeHolder: 'Format' },
  );
  if (format === undefined) {
    return;
  }
  const folder = workspace ?? (scope.uri !== undefined ? vscode.Uri.file(path.dirname(scope.uri.fsPath)) : undefined);
  const name = exportFileName(format.format, scope.uri !== undefined ? path.basename(scope.uri.fsPath) : undefined);
  const target = await vscode.window.showSaveDialog({
    title: `Export goals as ${format.label}`,
    defaultUri: folder !== undefined ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { [format.label]: [format.format.extension] },
    saveLabel: 'Export',
  });
  if (target === undefined) {
    return;
  }
  const run = async (allowIncomplete: boolean): Promise<void> => {
    const result = await server.execute<ExportResult>(EXPORT_COMMAND, [
      { format: format.format.id, output: target.fsPath, uri: scope.uri?.toString(), allowIncomplete },
    ]);
    // Shown only while they stop the export: once written (anyway), the
    // documents' own diagnostics say what is still missing.
    problems.clear();
    if (!result.written) {
      for (const p of result.problems) {
        const diagnostics = await server.asDiagnostics(p.diagnostics);
        // Told apart from the document's own diagnostics (which VS Code
        // would otherwise show once for both).
        for (const d of diagnostics) {
          d.source = 'goalframe export';
        }
        problems.set(vscode.Uri.parse(p.uri), diagnostics);
      }
    }
    for (const warning of exportWarnings(result)) {
      void vscode.window.showWarningMessage(warning);
    }
    if (result.written) {
      const open = 'Open';
      if ((await vscode.window.showInformationMessage(exportMessage(result), open)) === open) {
        await vscode.window.showTextDocument(target);
      }
      return;
    }
    const show = 'Show problems';
    const anyway = 'Export anyway';
    const answer = await vscode.window.showErrorMessage(exportMessage(result), show, anyway);
    if (answer === show) {
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    } else if (answer === anyway) {
      await run(true);
    }
  };
  await run(false);
}

/** Runs a command and reports a failure (e.g. the server's InvalidParams message) instead of dropping it. */
export function reporting(action: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await action();
    } catch (error) {
      void vscode.window.showErrorMessage(`goalframe: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
