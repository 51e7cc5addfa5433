import { jsonReply, startLocalHttpServer, type LocalHttpServer } from './local-http-server.ts';

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
  private server: LocalHttpServer | undefined;

  constructor(private readonly route: AwsRoute) {}

  get endpoint(): string {
    return this.server!.url;
  }

  async start(): Promise<void> {
    this.server = await startLocalHttpServer((req) => {
      const reply = (status: number, body: unknown, type?: string) => jsonReply(status, body, type ? { 'x-amzn-errortype': type } : undefined);
      const url = new URL(req.url, 'http://fake');
      const request: RecordedRequest = {
        method: req.method,
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        body: req.body ? (JSON.parse(req.body) as unknown) : undefined,
      };
      this.requests.push(request);
      // Every AWS API rejects unsigned calls before looking at them.
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        return reply(403, { message: 'Missing Authentication Token' }, 'MissingAuthenticationTokenException');
      }
      try {
        const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
        const { status, body } = this.route(request, segments);
        return reply(status, body);
      } catch (error) {
        if (error instanceof AwsFault) return reply(error.status, error.body, error.type);
        return reply(500, { message: String(error) }, 'InternalServerException');
      }
    });
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}
