import { startLocalHttpServer, type LocalHttpServer } from '../../test/stand-ins/local-http-server.ts';
import { outOfOrder, type RecordedExchange } from '../../test/stand-ins/replay-model-server.ts';
import type { ModelBackend, ModelStepReport } from '../model-backend.ts';
import type { Upstream } from './provider-upstream.ts';

/**
 * Stands where the ReplayModelServer stands, but forwards each request to the real provider and keeps its answer
 * as the new recorded exchange. The old exchange at the same position lends its requestContains. An old exchange
 * with an error status is a fault the scenario injects on purpose (a healthy provider never produces it), so it
 * is replayed rather than forwarded.
 */
export class RecordingModelProxy implements ModelBackend {
  readonly recording = true;
  private server: LocalHttpServer | undefined;
  private queue: RecordedExchange[] = [];
  private requests: string[] = [];
  private problems: string[] = [];
  private answered: RecordedExchange[] = [];
  private providerErrors: string[] = [];

  constructor(private readonly upstream: Upstream) {}

  get url(): string {
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await startLocalHttpServer((req) => this.handle(req.method, req.url, req.body));
    return this;
  }

  beginStep(exchanges: RecordedExchange[]): void {
    this.queue = [...exchanges];
    this.requests = [];
    this.problems = [];
    this.answered = [];
    this.providerErrors = [];
  }

  endStep(): ModelStepReport {
    return { requests: this.requests, problems: this.problems, answered: this.answered, providerErrors: this.providerErrors };
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async handle(method: string, path: string, raw: string): Promise<{ status: number; body: string }> {
    if (!this.upstream.accepts(method, path)) {
      this.problems.push(`unexpected request ${method} ${path}`);
      return { status: 404, body: JSON.stringify({ error: { message: `recording proxy: ${this.upstream.provider} has no ${method} ${path}` } }) };
    }
    this.requests.push(raw);
    const previous = this.queue.shift();
    const missing = (previous?.requestContains ?? []).filter((needle) => !raw.includes(needle));
    if (missing.length > 0) this.problems.push(`request ${this.requests.length} lacks ${JSON.stringify(missing)} (kept in the recording; adjust it)`);
    const disorder = outOfOrder(raw, previous?.requestInOrder ?? []);
    if (disorder) this.problems.push(`request ${this.requests.length} ${disorder} (kept in the recording; adjust it)`);
    if (previous?.status !== undefined && previous.status >= 400) {
      this.answered.push(previous);
      return { status: previous.status, body: JSON.stringify(previous.response) };
    }
    try {
      const answer = await fetch(`${this.upstream.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: this.upstream.authorization },
        body: raw,
      });
      const body = await answer.text();
      if (answer.status !== 200) this.providerErrors.push(`${this.upstream.provider} answered HTTP ${answer.status}: ${body.slice(0, 300)}`);
      this.answered.push({
        ...(previous?.requestContains ? { requestContains: previous.requestContains } : {}),
        ...(previous?.requestInOrder ? { requestInOrder: previous.requestInOrder } : {}),
        ...(answer.status !== 200 ? { status: answer.status } : {}),
        response: parseJson(body),
      });
      return { status: answer.status, body };
    } catch (error) {
      this.providerErrors.push(`could not reach ${this.upstream.baseUrl}: ${(error as Error).message}`);
      return { status: 502, body: JSON.stringify({ error: { message: 'recording proxy: provider unreachable' } }) };
    }
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
