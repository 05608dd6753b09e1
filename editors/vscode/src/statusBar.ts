/**
 * The status bar item: the canon in use and the unfilled placeholders of
 * the active document. The canon (a request that grows with its size) is
 * asked for only when it may have changed: at start, after a settings change
 * and when a canon file the server watches changes. The server reloads and
 * then republishes diagnostics, so for a few seconds after such a change
 * every diagnostics update asks again (an update may also come just before
 * the reload); timers cover the case where no document is open.
 */
import * as vscode from 'vscode';
import type { CanonInfo } from './canon';
import { isGoalDocument } from './client';
import type { Server } from './server';
import { canonLabel, countUnfilled, statusView } from './status';

export const INSERT_FRAME = 'goalframe.insertFrame';
export const SHOW_CANON_ERRORS = 'goalframe.showCanonErrors';
export const RESTART = 'goalframe.restartServer';
export const IMPORT_CANON = 'goalframe.importCanon';
export const EXPORT_GOALS = 'goalframe.exportGoals';

const AFTER_DIAGNOSTICS_MS = 100;
const AFTER_CHANGE_MS = 1000;
const STALE_WINDOW_MS = 5000;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('goalframe.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private canon: CanonInfo | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private lateRefreshTimer: NodeJS.Timeout | undefined;
  /** Until then the canon may still be reloading. */
  private staleUntil = 0;
  /** Answers can cross; only the latest request's answer is shown. */
  private canonRequests = 0;

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
      // Each workspace folder has its own canon: the active document's is shown.
      vscode.window.onDidChangeActiveTextEditor(() => {
        this.render();
        this.refreshCanon();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('goalframe')) {
          this.markCanonStale();
        }
      }),
      server.onDidChangeCanonFiles(() => this.markCanonStale()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (Date.now() < this.staleUntil) {
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
    clearTimeout(this.lateRefreshTimer);
    this.disposables.forEach((d) => void d.dispose());
  }

  private refreshCanon(): void {
    if (this.server.current !== 'running') {
      return;
    }
    const request = ++this.canonRequests;
    this.server.canon(vscode.window.activeTextEditor?.document.uri).then(
      (canon) => {
        if (request === this.canonRequests) {
          this.canon = canon;
          this.render();
        }
      },
      () => undefined, // the server went away; its state change renders the item
    );
  }

  private markCanonStale(): void {
    this.staleUntil = Date.now() + STALE_WINDOW_MS;
    this.scheduleCanonRefresh(AFTER_CHANGE_MS);
    clearTimeout(this.lateRefreshTimer);
    this.lateRefreshTimer = setTimeout(() => this.refreshCanon(), STALE_WINDOW_MS);
  }

  /** Debounced: a burst of diagnostics updates costs one request. */
  private scheduleCanonRefresh(delayMs: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refreshCanon(), delayMs);
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
