import type { LanguageModelV4 } from '@ai-sdk/provider';
import { TIME_STAMP_PREFIX } from '../../agent/turn-rendering.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobFire } from '../../tools/ports/scheduler.ts';
import { FileQueueJournal } from '../../agent/local/file-queue-journal.ts';
import { createLocalTelegram, QUEUE_FOLDER, type LocalTelegram } from '../../handlers/local-telegram.ts';
import { FakeBotApi, textUpdate } from '../stand-ins/bot-api-server.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { textResult } from '../stand-ins/mock-model.ts';
import { instantModel } from '../stand-ins/instant-model.ts';
import { albumUpdates } from '../stand-ins/telegram-updates.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN = '123456:TEST-local-queue-token';
const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

/** Answers each message after `delayMs`, or keeps calling a tool for prompts that ask for a long search. */
function slowModel(delayMs: number): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'test',
    modelId: 'slow',
    supportedUrls: {},
    doGenerate: async (call) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const users = call.prompt.filter((message) => message.role === 'user');
      const last = (users.at(-1)!.content[0] as { text: string }).text.replace(TIME_STAMP_PREFIX, '');
      if (last.includes('long search')) {
        return { content: [{ type: 'tool-call', toolCallId: `c${Math.random()}`, toolName: 'skills_list', input: '{}' }], finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage, warnings: [] };
      }
      // A fire's message ends with the job's prompt, after the cron hint; its last line is what it asks.
      return textResult(`re: ${last.slice(last.lastIndexOf('\n') + 1)} (after ${users.length - 1} earlier)`);
    },
    doStream: () => Promise.reject(new Error('not streamed')),
  };
}

describe('npm start with a bot token: turns through the in-process queue', () => {
  let api: FakeBotApi;
  let telegram: LocalTelegram;
  let cleanup: () => Promise<void>;

  afterEach(async () => {
    await telegram?.poller.stop();
    await telegram?.queue.idle();
    await api?.close();
    await cleanup?.();
  });

  async function start(model: LanguageModelV4, env: Record<string, string> = {}) {
    api = await new FakeBotApi().start();
    const local = await makeLocalRuntime({ model, env: { TELEGRAM_ALLOWED_USERS: '77,88', ...env } });
    cleanup = local.cleanup;
    telegram = createLocalTelegram(local.runtime, local.runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [0] });
    await telegram.worker.init();
    void telegram.poller.start({ timeout: 1 });
    return local.runtime;
  }

  it('answers a chat’s messages in order, each seeing the one before, while another chat runs alongside', async () => {
    await start(slowModel(30));
    api.pushUpdate(textUpdate('first', { userId: 77, updateId: 1 }));
    api.pushUpdate(textUpdate('second', { userId: 77, updateId: 2 }));
    api.pushUpdate(textUpdate('other chat', { userId: 88, updateId: 3 }));
    await api.waitFor(() => api.sent().length === 3);
    expect(api.sent(77).map((message) => message.text)).toEqual(['re: first (after 0 earlier)', 're: second (after 1 earlier)']);
    expect(api.sent(88).map((message) => message.text)).toEqual(['re: other chat (after 0 earlier)']);
  });

  it('answers two texts sent in quick succession as one turn, with one reply, as classic Hermes batches them', async () => {
    await start(slowModel(5), { HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0.6' });
    api.pushUpdate(textUpdate('my flight lands at 9', { userId: 77, updateId: 21 }));
    api.pushUpdate(textUpdate('book me a taxi', { userId: 77, updateId: 22 }));
    await api.waitFor(() => api.sent(77).length === 1);
    await telegram.queue.idle();
    // The first text is in the history the answer read, with the note that this turn answers it.
    expect(api.sent(77).map((message) => message.text)).toEqual(['re: book me a taxi (after 1 earlier)']);
  });

  it('keeps a group’s chatter out of the queue, knowing the bot from getMe: only what addresses it is claimed and run', async () => {
    const group = -100_123;
    const runtime = await start(slowModel(5), { TELEGRAM_ALLOWED_CHATS: String(group) });
    api.pushUpdate(textUpdate('anyone up for lunch?', { userId: 501, chatId: group, updateId: 11, chatType: 'supergroup' }));
    api.pushUpdate(textUpdate('@hermes_test_bot lunch ideas?', { userId: 501, chatId: group, updateId: 12, chatType: 'supergroup' }));
    await api.waitFor(() => api.sent(group).length === 1);
    expect(api.sent(group).map((message) => message.text)).toEqual(['re: [Ada]: lunch ideas? (after 0 earlier)']);
    // The chatter was never claimed, so it never reached the queue; the mention was.
    expect(await runtime.dedup.claim('tg:update:11', 60)).toBe(true);
    expect(await runtime.dedup.claim('tg:update:12', 60)).toBe(false);
  });

  it('stops a running turn on /stop, which does not wait behind it; a /stop with nothing running says so', async () => {
    await start(slowModel(50));
    api.pushUpdate(textUpdate('/stop', { userId: 77, updateId: 1 }));
    await api.waitFor(() => api.sent(77).length === 1);
    api.pushUpdate(textUpdate('a long search', { userId: 77, updateId: 2 }));
    await api.waitFor(() => api.calls.some((call) => call.method === 'sendChatAction'));
    api.pushUpdate(textUpdate('/stop', { userId: 77, updateId: 3 }));
    await api.waitFor(() => api.sent(77).length === 2);
    await telegram.queue.idle();
    // The stopped answer says it stopped, and the /stop that stopped it adds nothing.
    expect(api.sent(77).map((message) => message.text)).toEqual([
      'Nothing to stop: no answer of yours is running now.',
      'Stopped, as you asked.',
    ]);
  });

  it('runs a scheduled fire in the queue of the chat it answers in', async () => {
    await start(slowModel(5));
    const fire: JobFire = {
      source: 'hermes.cron',
      scheduledTime: '2026-12-01T09:00:00Z',
      job: {
        id: 'job1',
        name: 'stretch',
        prompt: 'remind me to stretch',
        schedule: { kind: 'once', at: '2026-12-01T09:00:00Z', display: 'once' },
        completedRuns: 0,
        state: 'scheduled',
        delivery: { chatId: 77, userId: '77' },
        createdAt: '2026-12-01T08:00:00Z',
      },
    };
    await telegram.enqueueFire(fire);
    await telegram.enqueueFire(fire);
    await telegram.queue.idle();
    expect(api.sent(77)).toHaveLength(1);
    expect(api.sent(77)[0]!.text).toMatch(/remind me to stretch/);
  });
  it('answers at the next start a message the last one took from Telegram and died holding', async () => {
    let die = () => undefined as void;
    const runtime = await start({ ...slowModel(0), doGenerate: () => new Promise((_, reject) => (die = () => reject(new Error('the process died')))) });
    api.pushUpdate(textUpdate('are you there?', { userId: 77, updateId: 61 }));
    const journal = join(runtime.config.home, QUEUE_FOLDER);
    await api.waitFor(() => existsSync(journal) && readdirSync(journal).length === 1);
    // Telegram forgets the update once a later getUpdates confirms it; then the process dies mid-turn.
    await api.waitFor(() => api.calls.filter((call) => call.method === 'getUpdates' && Number(call.params.offset) > 61).length > 0);
    await telegram.poller.stop();

    const next = await makeLocalRuntime({ model: slowModel(0), env: { TELEGRAM_ALLOWED_USERS: '77', HERMES_HOME: runtime.config.home } });
    const restarted = createLocalTelegram(next.runtime, next.runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [0] });
    await restarted.worker.init();
    expect(await restarted.resume()).toBe(1);
    await restarted.queue.idle();
    expect(api.sent(77).map((message) => message.text)).toEqual(['re: are you there? (after 0 earlier)']);
    expect(readdirSync(journal)).toEqual([]);
    await next.cleanup();
    // The first process is gone for the test's purposes; its hanging turn is let go so it can be shut down.
    telegram.queue.close();
    die();
  });

  it('sends at the next start the answer of a reminder whose reply waited for its retry when npm start stopped', async () => {
    api = await new FakeBotApi().start();
    const local = await makeLocalRuntime({ model: instantModel({ reply: () => 'Time to stretch!' }).model, env: { TELEGRAM_ALLOWED_USERS: '77' } });
    cleanup = local.cleanup;
    const { runtime } = local;
    const failures: string[] = [];
    runtime.log = { ...runtime.log, error: (message) => void failures.push(message) };
    const waiting = createLocalTelegram(runtime, runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [60_000] });
    await waiting.worker.init();
    api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 });
    const job = await runtime.scheduler.create({ name: 'stretch', prompt: 'remind me to stretch', schedule: { kind: 'once', at: '2026-12-01T09:00:00.000Z', display: 'once' }, delivery: { chatId: 77, userId: '77' } });
    await waiting.enqueueFire({ source: 'hermes.cron', job, scheduledTime: '2026-12-01T09:00:00.000Z' });
    await api.waitFor(() => failures.includes('queued event failed'));
    // Ctrl-C while the reply waits a minute for its retry.
    waiting.queue.close();
    await waiting.queue.idle();
    const refused = api.sent(77).length;

    const next = await makeLocalRuntime({ model: instantModel({ reply: () => 'asked again' }).model, env: { TELEGRAM_ALLOWED_USERS: '77', HERMES_HOME: runtime.config.home } });
    const restarted = createLocalTelegram(next.runtime, next.runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [0] });
    await restarted.worker.init();
    expect(await restarted.resume()).toBe(1);
    await restarted.queue.idle();
    // The answer the first run stored, not a second model call.
    expect(api.sent(77).slice(refused).map((message) => message.text)).toEqual(['Time to stretch!']);
    expect(await next.runtime.scheduler.get(job.id)).toBeUndefined();
    await next.cleanup();
  });

  it('answers an album kept from the last run as one album again', async () => {
    api = await new FakeBotApi().start();
    const model = instantModel({ keepPrompts: true, reply: () => 'A red and a blue square.' });
    const local = await makeLocalRuntime({ model: model.model, env: { TELEGRAM_ALLOWED_USERS: '77' } });
    cleanup = local.cleanup;
    // What the last run took from Telegram and never ran.
    const media = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', name));
    api.hostFile('kept-red', media('red-square.png'), { fileUniqueId: 'AQADkred' });
    api.hostFile('kept-blue', media('blue-square.png'), { fileUniqueId: 'AQADkblue' });
    const journal = new FileQueueJournal(join(local.runtime.config.home, QUEUE_FOLDER));
    const updates = albumUpdates([{ fileId: 'kept-red', fileUniqueId: 'AQADkred' }, { fileId: 'kept-blue', fileUniqueId: 'AQADkblue', caption: 'Which is warmer?' }], { chatId: 77, firstUpdateId: 81 });
    for (const [index, update] of updates.entries()) {
      await journal.add({ event: { groupId: 'tg:77', deduplicationId: `tg:update:${update.update_id}`, body: JSON.stringify(update) }, sentAt: Date.now() - 5_000 + index });
    }

    const restarted = createLocalTelegram(local.runtime, local.runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [0] });
    await restarted.worker.init();
    expect(await restarted.resume()).toBe(2);
    await restarted.queue.idle();
    expect(api.sent(77).map((message) => message.text)).toEqual(['A red and a blue square.']);
    expect(model.chatRequests).toHaveLength(1);
  });

  it('answers two texts kept from the last run as one turn again, as they were sent together', async () => {
    api = await new FakeBotApi().start();
    const model = instantModel({ keepPrompts: true, reply: () => 'Booked for 9:30.' });
    const local = await makeLocalRuntime({ model: model.model, env: { TELEGRAM_ALLOWED_USERS: '77', HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0.6' } });
    cleanup = local.cleanup;
    const journal = new FileQueueJournal(join(local.runtime.config.home, QUEUE_FOLDER));
    const kept = [textUpdate('my flight lands at 9', { userId: 77, updateId: 91 }), textUpdate('book me a taxi', { userId: 77, updateId: 92 })];
    for (const [index, update] of kept.entries()) {
      await journal.add({ event: { groupId: 'tg:77', deduplicationId: `tg:update:${update.update_id}`, body: JSON.stringify(update) }, sentAt: Date.now() - 5_000 + index });
    }
    const restarted = createLocalTelegram(local.runtime, local.runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [0] });
    await restarted.worker.init();
    expect(await restarted.resume()).toBe(2);
    await restarted.queue.idle();
    expect(api.sent(77).map((message) => message.text)).toEqual(['Booked for 9:30.']);
    // One model call, whose history holds the first text.
    expect(model.chatRequests).toHaveLength(1);
    expect(JSON.stringify(model.chatRequests[0])).toContain('my flight lands at 9');
  });

  it('answers two texts an anonymous admin sent together in a group, kept from the last run, as one turn again', async () => {
    api = await new FakeBotApi().start();
    const model = instantModel({ keepPrompts: true, reply: () => 'Booked for 9:30.' });
    const group = -1_001_234_567;
    const env = { TELEGRAM_ALLOWED_USERS: '77', TELEGRAM_ALLOWED_CHATS: String(group), TELEGRAM_REQUIRE_MENTION: 'false', HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0.6' };
    const local = await makeLocalRuntime({ model: model.model, env });
    cleanup = local.cleanup;
    const journal = new FileQueueJournal(join(local.runtime.config.home, QUEUE_FOLDER));
    // Bot API "Message": an anonymous admin's `from` is GroupAnonymousBot, shared by all; `sender_chat` is the group.
    const asAdmin = (text: string, updateId: number) => {
      const update = textUpdate(text, { chatId: group, updateId });
      return { ...update, message: { ...update.message!, from: { id: 1_087_968_824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' }, sender_chat: update.message!.chat } };
    };
    const kept = [asAdmin('my flight lands at 9', 93), asAdmin('book me a taxi', 94)];
    for (const [index, update] of kept.entries()) {
      await journal.add({ event: { groupId: `tg:${group}:u${group}`, deduplicationId: `tg:update:${update.update_id}`, body: JSON.stringify(update) }, sentAt: Date.now() - 5_000 + index });
    }
    const restarted = createLocalTelegram(local.runtime, local.runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [0] });
    await restarted.worker.init();
    expect(await restarted.resume()).toBe(2);
    await restarted.queue.idle();
    expect(api.sent(group).map((message) => message.text)).toEqual(['Booked for 9:30.']);
    expect(model.chatRequests).toHaveLength(1);
  });

  it('answers kept texts on either side of a kept /new apart, as they were sent', async () => {
    api = await new FakeBotApi().start();
    const model = instantModel({ keepPrompts: true, reply: () => 'Noted.' });
    const local = await makeLocalRuntime({ model: model.model, env: { TELEGRAM_ALLOWED_USERS: '77', HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0.6' } });
    cleanup = local.cleanup;
    const journal = new FileQueueJournal(join(local.runtime.config.home, QUEUE_FOLDER));
    const kept = [textUpdate('my door code is 5566', { userId: 77, updateId: 95 }), textUpdate('/new', { userId: 77, updateId: 96 }), textUpdate('what is my door code?', { userId: 77, updateId: 97 })];
    for (const [index, update] of kept.entries()) {
      await journal.add({ event: { groupId: 'tg:77', deduplicationId: `tg:update:${update.update_id}`, body: JSON.stringify(update) }, sentAt: Date.now() - 5_000 + index });
    }
    const restarted = createLocalTelegram(local.runtime, local.runtime.config, { token: TOKEN, apiRoot: api.apiRoot, retryDelaysMs: [0] });
    await restarted.worker.init();
    expect(await restarted.resume()).toBe(3);
    await restarted.queue.idle();
    // Two turns: the question after /new does not carry the text before it.
    expect(model.chatRequests).toHaveLength(2);
    expect(JSON.stringify(model.chatRequests[1])).not.toContain('5566');
  });

  it('answers an album in one turn, though its messages are queued one after another', async () => {
    const model = instantModel({ keepPrompts: true, reply: () => 'A red and a blue square.' });
    await start(model.model);
    const media = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', name));
    api.hostFile('local-red', media('red-square.png'), { fileUniqueId: 'AQADlred' });
    api.hostFile('local-blue', media('blue-square.png'), { fileUniqueId: 'AQADlblue' });
    for (const update of albumUpdates([{ fileId: 'local-red', fileUniqueId: 'AQADlred' }, { fileId: 'local-blue', fileUniqueId: 'AQADlblue', caption: 'Which is warmer?' }], { chatId: 77, firstUpdateId: 41 })) {
      api.pushUpdate(update);
    }
    await api.waitFor(() => api.sent(77).length === 1);
    await telegram.queue.idle();
    expect(api.sent(77).map((message) => message.text)).toEqual(['A red and a blue square.']);
    expect(model.chatRequests).toHaveLength(1);
    expect(model.userTexts[0]).toContain('Which is warmer?');
    // The member that ends silently shows no "typing…" or draft after the answer, as if another were coming. Such a
    // request would be on its way unawaited when the queue goes idle, so it is given a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const methods = api.calls.map((call) => call.method);
    expect(methods.slice(methods.lastIndexOf('sendMessage') + 1).filter((method) => method === 'sendChatAction' || method === 'sendMessageDraft')).toEqual([]);
  });
});
