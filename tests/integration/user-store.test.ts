// The user store against DynamoDB Local: the email claim and the user are one transaction.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { EmailTaken, Conflict } from '../../lib/domain/errors';
import { dynamo, tableName } from '../../lib/store/client';
import { emailKeys, userKeys, userStore } from '../../lib/store/user-store';
import type { User } from '../../lib/users/user';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

function aUser(email: string): User {
  const now = new Date().toISOString();
  return { id: ulid(), name: 'N', email, passwordHash: 'scrypt$x', timeZone: 'UTC', workingHours: {}, reminderMinutes: [], createdAt: now, updatedAt: now, version: 1 };
}

it('writes nothing of the second user when the email is already claimed', async () => {
  const email = `claim.${ulid()}@example.test`;
  await userStore.create(aUser(email));
  const loser = aUser(email.toUpperCase());
  await expect(userStore.create(loser)).rejects.toBeInstanceOf(EmailTaken);
  const stored = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: userKeys.pk(loser.id), sk: userKeys.sk() } }));
  expect(stored.Item).toBeUndefined();
  const claim = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: emailKeys.pk(email), sk: emailKeys.sk() } }));
  expect(claim.Item?.type).toBe('EmailClaim');
});

it('gives exactly one winner among 20 concurrent creates with one email', async () => {
  const email = `race.${ulid()}@example.test`;
  const results = await Promise.allSettled(Array.from({ length: 20 }, () => userStore.create(aUser(email))));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(rejected.every((r) => r.reason instanceof EmailTaken)).toBe(true);
  expect((await userStore.findByEmail(email))?.email).toBe(email);
});

it('updates only at the expected version (optimistic locking)', async () => {
  const user = aUser(`ver.${ulid()}@example.test`);
  await userStore.create(user);
  const updated = await userStore.update(user.id, { name: 'Changed' }, 1);
  expect(updated).toMatchObject({ name: 'Changed', version: 2 });
  await expect(userStore.update(user.id, { name: 'Stale' }, 1)).rejects.toBeInstanceOf(Conflict);
  expect((await userStore.get(user.id))?.name).toBe('Changed');
});

it('reads many users in one call, skipping unknown ids', async () => {
  const users = [aUser(`m1.${ulid()}@example.test`), aUser(`m2.${ulid()}@example.test`)];
  for (const user of users) await userStore.create(user);
  const found = await userStore.getMany([users[0].id, 'UNKNOWN', users[1].id, users[0].id]);
  expect(found.map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
});
