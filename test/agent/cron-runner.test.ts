import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { runJobFire } from '../../agent/cron-runner.ts';
import { RecipientGoneError, StoreError } from '../../tools/errors.ts';
import { LocalScheduler } from '../../agent/local/local-scheduler.ts';
import { MemoryDedupStore } from '../../agent/local/memory-dedup-store.ts';
import type { Delivery, JobFire } from '../../tools/ports/scheduler.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { parseSchedule } from '../../tools/schedule.ts';
import { timeStamp } from '../../agent/turn-rendering.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel, textResult, thinkingUntilCutOff } from '../stand-ins/mock-model.ts';

const delivery: Delivery = { chatId: 5, threadId: 9, userId: '77' };

describe('scheduled jobs fire in-process and deliver to their chat', () => {
  let runtime: Runtime;
  let cleanup: () => Promise<void>;
  let clock: Date;
  let scheduler: LocalScheduler;
  let home: string;
  const delivered: Array<{ delivery: Delivery; text: string }> = [];

  async function setup() {
    delivered.length = 0;
    clock = new Date('2026-11-22T10:00:00Z');
    ({ runtime, cleanup, home } = await makeLocalRuntime({ model: echoModel() }));
    scheduler = new LocalScheduler(home, 'UTC', () => clock);
    runtime.scheduler = scheduler;
    const fires: Array<Promise<unknown>> = [];
    scheduler.start((fire) => {
      const run = runJobFire(runtime, { fire, deliver: async (to, text) => {
        delivered.push({ delivery: to, text });
      } });
      fires.push(run);
      return run.then(() => undefined);
    }, { tickSeconds: 3_600, onError: (error) => { throw error; } });
    return { settle: () => Promise.all(fires) };
  }

  afterEach(async () => {
    await scheduler?.stop();
    await cleanup?.();
  });

  it('fires a one-shot reminder once, when due, then retires it', async () => {
    const { settle } = await setup();
    const job = await scheduler.create({ name: 'tea', prompt: 'Say the tea is ready', schedule: parseSchedule('30m', clock, 'UTC'), repeat: 1, delivery });
    expect(await scheduler.tick()).toEqual([]);
    clock = new Date('2026-11-22T10:31:00Z');
    expect((await scheduler.tick()).map((fire) => fire.job.id)).toEqual([job.id]);
    await settle();
    expect(delivered).toEqual([{ delivery, text: 'ok' }]);
    expect(await scheduler.get(job.id)).toBeUndefined();
    expect(await scheduler.tick()).toEqual([]);
  });

  it('fires a recurring job once per tick however many periods were missed, and stops after its repeats', async () => {
    const { settle } = await setup();
    const job = await scheduler.create({ name: 'water', prompt: 'Drink water', schedule: parseSchedule('every 30m', clock, 'UTC'), repeat: 2, delivery });
    clock = new Date('2026-11-22T15:00:00Z');
    expect(await scheduler.tick()).toHaveLength(1);
    expect(await scheduler.tick()).toHaveLength(0);
    await settle();
    expect((await scheduler.get(job.id))?.completedRuns).toBe(1);
    clock = new Date('2026-11-22T15:31:00Z');
    expect(await scheduler.tick()).toHaveLength(1);
    await settle();
    expect(await scheduler.get(job.id)).toBeUndefined();
    expect(delivered).toHaveLength(2);
  });

  it('does not fire paused jobs', async () => {
    await setup();
    const job = await scheduler.create({ name: 'p', prompt: 'x', schedule: parseSchedule('every 30m', clock, 'UTC'), delivery });
    await scheduler.pause(job.id);
    clock = new Date('2026-11-22T12:00:00Z');
    expect(await scheduler.tick()).toEqual([]);
  });

  it('runs a redelivered fire only once', async () => {
    await setup();
    const job = await scheduler.create({ name: 'once', prompt: 'x', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    const fire: JobFire = { source: 'hermes.cron', job, scheduledTime: '2026-11-22T11:00:00.000Z' };
    const deliver = async (to: Delivery, text: string) => {
      delivered.push({ delivery: to, text });
    };
    expect((await runJobFire(runtime, { fire, deliver })).status).toBe('delivered');
    expect((await runJobFire(runtime, { fire, deliver })).status).toBe('duplicate');
    expect(delivered).toHaveLength(1);
  });

  it('fires a keyed run-now once however often it is requested', async () => {
    const { settle } = await setup();
    const job = await scheduler.create({ name: 'now', prompt: 'x', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    await scheduler.runNow(job.id, { idempotencyKey: 'tg:5:turn-1:cronjob-run:0' });
    // The turn runs again a little later (a redelivery): the same key, a later clock.
    clock = new Date(clock.getTime() + 5_000);
    await scheduler.runNow(job.id, { idempotencyKey: 'tg:5:turn-1:cronjob-run:0' });
    await settle();
    expect(delivered).toHaveLength(1);
  });

  it('reads the context a manual run was given after the job prompt, for that run only', async () => {
    const { settle } = await setup();
    const job = await scheduler.create({ name: 'commute', prompt: 'Check my commute to work', schedule: parseSchedule('0 7 * * 1-5', clock, 'UTC'), delivery });
    await scheduler.runNow(job.id, { note: 'I am driving today, not taking the tram.' });
    await settle();
    const asked = JSON.stringify((runtime.model as ReturnType<typeof echoModel>).doGenerateCalls.at(-1)!.prompt.at(-1));
    expect(asked).toMatch(/Check my commute to work\\n\\n\[Added by the chat for this run only\]\\nI am driving today, not taking the tram\./);
    expect(await scheduler.get(job.id)).toMatchObject({ prompt: 'Check my commute to work' });
  });

  it('tells the chat when the job fails instead of staying silent', async () => {
    await setup();
    runtime.model = echoModel();
    (runtime.model as ReturnType<typeof echoModel>).doGenerate = async () => {
      throw new Error('model offline');
    };
    runtime.config.modelRetries = 0;
    const job = await scheduler.create({ name: 'report', prompt: 'x', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    const result = await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: 't1' }, deliver: async (to, text) => {
      delivered.push({ delivery: to, text });
    } });
    expect(result.status).toBe('failed');
    expect(delivered[0]!.text).toMatch(/Scheduled task "report" failed: The model did not answer: the request failed\.\nIt was to do: x\nIts next runs stay scheduled\.$/);
    expect((await scheduler.get(job.id))?.completedRuns).toBe(1);
  });

  it('tells the chat what a one-shot reminder whose run failed was to remind of, as it has had its run', async () => {
    await setup();
    runtime.model = echoModel();
    (runtime.model as ReturnType<typeof echoModel>).doGenerate = async () => {
      throw new Error('model offline');
    };
    runtime.config.modelRetries = 0;
    const job = await scheduler.create({ name: 'dentist', prompt: 'Remind me to bring my insurance card', schedule: parseSchedule('30m', clock, 'UTC'), delivery });
    const result = await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-22T10:30:00Z' }, deliver: async (to, text) => {
      delivered.push({ delivery: to, text });
    } });
    expect(result.status).toBe('failed');
    expect(delivered.map((entry) => entry.text)).toEqual([
      '⚠️ Scheduled task "dentist" failed: The model did not answer: the request failed.\nIt was to do: Remind me to bring my insurance card\nThat was its last run; ask me to set it again if it is still needed.',
    ]);
    expect(await scheduler.get(job.id)).toBeUndefined();
  });

  it('keeps a one-shot reminder for the queue to try again when neither its answer nor the failure notice reached the chat', async () => {
    await setup();
    const model = echoModel();
    const answer = model.doGenerate;
    model.doGenerate = async () => {
      throw new Error('getaddrinfo ENOTFOUND api.deepseek.com');
    };
    runtime.model = model;
    runtime.config.modelRetries = 0;
    const job = await scheduler.create({ name: 'dentist', prompt: 'Remind me to bring my insurance card', schedule: parseSchedule('30m', clock, 'UTC'), delivery });
    const fire = { source: 'hermes.cron' as const, job, scheduledTime: '2026-11-22T10:30:00Z' };
    const offline = async () => {
      throw new Error('Network request for sendMessage failed');
    };
    await expect(runJobFire(runtime, { fire, deliver: offline, attempt: { retrying: false, retryLeft: true } })).rejects.toThrow('sendMessage failed');
    expect(await scheduler.get(job.id)).toMatchObject({ completedRuns: 0 });

    // The network is back by the queue's next attempt.
    model.doGenerate = answer;
    const deliver = async (to: Delivery, text: string) => void delivered.push({ delivery: to, text });
    expect((await runJobFire(runtime, { fire, deliver, attempt: { retrying: true, retryLeft: true } })).status).toBe('delivered');
    expect(delivered.map((entry) => entry.text)).toEqual(['ok']);
    expect(await scheduler.get(job.id)).toBeUndefined();
  });

  it('pauses, rather than retries, a job whose run failed and whose chat no longer takes the failure notice', async () => {
    await setup();
    const model = echoModel();
    model.doGenerate = async () => {
      throw new Error('model offline');
    };
    runtime.model = model;
    runtime.config.modelRetries = 0;
    const job = await scheduler.create({ name: 'report', prompt: 'x', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    const blocked = async () => {
      throw new RecipientGoneError('Telegram will not deliver to chat 5: Forbidden: bot was blocked by the user');
    };
    const result = await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: 't1' }, deliver: blocked, attempt: { retrying: false, retryLeft: true } });
    expect(result.status).toBe('paused');
    expect(await scheduler.get(job.id)).toMatchObject({ state: 'paused' });
  });

  it('cuts a fire off at its deadline, as a chat turn is, instead of running until the invocation is killed', async () => {
    await setup();
    const model = echoModel();
    let cutOff = false;
    model.doGenerate = async (call) => {
      call.abortSignal?.addEventListener('abort', () => (cutOff = true), { once: true });
      return thinkingUntilCutOff(call, 'thought it through');
    };
    runtime.model = model;
    runtime.config.modelRetries = 0;
    const job = await scheduler.create({ name: 'digest', prompt: 'Summarize the news', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    const fire = { source: 'hermes.cron' as const, job, scheduledTime: '2026-11-22T11:00:00Z' };
    const deliver = async (to: Delivery, text: string) => void delivered.push({ delivery: to, text });
    // The shortest abort a turn gets (deadlines.ts): one second.
    await runJobFire(runtime, { fire, deliver, deadline: Date.now() });
    expect(cutOff).toBe(true);
    expect(delivered.map((entry) => entry.text)).not.toContain('thought it through');
  });

  it('counts a run once, by the attempt that got its answer out, so a retried fire does not use up a repeat', async () => {
    await setup();
    const job = await scheduler.create({ name: 'water', prompt: 'Drink water', schedule: parseSchedule('every 1h', clock, 'UTC'), repeat: 3, delivery });
    const fire = { source: 'hermes.cron' as const, job, scheduledTime: '2026-11-22T11:00:00Z' };
    const floodControl = async () => {
      throw new Error('Call to sendMessage failed! (429: Too Many Requests: retry after 45)');
    };
    await expect(runJobFire(runtime, { fire, deliver: floodControl, attempt: { retrying: false, retryLeft: true } })).rejects.toThrow('429');
    expect(await scheduler.get(job.id)).toMatchObject({ completedRuns: 0 });
    const deliver = async (to: Delivery, text: string) => void delivered.push({ delivery: to, text });
    expect((await runJobFire(runtime, { fire, deliver, attempt: { retrying: true, retryLeft: true } })).status).toBe('delivered');
    expect(delivered.map((entry) => entry.text)).toEqual(['ok']);
    expect(await scheduler.get(job.id)).toMatchObject({ completedRuns: 1 });
  });

  it('tells the chat on a retry that the model did not answer, not the note a model that failed after tools leaves', async () => {
    await setup();
    let calls = 0;
    const model = echoModel();
    model.doGenerate = async () => {
      if (calls++ > 0) throw new Error('model offline');
      return {
        content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'skills_list', input: '{}' }],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
        warnings: [],
      };
    };
    runtime.model = model;
    runtime.config.modelRetries = 0;
    const job = await scheduler.create({ name: 'digest', prompt: 'Summarize my skills', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    const fire = { source: 'hermes.cron' as const, job, scheduledTime: '2026-11-22T12:00:00Z' };
    const deliver = async (to: Delivery, text: string) => void delivered.push({ delivery: to, text });
    expect((await runJobFire(runtime, { fire, deliver })).status).toBe('failed');
    // Say the attempt had died before its notice: the queue runs the fire again, with its claim given back.
    await runtime.dedup.release(`cron:${job.id}:${fire.scheduledTime}`);
    delivered.length = 0;
    await runJobFire(runtime, { fire, deliver, attempt: { retrying: true, retryLeft: true } });
    expect(delivered.map((entry) => entry.text)).toEqual([expect.stringMatching(/^⚠️ Scheduled task "digest" failed: The model did not answer\.\nIt was to do: Summarize my skills/)]);
  });

  it('does not send a fire again on the queue\'s retry when the attempt before sent it and then died', async () => {
    await setup();
    const job = await scheduler.create({ name: 'report', prompt: 'x', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    const fire = { source: 'hermes.cron' as const, job, scheduledTime: '2026-11-22T11:00:00Z' };
    const deliver = async (to: Delivery, text: string) => void delivered.push({ delivery: to, text });
    expect((await runJobFire(runtime, { fire, deliver })).status).toBe('delivered');
    // The attempt was killed before its end, so the queue runs the fire again, giving its claim back first (runFire).
    await runtime.dedup.release(`cron:${job.id}:${fire.scheduledTime}`);
    const retried = await runJobFire(runtime, { fire, deliver, attempt: { retrying: true, retryLeft: true } });
    expect(retried.status).toBe('duplicate');
    expect(delivered).toEqual([{ delivery, text: 'ok' }]);
  });
  /** The model answers `answer`; what it was asked is kept. */
  function answering(answer: string): string[] {
    const asked: string[] = [];
    const model = echoModel();
    model.doGenerate = async (options: LanguageModelV4CallOptions) => {
      asked.push(JSON.stringify(options.prompt));
      return textResult(answer);
    };
    runtime.model = model;
    return asked;
  }

  async function writeSkill(name: string, body: string) {
    await mkdir(join(home, 'skills', 'briefs', name), { recursive: true });
    await writeFile(join(home, 'skills', 'briefs', name, 'SKILL.md'), `---\nname: ${name}\ndescription: ${name} steps\n---\n${body}\n`);
  }

  it('tells every run how delivery works, and sends nothing when the run answers [SILENT] (Hermes watcher jobs)', async () => {
    await setup();
    const asked = answering('[SILENT]');
    const job = await scheduler.create({ name: 'watch', prompt: 'Tell me only if the page changed', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    const deliver = async (to: Delivery, text: string) => {
      delivered.push({ delivery: to, text });
    };
    const result = await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-22T11:00:00.000Z' }, deliver });
    expect(result.status).toBe('silent');
    expect(delivered).toEqual([]);
    expect(asked[0]).toContain('respond with exactly \\"[SILENT]\\"');
    expect(asked[0]).toContain('Tell me only if the page changed');
    expect((await scheduler.get(job.id))?.completedRuns).toBe(1);

    answering('The page changed: new price 12 EUR.');
    const next = await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-22T12:00:00.000Z' }, deliver });
    expect(next.status).toBe('delivered');
    expect(delivered.map((entry) => entry.text)).toEqual(['The page changed: new price 12 EUR.']);
  });

  it('dates a late run when it runs, and tells the model when it was due, so "today" is not the missed day', async () => {
    await setup();
    const asked = answering('Your agenda for today.');
    const job = await scheduler.create({ name: 'agenda', prompt: "Tell me today's date and agenda", schedule: parseSchedule('0 8 * * *', clock, 'UTC'), delivery });
    // The laptop slept over the weekend: Saturday's 08:00 run starts days later.
    const due = Date.now() - 3 * 86_400_000;
    const before = timeStamp(Date.now(), 'UTC');
    await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: new Date(due).toISOString() }, deliver: async () => undefined });
    const after = timeStamp(Date.now(), 'UTC');
    const stamps = [...asked[0]!.matchAll(/\[\w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2}\]/g)].map((match) => match[0]);
    expect(stamps.length).toBeGreaterThan(0);
    for (const stamp of stamps) expect([before, after]).toContain(stamp);
    expect(asked[0]).toContain(`[This run was due ${timeStamp(due, 'UTC').slice(1, -1)} and starts late.]`);
    // Recall dates the run as the model saw it.
    const [recalled] = await runtime.memory.search('77', 'agenda', 5);
    expect([before, after]).toContain(recalled?.text.slice(0, before.length));
  });

  it('says nothing of lateness for a run that starts within minutes of its slot', async () => {
    await setup();
    const asked = answering('Stretch!');
    const job = await scheduler.create({ name: 'stretch', prompt: 'Remind me to stretch', schedule: parseSchedule('every 1h', clock, 'UTC'), delivery });
    await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: new Date(Date.now() - 60_000).toISOString() }, deliver: async () => undefined });
    expect(asked[0]).not.toContain('starts late');
  });

  it("loads the job's skills in order ahead of its prompt, and skips one deleted since with a notice", async () => {
    await setup();
    await writeSkill('morning-brief', 'Step 1: weather. Step 2: calendar.');
    await writeSkill('tone', 'Keep it under five lines.');
    const asked = answering('Brief sent.');
    const job = await scheduler.create({ name: 'brief', prompt: 'Brief me', skills: ['morning-brief', 'gone', 'tone'], schedule: parseSchedule('every 1d', clock, 'UTC'), delivery });
    await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-23T10:00:00.000Z' }, deliver: async () => undefined });
    const prompt = asked[0]!;
    const order = ['were skipped: gone', 'invoked the \\"morning-brief\\" skill', 'Step 1: weather', 'invoked the \\"tone\\" skill', 'Keep it under five lines', 'alongside the skill invocation', 'Brief me'];
    expect(order.map((part) => prompt.indexOf(part))).toEqual(order.map((part) => prompt.indexOf(part)).toSorted((a, b) => a - b));
    expect(order.every((part) => prompt.includes(part))).toBe(true);
  });
  it('pauses a job whose chat refuses the bot for good, instead of running the model for nobody at every fire', async () => {
    await setup();
    const job = await scheduler.create({ name: 'news', prompt: 'Morning news', schedule: parseSchedule('every 1d', clock, 'UTC'), delivery });
    const attempts: string[] = [];
    const result = await runJobFire(runtime, {
      fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-23T10:00:00.000Z' },
      deliver: async (_to, text) => {
        attempts.push(text);
        throw new RecipientGoneError('Telegram will not deliver to chat 5: Forbidden: bot was blocked by the user');
      },
    });
    expect(result.status).toBe('paused');
    expect(attempts).toEqual(['ok']);
    expect((await scheduler.get(job.id))?.state).toBe('paused');
  });
  it('fires a one-shot reminder again after a restart when the process died during its run, and answers it once', async () => {
    await setup();
    const job = await scheduler.create({ name: 'tea', prompt: 'Say the tea is ready', schedule: parseSchedule('30m', clock, 'UTC'), delivery });
    clock = new Date('2026-11-22T10:31:00Z');
    // The process dies while this fire runs: nothing of its run is recorded.
    const [interrupted] = await new LocalScheduler(home, 'UTC', () => clock).tick();
    expect(interrupted!.job.id).toBe(job.id);
    expect((await scheduler.get(job.id))?.state).toBe('scheduled');

    const restarted = new LocalScheduler(home, 'UTC', () => clock);
    const [again] = await restarted.tick();
    expect(again).toEqual(interrupted);
    expect(await restarted.tick()).toEqual([]);
    const deliver = async (to: Delivery, text: string) => {
      delivered.push({ delivery: to, text });
    };
    runtime.scheduler = restarted;
    expect((await runJobFire(runtime, { fire: again!, deliver })).status).toBe('delivered');
    expect(delivered).toEqual([{ delivery, text: 'ok' }]);
    expect(await restarted.get(job.id)).toBeUndefined();
  });
  it('does not send a one-shot reminder again when the process died after sending it, before its run was recorded', async () => {
    await setup();
    const job = await scheduler.create({ name: 'tea', prompt: 'Say the tea is ready', schedule: parseSchedule('30m', clock, 'UTC'), delivery });
    clock = new Date('2026-11-22T10:31:00Z');
    const dying = new LocalScheduler(home, 'UTC', () => clock);
    const [fire] = await dying.tick();
    const deliver = async (to: Delivery, text: string) => {
      delivered.push({ delivery: to, text });
    };
    // The process dies right after the answer went out: the run is not recorded.
    dying.recordRun = async () => {
      throw new Error('killed');
    };
    runtime.scheduler = dying;
    expect((await runJobFire(runtime, { fire: fire!, deliver })).status).toBe('delivered');
    // The restart keeps the stored turn on disk, but neither the claim nor the mark of the sending, kept in memory.
    runtime.dedup = new MemoryDedupStore();
    const restarted = new LocalScheduler(home, 'UTC', () => clock);
    runtime.scheduler = restarted;
    const [again] = await restarted.tick();
    expect(again!.job.id).toBe(job.id);
    expect((await runJobFire(runtime, { fire: again!, deliver })).status).toBe('duplicate');
    expect(delivered).toEqual([{ delivery, text: 'ok' }]);
  });

  it('reports a damaged jobs.json by name at every tick and leaves it as it is, instead of crashing the process', async () => {
    await setup();
    const path = join(home, 'cron', 'hermes-serverless-jobs.json');
    await scheduler.tick();
    await writeFile(path, '[{"name":"x",');
    const errors: unknown[] = [];
    const damaged = new LocalScheduler(home, 'UTC', () => clock);
    damaged.start(async () => undefined, { tickSeconds: 3_600, onError: (error) => errors.push(error) });
    await expect.poll(() => errors.length).toBe(1);
    await damaged.stop();
    expect(errors[0]).toBeInstanceOf(StoreError);
    expect((errors[0] as Error).message).toMatch(/cron\/hermes-serverless-jobs\.json is not valid JSON .*Fix or remove it/);
    expect(await readFile(path, 'utf8')).toBe('[{"name":"x",');
  });
  it("runs a group member's job while the group is allowed, though the member is not in TELEGRAM_ALLOWED_USERS, and pauses it once the group is not", async () => {
    await setup();
    runtime.config.telegram.allowedUsers = ['111'];
    runtime.config.telegram.allowedChats = ['-1001'];
    const inGroup: Delivery = { chatId: -1001, userId: '222' };
    const job = await scheduler.create({ name: 'standup', prompt: 'Remind the team of the standup', schedule: parseSchedule('every 1d', clock, 'UTC'), delivery: inGroup });
    const deliver = async (to: Delivery, text: string) => {
      delivered.push({ delivery: to, text });
    };
    expect((await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-23T10:00:00.000Z' }, deliver })).status).toBe('delivered');
    runtime.config.telegram.allowedChats = [];
    expect((await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-24T10:00:00.000Z' }, deliver })).status).toBe('paused');
    expect(delivered.map((entry) => entry.delivery)).toEqual([inGroup]);
    expect((await scheduler.get(job.id))?.state).toBe('paused');
  });
});
