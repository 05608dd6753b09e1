/**
 * The palette commands. Roles, levels, the frames and frame text all come
 * from the server (`goalframe.canon`, `goalframe.render`), so what the
 * command offers and inserts is exactly what completion does.
 */
import * as vscode from 'vscode';
import { type CanonError, type CanonRole, canonFrames, RENDER_COMMAND } from './canon';
import type { Server } from './server';
import { canonLabel } from './status';

/** Quick picks role → level → frame, then the rendered frame as a snippet on the cursor's line. */
export async function insertFrame(server: Server): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showErrorMessage('goalframe: open a document to insert a goal frame into.');
    return;
  }

  const canon = await server.canon();
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
  const canon = await server.canon();
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
