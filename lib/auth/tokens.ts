// Bearer tokens: HS256 JWTs signed with AUTH_SECRET (jose), with issuer, audience and expiry.
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

export type TokenIssuer = { issue(userId: string): Promise<string> };

export const tokenIssuer: TokenIssuer = {
  async issue(userId) {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${getConfig().AUTH_TOKEN_TTL_SECONDS}s`)
      .sign(await signingKey());
  },
};

/** Returns the user id a token was issued to, or throws Unauthorized saying why not. */
export async function verifyToken(token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new Unauthorized('invalid_token', 'The token names no user');
    return payload.sub;
  } catch (error) {
    if (error instanceof Unauthorized) throw error;
    if (error instanceof errors.JWTExpired) throw new Unauthorized('token_expired', 'The token has expired; log in again');
    throw new Unauthorized('invalid_token', 'The token is not valid');
  }
}
