import { describe, expect, it, vi } from 'vitest';
import { once } from 'node:events';
import { watchForStop } from '../../agent/stop-watch.ts';
import { silentLogger, type Logger } from '../../agent/logger.ts';

describe('watchForStop', () => {
  it('aborts its signal once an ask says the user stopped while a model call runs, and asks no more', async () => {
    let asks = 0;
    const watch = watchForStop(() => ++asks >= 3, { log: silentLogger, everyMs: 5 });
    watch.modelCallStarted();
    await once(watch.signal, 'abort');
    watch.dispose();
    expect(watch.stopped).toBe(true);
    expect(asks).toBe(3);
  });

  it('skips an ask that fails, logging it, and goes on asking', async () => {
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    let asks = 0;
    const watch = watchForStop(
      () => {
        asks += 1;
        if (asks === 1) throw new Error('DynamoDB throttled');
        return asks >= 2;
      },
      { log, everyMs: 5 },
    );
    watch.modelCallStarted();
    await once(watch.signal, 'abort');
    watch.dispose();
    expect(warnings).toEqual(['could not check for a stop request']);
  });

  it('asks one at a time: a slow ask is not overlapped by the next tick', async () => {
    let running = 0;
    let most = 0;
    let asks = 0;
    const watch = watchForStop(
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        return ++asks >= 3;
      },
      { log: silentLogger, everyMs: 2 },
    );
    watch.modelCallStarted();
    await once(watch.signal, 'abort');
    watch.dispose();
    expect(most).toBe(1);
  });

  it('lets a tool that started run to its end: a stop seen between model calls cuts off the next one', async () => {
    const watch = watchForStop(() => true, { log: silentLogger, everyMs: 2 });
    watch.modelCallStarted();
    watch.modelCallEnded();
    await vi.waitFor(() => expect(watch.stopped).toBe(true));
    expect(watch.signal.aborted).toBe(false);
    watch.modelCallStarted();
    expect(watch.signal.aborted).toBe(true);
    watch.dispose();
  });

  it('never aborts after it is disposed', async () => {
    let asks = 0;
    const watch = watchForStop(() => ++asks > 0, { log: silentLogger, everyMs: 1_000 });
    watch.dispose();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(watch.stopped).toBe(false);
    expect(asks).toBe(0);
  });
});
