// The bearer check every authenticated route (and a host's bearer on a booking) goes through, wired: a valid,
// unexpired token (lib/auth/tokens.ts) of a session that has not ended (lib/auth/sessions.ts, the user's generation read from the table).
import { getConfig } from '../../config';
import { userSessionStore } from '../../store/user-store';
import { createSessionCheck } from '../../auth/sessions';
import { readToken } from '../../auth/tokens';

let check: ReturnType<typeof createSessionCheck> | undefined;

/** Returns the user id of a token, or throws Unauthorized saying why not (invalid, expired, revoked). */
export async function verifyToken(token: string): Promise<string> {
  const claims = await readToken(token);
  check ??= createSessionCheck({ generations: userSessionStore, now: Date.now, cacheMs: getConfig().SESSION_CACHE_SECONDS * 1000 });
  await check(claims);
  return claims.userId;
}
