import type { Logger } from './logger.ts';
import { totalTokens, usageDay, type UsageFigures, type UsageStore } from './ports/usage-store.ts';
import type { TurnUsage } from './turn-usage.ts';

/** One turn's tokens as the usage store counts them. */
export function figuresOf(usage: TurnUsage): UsageFigures {
  return { uncachedInputTokens: usage.uncachedInputTokens, cachedInputTokens: usage.cachedInputTokens, outputTokens: usage.outputTokens, turns: 1 };
}

/** What the user is told in place of a model call once today's spending reached the budget; undefined while under it. */
export function budgetRefusal(spent: number | undefined, budget: number): string | undefined {
  return spent !== undefined && spent >= budget ? budgetReachedText(spent, budget) : undefined;
}

function budgetReachedText(spent: number, budget: number): string {
  return (
    `You have used your daily allowance of ${budget.toLocaleString('en-US')} model tokens (${spent.toLocaleString('en-US')} so far today, UTC). ` +
    'I will answer again after midnight UTC; the owner can raise HERMES_DAILY_TOKEN_BUDGET.'
  );
}

/** Tokens the user spent today, or undefined when no budget applies (none set, or no store). */
export async function spentToday(store: UsageStore | undefined, { userId, budget, now }: { userId: string; budget: number; now: Date }): Promise<number | undefined> {
  if (!store || budget <= 0) return undefined;
  const day = usageDay(now);
  const [today] = await store.read(userId, day, day);
  return today ? totalTokens(today) : 0;
}

/** Counting never fails a turn that already ran: a lost count is logged, not charged to the user as an error. */
export async function recordUsage(store: UsageStore | undefined, { userId, now, figures, log }: { userId: string; now: Date; figures: UsageFigures; log: Logger }): Promise<void> {
  if (!store) return;
  await store.add(userId, usageDay(now), figures).catch((error: unknown) => log.warn('could not record token usage', { error, userId }));
}
