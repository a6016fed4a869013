import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage';

describe('FixedWindowThrottlerStorage', () => {
  const MINUTE = 60_000;

  it('counts a key’s requests in its window, blocks past the limit until the window ends, then starts again', async () => {
    let now = 1_000_000;
    const storage = new FixedWindowThrottlerStorage(() => now);
    const hit = () => storage.increment('key:a', MINUTE, 3, 0, 'default');

    expect((await Promise.all([hit(), hit(), hit()])).map((record) => record.isBlocked)).toEqual([false, false, false]);
    now += 20_000;
    expect(await hit()).toEqual({ totalHits: 4, timeToExpire: 40, isBlocked: true, timeToBlockExpire: 40 });
    expect(await storage.increment('key:b', MINUTE, 3, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    now += 40_000;
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('takes the largest configured limit in one window without throwing (the built-in store threw a RangeError past ~125 000)', async () => {
    const storage = new FixedWindowThrottlerStorage(() => 5_000);
    let last;
    for (let i = 0; i < 200_000; i += 1) last = await storage.increment('key:busy', MINUTE, 1_000_000, 0, 'default');
    expect(last).toEqual({ totalHits: 200_000, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });
});
