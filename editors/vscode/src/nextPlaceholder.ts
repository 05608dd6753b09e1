/**
 * `goalframe.nextPlaceholder`: the command the server's progress code lens
 * carries (docs/lsp.md), also bound to a key. The server says where the
 * next unfilled placeholder after the cursor is (wrapping); this selects
 * it, so typing replaces it.
 */
import * as vscode from 'vscode';
import type { Server } from './server';

export const NEXT_PLACEHOLDER = 'goalframe.nextPlaceholder';

interface LspPosition {
  line: number;
  character: number;
}

interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

/** From the lens, `{ uri, position }`; from the palette or a key, the cursor. */
export async function nextPlaceholder(server: Server, arg?: { uri?: string; position?: LspPosition }): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const uri = arg?.uri ?? editor?.document.uri.toString();
  const position = arg?.position ?? (editor && { line: editor.selection.active.line, character: editor.selection.active.character });
  if (uri === undefined || position === undefined) {
    void vscode.window.showInformationMessage('goalframe: open a goal document to jump to its next placeholder.');
    return;
  }
  const location = await server.execute<LspLocation | null>(NEXT_PLACEHOLDER, [{ uri, position }]);
  if (location === null || location === undefined) {
    void vscode.window.showInformationMessage('goalframe: every placeholder is filled.');
    return;
  }
  // VS Code's client speaks UTF-16 positions, as VS Code does.
  const { start, end } = location.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
  const shown = await vscode.window.showTextDocument(document, { selection: range });
  shown.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The registered command: errors are shown, not thrown. */
export function nextPlaceholderCommand(server: Server): (arg?: { uri?: string; position?: LspPosition }) => Promise<void> {
  return async (arg) => {
    try {
      await nextPlaceholder(server, arg);
    } catch (error) {
      void vscode.window.showErrorMessage(`goalframe: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
