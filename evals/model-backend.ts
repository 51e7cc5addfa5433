import { ReplayModelServer, type RecordedExchange } from '../test/stand-ins/replay-model-server.ts';

export interface ModelStepReport {
  /** The raw JSON body of each model request the step made, in order. */
  requests: string[];
  /** Model-side mismatches: a request lacking its requestContains, more or fewer requests than recorded. */
  problems: string[];
  /** The exchanges that answered the step's requests; when recording, the real provider's answers. */
  answered: RecordedExchange[];
  /** When recording: requests the real provider did not answer with 200, which must not end up in a scenario. */
  providerErrors: string[];
}

/** Where the provider packages send their HTTP calls during a scenario: recorded answers, or the real provider. */
export interface ModelBackend {
  readonly url: string;
  /** True when answers come from the real provider: steps then keep going after a failure, to record them all. */
  readonly recording: boolean;
  beginStep(exchanges: RecordedExchange[]): void;
  endStep(): ModelStepReport;
  close(): Promise<void>;
}

/** Replays each step's recorded exchanges through the test suite's ReplayModelServer. */
export class ReplayBackend implements ModelBackend {
  readonly recording = false;
  private requestsBefore = 0;
  private failuresBefore = 0;
  private expected: RecordedExchange[] = [];

  private constructor(private readonly server: ReplayModelServer) {}

  static async start(): Promise<ReplayBackend> {
    return new ReplayBackend(await new ReplayModelServer().start());
  }

  get url(): string {
    return this.server.url;
  }

  beginStep(exchanges: RecordedExchange[]): void {
    this.requestsBefore = this.server.requests.length;
    this.failuresBefore = this.server.failures.length;
    this.expected = exchanges;
    this.server.enqueue(exchanges);
  }

  endStep(): ModelStepReport {
    const requests = this.server.requests.slice(this.requestsBefore).map((request) => JSON.stringify(request.body));
    const problems = this.server.failures.slice(this.failuresBefore);
    if (this.server.remaining > 0) {
      problems.push(`the step records ${this.expected.length} model exchange(s) but the pipeline made ${requests.length} request(s)`);
    }
    return { requests, problems, answered: this.expected.slice(0, requests.length), providerErrors: [] };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
