/**
 * End-to-end test in a real VS Code (code-server) driven through headless
 * Chromium: the packaged .vsix, the real goalframe binary, a person's
 * keystrokes (the steps are in scenario.ts).
 *
 * Env: GOALFRAME_BIN (the server binary, absolute), GOALFRAME_VSIX,
 * GOALFRAME_CANON (a valid canon directory to copy into the workspace),
 * CODE_SERVER (the code-server launcher), E2E_OUT (screenshots and logs),
 * CHROMIUM (default /usr/bin/chromium).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { Checks } from './checks';
import { installExtension, makeSandbox, type Running, saveLogs, startCodeServer } from './codeServer';
import { documentView } from './documentView';
import { exportGoals } from './exportGoals';
import { multiRoot } from './multiRoot';
import { HEADING, scenario } from './scenario';
import { Workbench } from './workbench';

/** The whole run, whatever hangs. */
const RUN_LIMIT_MS = 8 * 60_000;

/** Headless and quiet: this machine reaches no network but loopback. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A quiet workbench: no start page, chat, tips or update checks in the way. */
const USER_SETTINGS = {
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

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }
  return value;
}

async function main(): Promise<boolean> {
  const bin = env('GOALFRAME_BIN');
  const vsix = path.resolve(env('GOALFRAME_VSIX'));
  const canonSource = env('GOALFRAME_CANON');
  const codeServer = env('CODE_SERVER');
  const out = path.resolve(env('E2E_OUT'));
  const chromiumPath = env('CHROMIUM', '/usr/bin/chromium');
  fs.mkdirSync(out, { recursive: true });

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goalframe-e2e-'));
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'goals.md'), HEADING);
  // goalframe.server.path is machine-scoped: a remote window reads it from the machine settings.
  const sandbox = makeSandbox(root, USER_SETTINGS, { 'goalframe.server.path': bin });

  const checks = new Checks();
  let server: Running | undefined;
  let browser: BrowserContext | undefined;
  const cleanup = (): void => server?.stop();
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(1));
  }
  const limit = setTimeout(() => {
    checks.abort(`the run exceeded ${RUN_LIMIT_MS} ms`);
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
        args: CHROMIUM_ARGS,
        viewport: { width: 1400, height: 860 },
        timeout: 60_000,
      });
      const page = browser.pages()[0] ?? (await browser.newPage());
      await new Workbench(page).load(server.url, workspace);
    });
    if (started && browser !== undefined) {
      const context = { page: browser.pages()[0], bin, workspace, canonSource, userData: sandbox.userData, out };
      await scenario(context, checks);
      await documentView(context, checks);
      await exportGoals(context, checks);
      // Last: it opens another workspace in the same window.
      if (server !== undefined) {
        await multiRoot({ ...context, url: server.url }, checks);
      }
    }
  } finally {
    clearTimeout(limit);
    await browser?.close().catch(() => undefined);
    cleanup();
    if (checks.ok) {
      fs.rmSync(root, { recursive: true, force: true });
    } else {
      saveLogs(sandbox.userData, out);
      console.log(`workspace and profile kept: ${root}`);
    }
    console.log(checks.summary());
  }
  return checks.ok;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    // Only set-up can get here (env, files); the checks report their own failures.
    console.error(error);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
