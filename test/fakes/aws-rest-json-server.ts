import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the SDK serialized it: path labels decoded, query as sent, JSON body parsed. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface AwsReply {
  status: number;
  body: unknown;
}

/** An error answer in the restJson1 shape: the type in `x-amzn-errortype`, details in the JSON body. */
export class AwsFault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${type}: ${JSON.stringify(body)}`);
  }
}

export type AwsRoute = (request: RecordedRequest, segments: string[]) => AwsReply;

/**
 * The transport shared by the local AWS fakes: a real HTTP server on 127.0.0.1 that the real SDK clients
 * reach through `endpoint`. It records every request and turns thrown `AwsFault`s into AWS-style errors.
 */
export class AwsRestJsonServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;

  constructor(private readonly route: AwsRoute) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const reply = (status: number, body: unknown, type?: string) => {
          res.writeHead(status, { 'content-type': 'application/json', ...(type ? { 'x-amzn-errortype': type } : {}) });
          res.end(JSON.stringify(body));
        };
        const url = new URL(req.url ?? '/', 'http://fake');
        const raw = Buffer.concat(chunks).toString('utf8');
        const request: RecordedRequest = {
          method: req.method ?? 'GET',
          path: decodeURIComponent(url.pathname),
          query: Object.fromEntries(url.searchParams),
          body: raw ? (JSON.parse(raw) as unknown) : undefined,
        };
        this.requests.push(request);
        // Every AWS API rejects unsigned calls before looking at them.
        if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
          return reply(403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException');
        }
        try {
          const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
          const { status, body } = this.route(request, segments);
          reply(status, body);
        } catch (error) {
          if (error instanceof AwsFault) reply(error.status, error.body, error.type);
          else reply(500, { message: String(error) }, 'InternalServerException');
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }
}
