import type { MemoryStore } from './ports/memory-store.ts';
import type { Delivery, Scheduler } from './ports/scheduler.ts';
import type { SkillLibrary } from './skill-library.ts';

/** Who and where the current turn is: tools act for this user and deliver to this chat. */
export interface ToolContext {
  userId: string;
  delivery: Delivery;
  now: () => Date;
  timezone: string;
}

export interface ToolDeps {
  skills: SkillLibrary;
  scheduler: Scheduler;
  memory: MemoryStore;
}
