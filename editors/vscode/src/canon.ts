/**
 * The result of the server's `goalframe.canon` command (docs/lsp.md), the
 * one source of roles, levels, frames and canon errors for the commands and
 * the status bar, so the extension never reads canon files itself nor names
 * a frame.
 */

export interface CanonLevel {
  code: string;
  name: string;
}

export interface CanonRole {
  id: string;
  title: string;
  family: string;
  aliases: string[];
  levels: CanonLevel[];
}

/** A frame the server renders: `id` is what `goalframe.render` takes as `frame`. */
export interface CanonFrame {
  id: string;
  label: string;
}

export interface CanonError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export interface CanonInfo {
  /** Canon directories in use; `<embedded>` is the canon built into the server. */
  sources: string[];
  /** In completion's order. Missing from servers older than the field. */
  frames?: CanonFrame[];
  roles: CanonRole[];
  roleCount: number;
  roleLevelCount: number;
  /** Problems of the last load that failed; the server keeps the last good canon. */
  errors: CanonError[];
}

export const CANON_COMMAND = 'goalframe.canon';
export const RENDER_COMMAND = 'goalframe.render';
export const EMBEDDED = '<embedded>';

/**
 * The frames of a canon answer, in the server's order; `undefined` when the
 * answer has none (a server older than the `frames` field), so that no
 * caller makes a list up.
 */
export function canonFrames(canon: Pick<CanonInfo, 'frames'>): CanonFrame[] | undefined {
  const frames: unknown = canon.frames;
  if (!Array.isArray(frames) || frames.length === 0) {
    return undefined;
  }
  const valid = frames.filter(
    (f): f is CanonFrame =>
      typeof f === 'object' && f !== null && typeof (f as CanonFrame).id === 'string' && typeof (f as CanonFrame).label === 'string',
  );
  return valid.length === frames.length ? valid : undefined;
}
