// Rate-limit counters: one item per (limit, key, fixed window), LIMIT#<limit>#<sha-256 of the key>/<window start>.
// Counting is one conditional UpdateItem (ADD, refused once the count has reached the limit), so every Lambda
// instance sees the same count; the item expires (TTL expiresAt) when its window ends. Keys are hashed so that no
// email or client address is stored in the clear and no key can break the key template.
import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CounterWindow, LimitName, RateLimitCounter } from '../limits/ports';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';

export const rateLimitKeys = {
  pk: (name: LimitName, key: string) => `LIMIT#${name}#${createHash('sha256').update(key).digest('base64url')}`,
  sk: (window: CounterWindow) => new Date(window.startMs).toISOString(),
};

export const rateLimitStore: RateLimitCounter = {
  async take(name, key, window, limit) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: rateLimitKeys.pk(name, key), sk: rateLimitKeys.sk(window) },
          UpdateExpression: 'ADD #count :one, version :one SET #type = :type, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':type': 'RateLimitCount', ':expiresAt': Math.ceil(window.endMs / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async giveBack(name, key, window) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: rateLimitKeys.pk(name, key), sk: rateLimitKeys.sk(window) },
          UpdateExpression: 'ADD #count :minusOne, version :one',
          // Never creates an item or goes below zero (an expired and deleted window has nothing to give back).
          ConditionExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minusOne': -1, ':one': 1, ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },
};
