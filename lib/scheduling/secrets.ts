// Booking secrets: the cancel token (32 random bytes, stored only as a SHA-256 hash, compared in constant
// time) and the idempotency key (stored hashed; it also seals the cancel token for a replayed reply).
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newCancelToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashCancelToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function cancelTokenMatches(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashCancelToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** What the table keeps of an idempotency key: its hash, so the key stays a secret of the client. */
export function hashIdempotencyKey(key: string): string {
  return createHash('sha256').update(`idempotency-key\u0000${key}`, 'utf8').digest('base64url');
}

function sealingKey(idempotencyKey: string): Buffer {
  return createHash('sha256').update(`idempotency-seal\u0000${idempotencyKey}`, 'utf8').digest();
}

/**
 * Encrypts the cancel token with a key derived from the idempotency key (AES-256-GCM), so a retried request
 * can get the same reply back while the table alone cannot reveal the token.
 */
export function sealWithIdempotencyKey(idempotencyKey: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(idempotencyKey), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function unsealWithIdempotencyKey(idempotencyKey: string, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(idempotencyKey), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}

/** Identifies the request an idempotency key was first used with (book-slot.ts passes the whole normalized body). */
export function requestFingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('base64url');
}
