/**
 * End-to-end test in a real VS Code (code-server) driven through headless
 * Chromium: the packaged .vsix, the real goalframe binary, a person's
 * keystrokes. What the editor shows is checked against the server's own
 * command line rendering of the same frame, so the test holds whatever the
 * canon says.
 *
 * Env: GOALFRAME_BIN (the server binary, absolute), GOALFRAME_VSIX,
 * CODE_SERVER (the code-server launcher), E2E_OUT (screenshots and logs),
 * CHROMIUM (default /usr/bin/chromium).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { assert, Checks } from './checks';
import { installExtension, makeSandbox, type Running, startCodeServer } from './codeServer';
import { Workbench } from './workbench';

const MARKER_SMART = '<!-- goalframe: account-executive-field-sales/P2 smart -->';
const MARKER_OKR = '<!-- goalframe: account-executive-field-sales/P2 okr -->';
const HEADING = '# Goals 2026\n\n';
const STATUS = 'goalframe:';
const PLACEHOLDER = /⟨[^⟩\n]*⟩/g;
/** The whole run, whatever hangs. */
const RUN_LIMIT_MS = 8 * 60_000;

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }
  return value;
}

/** The server's own rendering of a frame (SPEC §5), what the editor must end up holding. */
function render(bin: string, frame: string): string {
  return execFileSync(bin, ['render', 'ae', 'P2', '--frame', frame, '--format', 'markdown'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function placeholders(text: string): number {
  return text.match(PLACEHOLDER)?.length ?? 0;
}

/**
 * The workspace's `.vscode/settings.json`: the workbench applies a change to
 * it at once (code-server does not notice outside edits of the user file).
 */
function writeWorkspaceSettings(workspace: string, settings: object): void {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

function userSettings(bin: string): object {
  return {
    'goalframe.server.path': bin,
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'editor.minimap.enabled': false,
    'editor.wordWrap': 'on',
    'files.autoSave': 'off',
  };
}

async function main(): Promise<boolean> {
  const bin = env('GOALFRAME_BIN');
  const vsix = path.resolve(env('GOALFRAME_VSIX'));
  const codeServer = env('CODE_SERVER');
  const out = path.resolve(env('E2E_OUT'));
  const chromiumPath = env('CHROMIUM', '/usr/bin/chromium');
  fs.mkdirSync(out, { recursive: true });

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goalframe-e2e-'));
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace);
  const document = path.join(workspace, 'goals.md');
  fs.writeFileSync(document, HEADING);
  const sandbox = makeSandbox(root, userSettings(bin));
  const read = (): string => fs.readFileSync(document, 'utf8');

  const expectedSmart = render(bin, 'smart');
  const expectedOkr = render(bin, 'okr');

  const checks = new Checks();
  let server: Running | undefined;
  let browser: BrowserContext | undefined;
  const cleanup = (): void => {
    server?.stop();
  };
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(1));
  }
  const limit = setTimeout(() => {
    console.log(`not ok - the run exceeded ${RUN_LIMIT_MS} ms`);
    cleanup();
    process.exit(1);
  }, RUN_LIMIT_MS);

  try {
    const started = await checks.check('the .vsix installs into code-server and the workbench loads', async () => {
      await installExtension(codeServer, sandbox, vsix);
      server = await startCodeServer(codeServer, sandbox, workspace, path.join(out, 'code-server.log'));
      // For test/run.sh, which ends the group even if this process is killed outright.
      fs.writeFileSync(path.join(out, 'code-server.pid'), String(server.pid));
      browser = await chromium.launchPersistentContext(path.join(root, 'chromium'), {
        executablePath: chromiumPath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: { width: 1400, height: 860 },
        timeout: 60_000,
      });
      const page = browser.pages()[0] ?? (await browser.newPage());
      await new Workbench(page).load(server.url, workspace);
    });
    if (!started || browser === undefined) {
      return false;
    }
    const page = browser.pages()[0];
    const wb = new Workbench(page);

    await checks.check('opening a markdown file activates the extension and starts the server', async () => {
      await wb.openFile('goals.md');
      await wb.waitForStatus(STATUS, 'goalframe: default canon · 0 unfilled', 60_000);
    });

    await checks.check('typing @ae/p2 offers the frames, SMART first', async () => {
      await wb.press('Control+End');
      await wb.type('@ae/p2');
      let labels: string[];
      try {
        labels = await wb.waitForSuggestion('SMART goals', 5_000);
      } catch {
        // The suggest widget may have closed while the level was typed; ask again as a person would.
        console.log('  (suggestions reopened with Ctrl+Space)');
        await wb.press('Control+Space');
        labels = await wb.waitForSuggestion('SMART goals');
      }
      const frames = ['SMART goals', 'OKRs', 'MBO areas', 'Scorecard', 'All frames'];
      assert.deepEqual(
        labels.map((l) => frames.find((f) => l.startsWith(f))).filter((f) => f !== undefined),
        frames,
        `suggestions: ${labels.join(' | ')}`,
      );
      await page.screenshot({ path: path.join(out, 'completion.png') });
    });

    await checks.check('accepting SMART goals replaces the token with the markdown SMART frame', async () => {
      await wb.acceptSuggestion('SMART goals');
      await wb.press('Escape', 'Escape', 'Control+S');
      await waitFor(() => read() !== HEADING, 'the document to be saved');
      const text = read();
      assert.ok(text.includes(MARKER_SMART), 'the frame marker is missing');
      assert.ok(!text.includes('@ae/p2'), 'the token was left in the document');
      assert.equal(text.slice(HEADING.length).trimEnd(), expectedSmart.trimEnd(), 'the frame differs from `goalframe render`');
    });

    const smartCount = placeholders(expectedSmart);
    await checks.check('unfilled placeholders are squiggled', async () => {
      assert.ok(smartCount > 0, 'the SMART frame has no placeholders');
      await wb.waitForSquiggles('warning', (n) => n > 0, 'warning squiggles');
    });

    await checks.check(`the Problems count shows one warning per placeholder (${smartCount})`, async () => {
      await wb.waitForProblems({ errors: 0, warnings: smartCount });
    });

    await checks.check('the status bar shows the canon and the unfilled count', async () => {
      await wb.waitForStatus(STATUS, `goalframe: default canon · ${smartCount} unfilled`);
    });

    const bothCount = smartCount + placeholders(expectedOkr);
    await checks.check('"goalframe: Insert goal frame…" inserts the OKR frame chosen by role, level and frame', async () => {
      await wb.press('Control+End', 'Enter');
      await wb.runCommand('goalframe: Insert goal frame');
      await wb.pick('Account Executive / Field Sales');
      await wb.pick('P2 — Developing Professional');
      await wb.pick('OKRs');
      await waitFor(async () => (await wb.statusItem(STATUS)).endsWith(`${bothCount} unfilled`), 'the status to count the new frame');
      await wb.press('Escape', 'Escape', 'Control+S');
      await waitFor(() => read().includes(MARKER_OKR), 'the OKR frame to be saved');
      assert.ok(read().includes(expectedOkr.trimEnd()), 'the inserted OKR frame differs from `goalframe render`');
      await wb.waitForProblems({ errors: 0, warnings: bothCount });
    });

    await checks.check('settings apply live: severity "off" silences unfilled-placeholder, and back', async () => {
      writeWorkspaceSettings(workspace, { 'goalframe.severity': { 'unfilled-placeholder': 'off' } });
      await wb.waitForProblems({ errors: 0, warnings: 0 });
      await wb.waitForStatus(STATUS, 'goalframe: default canon · 0 unfilled');
      assert.equal(await wb.squiggles('warning'), 0, 'squiggles remain');
      writeWorkspaceSettings(workspace, {});
      await wb.waitForProblems({ errors: 0, warnings: bothCount });
      await wb.waitForStatus(STATUS, `goalframe: default canon · ${bothCount} unfilled`);
    });

    await checks.check('"goalframe: Restart server" brings the server back with the same diagnostics', async () => {
      const log = extensionLog(sandbox.userData);
      const startsBefore = countStarts(log);
      await wb.runCommand('goalframe: Restart server');
      await waitFor(() => countStarts(extensionLog(sandbox.userData)) > startsBefore, 'a second server start in the log');
      await wb.waitForStatus(STATUS, `goalframe: default canon · ${bothCount} unfilled`);
      await wb.waitForProblems({ errors: 0, warnings: bothCount });
    });

    await checks.check('"goalframe: Show canon errors" reports that the canon loaded cleanly', async () => {
      await wb.runCommand('goalframe: Show canon errors');
      await wb.notification('loaded without errors');
    });

    await checks.check('screenshot of the frames, their squiggles, Problems and the completion list', async () => {
      // Explorer closed, Problems open, focus back in the editor for one more token.
      await wb.press('Escape', 'Control+B', 'Control+Shift+M', 'Control+1', 'Control+End', 'Enter');
      await wb.type('@ae/p2');
      await wb.waitForSuggestion('SMART goals', 5_000).catch(async () => {
        await wb.press('Control+Space');
        await wb.waitForSuggestion('SMART goals');
      });
      await page.screenshot({ path: path.join(out, 'screenshot.png') });
    });
  } finally {
    clearTimeout(limit);
    await browser?.close().catch(() => undefined);
    cleanup();
    if (!checks.ok) {
      saveLogs(sandbox.userData, out);
    }
    console.log(`e2e: ${checks.summary()}`);
  }
  return checks.ok;
}

async function waitFor(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The extension's output channel as the workbench writes it to disk. */
function extensionLog(userData: string): string {
  const files = findFiles(path.join(userData, 'logs'), (f) => /goalframe\.log$/.test(f));
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

function countStarts(log: string): number {
  return log.match(/Starting \S+ \(found via/g)?.length ?? 0;
}

function findFiles(dir: string, keep: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => keep(f) && fs.statSync(f).isFile());
}

/** On failure, keep the workbench's logs (extension host, the server's output) next to the screenshots. */
function saveLogs(userData: string, out: string): void {
  const logs = path.join(userData, 'logs');
  if (fs.existsSync(logs)) {
    fs.cpSync(logs, path.join(out, 'logs'), { recursive: true });
    console.log(`logs: ${path.join(out, 'logs')}`);
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    // Only set-up can get here (env, the server's render); the checks report their own failures.
    console.error(error);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
