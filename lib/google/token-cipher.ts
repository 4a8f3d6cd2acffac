// Encryption of Google refresh tokens (and PKCE verifiers) at rest: AWS KMS when KMS_KEY_ID is set, otherwise
// AES-256-GCM with TOKEN_ENCRYPTION_KEY. The owning item's id is bound to each ciphertext (GCM additional data,
// KMS encryption context), so a ciphertext copied onto another item does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '../config';
import type { TokenCipher } from '../connections/ports';

const AES_PREFIX = 'aesgcm.v1.';
const KMS_PREFIX = 'kms.v1.';

export function createAesGcmCipher(base64Key: string): TokenCipher {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error('Invalid configuration: TOKEN_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  return {
    async encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${AES_PREFIX}${[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.')}`;
    },
    async decrypt(ciphertext, context) {
      if (!ciphertext.startsWith(AES_PREFIX)) throw new Error('Not an AES-GCM token ciphertext');
      const [iv, tag, body] = ciphertext.slice(AES_PREFIX.length).split('.').map((part) => Buffer.from(part, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}

let kmsClient: KMSClient | undefined;

/** KMS Encrypt/Decrypt with the configured key (tokens are far below KMS's 4 KB plaintext limit). */
export function createKmsCipher(keyId: string, region: string): TokenCipher {
  const kms = () => (kmsClient ??= new KMSClient({ region }));
  const encryptionContext = (context: string) => ({ purpose: 'calendar-hub-google-token', owner: context });
  return {
    async encrypt(plaintext, context) {
      const result = await kms().send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext, 'utf8'), EncryptionContext: encryptionContext(context) }),
      );
      return `${KMS_PREFIX}${Buffer.from(result.CiphertextBlob!).toString('base64url')}`;
    },
    async decrypt(ciphertext, context) {
      if (!ciphertext.startsWith(KMS_PREFIX)) throw new Error('Not a KMS token ciphertext');
      const result = await kms().send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(ciphertext.slice(KMS_PREFIX.length), 'base64url'),
          EncryptionContext: encryptionContext(context),
        }),
      );
      return Buffer.from(result.Plaintext!).toString('utf8');
    },
  };
}

/** KMS on AWS (KMS_KEY_ID), AES-256-GCM locally (TOKEN_ENCRYPTION_KEY); fails naming both when neither is set. */
export function tokenCipherFromConfig(config: Pick<Config, 'KMS_KEY_ID' | 'TOKEN_ENCRYPTION_KEY' | 'AWS_REGION'>): TokenCipher {
  if (config.KMS_KEY_ID) return createKmsCipher(config.KMS_KEY_ID, config.AWS_REGION);
  if (config.TOKEN_ENCRYPTION_KEY) return createAesGcmCipher(config.TOKEN_ENCRYPTION_KEY);
  throw new Error('Invalid configuration: set KMS_KEY_ID (AWS) or TOKEN_ENCRYPTION_KEY (local) to store Google tokens');
}
