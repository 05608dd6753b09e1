/**
 * `goalframe: Import canon from spreadsheet…`: the parts that do not need
 * VS Code — the command line it runs and how it reads the answer — so
 * that they can be unit-tested. The import itself is the binary's
 * (`goalframe canon import`, docs/canon.md); the command never reads a
 * spreadsheet.
 */

import * as path from 'node:path';

/** The file types the import reads. */
export const SPREADSHEET_EXTENSIONS = ['csv', 'xlsx'];

export interface ImportRequest {
  files: string[];
  out: string;
  /** The sheet of the .xlsx files; empty or undefined: each one's first. */
  sheet?: string;
  /** Replace a non-empty output folder. */
  force: boolean;
}

/** The arguments of `goalframe` for the request. */
export function importArgs(request: ImportRequest): string[] {
  const args = ['canon', 'import', ...request.files, '--out', request.out];
  const sheet = request.sheet?.trim() ?? '';
  if (sheet !== '') {
    args.push('--sheet', sheet);
  }
  if (request.force) {
    args.push('--force');
  }
  return args;
}

/** Whether any of the files is a workbook (and a sheet may be asked for). */
export function hasWorkbook(files: string[]): boolean {
  return files.some((f) => f.toLowerCase().endsWith('.xlsx'));
}

/** One problem the import reported: where (`file:row:column` or `file[Sheet]!C12`) and what. */
export interface ImportProblem {
  location: string;
  message: string;
}

/**
 * The problems of a failed import, from its standard error: each
 * `error: LOCATION: MESSAGE` line whose location names a cell, in order.
 * The closing count (`error: N problems; nothing was written`) and
 * messages without a cell (an unreadable file) come back with an empty
 * location, so that nothing the binary said is lost.
 */
export function importProblems(stderr: string): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const raw of stderr.split(/\r?\n/)) {
    if (raw.trim() === '') {
      continue;
    }
    const line = raw.startsWith('error: ') ? raw.slice('error: '.length) : raw;
    const cell = /^(.*?(?::\d+:\d+|\[[^\]]*\]![A-Z]+\d+)): (.*)$/.exec(line);
    if (cell !== null) {
      problems.push({ location: cell[1], message: cell[2] });
    } else {
      problems.push({ location: '', message: line });
    }
  }
  return problems;
}

/** Whether the import refused because the output folder is not empty. */
export function refusedNonEmpty(stderr: string): boolean {
  return /is not empty; pass --force/.test(stderr);
}

/**
 * The `goalframe.canon` entry for a canon folder: relative to the
 * workspace root when inside it (as the setting resolves relative paths),
 * else absolute.
 */
export function canonSetting(folder: string, workspaceRoot: string | undefined, p: path.PlatformPath = path): string {
  if (workspaceRoot !== undefined) {
    const relative = p.relative(workspaceRoot, folder);
    if (relative === '') {
      return '.';
    }
    if (!relative.startsWith('..') && !p.isAbsolute(relative)) {
      return relative.split(p.sep).join('/');
    }
  }
  return folder;
}
