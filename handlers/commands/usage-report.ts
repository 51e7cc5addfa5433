import { costUsd, pricesFor } from '../../agent/model-prices.ts';
import { totalTokens, usageDay, type DailyUsage, type UsageFigures } from '../../agent/ports/usage-store.ts';

const NONE: UsageFigures = { uncachedInputTokens: 0, cachedInputTokens: 0, outputTokens: 0, turns: 0 };

function sum(days: DailyUsage[]): UsageFigures {
  return days.reduce(
    (total, day) => ({
      uncachedInputTokens: total.uncachedInputTokens + day.uncachedInputTokens,
      cachedInputTokens: total.cachedInputTokens + day.cachedInputTokens,
      outputTokens: total.outputTokens + day.outputTokens,
      turns: total.turns + day.turns,
    }),
    NONE,
  );
}

/** `/usage`: one user's tokens today and this month (UTC days, as the usage store counts them), and their estimated cost. */
export function usageReport(days: DailyUsage[], options: { now: Date; model: string; dailyBudget: number; cacheTtl: '5m' | '1h' }): string {
  const today = usageDay(options.now);
  const figures = { today: sum(days.filter((day) => day.day === today)), month: sum(days) };
  const prices = pricesFor(options.model, { cacheTtl: options.cacheTtl });
  const line = (label: string, usage: UsageFigures) => {
    const cost = prices ? `, about $${costUsd(usage, prices).toFixed(usage.turns > 0 && costUsd(usage, prices) < 0.01 ? 4 : 2)}` : '';
    return `${label}: ${usage.turns} message${usage.turns === 1 ? '' : 's'}, ${totalTokens(usage).toLocaleString('en-US')} tokens (${usage.cachedInputTokens.toLocaleString('en-US')} cached input, ${usage.uncachedInputTokens.toLocaleString('en-US')} other input, ${usage.outputTokens.toLocaleString('en-US')} output)${cost}`;
  };
  return [
    line('Today (UTC)', figures.today),
    line('This month', figures.month),
    ...(options.dailyBudget > 0 ? [`Daily allowance: ${options.dailyBudget.toLocaleString('en-US')} tokens`] : []),
    prices ? `Estimated at ${options.model}'s published prices (peak rates); the provider's bill is what counts.` : `No published prices on file for ${options.model}, so no cost estimate.`,
  ].join('\n');
}

/** The first day of `now`'s UTC month. */
export function monthStart(now: Date): string {
  return `${usageDay(now).slice(0, 8)}01`;
}
