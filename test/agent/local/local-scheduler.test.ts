import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOBS_FILE, LocalScheduler } from '../../../agent/local/local-scheduler.ts';
import { StoreError } from '../../../tools/errors.ts';
import type { JobFire, NewJob } from '../../../tools/ports/scheduler.ts';
import { makeTempDir } from '../../stand-ins/temp-dir.ts';

/** A cron/jobs.json as classic Hermes writes it (cron/jobs.py save_jobs), with its own job fields. */
const CLASSIC_JOBS = new URL('./fixtures/classic-hermes-jobs.json', import.meta.url);
const NOW = new Date('2026-12-02T10:00:00.000Z');
const tea: NewJob = {
  name: 'tea',
  prompt: 'Tea is ready',
  schedule: { kind: 'once', at: '2026-12-02T10:30:00.000Z', display: 'once in 30m' },
  delivery: { chatId: 42, userId: '7' },
};

let home: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  const dir = await makeTempDir('hermes-home-');
  home = dir.path;
  remove = dir.remove;
  await mkdir(join(home, 'cron'), { recursive: true });
});
afterEach(() => remove());

const classicPath = () => join(home, 'cron', 'jobs.json');
const ownPath = () => join(home, JOBS_FILE);

describe('LocalScheduler in a HERMES_HOME shared with classic Hermes', () => {
  it("lists, creates and fires its own jobs and leaves classic Hermes' cron/jobs.json as it is", async () => {
    const classic = await readFile(CLASSIC_JOBS, 'utf8');
    await writeFile(classicPath(), classic);
    let clock = NOW;
    const scheduler = new LocalScheduler(home, 'UTC', () => clock);

    expect(await scheduler.list(123456789)).toEqual([]);
    const job = await scheduler.create(tea);
    expect(await scheduler.list(42)).toEqual([job]);
    clock = new Date('2026-12-02T10:30:00.000Z');
    expect((await scheduler.tick()).map((fire) => fire.job.id)).toEqual([job.id]);

    expect(await readFile(classicPath(), 'utf8')).toBe(classic);
    expect(JSON.parse(await readFile(ownPath(), 'utf8'))).toMatchObject([{ id: job.id, name: 'tea' }]);
  });

  it('moves the jobs an earlier version kept in cron/jobs.json to its own file', async () => {
    const earlier = new LocalScheduler(home, 'UTC', () => NOW);
    const job = await earlier.create(tea);
    const stored = await readFile(ownPath(), 'utf8');
    await writeFile(classicPath(), stored);
    await unlink(ownPath());

    const upgraded = new LocalScheduler(home, 'UTC', () => NOW);
    expect(await upgraded.get(job.id)).toEqual(job);
    expect(await readFile(ownPath(), 'utf8')).toBe(stored);
    await expect(readFile(classicPath(), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("leaves a classic Hermes list of its own jobs where it is (Hermes' older bare-list form)", async () => {
    const { jobs } = JSON.parse(await readFile(CLASSIC_JOBS, 'utf8')) as { jobs: unknown[] };
    const bareList = JSON.stringify(jobs);
    await writeFile(classicPath(), bareList);
    const scheduler = new LocalScheduler(home, 'UTC', () => NOW);
    expect(await scheduler.list(123456789)).toEqual([]);
    await scheduler.create(tea);
    expect(await readFile(classicPath(), 'utf8')).toBe(bareList);
  });
});

describe('LocalScheduler refuses a jobs file it cannot read, naming it, and leaves it as it is', () => {
  it.each([
    ['classic Hermes jobs', async () => readFile(CLASSIC_JOBS, 'utf8'), /hermes-serverless-jobs\.json does not hold a list of jobs \(it looks like classic Hermes' cron\/jobs\.json\)\. Fix or remove it/],
    ['an object', async () => '{"version": 2}', /hermes-serverless-jobs\.json does not hold a list of jobs\. Fix or remove it/],
    ['a list with something else in it', async () => '[{"name": "x"}]', /hermes-serverless-jobs\.json: entry 1 is not a job \(it needs an id, a schedule and a delivery\)/],
  ])('holding %s', async (_, content, message) => {
    const text = await content();
    await writeFile(ownPath(), text);
    const scheduler = new LocalScheduler(home, 'UTC', () => NOW);
    for (const attempt of [() => scheduler.list(42), () => scheduler.create(tea), () => scheduler.tick()]) {
      const error = await attempt().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(message);
    }
    expect(await readFile(ownPath(), 'utf8')).toBe(text);
  });

  it('works beside a cron/jobs.json that does not parse (classic Hermes may be writing it) and leaves it as it is', async () => {
    await writeFile(classicPath(), '{"jobs": [');
    const scheduler = new LocalScheduler(home, 'UTC', () => NOW);
    expect(await scheduler.list(42)).toEqual([]);
    expect(await readFile(classicPath(), 'utf8')).toBe('{"jobs": [');
  });
});

describe('LocalScheduler fires', () => {
  const terminalTea: NewJob = { ...tea, name: 'terminal tea', delivery: { chatId: 0, userId: 'local' } };

  it('only the jobs this start delivers; the others stay due, untouched, for the start that does', async () => {
    let clock = NOW;
    const terminalStart = new LocalScheduler(home, 'UTC', () => clock);
    const chatJob = await terminalStart.create(tea);
    const terminalJob = await terminalStart.create(terminalTea);
    clock = new Date('2026-12-02T10:30:00.000Z');
    const fired: string[] = [];
    const fire = async ({ job }: JobFire) => void fired.push(job.id);
    terminalStart.start(fire, { tickSeconds: 3_600, onError: () => undefined, serves: (delivery) => delivery.chatId === 0 });
    await terminalStart.tick();
    await terminalStart.stop();
    expect(fired).toEqual([terminalJob.id]);
    expect(await terminalStart.get(chatJob.id)).toMatchObject({ state: 'scheduled', nextRunAt: '2026-12-02T10:30:00.000Z' });

    const botStart = new LocalScheduler(home, 'UTC', () => clock);
    botStart.start(fire, { tickSeconds: 3_600, onError: () => undefined, serves: (delivery) => delivery.chatId !== 0 });
    await botStart.tick();
    await botStart.stop();
    expect(fired).toEqual([terminalJob.id, chatJob.id]);
  });

  it('a reminder and a run asked for by hand again at the next tick when the jobs file could not be written', async () => {
    let clock = NOW;
    let failWrite = false;
    const scheduler = new LocalScheduler(home, 'UTC', () => {
      // A folder where the file should be makes the write's rename fail, as a full disk or a read-only folder would.
      if (failWrite) {
        failWrite = false;
        rmSync(ownPath());
        mkdirSync(ownPath());
      }
      return clock;
    });
    const reminder = await scheduler.create(tea);
    const daily = await scheduler.create({ ...tea, name: 'daily', schedule: { kind: 'cron', expression: '0 9 * * *', display: '0 9 * * *' } });
    const saved = await readFile(ownPath(), 'utf8');
    const restore = async () => {
      rmSync(ownPath(), { recursive: true });
      await writeFile(ownPath(), saved);
    };

    clock = new Date('2026-12-02T10:30:00.000Z');
    failWrite = true;
    await expect(scheduler.tick()).rejects.toThrow();
    await restore();
    expect((await scheduler.tick()).map((fire) => fire.job.id)).toEqual([reminder.id]);

    failWrite = true;
    // The run is taken as asked for: it stays queued for the next tick.
    await scheduler.runNow(daily.id);
    await restore();
    expect((await scheduler.tick()).map((fire) => [fire.job.id, fire.manual])).toEqual([[daily.id, true]]);
  });
});
