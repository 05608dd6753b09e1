/**
 * The status bar item: the canon in use and the unfilled placeholders of
 * the active document. The canon (a request that grows with its size) is
 * asked for only when it may have changed: at start, after a settings change
 * and when a canon file the server watches changes. The server republishes diagnostics once it
 * has reloaded, so the refresh waits for that, with a timer for the case
 * where no document is open.
 */
import * as vscode from 'vscode';
import type { CanonInfo } from './canon';
import { isGoalDocument } from './client';
import type { Server } from './server';
import { canonLabel, countUnfilled, statusView } from './status';

export const INSERT_FRAME = 'goalframe.insertFrame';
export const SHOW_CANON_ERRORS = 'goalframe.showCanonErrors';
export const RESTART = 'goalframe.restartServer';

const AFTER_DIAGNOSTICS_MS = 100;
const AT_THE_LATEST_MS = 1000;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('goalframe.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private canon: CanonInfo | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private canonStale = false;

  constructor(private readonly server: Server) {
    this.item.name = 'goalframe';
    this.disposables.push(
      server.onDidChangeState((state) => {
        if (state === 'running') {
          this.refreshCanon();
        } else {
          this.canon = undefined;
        }
        this.render();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('goalframe')) {
          this.markCanonStale();
        }
      }),
      server.onDidChangeCanonFiles(() => this.markCanonStale()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (this.canonStale) {
          this.scheduleCanonRefresh(AFTER_DIAGNOSTICS_MS);
        }
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (event.uris.some((uri) => uri.toString() === active)) {
          this.render();
        }
      }),
    );
    this.render();
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.disposables.forEach((d) => void d.dispose());
  }

  private refreshCanon(): void {
    this.canonStale = false;
    this.server.canon().then(
      (canon) => {
        this.canon = canon;
        this.render();
      },
      () => undefined, // the server went away; its state change renders the item
    );
  }

  private markCanonStale(): void {
    this.canonStale = true;
    this.scheduleCanonRefresh(AT_THE_LATEST_MS);
  }

  private scheduleCanonRefresh(delayMs: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      if (this.server.current === 'running') {
        this.refreshCanon();
      }
    }, delayMs);
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    const running = this.server.current === 'running' && this.canon !== undefined;
    const view = statusView({
      state: running ? 'running' : this.server.current === 'stopped' ? 'stopped' : 'starting',
      canon: canonLabel(this.canon?.sources ?? []),
      canonErrors: this.canon?.errors.length ?? 0,
      unfilled:
        document !== undefined && isGoalDocument(document)
          ? countUnfilled(vscode.languages.getDiagnostics(document.uri))
          : undefined,
    });
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.accessibilityInformation = { label: view.accessibleLabel };
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = this.clickCommand(running, view.warning);
    this.item.show();
  }

  /** A click does the obvious next thing: restart, show what is wrong, or insert a frame. */
  private clickCommand(running: boolean, canonErrors: boolean): string | undefined {
    if (!running) {
      return this.server.current === 'stopped' ? RESTART : undefined;
    }
    return canonErrors ? SHOW_CANON_ERRORS : INSERT_FRAME;
  }
}
