/**
 * A throw-away code-server (VS Code in the browser) for one test run: its
 * own HOME, XDG dirs, user data and extensions, so nothing on the machine
 * leaks in, bound to loopback with auth off and workspace trust disabled
 * (restricted mode would keep the extension disabled).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Sandbox {
  root: string;
  userData: string;
  extensions: string;
  env: NodeJS.ProcessEnv;
}

/**
 * `machineSettings` go where a remote window reads machine-scoped settings
 * such as `goalframe.server.path` (the user file's copy is ignored there).
 */
export function makeSandbox(root: string, userSettings: object, machineSettings: object): Sandbox {
  const home = path.join(root, 'home');
  const userData = path.join(root, 'data');
  const extensions = path.join(root, 'extensions');
  for (const dir of [home, path.join(home, '.run'), path.join(userData, 'User'), path.join(userData, 'Machine'), extensions]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  fs.writeFileSync(path.join(userData, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  return {
    root,
    userData,
    extensions,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_RUNTIME_DIR: path.join(home, '.run'),
    },
  };
}

export async function installExtension(codeServer: string, sandbox: Sandbox, vsix: string): Promise<void> {
  await run(
    codeServer,
    ['--install-extension', vsix, '--force', '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions],
    { env: sandbox.env, timeout: 120_000 },
  );
}

export interface Running {
  url: string;
  /** Also the id of its process group. */
  pid: number;
  stop(): void;
}

export async function startCodeServer(
  codeServer: string,
  sandbox: Sandbox,
  folder: string,
  logFile: string,
): Promise<Running> {
  const port = await freePort();
  const log = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(
    codeServer,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-workspace-trust',
      '--disable-telemetry',
      '--disable-update-check',
      '--user-data-dir', sandbox.userData,
      '--extensions-dir', sandbox.extensions,
      folder,
    ],
    // Its own process group, so stopping it also ends the extension host and the language server.
    { env: sandbox.env, stdio: ['ignore', log, log], detached: true },
  );
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, 60_000);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, pid: child.pid ?? 0, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
}

/** The extension's output channel as the workbench writes it to disk. */
export function extensionLog(userData: string): string {
  const logs = path.join(userData, 'logs');
  if (!fs.existsSync(logs)) {
    return '';
  }
  return fs
    .readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('goalframe.log'))
    .map((f) => fs.readFileSync(path.join(logs, f), 'utf8'))
    .join('\n');
}

/** On failure, keep the workbench's logs (extension host, the server's output) next to the screenshots. */
export function saveLogs(userData: string, out: string): void {
  const logs = path.join(userData, 'logs');
  if (fs.existsSync(logs)) {
    fs.cpSync(logs, path.join(out, 'logs'), { recursive: true });
    console.log(`logs: ${path.join(out, 'logs')}`);
  }
}
