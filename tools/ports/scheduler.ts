/**
 * A parsed Hermes schedule. `once` is an absolute UTC instant, `interval` repeats every N minutes from creation,
 * `cron` is a standard 5-field expression evaluated in the configured time zone.
 */
export type Schedule =
  | { kind: 'once'; at: string; display: string }
  | { kind: 'interval'; minutes: number; display: string }
  | { kind: 'cron'; expression: string; display: string };

/** Where a job's output goes: the chat (and forum topic) it was created in. */
export interface Delivery {
  chatId: number;
  threadId?: number;
  userId: string;
  /**
   * Made in a forum supergroup. Its General topic's messages carry no topic id, yet its members share it as a topic,
   * so a fire delivered there belongs to that shared conversation (a `/stop` in General reaches it).
   */
  forum?: true;
}

export type JobState = 'scheduled' | 'paused';

export interface Job {
  id: string;
  name: string;
  prompt: string;
  /** Skills loaded, in this order, ahead of the prompt at every fire (Hermes' `skills`). */
  skills?: string[];
  schedule: Schedule;
  /** How many times to run in total; undefined means forever (one-shot schedules run once). */
  repeat?: number;
  completedRuns: number;
  state: JobState;
  delivery: Delivery;
  createdAt: string;
  lastRunAt?: string;
  /** When the job fires next, if it still has runs left. */
  nextRunAt?: string;
}

export interface NewJob {
  name: string;
  prompt: string;
  skills?: string[];
  schedule: Schedule;
  repeat?: number;
  delivery: Delivery;
  /** Made paused (a paused job moving to a group's new id); scheduled when left out. */
  state?: JobState;
  /**
   * Makes creation idempotent: a second create with the same key returns the job the first one made. Tools pass
   * their turn id and call index.
   */
  idempotencyKey?: string;
}

export type JobPatch = Partial<Pick<Job, 'name' | 'prompt' | 'skills' | 'schedule' | 'repeat'>>;

/** The payload that reaches the cron handler when a job fires, locally or from EventBridge Scheduler. */
export interface JobFire {
  source: 'hermes.cron';
  job: Job;
  /** The tick this fire belongs to; with the job id it makes the fire idempotent. */
  scheduledTime: string;
  /** A run asked for by hand (the tool's `run`), outside the job's schedule. */
  manual?: true;
  /** What the chat added for this one manual run (Hermes' `run` with a prompt), read after the job's own prompt. */
  note?: string;
}

/** A manual run: a repeated call with the same key fires it once; the note is extra context for this run only. */
export interface ManualRun {
  idempotencyKey?: string;
  note?: string;
}

export interface Scheduler {
  create(job: NewJob): Promise<Job>;
  get(id: string): Promise<Job | undefined>;
  /** Jobs whose delivery is this chat (and topic, when given). */
  list(chatId: number, threadId?: number): Promise<Job[]>;
  update(id: string, patch: JobPatch): Promise<Job>;
  pause(id: string): Promise<Job>;
  resume(id: string): Promise<Job>;
  remove(id: string): Promise<void>;
  /** Fires the job as soon as possible, outside its schedule; a repeated call with the same key fires it once. */
  runNow(id: string, run?: ManualRun): Promise<void>;
  /** Called after a fire completed; counts the run and retires the job when its repeats are used up. */
  recordRun(id: string, at: string): Promise<void>;
}
