// Password hashing with scrypt (node:crypto): salted, slow, compared in constant time. A stored hash names its
// parameters (`scrypt$N$r$p$salt$hash`), so hashes made at an older cost still verify and are recognised as due
// for a rehash (done on the next successful sign-in).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { getConfig } from '../config';

/** OWASP's minimum for scrypt (Password Storage Cheat Sheet): N = 2^17, r = 8, p = 1. PASSWORD_HASH_COST is log2(N). */
export const OWASP_SCRYPT_COST = 17;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
/** Stored hashes above this cost are refused rather than computed (2^20 would need 1 GiB). */
const MAX_COST = 20;

function derive(password: string, salt: Buffer, options: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>>): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes (128 MiB at N = 2^17, r = 8); node refuses anything above maxmem (32 MiB by default).
  const maxmem = 2 * 128 * options.N * options.r;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, derived) => (error ? reject(error) : resolve(derived)));
  });
}

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string | undefined): Promise<boolean>;
  /** True when the stored hash was made with weaker parameters than this hasher uses (rehash it on sign-in). */
  needsRehash(stored: string): boolean;
};

function parse(stored: string) {
  const [scheme, n, r, p, salt, expected] = stored.split('$');
  const N = Number(n);
  const params = { N, r: Number(r), p: Number(p) };
  const valid =
    scheme === 'scrypt' && Boolean(salt) && Boolean(expected) && Number.isInteger(Math.log2(N)) && Math.log2(N) >= 1 && Math.log2(N) <= MAX_COST &&
    Number.isInteger(params.r) && params.r >= 1 && params.r <= 32 && Number.isInteger(params.p) && params.p >= 1 && params.p <= 16;
  return valid ? { params, salt: Buffer.from(salt, 'base64'), expected: Buffer.from(expected, 'base64') } : undefined;
}

/** A hasher at cost log2(N) = `cost`, r = 8, p = 1. */
export function createPasswordHasher(cost: number): PasswordHasher {
  const params = { N: 2 ** cost, r: BLOCK_SIZE, p: PARALLELISM };
  // A hash of a random password, compared when the account does not exist, so that a login for an unknown email
  // costs as much time as one for a known email.
  let decoy: Promise<string> | undefined;
  const hasher: PasswordHasher = {
    async hash(password) {
      const salt = randomBytes(16);
      const derived = await derive(password, salt, params);
      return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${derived.toString('base64')}`;
    },
    async verify(password, stored) {
      if (stored === undefined) {
        decoy ??= hasher.hash(randomBytes(16).toString('hex'));
        await hasher.verify(password, await decoy);
        return false;
      }
      const parsed = parse(stored);
      if (!parsed) return false;
      const derived = await derive(password, parsed.salt, parsed.params);
      return derived.length === parsed.expected.length && timingSafeEqual(derived, parsed.expected);
    },
    needsRehash(stored) {
      const parsed = parse(stored);
      return !parsed || parsed.params.N < params.N || parsed.params.r < params.r;
    },
  };
  return hasher;
}

let configured: PasswordHasher | undefined;
const fromConfig = () => (configured ??= createPasswordHasher(getConfig().PASSWORD_HASH_COST));

/** The hasher at the configured cost (PASSWORD_HASH_COST, default OWASP_SCRYPT_COST). */
export const passwordHasher: PasswordHasher = {
  hash: (password) => fromConfig().hash(password),
  verify: (password, stored) => fromConfig().verify(password, stored),
  needsRehash: (stored) => fromConfig().needsRehash(stored),
};
