import type { MediaLibrary } from './ports/media-library.ts';
import type { Locks } from './ports/locks.ts';
import type { MemoryLimits, MemoryStore } from './ports/memory-store.ts';
import type { Delivery, Scheduler } from './ports/scheduler.ts';
import type { SkillLibrary } from './skill-library.ts';
import type { SpendLimits } from './spend-limits.ts';

/** Who and where the current turn is: tools act for this user and deliver to this chat. */
export interface ToolContext {
  userId: string;
  delivery: Delivery;
  now: () => Date;
  timezone: string;
  /**
   * Stable across redeliveries of the event the turn answers; side-effecting tools derive their ids from it, so a
   * turn run again finds what its first run created instead of creating it twice.
   */
  turnId?: string;
  /** `cron`: the turn answers a job's fire. */
  origin?: 'chat' | 'cron';
  /**
   * Files the user's message of this turn carries. Bedrock counts documents per request, and every request of the
   * turn repeats that message, so files opened again share one allowance with them.
   */
  attached?: {
    documents: number;
    images: number;
    pdfPages?: number;
    /** Bytes of those files, and the most one request may carry (MEDIA_BYTES_PER_REQUEST of the turn's provider). */
    bytes?: number;
    bytesLimit?: number;
  };
}

/** Where a tool's failures are written for the owner (the agent's logger, which redacts secrets). */
export interface ToolLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface ToolDeps {
  skills: SkillLibrary;
  scheduler: Scheduler;
  memory: MemoryStore;
  /** Files users sent, for media_view; absent where no chat's files are at hand (a scheduled fire). */
  media?: MediaLibrary;
  /** Makes a tool's check-then-write one at a time per user, skill or chat; absent, changes run as they come. */
  locks?: Locks;
  log?: ToolLog;
  config?: {
    limits?: SpendLimits;
    /** Telegram user ids that may change shared skills; undefined lets every user (a personal, one-user setup). */
    skillAdmins?: string[];
    /** The notebooks' budgets; Hermes' defaults when absent. */
    memoryLimits?: MemoryLimits;
  };
}
