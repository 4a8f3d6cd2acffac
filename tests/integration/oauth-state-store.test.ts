// OAuth states against DynamoDB Local: one use only (with the binding hash it was stored with), none after expiry,
// and a TTL attribute for the leftovers.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { dynamo, tableName } from '../../lib/store/client';
import { oauthStateKeys, oauthStateStore } from '../../lib/store/oauth-state-store';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

const aState = (expiresAtMs: number) => ({ stateHash: `h-${ulid()}`, userId: 'u1', encryptedCodeVerifier: 'aesgcm.v1.x', expiresAtMs, bindingHash: `b-${ulid()}` });

it('gives a state back once, then never again, even to 10 concurrent callbacks', async () => {
  const state = aState(Date.now() + 600_000);
  await oauthStateStore.put(state);
  const stored = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: oauthStateKeys.pk(state.stateHash), sk: oauthStateKeys.sk() } }));

  const results = await Promise.all(Array.from({ length: 10 }, () => oauthStateStore.consume(state.stateHash, Date.now())));

  expect(stored.Item?.expiresAt).toBe(Math.ceil(state.expiresAtMs / 1000));
  expect(results.filter(Boolean)).toEqual([state]);
});

it('refuses an expired state that the TTL has not removed yet, and an unknown one', async () => {
  const state = aState(Date.now() - 1);
  await oauthStateStore.put(state);
  expect(await oauthStateStore.consume(state.stateHash, Date.now())).toBeUndefined();
  expect(await oauthStateStore.consume(`h-${ulid()}`, Date.now())).toBeUndefined();
});

it('never overwrites a pending state', async () => {
  const state = aState(Date.now() + 600_000);
  await oauthStateStore.put(state);
  await expect(oauthStateStore.put({ ...state, userId: 'someone-else' })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  expect((await oauthStateStore.consume(state.stateHash, Date.now()))?.userId).toBe('u1');
});
