import { randomUUID } from 'node:crypto';
import {
  BatchCreateMemoryRecordsCommand,
  CreateEventCommand,
  DeleteMemoryRecordCommand,
  paginateListMemoryRecords,
  RetrieveMemoryRecordsCommand,
  type BedrockAgentCoreClient,
  type MemoryRecordSummary,
  type PayloadType,
} from '@aws-sdk/client-bedrock-agentcore';
import { NotFoundError, StoreError, ValidationError } from '../../tools/errors.ts';
import type { Exchange, MemoryEntry, MemoryHit, MemoryReplacement, MemoryStore, MemoryTarget } from '../../tools/ports/memory-store.ts';
import { actorIdFor, sessionIdFor, userNamespace } from './agentcore-ids.ts';
import { callAws, hasErrorName, toStoreError } from './aws-failure.ts';
import { sliceWhole } from '../../tools/char-count.ts';

export interface AgentCoreMemoryStoreOptions {
  client: BedrockAgentCoreClient;
  memoryId: string;
}

/** AgentCore's limits: a memory record's text, one event message, a search query, and results per call. */
const RECORD_TEXT_LIMIT = 16_000;
const EVENT_TEXT_LIMIT = 100_000;
const SEARCH_QUERY_LIMIT = 10_000;
const RESULTS_LIMIT = 100;

/**
 * Saved entries are memory records in `/users/{actorId}/memory` and `/users/{actorId}/user`; exchanges are
 * conversation events, from which AgentCore's strategies extract long-term records under `/users/{actorId}/`.
 * Search covers that whole per-user tree, so it never reaches another user's records.
 */
export class AgentCoreMemoryStore implements MemoryStore {
  private readonly client: BedrockAgentCoreClient;
  private readonly memoryId: string;

  constructor(options: AgentCoreMemoryStoreOptions) {
    this.client = options.client;
    this.memoryId = options.memoryId;
  }

  async list(userId: string, target: MemoryTarget): Promise<MemoryEntry[]> {
    return (await this.records(savedNamespace(actorIdFor(userId), target))).map((record) => ({
      id: record.memoryRecordId!,
      target,
      text: record.content?.text ?? '',
    }));
  }

  async add(userId: string, target: MemoryTarget, text: string): Promise<MemoryEntry> {
    const id = await this.createRecord(savedNamespace(actorIdFor(userId), target), text, new Date());
    return { id, target, text };
  }

  async replace(userId: string, { target, id, text }: MemoryReplacement): Promise<void> {
    const namespace = savedNamespace(actorIdFor(userId), target);
    const old = await this.existingRecord(namespace, target, id);
    // The new record takes the old one's time, so the entry keeps its place in the oldest-first list.
    const created = await this.createRecord(namespace, text, old.createdAt ?? new Date());
    try {
      await this.deleteRecord(namespace, target, id);
    } catch (error) {
      // AgentCore has no transaction: left with both, the notebook would show the entry twice, and a new text that
      // contains the old one would make every later quote of it ambiguous. Taking the new one back undoes the change.
      await this.deleteRecord(namespace, target, created).catch((undoError: unknown) => {
        throw new StoreError(
          'The memory store saved the new text but could not remove the old, nor take the new one back: both entries are in memory now. Remove the old one by quoting a part only it has.',
          { cause: undoError },
        );
      });
      throw error;
    }
  }

  async remove(userId: string, target: MemoryTarget, id: string): Promise<void> {
    const namespace = savedNamespace(actorIdFor(userId), target);
    await this.existingRecord(namespace, target, id);
    await this.deleteRecord(namespace, target, id);
  }

  async recordExchange(userId: string, exchange: Exchange): Promise<void> {
    const payload = [message('USER', exchange.userText), message('ASSISTANT', exchange.assistantText)].filter(
      (item): item is PayloadType => item !== undefined,
    );
    if (payload.length === 0) return;
    await callAws('AgentCore CreateEvent', () =>
      this.client.send(
        new CreateEventCommand({
          memoryId: this.memoryId,
          actorId: actorIdFor(userId),
          sessionId: sessionIdFor(exchange.sessionKey),
          eventTimestamp: new Date(exchange.at),
          payload,
        }),
      ),
    );
  }

  async search(userId: string, query: string, limit: number): Promise<MemoryHit[]> {
    const searchQuery = sliceWhole(query.trim(), SEARCH_QUERY_LIMIT);
    if (limit < 1 || searchQuery === '') return [];
    const actorId = actorIdFor(userId);
    const count = Math.min(limit, RESULTS_LIMIT);
    const result = await callAws('AgentCore RetrieveMemoryRecords', () =>
      this.client.send(
        new RetrieveMemoryRecordsCommand({
          memoryId: this.memoryId,
          // namespacePath is the hierarchical match: every namespace under the user's tree, whichever strategy wrote it.
          namespacePath: userTree(actorId),
          searchCriteria: { searchQuery, topK: count },
          maxResults: count,
        }),
      ),
    );
    return (result.memoryRecordSummaries ?? [])
      .map((record) => ({ target: hitTarget(record, actorId), text: record.content?.text ?? '', score: record.score ?? 0 }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /** The records of exactly one namespace, oldest first (the service matches namespaces by prefix). */
  private async records(namespace: string): Promise<MemoryRecordSummary[]> {
    const found: MemoryRecordSummary[] = [];
    const pages = paginateListMemoryRecords({ client: this.client, pageSize: RESULTS_LIMIT }, { memoryId: this.memoryId, namespace });
    await callAws('AgentCore ListMemoryRecords', async () => {
      for await (const page of pages) {
        found.push(...(page.memoryRecordSummaries ?? []).filter((record) => record.namespaces?.includes(namespace)));
      }
    });
    return found.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  }

  private async existingRecord(namespace: string, target: MemoryTarget, id: string): Promise<MemoryRecordSummary> {
    const record = (await this.records(namespace)).find((candidate) => candidate.memoryRecordId === id);
    if (!record) throw new NotFoundError(`No ${target} entry with id ${id}.`);
    return record;
  }

  private async createRecord(namespace: string, text: string, timestamp: Date): Promise<string> {
    if (text.length < 1 || [...text].length > RECORD_TEXT_LIMIT) {
      throw new ValidationError(`A memory entry must be 1 to ${RECORD_TEXT_LIMIT} characters long.`);
    }
    const requestIdentifier = randomUUID();
    const result = await callAws('AgentCore BatchCreateMemoryRecords', () =>
      this.client.send(
        new BatchCreateMemoryRecordsCommand({
          memoryId: this.memoryId,
          records: [{ requestIdentifier, namespaces: [namespace], content: { text }, timestamp }],
        }),
      ),
    );
    const failed = result.failedRecords?.[0];
    if (failed) throw new StoreError(`AgentCore did not save the memory entry: ${failed.errorMessage ?? `error ${failed.errorCode}`}`);
    const created = result.successfulRecords?.find((record) => record.requestIdentifier === requestIdentifier);
    if (!created?.memoryRecordId) throw new StoreError('AgentCore BatchCreateMemoryRecords reported no record for the entry.');
    return created.memoryRecordId;
  }

  private async deleteRecord(namespace: string, target: MemoryTarget, id: string): Promise<void> {
    try {
      // The namespace is only there for IAM conditions that scope deletes to a user's tree.
      await this.client.send(new DeleteMemoryRecordCommand({ memoryId: this.memoryId, memoryRecordId: id, namespace }));
    } catch (error) {
      if (hasErrorName(error, 'ResourceNotFoundException')) throw new NotFoundError(`No ${target} entry with id ${id}.`);
      throw toStoreError('AgentCore DeleteMemoryRecord', error);
    }
  }
}

function savedNamespace(actorId: string, target: MemoryTarget): string {
  return `${userTree(actorId)}${target}`;
}

function userTree(actorId: string): string {
  return userNamespace(actorId);
}

function hitTarget(record: MemoryRecordSummary, actorId: string): MemoryHit['target'] {
  const namespaces = record.namespaces ?? [];
  if (namespaces.includes(savedNamespace(actorId, 'memory'))) return 'memory';
  if (namespaces.includes(savedNamespace(actorId, 'user'))) return 'user';
  return 'conversation';
}

/** AgentCore rejects empty messages and caps their length; an exchange is recall material, so a long reply is cut. */
function message(role: 'USER' | 'ASSISTANT', text: string): PayloadType | undefined {
  if (text.trim() === '') return undefined;
  const fitting = text.length > EVENT_TEXT_LIMIT ? [...text].slice(0, EVENT_TEXT_LIMIT).join('') : text;
  return { conversational: { content: { text: fitting }, role } };
}
