/**
 * What the status bar item says. Pure functions over plain data, so the
 * wording and the counting are unit-tested without an editor.
 */
import * as path from 'node:path';
import { EMBEDDED } from './canon';

export const UNFILLED = 'unfilled-placeholder';

/** The fields of a diagnostic that matter here (vscode.Diagnostic fits). */
export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number };
}

/** A short name for the canon in use: "default canon" or the directory names. */
export function canonLabel(sources: readonly string[]): string {
  const names = sources.map((s) => (s === EMBEDDED ? 'default canon' : path.basename(s.replace(/[\\/]+$/, '')) || s));
  if (names.length === 0) {
    return 'no canon';
  }
  if (names.length <= 2) {
    return names.join(', ');
  }
  return `${names[0]} +${names.length - 1}`;
}

/** Counts goalframe's `unfilled-placeholder` diagnostics, whatever severity the user gave them. */
export function countUnfilled(diagnostics: readonly DiagnosticLike[]): number {
  return diagnostics.filter((d) => {
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    return d.source === 'goalframe' && code === UNFILLED;
  }).length;
}

export type ServerState = 'starting' | 'running' | 'stopped';

export interface StatusInput {
  state: ServerState;
  canon: string;
  canonErrors: number;
  /** Unfilled placeholders in the active document; undefined when it is not a goal document. */
  unfilled: number | undefined;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** Read by screen readers; the first word stays "goalframe" so the item is findable. */
  accessibleLabel: string;
  warning: boolean;
}

export function statusView(input: StatusInput): StatusView {
  if (input.state !== 'running') {
    const word = input.state === 'starting' ? 'starting' : 'server not running';
    return {
      text: `$(sync${input.state === 'starting' ? '~spin' : ''}) goalframe: ${word}`,
      tooltip: input.state === 'starting' ? 'The goalframe server is starting.' : 'The goalframe server is not running. Click to restart it.',
      accessibleLabel: `goalframe: ${word}`,
      warning: input.state === 'stopped',
    };
  }

  const parts = [`goalframe: ${input.canon}`];
  const tooltip = [`Canon: ${input.canon}`];
  if (input.canonErrors > 0) {
    parts.push(plural(input.canonErrors, 'canon error'));
    tooltip.push(`The last canon load failed with ${plural(input.canonErrors, 'error')}; the last good canon is in use. Click to see them.`);
  }
  if (input.unfilled !== undefined) {
    parts.push(`${input.unfilled} unfilled`);
    tooltip.push(`${plural(input.unfilled, 'unfilled placeholder')} in this document`);
  }
  if (input.canonErrors === 0) {
    tooltip.push('Click to insert a goal frame.');
  }
  const icon = input.canonErrors > 0 ? '$(warning)' : '$(checklist)';
  return {
    text: `${icon} ${parts.join(' · ')}`,
    tooltip: tooltip.join('\n'),
    accessibleLabel: parts.join(', '),
    warning: input.canonErrors > 0,
  };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
