/**
 * The result of the server's `goalframe.canon` command (docs/lsp.md), the
 * one source of roles, levels and canon errors for the commands and the
 * status bar, so the extension never reads canon files itself.
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
  roles: CanonRole[];
  roleCount: number;
  roleLevelCount: number;
  /** Problems of the last load that failed; the server keeps the last good canon. */
  errors: CanonError[];
}

export const CANON_COMMAND = 'goalframe.canon';
export const RENDER_COMMAND = 'goalframe.render';
export const EMBEDDED = '<embedded>';
