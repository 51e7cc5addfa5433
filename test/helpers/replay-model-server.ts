import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded provider answer, optionally with what the request that gets it must contain. */
export interface RecordedExchange {
  /** Substrings the raw request body must contain (e.g. a tool result from the previous step). */
  requestContains?: string[];
  /** HTTP status to answer with; 200 when omitted. */
  status?: number;
  /** Milliseconds to wait before answering (for timeout tests). */
  delayMs?: number;
  response: unknown;
}

export interface RecordedConversation {
  provider: 'deepseek' | 'bedrock';
  exchanges: RecordedExchange[];
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * A local stand-in for the DeepSeek and Bedrock HTTP APIs that answers with recorded responses in order.
 * The real provider packages talk to it, so request serialization and response parsing are the real code.
 * Bedrock's SigV4 headers change every run, so nothing matches on them.
 */
export class ReplayModelServer {
  readonly requests: ReceivedRequest[] = [];
  private queue: RecordedExchange[] = [];
  private server: Server | undefined;
  failures: string[] = [];

  static async fromFiles(...paths: string[]): Promise<ReplayModelServer> {
    const server = new ReplayModelServer();
    for (const path of paths) server.enqueue(JSON.parse(await readFile(path, 'utf8')) as RecordedConversation);
    return server.start();
  }

  enqueue(conversation: RecordedConversation | RecordedExchange[]): this {
    this.queue.push(...(Array.isArray(conversation) ? conversation : conversation.exchanges));
    return this;
  }

  get remaining(): number {
    return this.queue.length;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
        const known = (req.method === 'POST' && path === '/chat/completions') || /^\/model\/[^/]+\/converse$/.test(path);
        const next = known ? this.queue.shift() : undefined;
        const answer = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (!next) {
          this.failures.push(`unexpected request ${req.method} ${path}`);
          answer(500, { error: { message: `replay server: no recorded response left for ${req.method} ${path}` } });
          return;
        }
        const missing = (next.requestContains ?? []).filter((needle) => !raw.includes(needle));
        if (missing.length > 0) this.failures.push(`request to ${path} lacks ${JSON.stringify(missing)}`);
        setTimeout(() => answer(next.status ?? 200, next.response), next.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
