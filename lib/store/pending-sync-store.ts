// The pending-sync flag of a company (COMPANY#<companyId>/SYNCPENDING): put with a condition when a sync message is
// queued, so that a burst of requests or push notifications queues one message; deleted when a worker starts that
// company's sync, so that a request arriving while it runs queues the next one. `pendingUntil` lets a flag whose
// message was lost lapse (the condition reads it; expiresAt, the TTL, only cleans up later).
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingSyncRepo } from '../sync/ports';
import { dynamo, tableName } from './client';
import { companyKeys } from './company-store';
import { isConditionalCheckFailed } from './errors';

export const pendingSyncKeys = {
  pk: (companyId: string) => companyKeys.pk(companyId),
  sk: () => 'SYNCPENDING',
};

export const pendingSyncStore: PendingSyncRepo = {
  async mark(companyId, untilMs, nowMs) {
    try {
      await dynamo().send(
        new PutCommand({
          TableName: tableName(),
          Item: { pk: pendingSyncKeys.pk(companyId), sk: pendingSyncKeys.sk(), type: 'PendingSync', companyId, pendingUntil: untilMs, expiresAt: Math.ceil(untilMs / 1000) + 3600, version: 1 },
          ConditionExpression: 'attribute_not_exists(pk) OR pendingUntil < :now',
          ExpressionAttributeValues: { ':now': nowMs },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async clear(companyId) {
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: { pk: pendingSyncKeys.pk(companyId), sk: pendingSyncKeys.sk() } }));
  },
};
