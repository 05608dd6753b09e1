/**
 * `goalframe: Export goals…`: the parts that do not need VS Code — the
 * formats the server offers, the file name proposed, and what a result
 * says — so that they can be unit-tested. The export itself is the
 * server's `goalframe.export` command (docs/export.md), which writes the
 * file exactly as `goalframe export` does.
 */

export const EXPORT_COMMAND = 'goalframe.export';

/** A format of `goalframe.export`, as `goalframe.canon` lists it. */
export interface ExportFormat {
  /** What `goalframe.export` takes as `format` (the command line's name). */
  id: string;
  label: string;
  /** The output file's extension, without the dot. */
  extension: string;
  description?: string | null;
}

/** A document's pre-flight problems, as LSP diagnostics. */
export interface ExportProblems {
  uri: string;
  diagnostics: unknown[];
}

/** The answer of `goalframe.export`. */
export interface ExportResult {
  written: boolean;
  output: string;
  documents: number;
  goals: number;
  refusedGoals: number;
  refusedDocuments: number;
  problems: ExportProblems[];
  skipped: { path: string; reason: string }[];
  /** What the export says besides (one person's goals for a cycle in two documents); absent from older servers. */
  warnings?: string[];
}

/**
 * The formats of a `goalframe.canon` answer, in the server's order;
 * `undefined` when it has none (a server older than the field), so that
 * no list is made up here.
 */
export function exportFormats(canon: { exportFormats?: unknown }): ExportFormat[] | undefined {
  const formats = canon.exportFormats;
  if (!Array.isArray(formats) || formats.length === 0) {
    return undefined;
  }
  const valid = formats.filter(
    (f): f is ExportFormat =>
      typeof f === 'object' &&
      f !== null &&
      typeof (f as ExportFormat).id === 'string' &&
      typeof (f as ExportFormat).label === 'string' &&
      typeof (f as ExportFormat).extension === 'string',
  );
  return valid.length === formats.length ? valid : undefined;
}

/** The file name proposed: `goals-<format>.<extension>`, or for one document `<its name>-<format>.<extension>`. */
export function exportFileName(format: ExportFormat, documentName?: string): string {
  const stem = documentName === undefined ? 'goals' : documentName.replace(/\.[^.]*$/, '');
  return `${stem}-${format.id}.${format.extension}`;
}

const plural = (n: number, word: string): string => `${String(n)} ${word}${n === 1 ? '' : 's'}`;

/** The warnings shown besides the result's message, each its own. */
export function exportWarnings(result: ExportResult): string[] {
  return (result.warnings ?? []).map((w) => `goalframe: ${w}`);
}

/** What the user is told about a result. */
export function exportMessage(result: ExportResult): string {
  const skipped = result.skipped.length > 0 ? ` (${plural(result.skipped.length, 'file')} could not be read)` : '';
  if (result.written) {
    return `goalframe: exported ${plural(result.goals, 'goal')} from ${plural(result.documents, 'document')} to ${result.output}${skipped}`;
  }
  return `goalframe: ${plural(result.refusedGoals, 'goal')} in ${plural(result.refusedDocuments, 'document')} ${
    result.refusedGoals === 1 ? 'is' : 'are'
  } not ready for export; nothing was written${skipped}`;
}
