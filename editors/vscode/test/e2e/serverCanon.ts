/**
 * The server's own `goalframe.canon` answer, asked over stdio outside VS
 * Code, so the checks compare what the workbench shows with what the server
 * says rather than with a list typed into the test.
 */
import { spawn } from 'node:child_process';
import type { CanonInfo } from '../../src/canon';

export async function serverCanon(bin: string, timeoutMs = 30_000): Promise<CanonInfo> {
  const child = spawn(bin, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  let buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        return;
      }
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (buffer.length < headerEnd + 4 + length) {
        return;
      }
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as {
        id?: number;
        method?: string;
        result?: unknown;
        error?: { message: string };
      };
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.method !== undefined && message.id !== undefined) {
        // A request of the server's (e.g. workspace/configuration): no settings.
        send({ jsonrpc: '2.0', id: message.id, result: message.method === 'workspace/configuration' ? [null] : null });
      } else if (message.id !== undefined) {
        waiting.get(message.id)?.(message);
      }
    }
  });
  const send = (message: object): void => {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  let next = 1;
  const request = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
      send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${bin} lsp did not answer goalframe.canon in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
        send({ jsonrpc: '2.0', method: 'initialized', params: {} });
        const canon = (await request('workspace/executeCommand', { command: 'goalframe.canon' })) as CanonInfo;
        await request('shutdown');
        send({ jsonrpc: '2.0', method: 'exit' });
        return canon;
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    child.kill();
  }
}
