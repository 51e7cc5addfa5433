import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsOperationOf } from '../../stand-ins/aws-operation.ts';

/** What a fault rule sees of a request: the AWS operation name and the raw body. */
export interface ProxiedRequest {
  operation: string;
  body: string;
}

export interface FaultReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface FaultRule {
  matches: (request: ProxiedRequest) => boolean;
  /** How many matching requests get the fault; Infinity until removed. */
  times: number;
  reply: FaultReply;
}

/**
 * A loopback proxy in front of an AWS emulator: it counts every request the SDK really sends (retries
 * included), per operation, and can answer chosen requests with a fault instead of forwarding them.
 * Counting on the wire is the honest measure: middleware would not see what a retry strategy re-sends.
 */
export class AwsProxy {
  private readonly counts = new Map<string, number>();
  private readonly rules: FaultRule[] = [];
  private readonly agent = new Agent({ keepAlive: true });
  private server: Server | undefined;

  constructor(private readonly upstream: string) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Requests per operation since the last reset, faulted ones included. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  resetCounts(): void {
    this.counts.clear();
  }

  addFault(rule: FaultRule): FaultRule {
    this.rules.push(rule);
    return rule;
  }

  clearFaults(): void {
    this.rules.length = 0;
  }

  async start(): Promise<this> {
    const target = new URL(this.upstream);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const operation = awsOperationOf(req.method ?? 'GET', req.url ?? '/', req.headers);
        this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
        const rule = this.rules.find((candidate) => candidate.times > 0 && candidate.matches({ operation, body: raw.toString('utf8') }));
        if (rule) {
          rule.times -= 1;
          res.writeHead(rule.reply.status, { 'content-type': 'application/json', ...rule.reply.headers });
          res.end(rule.reply.body);
          return;
        }
        const forwarded = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
          (upstream) => {
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          },
        );
        forwarded.on('error', (error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${error.message}`);
        });
        forwarded.end(raw);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The error DynamoDB sends when it sheds load; the SDK classifies it as throttling and retries it. */
export function dynamoThrottle(): FaultReply {
  return {
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'The level of configured provisioned throughput for the table was exceeded.',
    }),
  };
}
