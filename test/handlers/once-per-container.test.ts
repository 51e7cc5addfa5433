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
});
