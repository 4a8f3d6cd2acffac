// AES-256-GCM encryption of refresh tokens at rest (the local cipher; KMS has no emulator here).
import { randomBytes } from 'node:crypto';
import { createAesGcmCipher, tokenCipherFromConfig } from '../../lib/google/token-cipher';

const key = randomBytes(32).toString('base64');

it('round-trips a token, never shows it in the ciphertext, and uses a fresh IV each time', async () => {
  const cipher = createAesGcmCipher(key);
  const token = '1//0gSecretRefreshToken';
  const [a, b] = [await cipher.encrypt(token, 'conn-1'), await cipher.encrypt(token, 'conn-1')];
  expect(a).not.toContain(token);
  expect(a).not.toBe(b);
  expect(await cipher.decrypt(a, 'conn-1')).toBe(token);
});

it('refuses a ciphertext moved to another item, tampered with, or read with another key', async () => {
  const cipher = createAesGcmCipher(key);
  const sealed = await cipher.encrypt('1//token', 'conn-1');
  const tampered = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.slice(-1)}`;
  await expect(cipher.decrypt(sealed, 'conn-2')).rejects.toThrow();
  await expect(cipher.decrypt(tampered, 'conn-1')).rejects.toThrow();
  await expect(createAesGcmCipher(randomBytes(32).toString('base64')).decrypt(sealed, 'conn-1')).rejects.toThrow();
});

it('names the settings when neither a key nor a KMS key is configured, and rejects a short key', () => {
  expect(() => tokenCipherFromConfig({ AWS_REGION: 'eu-central-1' })).toThrow(/KMS_KEY_ID.*TOKEN_ENCRYPTION_KEY/);
  expect(() => createAesGcmCipher(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
});
