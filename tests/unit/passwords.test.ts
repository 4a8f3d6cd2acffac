// Password hashing parameters: the default cost is OWASP's minimum (scrypt N = 2^17, r = 8, p = 1), each hash
// records its parameters, and a hash of an older cost still verifies and is due for a rehash.
import { createPasswordHasher, OWASP_SCRYPT_COST, passwordHasher } from '../../lib/auth/passwords';
import { getConfig, parseConfig } from '../../lib/config';

// Hashes at N = 2^17 take several hundred ms each on a loaded machine.
jest.setTimeout(60_000);

describe('the configured cost', () => {
  // Set before anything reads the configuration (jest gives each test file its own modules and environment).
  process.env = { TABLE_NAME: 'calendar-hub-unit', AUTH_SECRET: 'x'.repeat(32) };

  it('defaults to OWASP\'s minimum, N = 2^17, and the default hasher hashes with it', async () => {
    expect(OWASP_SCRYPT_COST).toBe(17);
    expect(getConfig().PASSWORD_HASH_COST).toBe(17);
    const hash = await passwordHasher.hash('correct horse battery');
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
    await expect(passwordHasher.verify('correct horse battery', hash)).resolves.toBe(true);
  });

  it('refuses a cost below the old one (2^14) or a session cache over 60 s', () => {
    const base = { TABLE_NAME: 'calendar-hub-unit', AUTH_SECRET: 'x'.repeat(32) };
    expect(() => parseConfig({ ...base, PASSWORD_HASH_COST: '12' })).toThrow(/PASSWORD_HASH_COST/);
    expect(() => parseConfig({ ...base, SESSION_CACHE_SECONDS: '61' })).toThrow(/SESSION_CACHE_SECONDS/);
  });
});

describe('hashes of another cost', () => {
  it('verifies a legacy hash (N = 2^14) and says it needs a rehash; a current one does not', async () => {
    const legacy = await createPasswordHasher(14).hash('correct horse battery');
    const current = createPasswordHasher(15);
    const fresh = await current.hash('correct horse battery');

    expect(legacy.startsWith('scrypt$16384$8$1$')).toBe(true);
    await expect(current.verify('correct horse battery', legacy)).resolves.toBe(true);
    await expect(current.verify('wrong', legacy)).resolves.toBe(false);
    expect(current.needsRehash(legacy)).toBe(true);
    expect(current.needsRehash(fresh)).toBe(false);
  });

  it('refuses a stored hash whose cost would exhaust memory instead of computing it', async () => {
    const hasher = createPasswordHasher(14);
    const hash = await hasher.hash('pw-pw-pw-pw');
    const absurd = hash.replace('scrypt$16384$', `scrypt$${2 ** 24}$`);
    await expect(hasher.verify('pw-pw-pw-pw', absurd)).resolves.toBe(false);
  });
});
