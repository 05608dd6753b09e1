/**
 * The language client for `goalframe lsp`. Settings flow to the server in
 * the one shape of SPEC §6 on all three paths (initializationOptions, the
 * `workspace/configuration` pull and the `didChangeConfiguration` push), so
 * relative canon paths are already resolved whichever path the server uses.
 */
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

export function currentSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return toServerSettings(
    {
      canon: config.get('canon'),
      placeholders: config.get('placeholders'),
      severity: config.get('severity'),
    },
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  );
}

export function createClient(serverPath: string, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const serverOptions: ServerOptions = {
    command: serverPath,
    args: ['lsp'], // the client appends --stdio
    transport: TransportKind.stdio,
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel,
    // A function, so a restart picks up settings changed in the meantime.
    initializationOptions: () => currentSettings(),
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const answers: unknown = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers as never;
          }
          return params.items.map((item, i): unknown =>
            item.section === SECTION ? currentSettings() : answers[i],
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
