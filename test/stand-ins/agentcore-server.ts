import { randomBytes, randomUUID } from 'node:crypto';
import { keywordScore } from '../../agent/memory-search.ts';
import { AwsFault, AwsRestJsonServer, type AwsReply, type RecordedRequest } from './aws-rest-json-server.ts';

const MEMORY_ID = /^[a-zA-Z][a-zA-Z0-9-_]{0,99}-[a-zA-Z0-9]{10}$/;
const ACTOR_ID = /^[a-zA-Z0-9][a-zA-Z0-9-_/]*(?::[a-zA-Z0-9-_/]+)*[a-zA-Z0-9-_/]*$/;
const SESSION_ID = /^[a-zA-Z0-9][a-zA-Z0-9-_]*$/;
const NAMESPACE = /^[a-zA-Z0-9/*][a-zA-Z0-9-_/*]*(?::[a-zA-Z0-9-_/*]+)*[a-zA-Z0-9-_/*]*$/;
const REQUEST_IDENTIFIER = /^[a-zA-Z0-9_-]{1,80}$/;
const MEMORY_RECORD_ID = /^mem-[a-zA-Z0-9-_]{36,46}$/;
const ROLES = ['USER', 'ASSISTANT', 'TOOL', 'OTHER'];

export type AgentCoreOperation = 'CreateEvent' | 'BatchCreateMemoryRecords' | 'ListMemoryRecords' | 'RetrieveMemoryRecords' | 'DeleteMemoryRecord';

/** Stands in for a long-term strategy: every event's USER messages become one record in the resolved namespace. */
export interface FakeStrategy {
  memoryStrategyId: string;
  /** A template with `{actorId}`, `{sessionId}` and `{memoryStrategyId}`, e.g. `/users/{actorId}/facts`. */
  namespaceTemplate: string;
}

export interface StoredRecord {
  memoryRecordId: string;
  content: { text: string };
  namespaces: string[];
  /** Epoch seconds, as restJson1 sends timestamps. */
  createdAt: number;
  memoryStrategyId?: string;
}

export interface StoredEvent {
  memoryId: string;
  actorId: string;
  sessionId: string;
  eventId: string;
  eventTimestamp: number;
  payload: unknown[];
}

export interface FakeAgentCoreOptions {
  memoryId: string;
  strategies?: FakeStrategy[];
}

/**
 * The AgentCore Memory data-plane operations Hermes uses (restJson1, routes as @aws-sdk/client-bedrock-agentcore
 * serializes them), with the service's field validation and error shapes, state in memory, every request recorded.
 * Extraction is synchronous here (AgentCore runs it in the background) and retrieval ranks by keyword overlap
 * instead of embeddings.
 */
export class FakeAgentCore {
  readonly records: StoredRecord[] = [];
  readonly events: StoredEvent[] = [];
  private readonly http = new AwsRestJsonServer((request, segments) => this.handle(request, segments));
  private readonly memoryId: string;
  private readonly strategies: FakeStrategy[];
  private readonly recordFailures: string[] = [];
  private readonly throttled: AgentCoreOperation[] = [];

  constructor(options: FakeAgentCoreOptions) {
    this.memoryId = options.memoryId;
    this.strategies = options.strategies ?? [];
  }

  get endpoint(): string {
    return this.http.endpoint;
  }

  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  requestsOf(operation: AgentCoreOperation): RecordedRequest[] {
    return this.requests.filter((request) => operationOf(request) === operation);
  }

  /** The next record BatchCreateMemoryRecords receives is reported in `failedRecords` with this message. */
  failNextRecord(errorMessage: string): void {
    this.recordFailures.push(errorMessage);
  }

  /** The next request of `operation` is refused as the data plane refuses a caller over its rate: 429 ThrottlingException. */
  throttleNext(operation: AgentCoreOperation): void {
    this.throttled.push(operation);
  }

  start(): Promise<void> {
    return this.http.start();
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private handle(request: RecordedRequest, segments: string[]): AwsReply {
    const operation = operationOf(request);
    if (!operation) throw new AwsFault(404, 'UnknownOperationException', { message: `No operation at ${request.method} ${request.path}` });
    const throttle = this.throttled.indexOf(operation);
    if (throttle >= 0) {
      this.throttled.splice(throttle, 1);
      throw new AwsFault(429, 'ThrottlingException', { message: 'Rate exceeded.' });
    }
    const memoryId = segments[1]!;
    if (!MEMORY_ID.test(memoryId)) throw validation('memoryId', `Invalid memoryId ${memoryId}.`);
    if (memoryId !== this.memoryId) throw new AwsFault(404, 'ResourceNotFoundException', { message: `Memory ${memoryId} not found.` });
    const body = (request.body ?? {}) as Record<string, unknown>;
    switch (operation) {
      case 'CreateEvent':
        return this.createEvent(body);
      case 'BatchCreateMemoryRecords':
        return this.batchCreate(body);
      case 'ListMemoryRecords':
        return this.listRecords(body);
      case 'RetrieveMemoryRecords':
        return this.retrieve(body);
      case 'DeleteMemoryRecord':
        return this.deleteRecord(segments[3]!);
    }
  }

  private createEvent(body: Record<string, unknown>): AwsReply {
    const actorId = boundedString(body.actorId, 'actorId', { min: 1, max: 255, pattern: ACTOR_ID });
    const sessionId = boundedString(body.sessionId, 'sessionId', { min: 1, max: 100, pattern: SESSION_ID });
    if (typeof body.eventTimestamp !== 'number') throw validation('eventTimestamp', 'eventTimestamp is required.');
    if (!Array.isArray(body.payload) || body.payload.length > 100) throw validation('payload', 'payload is required and holds at most 100 items.');
    const userTexts = body.payload.map((item, index) => payloadUserText(item, index)).filter((text): text is string => text !== undefined);
    const event: StoredEvent = {
      memoryId: this.memoryId,
      actorId,
      sessionId,
      eventId: `${Date.now()}#${randomBytes(8).toString('hex')}`,
      eventTimestamp: body.eventTimestamp,
      payload: body.payload,
    };
    this.events.push(event);
    if (userTexts.length > 0) {
      for (const strategy of this.strategies) {
        const namespace = strategy.namespaceTemplate
          .replaceAll('{actorId}', actorId)
          .replaceAll('{sessionId}', sessionId)
          .replaceAll('{memoryStrategyId}', strategy.memoryStrategyId);
        this.store({ text: userTexts.join('\n'), namespace, createdAt: event.eventTimestamp, memoryStrategyId: strategy.memoryStrategyId });
      }
    }
    return { status: 201, body: { event } };
  }

  private batchCreate(body: Record<string, unknown>): AwsReply {
    if (!Array.isArray(body.records) || body.records.length > 100) throw validation('records', 'records is required and holds at most 100 items.');
    const inputs = body.records.map((item, index) => validRecordInput(item, index));
    const successfulRecords: unknown[] = [];
    const failedRecords: unknown[] = [];
    for (const input of inputs) {
      const failure = this.recordFailures.shift();
      if (failure !== undefined) {
        const { requestIdentifier } = input;
        failedRecords.push({ memoryRecordId: newRecordId(), status: 'FAILED', requestIdentifier, errorCode: 500, errorMessage: failure });
        continue;
      }
      const stored = this.store(input);
      successfulRecords.push({ memoryRecordId: stored.memoryRecordId, status: 'SUCCEEDED', requestIdentifier: input.requestIdentifier });
    }
    return { status: 201, body: { successfulRecords, failedRecords } };
  }

  private listRecords(body: Record<string, unknown>): AwsReply {
    const inScope = namespaceFilter(body);
    const matches = this.records.filter((record) => inScope(record) && strategyMatches(record, body.memoryStrategyId));
    return page(matches, body);
  }

  private retrieve(body: Record<string, unknown>): AwsReply {
    const inScope = namespaceFilter(body);
    if (typeof body.searchCriteria !== 'object' || body.searchCriteria === null) throw validation('searchCriteria', 'searchCriteria is required.');
    const criteria = body.searchCriteria as Record<string, unknown>;
    const query = boundedString(criteria.searchQuery, 'searchCriteria.searchQuery', { min: 1, max: 10_000 });
    const topK = boundedInteger(criteria.topK, 'searchCriteria.topK', { min: 1, max: 100 }) ?? 10;
    const ranked = this.records
      .filter((record) => inScope(record) && strategyMatches(record, criteria.memoryStrategyId))
      .map((record) => ({ ...record, score: keywordScore(query, record.content.text) }))
      .filter((record) => record.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, topK);
    return page(ranked, body);
  }

  private deleteRecord(memoryRecordId: string): AwsReply {
    if (!MEMORY_RECORD_ID.test(memoryRecordId)) throw validation('memoryRecordId', `Invalid memoryRecordId ${memoryRecordId}.`);
    const index = this.records.findIndex((record) => record.memoryRecordId === memoryRecordId);
    if (index < 0) throw new AwsFault(404, 'ResourceNotFoundException', { message: `Memory record ${memoryRecordId} not found.` });
    this.records.splice(index, 1);
    return { status: 200, body: { memoryRecordId } };
  }

  private store(input: Omit<RecordInput, 'requestIdentifier'>): StoredRecord {
    const record: StoredRecord = {
      memoryRecordId: newRecordId(),
      content: { text: input.text },
      namespaces: input.namespace === undefined ? [] : [input.namespace],
      createdAt: input.createdAt,
      ...(input.memoryStrategyId !== undefined ? { memoryStrategyId: input.memoryStrategyId } : {}),
    };
    this.records.push(record);
    return record;
  }
}

function operationOf(request: RecordedRequest): AgentCoreOperation | undefined {
  const [root, , collection, item, ...rest] = request.path.split('/').filter(Boolean);
  if (root !== 'memories' || rest.length > 0) return undefined;
  if (request.method === 'POST' && collection === 'events' && item === undefined) return 'CreateEvent';
  if (request.method === 'POST' && collection === 'retrieve' && item === undefined) return 'RetrieveMemoryRecords';
  if (collection !== 'memoryRecords') return undefined;
  if (request.method === 'POST' && item === undefined) return 'ListMemoryRecords';
  if (request.method === 'POST' && item === 'batchCreate') return 'BatchCreateMemoryRecords';
  if (request.method === 'DELETE' && item !== undefined) return 'DeleteMemoryRecord';
  return undefined;
}

/** Exactly one of `namespace` (a prefix of the record's namespace) or `namespacePath` (a subtree) is required. */
function namespaceFilter(body: Record<string, unknown>): (record: StoredRecord) => boolean {
  if ((body.namespace === undefined) === (body.namespacePath === undefined)) {
    throw validation('namespace', 'Either namespace or namespacePath is required.');
  }
  if (body.namespace !== undefined) {
    const prefix = boundedString(body.namespace, 'namespace', { min: 1, max: 1024, pattern: NAMESPACE });
    return (record) => record.namespaces.some((namespace) => namespace.startsWith(prefix));
  }
  const path = boundedString(body.namespacePath, 'namespacePath', { min: 1, max: 1024, pattern: NAMESPACE });
  const parent = path.endsWith('/') ? path : `${path}/`;
  return (record) => record.namespaces.some((namespace) => namespace === path || namespace.startsWith(parent));
}

function strategyMatches(record: StoredRecord, strategyId: unknown): boolean {
  return strategyId === undefined || record.memoryStrategyId === strategyId;
}

function page(records: StoredRecord[], body: Record<string, unknown>): AwsReply {
  const size = boundedInteger(body.maxResults, 'maxResults', { min: 1, max: 100 }) ?? 20;
  const start = body.nextToken === undefined ? 0 : Number(body.nextToken);
  if (!Number.isInteger(start) || start < 0 || start > records.length) throw validation('nextToken', 'Invalid nextToken.');
  const end = start + size;
  return {
    status: 200,
    body: { memoryRecordSummaries: records.slice(start, end), ...(end < records.length ? { nextToken: String(end) } : {}) },
  };
}

function payloadUserText(item: unknown, index: number): string | undefined {
  const entry = (item ?? {}) as Record<string, unknown>;
  const members = Object.keys(entry).filter((key) => entry[key] !== undefined);
  if (members.length !== 1 || !['conversational', 'blob', 'json'].includes(members[0]!)) {
    throw validation(`payload[${index}]`, 'Each payload item must set exactly one of conversational, blob or json.');
  }
  if (members[0] !== 'conversational') return undefined;
  const conversational = entry.conversational as { content?: { text?: unknown }; role?: unknown };
  const text = boundedString(conversational.content?.text, `payload[${index}].conversational.content.text`, { min: 1, max: 100_000 });
  if (!ROLES.includes(conversational.role as string)) {
    throw validation(`payload[${index}].conversational.role`, `role must be one of ${ROLES.join(', ')}.`);
  }
  return conversational.role === 'USER' ? text : undefined;
}

interface RecordInput {
  requestIdentifier: string;
  text: string;
  namespace?: string;
  createdAt: number;
  memoryStrategyId?: string;
}

function validRecordInput(item: unknown, index: number): RecordInput {
  const input = (item ?? {}) as Record<string, unknown>;
  const field = (name: string) => `records[${index}].${name}`;
  const requestIdentifier = boundedString(input.requestIdentifier, field('requestIdentifier'), { min: 1, max: 80, pattern: REQUEST_IDENTIFIER });
  if (!Array.isArray(input.namespaces) || input.namespaces.length > 1) {
    throw validation(field('namespaces'), 'namespaces is required and holds at most 1 item.');
  }
  const namespaces = input.namespaces.map((namespace) => boundedString(namespace, field('namespaces'), { min: 1, max: 1024, pattern: NAMESPACE }));
  const content = (input.content ?? {}) as { text?: unknown };
  const text = boundedString(content.text, field('content.text'), { min: 1, max: 16_000 });
  if (typeof input.timestamp !== 'number') throw validation(field('timestamp'), 'timestamp is required.');
  return {
    requestIdentifier,
    text,
    createdAt: input.timestamp,
    ...(namespaces[0] !== undefined ? { namespace: namespaces[0] } : {}),
    ...(typeof input.memoryStrategyId === 'string' ? { memoryStrategyId: input.memoryStrategyId } : {}),
  };
}

/** Lengths count code points, as Smithy's length trait does. */
function boundedString(value: unknown, field: string, { min, max, pattern }: { min: number; max: number; pattern?: RegExp }): string {
  if (typeof value !== 'string') throw validation(field, `${field} is required and must be a string.`);
  const length = [...value].length;
  if (length < min || length > max) throw validation(field, `${field} must be ${min} to ${max} characters long.`);
  if (pattern && !pattern.test(value)) throw validation(field, `${field} does not match ${pattern.source}.`);
  return value;
}

function boundedInteger(value: unknown, field: string, { min, max }: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw validation(field, `${field} must be an integer from ${min} to ${max}.`);
  }
  return value as number;
}

function newRecordId(): string {
  return `mem-${randomUUID()}`;
}

function validation(field: string, message: string): AwsFault {
  return new AwsFault(400, 'ValidationException', { message, reason: 'FieldValidationFailed', fieldList: [{ name: field, message }] });
}
