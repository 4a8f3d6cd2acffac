// Bearer tokens: HS256 JWTs signed with AUTH_SECRET (jose), with issuer, audience, expiry and the session generation
// they belong to (`gen`; revocation is checked in bearer.ts).
import { SignJWT, jwtVerify, errors } from 'jose';
import { getConfig } from '../config';
import { Unauthorized } from '../domain/errors';
import { secret, secretsReady } from '../secrets';

const ISSUER = 'calendar-hub';
const AUDIENCE = 'calendar-hub-api';

let key: Uint8Array | undefined;
/** AUTH_SECRET, read at cold start (lib/secrets.ts: the environment locally, SSM on AWS). */
async function signingKey(): Promise<Uint8Array> {
  if (key) return key;
  await secretsReady();
  key = new TextEncoder().encode(secret('AUTH_SECRET'));
  return key;
}

export type TokenIssuer = {
  /** A token of the user's session generation `generation` (0 until their first logout or password change). */
  issue(userId: string, generation: number): Promise<string>;
};

export const tokenIssuer: TokenIssuer = {
  async issue(userId, generation) {
    return new SignJWT({ gen: generation })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${getConfig().AUTH_TOKEN_TTL_SECONDS}s`)
      .sign(await signingKey());
  },
};

/**
 * The user and session generation of a well-signed, unexpired token, or Unauthorized saying why not. Whether the
 * session has ended is not known here: callers go through verifyToken (bearer.ts).
 */
export async function readToken(token: string): Promise<{ userId: string; generation: number }> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new Unauthorized('invalid_token', 'The token names no user');
    // Tokens issued before generations existed carry none: they belong to generation 0.
    const generation = payload.gen === undefined ? 0 : payload.gen;
    if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 0) throw new Unauthorized('invalid_token', 'The token is not valid');
    return { userId: payload.sub, generation };
  } catch (error) {
    if (error instanceof Unauthorized) throw error;
    if (error instanceof errors.JWTExpired) throw new Unauthorized('token_expired', 'The token has expired; log in again');
    throw new Unauthorized('invalid_token', 'The token is not valid');
  }
}
