// Password hashing with scrypt (node:crypto): salted, slow, compared in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
}

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string | undefined): Promise<boolean>;
};

// A hash of a random password, compared when the account does not exist, so that a login for an
// unknown email costs as much time as one for a known email.
let decoy: Promise<string> | undefined;

export const passwordHasher: PasswordHasher = {
  async hash(password) {
    const salt = randomBytes(16);
    const derived = await derive(password, salt, PARAMS);
    return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${derived.toString('base64')}`;
  },
  async verify(password, stored) {
    if (stored === undefined) {
      decoy ??= this.hash(randomBytes(16).toString('hex'));
      await this.verify(password, await decoy);
      return false;
    }
    const [scheme, n, r, p, salt, expected] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !expected) return false;
    const derived = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
    const expectedBytes = Buffer.from(expected, 'base64');
    return derived.length === expectedBytes.length && timingSafeEqual(derived, expectedBytes);
  },
};
