// Hashes stored at the old scrypt cost (N = 2^14) are replaced at the current one on the next successful sign-in,
// against DynamoDB Local: a user seeded with a legacy hash signs in through the use case, and the item is read back.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createPasswordHasher, OWASP_SCRYPT_COST } from '../../lib/auth/passwords';
import { tokenIssuer } from '../../lib/auth/tokens';
import { dynamo, tableName } from '../../lib/store/client';
import { credentialStore, userKeys, userStore } from '../../lib/store/user-store';
import { systemClock } from '../../lib/kernel/clock';
import { logIn, type UserDeps } from '../../lib/users/use-cases';
import type { User } from '../../lib/users/user';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);
// Two hashes at N = 2^17 (several hundred ms each on a loaded machine).
jest.setTimeout(60_000);

const PASSWORD = 'correct horse battery';
const LEGACY_COST = 14;
const deps: UserDeps = { users: userStore, credentials: credentialStore, passwords: createPasswordHasher(OWASP_SCRYPT_COST), tokens: tokenIssuer, clock: systemClock };

async function seedLegacyUser(): Promise<User> {
  const now = new Date().toISOString();
  const user: User = {
    id: ulid(),
    name: 'Legacy',
    email: `legacy.${ulid().toLowerCase()}@example.test`,
    passwordHash: await createPasswordHasher(LEGACY_COST).hash(PASSWORD),
    timeZone: 'UTC',
    workingHours: {},
    reminderMinutes: [10],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await userStore.create(user);
  return user;
}

const storedHash = async (userId: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: userKeys.pk(userId), sk: userKeys.sk() }, ConsistentRead: true }))).Item?.passwordHash as string;

it('rehashes a legacy hash at N = 2^17 on a successful sign-in, and signs in with the new hash after', async () => {
  const user = await seedLegacyUser();

  const first = await logIn(deps, { email: user.email, password: PASSWORD });
  const rehashed = await storedHash(user.id);
  const second = await logIn(deps, { email: user.email, password: PASSWORD });

  expect(user.passwordHash.startsWith('scrypt$16384$8$1$')).toBe(true);
  expect(first.userId).toBe(user.id);
  expect(rehashed.startsWith('scrypt$131072$8$1$')).toBe(true);
  expect(second.userId).toBe(user.id);
  expect(await storedHash(user.id)).toBe(rehashed);
});

it('keeps the legacy hash when the password is wrong', async () => {
  const user = await seedLegacyUser();

  await expect(logIn(deps, { email: user.email, password: 'not the password' })).rejects.toMatchObject({ code: 'invalid_credentials' });

  expect(await storedHash(user.id)).toBe(user.passwordHash);
});
