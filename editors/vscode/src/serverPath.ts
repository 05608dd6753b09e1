/**
 * Finding the `goalframe` binary. Kept free of the `vscode` module so the
 * search order can be unit-tested: an explicit setting wins, then a binary
 * shipped inside a platform-specific package, then whatever is on PATH.
 */
import * as path from 'node:path';

/** Where the binary was found; shown in the log so users can tell which one runs. */
export type ServerSource = 'setting' | 'bundled' | 'path';

export type Resolution =
  | { kind: 'found'; path: string; source: ServerSource }
  | { kind: 'missing'; message: string };

/** Everything the search looks at, injected so tests need no real files. */
export interface SearchContext {
  /** Value of `goalframe.server.path` (may be empty). */
  configured: string;
  /** Root of the installed extension; a bundled binary lives in `server/` below it. */
  extensionPath: string;
  /** First workspace folder, for a relative `goalframe.server.path`. */
  workspaceRoot: string | undefined;
  homedir: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  isExecutableFile: (file: string) => boolean;
}

export const SETTING = 'goalframe.server.path';

/** File name of the binary on this platform. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'goalframe.exe' : 'goalframe';
}

export function resolveServer(ctx: SearchContext): Resolution {
  const configured = ctx.configured.trim();
  if (configured !== '') {
    const file = expandConfigured(configured, ctx);
    if (ctx.isExecutableFile(file)) {
      return { kind: 'found', path: file, source: 'setting' };
    }
    return {
      kind: 'missing',
      message:
        `goalframe: "${SETTING}" is set to "${configured}", but there is no executable file at ${file}. ` +
        `Fix the path, or clear the setting to use the bundled server or "goalframe" on PATH.`,
    };
  }

  const bundled = pathFor(ctx.platform).join(ctx.extensionPath, 'server', binaryName(ctx.platform));
  if (ctx.isExecutableFile(bundled)) {
    return { kind: 'found', path: bundled, source: 'bundled' };
  }

  const onPath = searchPath(ctx);
  if (onPath !== undefined) {
    return { kind: 'found', path: onPath, source: 'path' };
  }

  return {
    kind: 'missing',
    message:
      'goalframe: the language server binary "goalframe" was not found. ' +
      `Set "${SETTING}" to its location, install the goalframe extension built for your platform (it bundles the server), ` +
      'or put "goalframe" on PATH; then run "goalframe: Restart server".',
  };
}

/** `~/bin/goalframe` and workspace-relative paths, as users write them in settings. */
function expandConfigured(value: string, ctx: SearchContext): string {
  const p = pathFor(ctx.platform);
  if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) {
    return p.join(ctx.homedir, value.slice(1));
  }
  if (p.isAbsolute(value) || ctx.workspaceRoot === undefined) {
    return value;
  }
  return p.join(ctx.workspaceRoot, value);
}

/** Path rules of the platform searched, not of the one running the tests. */
function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function searchPath(ctx: SearchContext): string | undefined {
  // Windows spells the variable `Path`; look it up case-insensitively there.
  const key =
    ctx.platform === 'win32'
      ? Object.keys(ctx.env).find((k) => k.toUpperCase() === 'PATH')
      : 'PATH';
  const entries = (key !== undefined ? ctx.env[key] ?? '' : '').split(
    ctx.platform === 'win32' ? ';' : ':',
  );
  const name = binaryName(ctx.platform);
  for (const dir of entries) {
    if (dir === '') {
      continue;
    }
    const candidate = pathFor(ctx.platform).join(dir, name);
    if (ctx.isExecutableFile(candidate)) {
      return candidate;
    }
  }
  return undefined;
}
