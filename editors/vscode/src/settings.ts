/**
 * The editor settings → the server's settings object (docs/lsp.md). The same
 * object is sent as `initializationOptions`, answered for the
 * `workspace/configuration` section `goalframe`, and pushed with
 * `workspace/didChangeConfiguration`, so the server sees one shape from all
 * three. Free of the `vscode` module so the mapping is unit-tested.
 */
import * as path from 'node:path';

export const SECTION = 'goalframe';

export const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the server understands; keys are left out when the user set nothing. */
export interface ServerSettings {
  canon?: string[];
  placeholders?: string[];
  severity?: Record<string, Severity>;
}

/** Raw values as read from the configuration; user JSON, so nothing is trusted. */
export interface RawSettings {
  canon: unknown;
  placeholders: unknown;
  severity: unknown;
}

/**
 * Empty lists and maps are dropped rather than sent: an empty `canon` must
 * mean "no setting" (fall back to `goalframe.toml` or the built-in canon),
 * not "load no canon at all". Relative canon paths are made absolute here,
 * against the workspace root, because the server has no notion of which
 * folder the user meant.
 */
export function toServerSettings(raw: RawSettings, workspaceRoot: string | undefined): ServerSettings {
  const settings: ServerSettings = {};

  const canon = strings(raw.canon).map((dir) =>
    path.isAbsolute(dir) || workspaceRoot === undefined ? dir : path.join(workspaceRoot, dir),
  );
  if (canon.length > 0) {
    settings.canon = canon;
  }

  const placeholders = strings(raw.placeholders);
  if (placeholders.length > 0) {
    settings.placeholders = placeholders;
  }

  const severity = severities(raw.severity);
  if (Object.keys(severity).length > 0) {
    settings.severity = severity;
  }

  return settings;
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
}

function severities(value: unknown): Record<string, Severity> {
  const result: Record<string, Severity> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return result;
  }
  for (const [code, level] of Object.entries(value as Record<string, unknown>)) {
    const normalised = typeof level === 'string' ? level.trim().toLowerCase() : '';
    if ((SEVERITIES as readonly string[]).includes(normalised)) {
      result[code] = normalised as Severity;
    }
  }
  return result;
}
