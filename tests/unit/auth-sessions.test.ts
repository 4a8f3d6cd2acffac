// The session check's per-container cache (fake clock, fake generations): a revocation is seen within the cache
// time at most, a token newer than the cache is checked at once, a missing user's token is refused.
import { createSessionCheck, type SessionGenerations } from '../../lib/auth/sessions';

function setUp(cacheMs = 60_000) {
  const generations = new Map<string, number>([['ada', 0]]);
  let reads = 0;
  let nowMs = 1_000_000;
  const store: SessionGenerations = {
    current: async (userId) => {
      reads += 1;
      return generations.get(userId);
    },
  };
  const check = createSessionCheck({ generations: store, now: () => nowMs, cacheMs });
  return { check, generations, advance: (ms: number) => (nowMs += ms), reads: () => reads };
}

it('refuses a token of an ended session within the cache time at most (60 s)', async () => {
  const { check, generations, advance, reads } = setUp();
  await check({ userId: 'ada', generation: 0 });

  generations.set('ada', 1);
  advance(59_999);
  await expect(check({ userId: 'ada', generation: 0 })).resolves.toBeUndefined();
  advance(1);
  await expect(check({ userId: 'ada', generation: 0 })).rejects.toMatchObject({ code: 'token_revoked' });
  expect(reads()).toBe(2);
});

it('reads the generation once per cache time, not per request', async () => {
  const { check, reads } = setUp();
  for (let i = 0; i < 5; i++) await check({ userId: 'ada', generation: 0 });
  expect(reads()).toBe(1);
});

it('accepts a token of the new session at once, even while an older generation is cached', async () => {
  const { check, generations } = setUp();
  await check({ userId: 'ada', generation: 0 });

  generations.set('ada', 1);

  await expect(check({ userId: 'ada', generation: 1 })).resolves.toBeUndefined();
  await expect(check({ userId: 'ada', generation: 0 })).rejects.toMatchObject({ code: 'token_revoked' });
});

it('refuses a token whose generation is ahead of the stored one, and a token of a user that does not exist', async () => {
  const { check } = setUp();
  await expect(check({ userId: 'ada', generation: 2 })).rejects.toMatchObject({ code: 'invalid_token' });
  await expect(check({ userId: 'nobody', generation: 0 })).rejects.toMatchObject({ code: 'invalid_token' });
});

it('reads on every request when the cache time is 0 (the test stack)', async () => {
  const { check, generations, reads } = setUp(0);
  await check({ userId: 'ada', generation: 0 });
  generations.set('ada', 1);
  await expect(check({ userId: 'ada', generation: 0 })).rejects.toMatchObject({ code: 'token_revoked' });
  expect(reads()).toBe(2);
});
