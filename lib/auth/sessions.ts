// Revocation of bearer tokens. Every user has a session generation (0 until the first logout); a token carries
// the generation it was issued in, and is refused once the user's generation has moved past it (logout, password
// change). The generation is read from the user item and cached per container for at most `cacheMs` (60 s: the
// "within a minute" of a revocation); a token newer than the cached generation makes it read again at once.
import { Unauthorized } from '../domain/errors';

export type SessionGenerations = {
  /** The user's current session generation, or undefined when there is no such user. */
  current(userId: string): Promise<number | undefined>;
};

export type SessionCheckDeps = { generations: SessionGenerations; now: () => number; cacheMs: number };

/** What a verified token says about its session. */
export type SessionClaims = { userId: string; generation: number };

/** The most users one container remembers; past it the cache starts over (a read per user, nothing worse). */
const MAX_CACHED_USERS = 10_000;

/** Returns a check that throws Unauthorized for a token of an ended session (or of a user that does not exist). */
export function createSessionCheck(deps: SessionCheckDeps): (claims: SessionClaims) => Promise<void> {
  const cache = new Map<string, { generation: number; readAtMs: number }>();
  return async ({ userId, generation }) => {
    const nowMs = deps.now();
    let known = cache.get(userId);
    if (!known || nowMs - known.readAtMs >= deps.cacheMs || generation > known.generation) {
      const current = await deps.generations.current(userId);
      if (current === undefined) {
        cache.delete(userId);
        throw new Unauthorized('invalid_token', 'The token names no user');
      }
      if (cache.size >= MAX_CACHED_USERS) cache.clear();
      known = { generation: current, readAtMs: nowMs };
      cache.set(userId, known);
    }
    if (generation < known.generation) throw new Unauthorized('token_revoked', 'This session has ended (logged out or password changed); log in again');
    // Ahead of the generation just read: never issued (only AUTH_SECRET could make it), and a later logout would not end it.
    if (generation > known.generation) throw new Unauthorized('invalid_token', 'The token is not valid');
  };
}
