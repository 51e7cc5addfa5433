import type { Locks } from './ports/locks.ts';
import type { Job, JobPatch, ManualRun, NewJob, Scheduler } from './ports/scheduler.ts';

/**
 * A scheduler whose changes to one job are made one at a time. EventBridge Scheduler has no conditional update, and
 * UpdateSchedule replaces the whole definition, so a change is a read and a write: a fire counting its run while a
 * member pauses the job, or two members editing it, would each write back the job as they read it, and the one
 * written last would undo the other. Reads take no lock.
 */
export class LockedScheduler implements Scheduler {
  constructor(
    private readonly inner: Scheduler,
    private readonly locks: Locks,
  ) {}

  create(job: NewJob): Promise<Job> {
    return this.inner.create(job);
  }

  get(id: string): Promise<Job | undefined> {
    return this.inner.get(id);
  }

  list(chatId: number, threadId?: number): Promise<Job[]> {
    return this.inner.list(chatId, threadId);
  }

  update(id: string, patch: JobPatch): Promise<Job> {
    return this.held(id, () => this.inner.update(id, patch));
  }

  pause(id: string): Promise<Job> {
    return this.held(id, () => this.inner.pause(id));
  }

  resume(id: string): Promise<Job> {
    return this.held(id, () => this.inner.resume(id));
  }

  remove(id: string): Promise<void> {
    return this.held(id, () => this.inner.remove(id));
  }

  /** The run-now fire carries a copy of the job, which must not be one a change is half-way through. */
  runNow(id: string, run?: ManualRun): Promise<void> {
    return this.held(id, () => this.inner.runNow(id, run));
  }

  recordRun(id: string, at: string): Promise<void> {
    return this.held(id, () => this.inner.recordRun(id, at));
  }

  private held<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.locks.hold(`job:${id}`, work);
  }
}
