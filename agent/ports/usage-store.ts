import { ValidationError } from '../../tools/errors.ts';

/** Model tokens of one or more turns, as providers bill them: cached input is cheaper than uncached input. */
export interface UsageFigures {
  uncachedInputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  turns: number;
}

export interface DailyUsage extends UsageFigures {
  /** A UTC calendar day, `YYYY-MM-DD`. */
  day: string;
}

/**
 * What each user spent per day. Adding is atomic, so concurrent turns of one user all count; the daily token
 * budget reads today, and a usage report reads a range of days.
 */
export interface UsageStore {
  add(userId: string, day: string, figures: UsageFigures): Promise<void>;
  /** The days from `fromDay` to `toDay` (both included) that have usage, oldest first. */
  read(userId: string, fromDay: string, toDay: string): Promise<DailyUsage[]>;
}

export const NO_USAGE: UsageFigures = { uncachedInputTokens: 0, cachedInputTokens: 0, outputTokens: 0, turns: 0 };

export function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function totalTokens(figures: UsageFigures): number {
  return figures.uncachedInputTokens + figures.cachedInputTokens + figures.outputTokens;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function assertDay(day: string): void {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new ValidationError(`Not a day (YYYY-MM-DD): "${day}".`);
}
