import type { LanguageModelV4CallOptions, LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { runJobFire } from '../../agent/cron-runner.ts';
import type { Delivery, JobFire } from '../../tools/ports/scheduler.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { createTools } from '../../tools/index.ts';
import { call } from '../tools/harness.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { isSummaryCall } from '../stand-ins/instant-model.ts';
import { textResult } from '../stand-ins/mock-model.ts';
import { toolCallModel } from './helpers/tool-call-model.ts';

const NOW = new Date('2026-11-22T10:00:00Z');
const chat: Delivery = { chatId: 501, userId: '77' };

describe('finding 2: nothing limits spend', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
  });

  async function runtimeWith(env: Record<string, string> = {}): Promise<Runtime> {
    const made = await makeLocalRuntime({ env: { TELEGRAM_ALLOWED_USERS: '77', ...env } });
    cleanup = made.cleanup;
    return made.runtime;
  }

  const toolsOf = (runtime: Runtime, origin: 'chat' | 'cron' = 'chat', turnId = `turn-${Math.random()}`) =>
    createTools(runtime, { userId: chat.userId, delivery: chat, now: () => NOW, timezone: 'UTC', turnId, origin });

  it('stops a chat at HERMES_MAX_JOBS_PER_CHAT jobs (200 attempts at every 1m make 20 jobs)', async () => {
    const runtime = await runtimeWith();
    const outcomes = [];
    for (let index = 0; index < 200; index++) {
      outcomes.push(await call(toolsOf(runtime).cronjob, { action: 'create', prompt: `ping ${index}`, schedule: 'every 1m' }));
    }
    expect(outcomes.filter((outcome) => outcome.success)).toHaveLength(20);
    expect(outcomes[20]).toEqual({ success: false, error: expect.stringMatching(/already has 20 jobs.*HERMES_MAX_JOBS_PER_CHAT=20/) });
    expect(await runtime.scheduler.list(chat.chatId)).toHaveLength(20);
  });

  it("answers a redelivered turn's create of the chat's last job slot with the job it made, not with the limit", async () => {
    const runtime = await runtimeWith({ HERMES_MAX_JOBS_PER_CHAT: '2' });
    expect((await call(toolsOf(runtime).cronjob, { action: 'create', prompt: 'water the plants', schedule: 'every 1d' })).success).toBe(true);
    const last = await call(toolsOf(runtime, 'chat', 'turn-last').cronjob, { action: 'create', prompt: 'stretch', schedule: 'every 2h' });
    expect(last.success).toBe(true);
    // Telegram delivers the turn again (its answer was lost): the same call of the same turn.
    const again = await call(toolsOf(runtime, 'chat', 'turn-last').cronjob, { action: 'create', prompt: 'stretch', schedule: 'every 2h' });
    expect(again).toMatchObject({ success: true, job: { job_id: last.job.job_id } });
    expect(await runtime.scheduler.list(chat.chatId)).toHaveLength(2);
  });

  it.each([
    ['every 1m', /every 1 minute; the shortest allowed interval is 5 minutes/],
    ['every 4m', /every 4 minutes/],
    ['*/2 * * * *', /every 2 minutes/],
    ['0,1 9 * * *', /every 1 minute/],
  ])('refuses "%s" under a 5-minute floor', async (schedule, error) => {
    const runtime = await runtimeWith({ HERMES_MIN_JOB_INTERVAL_MINUTES: '5' });
    expect(await call(toolsOf(runtime).cronjob, { action: 'create', prompt: 'ping', schedule })).toEqual({ success: false, error: expect.stringMatching(error) });
    expect(await runtime.scheduler.list(chat.chatId)).toEqual([]);
  });

  it('accepts schedules at the floor and one-time jobs, and refuses an update below it', async () => {
    const runtime = await runtimeWith({ HERMES_MIN_JOB_INTERVAL_MINUTES: '5' });
    const tools = toolsOf(runtime);
    const created = await call(tools.cronjob, { action: 'create', prompt: 'ping', schedule: 'every 5m' });
    expect(created.success).toBe(true);
    expect((await call(tools.cronjob, { action: 'create', prompt: 'once', schedule: '1m' })).success).toBe(true);
    expect(await call(tools.cronjob, { action: 'update', job_id: created.job.job_id, schedule: 'every 2m' })).toEqual({
      success: false,
      error: expect.stringMatching(/shortest allowed interval is 5 minutes/),
    });
  });

  it('a job cannot create jobs: the fired turn is refused, so 3 jobs stay 3 (not 9, 27, 81)', async () => {
    const runtime = await runtimeWith();
    const spawner = toolCallModel(() => [1, 2, 3].map((n) => ({ toolName: 'cronjob', input: { action: 'create', prompt: `spawn ${n}`, schedule: 'every 1m' } })));
    runtime.model = spawner.model;
    const tools = toolsOf(runtime);
    for (const n of [1, 2, 3]) await call(tools.cronjob, { action: 'create', prompt: `spawner ${n}`, schedule: 'every 1m' });
    for (let minute = 1; minute <= 4; minute++) {
      for (const job of await runtime.scheduler.list(chat.chatId)) {
        const fire: JobFire = { source: 'hermes.cron', job, scheduledTime: new Date(NOW.getTime() + minute * 60_000).toISOString() };
        expect((await runJobFire(runtime, { fire, deliver: async () => undefined })).status).toBe('delivered');
      }
    }
    expect(await runtime.scheduler.list(chat.chatId)).toHaveLength(3);
    expect(spawner.toolResults).toHaveLength(36);
    for (const result of spawner.toolResults) {
      expect(JSON.stringify(result)).toMatch(/A scheduled run cannot create new jobs/);
    }
  });

  it('a job cannot run itself from its own fire, so it fires on its schedule and no more', async () => {
    const runtime = await runtimeWith();
    const job = (await call(toolsOf(runtime).cronjob, { action: 'create', prompt: 'say hi, then run this job again', schedule: 'every 1d' })).job;
    const rerun = toolCallModel(() => [{ toolName: 'cronjob', input: { action: 'run', job_id: job.job_id } }]);
    runtime.model = rerun.model;
    const manualFires: JobFire[] = [];
    runtime.localScheduler!.start(async (fire) => void manualFires.push(fire), { tickSeconds: 3_600, onError: () => undefined });
    try {
      const fire: JobFire = { source: 'hermes.cron', job: (await runtime.scheduler.get(job.job_id))!, scheduledTime: new Date(NOW.getTime() + 86_400_000).toISOString() };
      expect((await runJobFire(runtime, { fire, deliver: async () => undefined })).status).toBe('delivered');
      expect(JSON.stringify(rerun.toolResults)).toMatch(/A scheduled run cannot run jobs/);
      expect(manualFires).toEqual([]);
    } finally {
      await runtime.localScheduler!.stop();
    }
  });

  it('records each turn’s tokens per user and day, and answers with a clear message past the daily budget', async () => {
    const runtime = await runtimeWith({ HERMES_DAILY_TOKEN_BUDGET: '1000' });
    const model = toolCallModel(() => [{ toolName: 'memory', input: { action: 'add', target: 'user', content: 'Likes tea' } }], 'Noted.');
    runtime.model = model.model;
    const answers: string[] = [];
    const turn = (text: string, receivedAt: number) =>
      import('../../agent/agent-loop.ts').then(({ runTurn }) =>
        runTurn({ ...runtime, now: () => NOW }, { sessionKey: 'tg:501', userId: '77', delivery: chat, text, receivedAt, deliver: async (answer) => void answers.push(answer) }),
      );

    await turn('remember I like tea', NOW.getTime());
    await turn('and coffee', NOW.getTime() + 1_000);

    expect(model.calls).toBe(2);
    expect(answers[0]).toBe('Noted.');
    expect(answers[1]).toMatch(/^You have used your daily allowance of 1,000 model tokens \(1,065 so far today, UTC\)/);
    // The tool-call step (800 uncached + 200 cached input, 50 output) and the answer step (10 uncached, 5 output).
    expect(await runtime.usage.read('77', '2026-11-22', '2026-11-22')).toEqual([
      { day: '2026-11-22', uncachedInputTokens: 810, cachedInputTokens: 200, outputTokens: 55, turns: 1 },
    ]);
  });
});

describe('limits a turn meets on its own', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
  });

  const usageOf = (input: number, output: number) => ({ inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: output, text: output, reasoning: 0 } });

  async function runtimeWith(env: Record<string, string>, doGenerate: (call: LanguageModelV4CallOptions) => Promise<LanguageModelV4GenerateResult>): Promise<Runtime> {
    const made = await makeLocalRuntime({ env: { TELEGRAM_ALLOWED_USERS: '77', ...env } });
    cleanup = made.cleanup;
    made.runtime.model = { specificationVersion: 'v4', provider: 'limits', modelId: 'scripted', supportedUrls: {}, doGenerate, doStream: () => Promise.reject(new Error('not streamed')) };
    return made.runtime;
  }

  const turn = (runtime: Runtime, text: string, at: number) => runTurn({ ...runtime, now: () => new Date(at) }, { sessionKey: 'tg:501', userId: '77', delivery: chat, text, receivedAt: at });

  it('stops a model that keeps calling tools at HERMES_MAX_STEPS model calls, and says so', async () => {
    let calls = 0;
    const runtime = await runtimeWith({ HERMES_MAX_STEPS: '3' }, async () => {
      calls += 1;
      return { content: [{ type: 'tool-call', toolCallId: `c${calls}`, toolName: 'skills_list', input: '{}' }], finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usageOf(10, 5), warnings: [] };
    });
    const answered = await turn(runtime, 'find me a skill', NOW.getTime());
    expect(calls).toBe(3);
    expect(answered.stopped).toBe('step-limit');
    expect(answered.text).toContain('I reached my step limit before finishing. Ask me to continue.');
  });

  it('refuses the turn of a user whose spend today is exactly the daily budget', async () => {
    const runtime = await runtimeWith({ HERMES_DAILY_TOKEN_BUDGET: '1050' }, async () => textResult('ok'));
    await runtime.usage.add('77', '2026-11-22', { uncachedInputTokens: 1_000, cachedInputTokens: 0, outputTokens: 50, turns: 3 });
    expect((await turn(runtime, 'one more?', NOW.getTime())).text).toMatch(/^You have used your daily allowance of 1,050 model tokens/);
  });

  it("counts the tokens of the summary a long chat's turn paid for, towards the budget and /usage", async () => {
    let summaries = 0;
    let chats = 0;
    const runtime = await runtimeWith({ HERMES_WINDOW_TURNS: '2' }, async (call) => {
      if (isSummaryCall(call.prompt)) {
        summaries += 1;
        return { ...textResult('The user counted upwards.'), usage: usageOf(1_000, 50) };
      }
      chats += 1;
      return { ...textResult('ok'), usage: usageOf(100, 10) };
    });
    for (let index = 0; index < 6; index += 1) await turn(runtime, `number ${index}`, NOW.getTime() + index * 60_000);
    expect(summaries).toBeGreaterThan(0);
    expect(await runtime.usage.read('77', '2026-11-22', '2026-11-22')).toEqual([
      { day: '2026-11-22', uncachedInputTokens: 100 * chats + 1_000 * summaries, cachedInputTokens: 0, outputTokens: 10 * chats + 50 * summaries, turns: 6 },
    ]);
  });
});

describe('finding 3: fires re-check access', () => {
  it('pauses, and does not run, the job of a user removed from TELEGRAM_ALLOWED_USERS', async () => {
    const made = await makeLocalRuntime({ env: { TELEGRAM_ALLOWED_USERS: '11' } });
    try {
      const model = toolCallModel(() => []);
      made.runtime.model = model.model;
      const job = await made.runtime.scheduler.create({ name: 'old', prompt: 'ping', schedule: { kind: 'interval', minutes: 30, display: 'every 30m' }, delivery: chat });
      const delivered: string[] = [];
      const result = await runJobFire(made.runtime, { fire: { source: 'hermes.cron', job, scheduledTime: NOW.toISOString() }, deliver: async (_to, text) => void delivered.push(text) });

      expect(result).toEqual({ status: 'paused' });
      expect(delivered).toEqual([]);
      expect(model.calls).toBe(0);
      expect((await made.runtime.scheduler.get(job.id))?.state).toBe('paused');
    } finally {
      await made.cleanup();
    }
  });
});
