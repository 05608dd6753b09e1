/**
 * The language client for `goalframe lsp`. Settings flow to the server in
 * the one settings shape (docs/lsp.md) on all three paths (initializationOptions, the
 * `workspace/configuration` pull and the `didChangeConfiguration` push), so
 * relative canon paths are already resolved whichever path the server uses.
 */
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { SECTION, type ServerSettings, toServerSettings } from './settings';

/** Goal documents: markdown and plain text, saved or not. */
export const DOCUMENT_SELECTOR = ['markdown', 'plaintext'].flatMap((language) =>
  ['file', 'untitled'].map((scheme) => ({ language, scheme })),
);

export function isGoalDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR, document) > 0;
}

/**
 * The settings of the workspace folder holding `scope` (the server asks for
 * each folder's), else of the first folder; relative canon paths resolve
 * against that folder.
 */
export function currentSettings(scope?: vscode.Uri): ServerSettings {
  const folder =
    (scope === undefined ? undefined : vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
  return toServerSettings(
    {
      canon: config.get('canon'),
      placeholders: config.get('placeholders'),
      severity: config.get('severity'),
    },
    folder?.uri.fsPath,
  );
}

/**
 * `onWatchedFileChange` is told when a file the server asked to watch (its
 * canon directories) changes, i.e. when the server is about to reload the canon.
 */
export function createClient(
  serverPath: string,
  outputChannel: vscode.LogOutputChannel,
  onWatchedFileChange: () => void,
): LanguageClient {
  const serverOptions: ServerOptions = {
    command: serverPath,
    args: ['lsp'], // the client appends --stdio
    transport: TransportKind.stdio,
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel,
    // The server logs every line both to stderr and as window/logMessage
    // (docs/lsp.md), which the channel already shows at its real level; the
    // stderr copy goes to debug so a crash's output is kept without doubling
    // (and mislabelling as errors) every ordinary line.
    stdioOptions: {
      // Never called for a stdio server (stdout carries the protocol); the option's type requires it.
      stdout: (input, channel) => forwardLines(input, (line) => channel.info(line)),
      stderr: (input, channel) => forwardLines(input, (line) => channel.debug(line)),
    },
    // A function, so a restart picks up settings changed in the meantime.
    initializationOptions: () => currentSettings(),
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        didChangeWatchedFile: (event, next) => {
          onWatchedFileChange();
          return next(event);
        },
        configuration: async (params, token, next) => {
          const answers: unknown = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers as never;
          }
          return params.items.map((item, i): unknown =>
            item.section === SECTION
              ? currentSettings(item.scopeUri === undefined ? undefined : client.protocol2CodeConverter.asUri(item.scopeUri))
              : answers[i],
          );
        },
        // Push the mapped object, not the raw editor section (which also
        // holds client-only keys such as `server.path` and `trace`).
        didChangeConfiguration: () =>
          client.sendNotification(DidChangeConfigurationNotification.type, {
            settings: { [SECTION]: currentSettings() },
          }),
      },
    },
  };

  const client = new LanguageClient(SECTION, 'goalframe', serverOptions, clientOptions);
  return client;
}

function forwardLines(input: Readable, log: (line: string) => void): void {
  readline.createInterface({ input }).on('line', log);
}
