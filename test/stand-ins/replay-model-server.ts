import { readFile } from 'node:fs/promises';
import type { ModelProvider } from '../../agent/providers.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { jsonReply, startLocalHttpServer, type LocalHttpServer } from './local-http-server.ts';
import { ProviderRules } from './provider-rules.ts';

/** One recorded provider answer, optionally with what the request that gets it must contain. */
export interface RecordedExchange {
  /** Substrings the raw request body must contain (e.g. a tool result from the previous step). */
  requestContains?: string[];
  /** Substrings the raw request body must contain in this order: the conversation as the model reads it, oldest first. */
  requestInOrder?: string[];
  /** HTTP status to answer with; 200 when omitted. */
  status?: number;
  /** Milliseconds to wait before answering (for timeout tests). */
  delayMs?: number;
  response: unknown;
}

export interface RecordedConversation {
  provider: ModelProvider;
  exchanges: RecordedExchange[];
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A local stand-in for the DeepSeek and Bedrock HTTP APIs that answers with recorded responses in order.
 * The real provider packages talk to it, so request serialization and response parsing are the real code.
 * It refuses what the real APIs refuse (see provider-rules.ts), as they do, without using up a recorded answer.
 * Bedrock's SigV4 headers change every run, so nothing matches on them.
 */
export class ReplayModelServer {
  readonly requests: ReceivedRequest[] = [];
  private queue: RecordedExchange[] = [];
  private server: LocalHttpServer | undefined;
  failures: string[] = [];
  private readonly rules = new ProviderRules();

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
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await startLocalHttpServer(async (req) => {
      const path = req.url;
      this.requests.push({ method: req.method, path, headers: req.headers, body: req.body ? JSON.parse(req.body) : undefined });
      const known = (req.method === 'POST' && path === '/chat/completions') || /^\/model\/[^/]+\/converse$/.test(path);
      const rejection = known ? this.rules.check(path, JSON.parse(req.body) as Record<string, unknown>) : undefined;
      if (rejection) {
        this.failures.push(`the provider would refuse the request to ${path}: ${JSON.stringify(rejection.body)}`);
        return jsonReply(rejection.status, rejection.body, rejection.headers);
      }
      const next = known ? this.queue.shift() : undefined;
      if (!next) {
        this.failures.push(`unexpected request ${req.method} ${path}`);
        return jsonReply(500, { error: { message: `replay server: no recorded response left for ${req.method} ${path}` } });
      }
      const missing = (next.requestContains ?? []).filter((needle) => !req.body.includes(needle));
      if (missing.length > 0) this.failures.push(`request to ${path} lacks ${JSON.stringify(missing)}`);
      const disorder = outOfOrder(req.body, next.requestInOrder ?? []);
      if (disorder) this.failures.push(`request to ${path} ${disorder}`);
      if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
      this.rules.observe(path, next.response, JSON.parse(req.body) as Record<string, unknown>);
      return jsonReply(next.status ?? 200, next.response);
    });
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}

/** What is wrong with the order of `needles` in `body`, or undefined when each comes after the one before it. */
export function outOfOrder(body: string, needles: string[]): string | undefined {
  let from = 0;
  for (const [index, needle] of needles.entries()) {
    const at = body.indexOf(needle, from);
    if (at === -1) return body.includes(needle) ? `has ${JSON.stringify(needle)} before ${JSON.stringify(needles[index - 1])}, not after it` : `lacks ${JSON.stringify(needle)}`;
    from = at + needle.length;
  }
  return undefined;
}

/** Credentials for the Bedrock provider's SigV4 signing against the replay server (never checked; they vary per run). */
export function stubBedrockCredentials(stubEnv: (name: string, value: string) => unknown): void {
  stubEnv('AWS_ACCESS_KEY_ID', 'AKIDREPLAY');
  stubEnv('AWS_SECRET_ACCESS_KEY', 'replay-secret');
  stubEnv('AWS_SESSION_TOKEN', '');
}
