// The rate-limit counter against DynamoDB Local: one conditional UpdateItem per request, exact under a burst,
// one item per key and window that expires with its window, keys stored only hashed.
import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { windowAt } from '../../lib/limits/rate-limits';
import { dynamo, tableName } from '../../lib/store/client';
import { rateLimitKeys, rateLimitStore } from '../../lib/store/rate-limit-store';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

const window = windowAt(Date.UTC(2030, 4, 6, 10, 7), 900);
const freshKey = () => `198.51.100.${randomBytes(4).toString('hex')}`;
const itemOf = async (key: string, at = window) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: rateLimitKeys.pk('sign-ups-per-address', key), sk: rateLimitKeys.sk(at) }, ConsistentRead: true }))).Item;

it('counts up to the limit and then refuses without writing, in one item that expires at the end of its window', async () => {
  const key = freshKey();

  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await rateLimitStore.take('sign-ups-per-address', key, window, 3));

  expect(answers).toEqual([true, true, true, false]);
  const item = await itemOf(key);
  expect(item).toMatchObject({ type: 'RateLimitCount', count: 3, version: 3, expiresAt: Math.ceil(window.endMs / 1000) });
  expect(item!.sk).toBe('2030-05-06T10:00:00.000Z');
  expect(JSON.stringify(item)).not.toContain(key);
});

it('lets exactly `limit` of a concurrent burst through', async () => {
  const key = freshKey();

  const answers = await Promise.all(Array.from({ length: 60 }, () => rateLimitStore.take('sign-ups-per-address', key, window, 10)));

  expect(answers.filter(Boolean)).toHaveLength(10);
  expect((await itemOf(key))!.count).toBe(10);
});

it('counts each window and each limit apart', async () => {
  const key = freshKey();
  const next = windowAt(window.endMs, 900);

  expect(await rateLimitStore.take('sign-ups-per-address', key, window, 1)).toBe(true);
  expect(await rateLimitStore.take('sign-ups-per-address', key, window, 1)).toBe(false);
  expect(await rateLimitStore.take('sign-ups-per-address', key, next, 1)).toBe(true);
  expect(await rateLimitStore.take('bookings-per-address', key, window, 1)).toBe(true);
});

it('gives one back, never below zero, and never creates an item to give back to', async () => {
  const key = freshKey();
  await rateLimitStore.take('sign-ups-per-address', key, window, 5);

  await rateLimitStore.giveBack('sign-ups-per-address', key, window);
  await rateLimitStore.giveBack('sign-ups-per-address', key, window);
  await rateLimitStore.giveBack('sign-ups-per-address', freshKey(), window);

  expect((await itemOf(key))!.count).toBe(0);
});
