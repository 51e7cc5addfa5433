import { describe, expect, it } from 'vitest';
import { oncePerContainer } from '../../handlers/once-per-container.ts';

describe('oncePerContainer', () => {
  it('starts the work once and hands every later call the same result', async () => {
    let starts = 0;
    const once = oncePerContainer(async (name: string) => `${name} #${++starts}`);
    const [first, second] = await Promise.all([once.get('app'), once.get('other')]);
    expect([first, second, await once.get('third')]).toEqual(['app #1', 'app #1', 'app #1']);
  });

  it('forgets a failed start, so the next call tries again', async () => {
    let starts = 0;
    const once = oncePerContainer(async () => {
      starts += 1;
      if (starts === 1) throw new Error('Secrets Manager unreachable');
      return 'ready';
    });
    await expect(once.get()).rejects.toThrow('Secrets Manager unreachable');
    await expect(once.get()).resolves.toBe('ready');
    await expect(once.get()).resolves.toBe('ready');
    expect(starts).toBe(2);
  });

  it('starts afresh after forget', async () => {
    let starts = 0;
    const once = oncePerContainer(async () => ++starts);
    await once.get();
    once.forget();
    await expect(once.get()).resolves.toBe(2);
  });

  it('keeps the newer attempt when one forgotten while running fails afterwards', async () => {
    const attempts: Array<{ reject: (error: Error) => void; resolve: (value: string) => void }> = [];
    const once = oncePerContainer(() => new Promise<string>((resolve, reject) => attempts.push({ resolve, reject })));
    const first = once.get();
    once.forget();
    const second = once.get();
    attempts[0]!.reject(new Error('the old environment'));
    await expect(first).rejects.toThrow('the old environment');
    attempts[1]!.resolve('new app');
    await expect(second).resolves.toBe('new app');
    expect(once.get()).toBe(second);
    expect(attempts).toHaveLength(2);
  });
});
