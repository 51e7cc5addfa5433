import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalRequest {
  method: string;
  /** Path and query string as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface LocalReply {
  status: number;
  headers?: Record<string, string>;
  /** A Buffer for binary downloads (the Bot API's file endpoint). */
  body: string | Buffer;
  /** Drop the connection instead of answering, as a peer that already closed it would. */
  resetConnection?: boolean;
  /** Send the headers and this many bytes of the body, then nothing more: a transfer that stalls. */
  stallAfterBytes?: number;
}

export interface LocalHttpServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The transport under every local stand-in (model providers, Bot API, AWS services): a real HTTP server on a
 * free loopback port that hands each complete request to `handle` and writes back its reply.
 */
export async function startLocalHttpServer(handle: (request: LocalRequest) => LocalReply | Promise<LocalReply>): Promise<LocalHttpServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      void Promise.resolve(handle(request)).then(
        (reply) => {
          if (res.writableEnded) return;
          if (reply.resetConnection) {
            req.socket.destroy();
            return;
          }
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          if (reply.stallAfterBytes !== undefined) {
            res.write(Buffer.from(reply.body).subarray(0, reply.stallAfterBytes));
            return;
          }
          res.end(reply.body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(error) }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const connectionReset = (): LocalReply => ({ status: 0, body: '', resetConnection: true });

export const jsonReply = (status: number, body: unknown, headers?: Record<string, string>): LocalReply => ({
  status,
  body: JSON.stringify(body),
  ...(headers ? { headers } : {}),
});
