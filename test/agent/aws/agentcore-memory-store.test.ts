import {
  BedrockAgentCoreClient,
  CreateEventCommand,
  ListMemoryRecordsCommand,
  RetrieveMemoryRecordsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actorIdFor } from '../../../agent/aws/agentcore-ids.ts';
import { AgentCoreMemoryStore } from '../../../agent/aws/agentcore-memory-store.ts';
import { NotFoundError, StoreError, ValidationError } from '../../../tools/errors.ts';
import { memoryStoreContract } from '../../contracts/memory-store.contract.ts';
import { FakeAgentCore } from '../../stand-ins/agentcore-server.ts';

const MEMORY_ID = 'hermes_memory-a1B2c3D4e5';
const ACTOR_ID = /^[a-zA-Z0-9][a-zA-Z0-9-_/]*(?::[a-zA-Z0-9-_/]+)*[a-zA-Z0-9-_/]*$/;
const SESSION_ID = /^[a-zA-Z0-9][a-zA-Z0-9-_]*$/;

function clientFor(fake: FakeAgentCore): BedrockAgentCoreClient {
  return new BedrockAgentCoreClient({
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
    maxAttempts: 1,
  });
}

async function startFake(): Promise<FakeAgentCore> {
  // Mirrors the deployed semantic strategy, which writes to /users/{actorId}/facts.
  const fake = new FakeAgentCore({
    memoryId: MEMORY_ID,
    strategies: [{ memoryStrategyId: 'facts-a1B2c3D4e5', namespaceTemplate: '/users/{actorId}/facts' }],
  });
  await fake.start();
  return fake;
}

memoryStoreContract('AgentCore Memory (fake endpoint)', async () => {
  const fake = await startFake();
  return { subject: new AgentCoreMemoryStore({ client: clientFor(fake), memoryId: MEMORY_ID }), teardown: () => fake.close() };
});

describe('AgentCoreMemoryStore requests', () => {
  let fake: FakeAgentCore;
  let store: AgentCoreMemoryStore;

  beforeEach(async () => {
    fake = await startFake();
    store = new AgentCoreMemoryStore({ client: clientFor(fake), memoryId: MEMORY_ID });
  });
  afterEach(() => fake.close());

  it('records an exchange as one event with a USER and an ASSISTANT message', async () => {
    const at = Date.UTC(2026, 0, 5, 9, 30);
    await store.recordExchange('tg:-100123', { sessionKey: 'tg:-100123:7', userText: 'Book the 9:40 train', assistantText: 'Done.', at });
    const [request] = fake.requestsOf('CreateEvent');
    expect(request).toMatchObject({ method: 'POST', path: `/memories/${MEMORY_ID}/events` });
    const body = request!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      actorId: actorIdFor('tg:-100123'),
      eventTimestamp: at / 1000,
      payload: [
        { conversational: { content: { text: 'Book the 9:40 train' }, role: 'USER' } },
        { conversational: { content: { text: 'Done.' }, role: 'ASSISTANT' } },
      ],
    });
    expect(body.actorId).toMatch(ACTOR_ID);
    expect(body.sessionId).toMatch(SESSION_ID);
    expect(body.actorId).not.toBe('tg:-100123');
  });

  it.each(['tg:-100123', 'ünï', 'u'.repeat(300)])('sends ids AgentCore accepts for user %j', async (userId) => {
    await store.recordExchange(userId, { sessionKey: `${userId}:${'s'.repeat(120)}`, userText: 'hi', assistantText: 'hello', at: Date.now() });
    await store.add(userId, 'user', 'Likes tea');
    const event = fake.requestsOf('CreateEvent')[0]!.body as { actorId: string; sessionId: string };
    expect(event.actorId).toMatch(ACTOR_ID);
    expect(event.actorId.length).toBeLessThanOrEqual(255);
    expect(event.sessionId).toMatch(SESSION_ID);
    expect(event.sessionId.length).toBeLessThanOrEqual(100);
    expect(fake.requestsOf('BatchCreateMemoryRecords')[0]!.body).toMatchObject({ records: [{ namespaces: [`/users/${event.actorId}/user`] }] });
  });

  it('leaves empty messages out of the event, and skips an exchange with nothing said', async () => {
    await store.recordExchange('u1', { sessionKey: 's', userText: 'ping', assistantText: '  ', at: Date.now() });
    await store.recordExchange('u1', { sessionKey: 's', userText: '', assistantText: '', at: Date.now() });
    expect(fake.requestsOf('CreateEvent').map((request) => (request.body as { payload: unknown[] }).payload)).toEqual([
      [{ conversational: { content: { text: 'ping' }, role: 'USER' } }],
    ]);
  });

  it('saves an entry as one record in the target namespace and returns its record id', async () => {
    const entry = await store.add('u1', 'memory', 'Prefers short answers');
    const [request] = fake.requestsOf('BatchCreateMemoryRecords');
    expect(request).toMatchObject({ method: 'POST', path: `/memories/${MEMORY_ID}/memoryRecords/batchCreate` });
    const record = (request!.body as { records: Array<Record<string, unknown>> }).records[0]!;
    expect(record).toMatchObject({ namespaces: ['/users/u1/memory'], content: { text: 'Prefers short answers' }, timestamp: expect.any(Number) });
    expect(record.requestIdentifier).toMatch(/^[a-zA-Z0-9_-]{1,80}$/);
    expect(entry).toEqual({ id: fake.records[0]!.memoryRecordId, target: 'memory', text: 'Prefers short answers' });
  });

  it('reports a failed record with its message', async () => {
    fake.failNextRecord('Record limit reached');
    await expect(store.add('u1', 'user', 'x')).rejects.toThrow(StoreError);
    fake.failNextRecord('Record limit reached');
    await expect(store.add('u1', 'user', 'x')).rejects.toThrow(/Record limit reached/);
  });

  it('rejects text AgentCore would refuse before sending it', async () => {
    await expect(store.add('u1', 'user', '')).rejects.toThrow(ValidationError);
    await expect(store.add('u1', 'user', 'x'.repeat(16_001))).rejects.toThrow(ValidationError);
    expect(fake.requestsOf('BatchCreateMemoryRecords')).toEqual([]);
  });

  it('lists one namespace exactly, although the service matches it as a prefix', async () => {
    await store.add('u1', 'memory', 'A note');
    fake.records.push({
      memoryRecordId: `mem-${'0'.repeat(36)}`,
      content: { text: 'Extracted elsewhere' },
      namespaces: ['/users/u1/memory-extracted'],
      createdAt: 1,
    });
    expect((await store.list('u1', 'memory')).map((entry) => entry.text)).toEqual(['A note']);
    expect(fake.requestsOf('ListMemoryRecords')[0]!.body).toMatchObject({ namespace: '/users/u1/memory', maxResults: 100 });
  });

  it('pages through long lists, oldest first', async () => {
    for (let index = 0; index < 105; index++) {
      fake.records.push({
        memoryRecordId: `mem-${String(index).padStart(36, '0')}`,
        content: { text: `n${index}` },
        namespaces: ['/users/u1/user'],
        createdAt: 2_000 - index,
      });
    }
    const texts = (await store.list('u1', 'user')).map((entry) => entry.text);
    expect(texts).toHaveLength(105);
    expect(texts[0]).toBe('n104');
    expect(texts.at(-1)).toBe('n0');
    expect(fake.requestsOf('ListMemoryRecords')).toHaveLength(2);
  });

  it('keeps a replaced entry in its place and deletes the old record with its namespace', async () => {
    const first = await store.add('u1', 'user', 'Name is Ada');
    await store.add('u1', 'user', 'Lives in Lisbon');
    await store.replace('u1', { target: 'user', id: first.id, text: 'Name is Ada Lovelace' });
    expect((await store.list('u1', 'user')).map((entry) => entry.text)).toEqual(['Name is Ada Lovelace', 'Lives in Lisbon']);
    const [deletion] = fake.requestsOf('DeleteMemoryRecord');
    expect(deletion).toMatchObject({
      method: 'DELETE',
      path: `/memories/${MEMORY_ID}/memoryRecords/${first.id}`,
      query: { namespace: '/users/u1/user' },
    });
  });

  it('takes the new record back when the old cannot be deleted, so a failed replace changes nothing', async () => {
    const lisbon = await store.add('u1', 'user', 'Lives in Lisbon');
    fake.throttleNext('DeleteMemoryRecord');
    await expect(store.replace('u1', { target: 'user', id: lisbon.id, text: 'Lives in Lisbon, Alfama district' })).rejects.toThrow(/throttl/i);
    expect(await store.list('u1', 'user')).toEqual([lisbon]);
  });

  it('says both entries are kept when neither the old nor the new record could be deleted', async () => {
    const lisbon = await store.add('u1', 'user', 'Lives in Lisbon');
    fake.throttleNext('DeleteMemoryRecord');
    fake.throttleNext('DeleteMemoryRecord');
    await expect(store.replace('u1', { target: 'user', id: lisbon.id, text: 'Lives in Lisbon, Alfama district' })).rejects.toThrow(/both entries are in memory now/);
    expect((await store.list('u1', 'user')).map((entry) => entry.text)).toEqual(['Lives in Lisbon', 'Lives in Lisbon, Alfama district']);
  });

  it('does not touch an entry of the other notebook', async () => {
    const note = await store.add('u1', 'memory', 'A note');
    await expect(store.remove('u1', 'user', note.id)).rejects.toThrow(NotFoundError);
    await expect(store.remove('u2', 'memory', note.id)).rejects.toThrow(note.id);
    expect(fake.requestsOf('DeleteMemoryRecord')).toEqual([]);
  });

  it('searches the whole per-user tree and labels hits by namespace', async () => {
    await store.add('u1', 'user', 'Allergic to peanuts');
    await store.add('u1', 'memory', 'Peanut-free recipes requested');
    await store.recordExchange('u1', { sessionKey: 's1', userText: 'Is peanut butter ok?', assistantText: 'No.', at: Date.now() });
    const hits = await store.search('u1', 'peanut', 150);
    expect(hits.map((hit) => hit.target).sort()).toEqual(['conversation', 'memory', 'user']);
    expect(fake.requestsOf('RetrieveMemoryRecords')[0]).toMatchObject({
      path: `/memories/${MEMORY_ID}/retrieve`,
      body: { namespacePath: '/users/u1/', searchCriteria: { searchQuery: 'peanut', topK: 100 }, maxResults: 100 },
    });
  });

  it('skips searching for nothing', async () => {
    expect(await store.search('u1', '   ', 5)).toEqual([]);
    expect(await store.search('u1', 'tea', 0)).toEqual([]);
    expect(fake.requestsOf('RetrieveMemoryRecords')).toEqual([]);
  });
});

describe('the fake rejects what AgentCore rejects', () => {
  let fake: FakeAgentCore;
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(() => fake.close());

  it('requires a namespace and bounds topK', async () => {
    const client = clientFor(fake);
    await expect(client.send(new ListMemoryRecordsCommand({ memoryId: MEMORY_ID }))).rejects.toMatchObject({ name: 'ValidationException' });
    const tooMany = new RetrieveMemoryRecordsCommand({ memoryId: MEMORY_ID, namespace: '/users/u1/', searchCriteria: { searchQuery: 'x', topK: 101 } });
    await expect(client.send(tooMany)).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('answers an unknown memory with ResourceNotFoundException', async () => {
    await expect(clientFor(fake).send(new ListMemoryRecordsCommand({ memoryId: 'other_memory-a1B2c3D4e5', namespace: '/' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('rejects an actor id outside the AgentCore pattern', async () => {
    const event = new CreateEventCommand({
      memoryId: MEMORY_ID,
      actorId: 'ünï',
      sessionId: 's',
      eventTimestamp: new Date(),
      payload: [{ conversational: { content: { text: 'x' }, role: 'USER' } }],
    });
    await expect(clientFor(fake).send(event)).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
