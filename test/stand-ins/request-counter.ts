import type { Server } from 'node:http';
import { awsOperationOf } from './aws-operation.ts';

/**
 * Counts, per AWS operation, every request an emulator's HTTP server receives (SDK retries included), by
 * listening on the server itself: the count is taken on the wire without adding a hop to the path measured.
 */
export class RequestCounter {
  private readonly counts = new Map<string, number>();

  constructor(server: Server) {
    server.on('request', (req) => {
      const operation = awsOperationOf(req.method ?? 'GET', req.url ?? '/', req.headers);
      this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
    });
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}
