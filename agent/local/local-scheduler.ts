import { access, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, StoreError } from '../../tools/errors.ts';
import { idempotentJobId, newJobId } from '../../tools/job-ids.ts';
import type { Delivery, Job, JobFire, JobPatch, ManualRun, NewJob, Scheduler } from '../../tools/ports/scheduler.ts';
import { nextRunAfter } from '../../tools/schedule.ts';
import { KeyedMutex, readJsonFile, writeFileAtomic } from './atomic-file.ts';

export type FireHandler = (fire: JobFire) => Promise<void>;

/** This assistant's jobs, under HERMES_HOME. */
export const JOBS_FILE = join('cron', 'hermes-serverless-jobs.json');
/**
 * Classic Hermes' own jobs (cron/jobs.py: `{"jobs": [...], "updated_at": ...}` with its own job fields), which its
 * gateway runs. A home shared with classic Hermes keeps them there, untouched and not run twice; earlier versions of
 * this assistant kept their jobs under this name, and those move to JOBS_FILE.
 */
const CLASSIC_JOBS_FILE = join('cron', 'jobs.json');

/**
 * In-process scheduler for the local mode. Jobs persist in JOBS_FILE; each tick fires every due job
 * once, however many periods were missed while the process was down, and moves it to its next future run.
 */
export class LocalScheduler implements Scheduler {
  private readonly path: string;
  private readonly classicPath: string;
  private movedOwnJobs: Promise<void> | undefined;
  private readonly mutex = new KeyedMutex();
  private timer: NodeJS.Timeout | undefined;
  private onFire: FireHandler | undefined;
  private readonly running = new Set<Promise<void>>();
  private readonly manualFires: JobFire[] = [];
  /** One-shot fires started by this process; their jobs stay due on disk until the run is recorded. */
  private readonly firedOnce = new Set<string>();
  private serves: (delivery: Delivery) => boolean = () => true;

  constructor(
    home: string,
    private readonly timezone: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.path = join(home, JOBS_FILE);
    this.classicPath = join(home, CLASSIC_JOBS_FILE);
  }

  /**
   * A tick that fails (a damaged jobs file, say) is reported to `onError`, and the next one tries again. `serves` tells
   * the jobs this process delivers: the terminal's own in the terminal, the chats' with a bot token. Another's wait,
   * due, for the start that delivers them, rather than being sent where they do not belong.
   */
  start(onFire: FireHandler, { tickSeconds, onError, serves }: { tickSeconds: number; onError: (error: unknown) => void; serves?: (delivery: Delivery) => boolean }): void {
    this.onFire = onFire;
    if (serves) this.serves = serves;
    const tick = () => void this.tick().catch(onError);
    this.timer = setInterval(tick, tickSeconds * 1000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.running]);
  }

  /** Fires what is due now; returns the fires it started. Exposed so tests can drive time. */
  async tick(): Promise<JobFire[]> {
    const manual = this.manualFires.length;
    const once: string[] = [];
    const fires = await this.mutate(
      (jobs) => {
        const now = this.now();
        const due: JobFire[] = this.manualFires.slice(0, manual);
        for (const job of jobs) {
          if (job.state !== 'scheduled' || !job.nextRunAt || new Date(job.nextRunAt) > now || !this.serves(job.delivery)) continue;
          const fire: JobFire = { source: 'hermes.cron', job: publicJob(job), scheduledTime: job.nextRunAt };
          if (job.schedule.kind === 'once') {
            // A reminder whose process dies mid-run fires again at the next start instead of vanishing; the fire's
            // stored turn keeps one that was already answered from being answered twice.
            const key = `${job.id}@${job.nextRunAt}`;
            if (this.firedOnce.has(key)) continue;
            once.push(key);
          } else {
            job.nextRunAt = nextRunAfter(job.schedule, { after: now, timezone: this.timezone, anchor: new Date(job.createdAt) })?.toISOString();
          }
          due.push(fire);
        }
        return due;
      },
      // Taken as fired only once the file holds the next runs: a tick whose write failed leaves all of them due.
      () => {
        this.manualFires.splice(0, manual);
        for (const key of once) this.firedOnce.add(key);
      },
    );
    const handler = this.onFire;
    if (handler) {
      for (const fire of fires) {
        const run = handler(fire).catch(() => undefined);
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      }
    }
    return fires;
  }

  async create(request: NewJob): Promise<Job> {
    const now = this.now();
    const { idempotencyKey, state = 'scheduled', ...input } = request;
    const job: Job = {
      ...input,
      id: idempotencyKey === undefined ? newJobId(input.delivery) : idempotentJobId(input.delivery, idempotencyKey),
      completedRuns: 0,
      state,
      createdAt: now.toISOString(),
      nextRunAt: nextRunAfter(input.schedule, { after: now, timezone: this.timezone, anchor: now })?.toISOString(),
    };
    const created = await this.mutate((jobs) => {
      const existing = jobs.find((candidate) => candidate.id === job.id);
      if (existing) return existing;
      jobs.push(job);
      return job;
    });
    return publicJob(created);
  }

  async get(id: string): Promise<Job | undefined> {
    const job = (await this.load()).find((candidate) => candidate.id === id);
    return job && publicJob(job);
  }

  async list(chatId: number, threadId?: number): Promise<Job[]> {
    return (await this.load())
      .filter((job) => job.delivery.chatId === chatId && (threadId === undefined || job.delivery.threadId === threadId))
      .map(publicJob);
  }

  update(id: string, patch: JobPatch): Promise<Job> {
    return this.change(id, (job) => {
      Object.assign(job, patch);
      if (patch.schedule) {
        const now = this.now();
        job.createdAt = now.toISOString();
        job.nextRunAt = nextRunAfter(patch.schedule, { after: now, timezone: this.timezone, anchor: now })?.toISOString();
      }
    });
  }

  pause(id: string): Promise<Job> {
    return this.change(id, (job) => {
      job.state = 'paused';
    });
  }

  resume(id: string): Promise<Job> {
    return this.change(id, (job) => {
      job.state = 'scheduled';
      const now = this.now();
      if (!job.nextRunAt || new Date(job.nextRunAt) <= now) {
        job.nextRunAt = nextRunAfter(job.schedule, { after: now, timezone: this.timezone, anchor: new Date(job.createdAt) })?.toISOString();
      }
    });
  }

  async remove(id: string): Promise<void> {
    await this.mutate((jobs) => {
      const index = jobs.findIndex((job) => job.id === id);
      if (index < 0) throw new NotFoundError(`No job with id ${id}.`);
      jobs.splice(index, 1);
    });
  }

  /** Fires outside the schedule, leaving state and next run as they are (a paused job stays paused). */
  async runNow(id: string, { idempotencyKey, note }: ManualRun = {}): Promise<void> {
    const job = await this.get(id);
    if (!job) throw new NotFoundError(`No job with id ${id}.`);
    // Fires are deduplicated by job and scheduled time, so a keyed run-now repeated fires once.
    this.manualFires.push({ source: 'hermes.cron', job, scheduledTime: `manual:${idempotencyKey ?? this.now().toISOString()}`, manual: true, ...(note ? { note } : {}) });
    // Asked for, the run is queued: a tick that fails now (the jobs file could not be written) leaves it to the next
    // one, which the running scheduler reports if it fails too. Saying it failed would have the model ask again.
    await this.tick().catch(() => undefined);
  }

  async recordRun(id: string, at: string): Promise<void> {
    await this.mutate((jobs) => {
      const index = jobs.findIndex((job) => job.id === id);
      const job = jobs[index];
      if (!job) return;
      job.completedRuns += 1;
      job.lastRunAt = at;
      const finished =
        job.schedule.kind === 'once' ? new Date(at) >= new Date(job.schedule.at) : job.repeat !== undefined && job.completedRuns >= job.repeat;
      if (finished) jobs.splice(index, 1);
    });
  }

  private async change(id: string, edit: (job: Job) => void): Promise<Job> {
    return this.mutate((jobs) => {
      const job = jobs.find((candidate) => candidate.id === id);
      if (!job) throw new NotFoundError(`No job with id ${id}.`);
      edit(job);
      return publicJob(job);
    });
  }

  /** `written` runs once the file holds the change, before any other change begins. */
  private async mutate<T>(edit: (jobs: Job[]) => T, written?: () => void): Promise<T> {
    await this.ownJobsMoved();
    return this.mutex.run(this.path, async () => {
      const jobs = await this.readJobs();
      const result = edit(jobs);
      await writeFileAtomic(this.path, `${JSON.stringify(jobs, null, 2)}\n`);
      written?.();
      return result;
    });
  }

  private async load(): Promise<Job[]> {
    await this.ownJobsMoved();
    return this.readJobs();
  }

  private async readJobs(): Promise<Job[]> {
    return jobsIn(await readJsonFile<unknown>(this.path, []), this.path);
  }

  /** Once per scheduler, before its first read; a failure (a damaged file) is tried again at the next read. */
  private ownJobsMoved(): Promise<void> {
    this.movedOwnJobs ??= this.moveOwnJobsFromClassicFile().catch((error: unknown) => {
      this.movedOwnJobs = undefined;
      throw error;
    });
    return this.movedOwnJobs;
  }

  /**
   * A `cron/jobs.json` holding this assistant's jobs (a list of them) was written by an earlier version: it moves. An
   * empty list may be classic Hermes' and holds nothing to move, so it stays; so does a file that does not parse,
   * which classic Hermes may be writing this moment, and which this scheduler does not need.
   */
  private async moveOwnJobsFromClassicFile(): Promise<void> {
    if (await exists(this.path)) return;
    const classic = await readJsonFile<unknown>(this.classicPath, undefined).catch(() => undefined);
    if (!Array.isArray(classic) || classic.length === 0 || !classic.every(isJob)) return;
    await writeFileAtomic(this.path, `${JSON.stringify(classic, null, 2)}\n`);
    await unlink(this.classicPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** The jobs a jobs file holds; anything else is refused by the file's name, and the file is left as it is. */
function jobsIn(stored: unknown, path: string): Job[] {
  if (!Array.isArray(stored)) {
    const classic = typeof stored === 'object' && stored !== null && Array.isArray((stored as { jobs?: unknown }).jobs);
    throw new StoreError(
      `${path} does not hold a list of jobs${classic ? ' (it looks like classic Hermes\' cron/jobs.json)' : ''}. Fix or remove it; it is left as it is.`,
    );
  }
  const bad = stored.findIndex((entry) => !isJob(entry));
  if (bad >= 0) throw new StoreError(`${path}: entry ${bad + 1} is not a job (it needs an id, a schedule and a delivery). Fix or remove it; it is left as it is.`);
  return stored as Job[];
}

function isJob(entry: unknown): entry is Job {
  if (typeof entry !== 'object' || entry === null) return false;
  const { id, schedule, delivery } = entry as Partial<Record<keyof Job, unknown>>;
  const kind = typeof schedule === 'object' && schedule !== null ? (schedule as { kind?: unknown }).kind : undefined;
  const chatId = typeof delivery === 'object' && delivery !== null ? (delivery as { chatId?: unknown }).chatId : undefined;
  return typeof id === 'string' && (kind === 'once' || kind === 'interval' || kind === 'cron') && typeof chatId === 'number';
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function publicJob(job: Job): Job {
  return structuredClone(job);
}
