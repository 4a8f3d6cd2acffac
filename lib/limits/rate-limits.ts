// Rate limits as the use cases see them: count a request against a limit before any of its work, and refuse it
// with RateLimited (429, Retry-After) when its key has used up the current fixed window. Nothing is counted for
// a refused request, so a client flooding past its limit does not use up a limit it shares with others.
import { RateLimited } from '../domain/errors';
import type { Clock } from '../kernel/clock';
import type { CounterWindow, LimitName, RateLimitCounter } from './ports';

export type RateLimit = { limit: number; windowSeconds: number };

export type LimitDeps = { counter: RateLimitCounter; limits: Record<LimitName, RateLimit>; clock: Clock };

/** One request counted in a window: what giveBack needs to take it back. */
export type Taken = { name: LimitName; key: string; window: CounterWindow };

const REFUSALS: Record<LimitName, string> = {
  'sign-in-failures-per-account': 'Too many failed sign-ins for this account',
  'sign-in-failures-per-address': 'Too many failed sign-ins from this address',
  'sign-ups-per-address': 'Too many sign-ups from this address',
  'bookings-per-address': 'Too many bookings from this address',
  'bookings-per-link': 'Too many bookings on this link',
  'sync-requests-per-company': 'Too many sync requests for this company',
  'notifications-per-channel': 'Too many notifications on this channel',
};

/** The fixed window holding `nowMs`. */
export function windowAt(nowMs: number, windowSeconds: number): CounterWindow {
  const length = windowSeconds * 1000;
  const startMs = Math.floor(nowMs / length) * length;
  return { startMs, endMs: startMs + length };
}

/** Counts one request against the limit, or throws RateLimited (counting nothing) when the window is used up. */
export async function take(deps: LimitDeps, name: LimitName, key: string): Promise<Taken> {
  const { limit, windowSeconds } = deps.limits[name];
  const nowMs = deps.clock.now().getTime();
  const window = windowAt(nowMs, windowSeconds);
  if (await deps.counter.take(name, key, window, limit)) return { name, key, window };
  const retryAfterSeconds = Math.max(1, Math.ceil((window.endMs - nowMs) / 1000));
  throw new RateLimited(`${REFUSALS[name]}; try again in ${retryAfterSeconds} s`, retryAfterSeconds);
}

export async function giveBack(deps: LimitDeps, taken: Taken): Promise<void> {
  await deps.counter.giveBack(taken.name, taken.key, taken.window);
}

/**
 * Takes one from each limit in order and stops at the first one used up, giving back what it took before: a
 * client refused by its own limit (listed first) never counts against a limit it shares with others.
 */
async function takeAll(deps: LimitDeps, wanted: Array<[LimitName, string]>): Promise<Taken[]> {
  const taken: Taken[] = [];
  try {
    for (const [name, key] of wanted) taken.push(await take(deps, name, key));
    return taken;
  } catch (error) {
    await Promise.all(taken.map((one) => giveBack(deps, one)));
    throw error;
  }
}

/**
 * Sign-in: failures are counted per account and per client address. The check comes before the password is
 * hashed (an account or address over its limit costs one conditional write, no scrypt); the attempt is counted up
 * front, so a burst in flight cannot get past the limit, and given back unless it ended as invalid_credentials.
 */
export async function limitSignInFailures<T>(deps: LimitDeps, client: { email: string; address: string }, signIn: () => Promise<T>): Promise<T> {
  const taken = await takeAll(deps, [
    ['sign-in-failures-per-address', client.address],
    ['sign-in-failures-per-account', client.email.trim().toLowerCase()],
  ]);
  // A give-back that fails only leaves one attempt too many counted: it must not turn the answer into a 500.
  const giveAllBack = () => Promise.all(taken.map((one) => giveBack(deps, one).catch(() => undefined)));
  try {
    const result = await signIn();
    await giveAllBack();
    return result;
  } catch (error) {
    if ((error as { code?: string }).code !== 'invalid_credentials') await giveAllBack();
    throw error;
  }
}

/**
 * A booking request counts against its client address first, then against the link: an address over its own
 * limit is refused before it touches the link's count, so one address flooding a link uses at most its own
 * limit of the link's (higher) one and guests from other addresses still book.
 */
export async function limitBooking(deps: LimitDeps, client: { address: string; slug: string }): Promise<void> {
  await takeAll(deps, [
    ['bookings-per-address', client.address],
    ['bookings-per-link', client.slug],
  ]);
}

export async function limitSignUp(deps: LimitDeps, client: { address: string }): Promise<void> {
  await take(deps, 'sign-ups-per-address', client.address);
}

export async function limitSyncRequest(deps: LimitDeps, companyId: string): Promise<void> {
  await take(deps, 'sync-requests-per-company', companyId);
}

export async function limitNotification(deps: LimitDeps, channelId: string): Promise<void> {
  await take(deps, 'notifications-per-channel', channelId);
}
