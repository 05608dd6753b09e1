/**
 * The server's own `goalframe.canon` answer, asked over stdio outside VS
 * Code, so the checks compare what the workbench shows with what the server
 * says rather than with a list typed into the test.
 */
import { spawn } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CanonInfo } from '../../src/canon';

export async function serverCanon(bin: string, timeoutMs = 30_000): Promise<CanonInfo> {
  const child = spawn(bin, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
  // The protocol's framing by the JSON-RPC library VS Code's own client
  // uses, not by hand.
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  // The server's requests (e.g. workspace/configuration): no settings.
  connection.onRequest((method: string) => (method === 'workspace/configuration' ? [null] : null));
  connection.listen();

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${bin} lsp did not answer goalframe.canon in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
        await connection.sendNotification('initialized', {});
        const canon = await connection.sendRequest<CanonInfo>('workspace/executeCommand', { command: 'goalframe.canon' });
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
        return canon;
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    connection.dispose();
    child.kill();
  }
}
