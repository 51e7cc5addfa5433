import { join } from 'node:path';
import { assertDay, NO_USAGE, type DailyUsage, type UsageFigures, type UsageStore } from '../ports/usage-store.ts';
import { KeyedMutex, readJsonFile, writeFileAtomic } from './atomic-file.ts';

type UsageFile = Record<string, UsageFigures>;

/** One JSON file per user under `HERMES_HOME/usage/`, days as keys. */
export class FileUsageStore implements UsageStore {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly dir: string) {}

  async add(userId: string, day: string, figures: UsageFigures): Promise<void> {
    assertDay(day);
    return this.mutex.run(userId, async () => {
      const days = await this.load(userId);
      const before = days[day] ?? NO_USAGE;
      days[day] = {
        uncachedInputTokens: before.uncachedInputTokens + figures.uncachedInputTokens,
        cachedInputTokens: before.cachedInputTokens + figures.cachedInputTokens,
        outputTokens: before.outputTokens + figures.outputTokens,
        turns: before.turns + figures.turns,
      };
      await writeFileAtomic(this.path(userId), JSON.stringify(days));
    });
  }

  async read(userId: string, fromDay: string, toDay: string): Promise<DailyUsage[]> {
    assertDay(fromDay);
    assertDay(toDay);
    const days = await this.load(userId);
    return Object.entries(days)
      .filter(([day]) => day >= fromDay && day <= toDay)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, figures]) => ({ day, ...figures }));
  }

  private async load(userId: string): Promise<UsageFile> {
    return readJsonFile<UsageFile>(this.path(userId), {});
  }

  /** User ids are Telegram's numbers or `local`; anything else is encoded so it cannot leave the directory. */
  private path(userId: string): string {
    return join(this.dir, `${encodeURIComponent(userId)}.json`);
  }
}
