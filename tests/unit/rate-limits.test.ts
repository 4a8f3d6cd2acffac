// The rate-limit use cases with an in-memory counter and a fake clock: fixed windows, Retry-After, failures-only
// counting of sign-ins checked before any password work, and the order that keeps shared limits for others.
import { RateLimited, Unauthorized } from '../../lib/domain/errors';
import { toErrorResponse } from '../../lib/http/errors';
import type { CounterWindow, LimitName, RateLimitCounter } from '../../lib/limits/ports';
import { limitBooking, limitSignInFailures, take, windowAt, type LimitDeps, type RateLimit } from '../../lib/limits/rate-limits';

function memoryCounter(): RateLimitCounter & { count(name: LimitName, key: string): number } {
  const counts = new Map<string, number>();
  const id = (name: LimitName, key: string, window: CounterWindow) => `${name}|${key}|${window.startMs}`;
  let current: CounterWindow | undefined;
  return {
    async take(name, key, window, limit) {
      current = window;
      const count = counts.get(id(name, key, window)) ?? 0;
      if (count >= limit) return false;
      counts.set(id(name, key, window), count + 1);
      return true;
    },
    async giveBack(name, key, window) {
      const count = counts.get(id(name, key, window)) ?? 0;
      if (count > 0) counts.set(id(name, key, window), count - 1);
    },
    count: (name, key) => (current ? (counts.get(id(name, key, current)) ?? 0) : 0),
  };
}

const limit = (count: number, windowSeconds = 900): RateLimit => ({ limit: count, windowSeconds });
const START = Date.UTC(2030, 0, 1, 10, 0, 0);

function setUp(overrides: Partial<LimitDeps['limits']> = {}) {
  const counter = memoryCounter();
  let nowMs = START;
  const deps: LimitDeps = {
    counter,
    clock: { now: () => new Date(nowMs) },
    limits: {
      'sign-in-failures-per-account': limit(3),
      'sign-in-failures-per-address': limit(5),
      'sign-ups-per-address': limit(2, 3600),
      'bookings-per-address': limit(2, 600),
      'bookings-per-link': limit(4, 600),
      'sync-requests-per-company': limit(2, 600),
      'notifications-per-channel': limit(2, 60),
      ...overrides,
    },
  };
  return { deps, counter, advance: (ms: number) => (nowMs += ms) };
}

it('aligns windows to the epoch in steps of their length', () => {
  expect(windowAt(Date.UTC(2030, 0, 1, 10, 7, 31), 900)).toEqual({ startMs: Date.UTC(2030, 0, 1, 10, 0), endMs: Date.UTC(2030, 0, 1, 10, 15) });
  expect(windowAt(Date.UTC(2030, 0, 1, 10, 15), 900).startMs).toBe(Date.UTC(2030, 0, 1, 10, 15));
});

it('lets `limit` requests through per window, refuses the next with the seconds left of the window, and counts again in the next', async () => {
  const { deps, advance } = setUp();
  advance(100_200); // 10:01:40.2 in the window 10:00-10:15

  await take(deps, 'sync-requests-per-company', 'c1');
  await take(deps, 'sync-requests-per-company', 'c1');
  const refused = await take(deps, 'sync-requests-per-company', 'c1').catch((error) => error);
  const otherKey = await take(deps, 'sync-requests-per-company', 'c2');
  advance(600_000 - 100_200); // 10:10, the next 10-minute window
  const next = await take(deps, 'sync-requests-per-company', 'c1');

  expect(refused).toBeInstanceOf(RateLimited);
  expect(refused).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 500 });
  expect(otherKey.key).toBe('c2');
  expect(next.window.startMs).toBe(START + 600_000);
});

it('answers RateLimited as 429 rate_limited with Retry-After and the error body', () => {
  const { response } = toErrorResponse(new RateLimited('Too many sign-ups from this address; try again in 42 s', 42));

  expect(response.statusCode).toBe(429);
  expect(response.headers['retry-after']).toBe('42');
  expect(JSON.parse(response.body)).toEqual({ error: { code: 'rate_limited', message: 'Too many sign-ups from this address; try again in 42 s' } });
});

describe('sign-in failures', () => {
  const wrongPassword = async () => {
    throw new Unauthorized('invalid_credentials', 'Email or password is wrong');
  };

  it('refuses a locked-out account before any password work: the check (the scrypt stand-in) is never called', async () => {
    const { deps } = setUp();
    let passwordChecks = 0;
    const signIn = async () => {
      passwordChecks += 1;
      return wrongPassword();
    };
    for (let i = 0; i < 3; i++) await expect(limitSignInFailures(deps, { email: 'Ada@Example.com', address: `a${i}` }, signIn)).rejects.toMatchObject({ code: 'invalid_credentials' });

    const refused = await limitSignInFailures(deps, { email: 'ada@example.com ', address: 'a9' }, signIn).catch((error) => error);

    expect(refused).toMatchObject({ code: 'rate_limited' });
    expect(passwordChecks).toBe(3);
  });

  it('counts only failures: right sign-ins and errors that are not a wrong password give their count back', async () => {
    const { deps, counter } = setUp();

    for (let i = 0; i < 20; i++) await limitSignInFailures(deps, { email: 'ada@example.com', address: 'office' }, async () => 'token');
    await expect(limitSignInFailures(deps, { email: 'ada@example.com', address: 'office' }, async () => Promise.reject(new Error('DynamoDB down')))).rejects.toThrow('DynamoDB down');

    expect(counter.count('sign-in-failures-per-account', 'ada@example.com')).toBe(0);
    expect(counter.count('sign-in-failures-per-address', 'office')).toBe(0);
  });

  it('does not count an address refused by its own limit against the account, nor an account refused against the address', async () => {
    const { deps, counter } = setUp();
    for (let i = 0; i < 5; i++) await limitSignInFailures(deps, { email: `u${i}@example.com`, address: 'attacker' }, wrongPassword).catch(() => undefined);

    await expect(limitSignInFailures(deps, { email: 'victim@example.com', address: 'attacker' }, wrongPassword)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(counter.count('sign-in-failures-per-account', 'victim@example.com')).toBe(0);

    for (let i = 0; i < 3; i++) await limitSignInFailures(deps, { email: 'locked@example.com', address: `x${i}` }, wrongPassword).catch(() => undefined);
    await expect(limitSignInFailures(deps, { email: 'locked@example.com', address: 'fresh' }, wrongPassword)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(counter.count('sign-in-failures-per-address', 'fresh')).toBe(0);
  });
});

describe('bookings', () => {
  it('refuses an address over its limit before it touches the link, so a flood uses at most its own share of the link', async () => {
    const { deps, counter } = setUp();
    const flood = await Promise.all(Array.from({ length: 10 }, () => limitBooking(deps, { address: 'flooder', slug: 'ada-call' }).then(() => 'ok', (error) => error.code)));

    expect(flood.filter((outcome) => outcome === 'ok')).toHaveLength(2);
    expect(counter.count('bookings-per-link', 'ada-call')).toBe(2);
    await expect(limitBooking(deps, { address: 'guest', slug: 'ada-call' })).resolves.toBeUndefined();
  });

  it('gives the address its count back when the link refuses', async () => {
    const { deps, counter } = setUp();
    for (const address of ['a', 'b', 'c', 'd']) await limitBooking(deps, { address, slug: 'hot' });

    await expect(limitBooking(deps, { address: 'e', slug: 'hot' })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(counter.count('bookings-per-address', 'e')).toBe(0);
  });
});
