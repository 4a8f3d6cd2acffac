// Delivered notifications, one partition per user: USER#<userId>#NOTIFICATIONS / <deliveredAt ISO>#<id>, newest read first.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInput } from '../domain/errors';
import type { Notification, NotificationRepo } from '../reminders/ports';
import { dynamo, tableName } from './client';

/** Notifications are kept this long, then DynamoDB's TTL removes them. */
export const NOTIFICATION_RETENTION_DAYS = 90;

export const notificationKeys = {
  pk: (userId: string) => `USER#${userId}#NOTIFICATIONS`,
  sk: (deliveredAt: string, notificationId: string) => `${deliveredAt}#${notificationId}`,
};

export function notificationItem(notification: Notification) {
  return {
    pk: notificationKeys.pk(notification.userId),
    sk: notificationKeys.sk(notification.deliveredAt, notification.id),
    type: 'Notification',
    ...notification,
    expiresAt: Math.floor(Date.parse(notification.deliveredAt) / 1000) + NOTIFICATION_RETENTION_DAYS * 86_400,
    version: 1,
  };
}

function fromItem(item: Record<string, unknown>): Notification {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, version: _version, ...notification } = item;
  return notification as Notification;
}

// The cursor is the sort key of the last item returned; the partition is always the caller's own.
function encodeCursor(sk: string): string {
  return Buffer.from(JSON.stringify({ sk })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const { sk } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof sk === 'string' && sk.length > 0 && sk.length <= 200) return sk;
  } catch {
    // fall through
  }
  throw new InvalidInput('The cursor is not one this API returned', [{ field: 'cursor', message: 'Pass back nextCursor unchanged' }]);
}

export const notificationStore: NotificationRepo = {
  async listForUser(userId, { limit, cursor }) {
    const pk = notificationKeys.pk(userId);
    // One more than asked tells whether there is a next page without a second round trip.
    const result = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit + 1,
        ...(cursor ? { ExclusiveStartKey: { pk, sk: decodeCursor(cursor) } } : {}),
      }),
    );
    const items = (result.Items ?? []).slice(0, limit).map(fromItem);
    const more = (result.Items ?? []).length > limit;
    return more ? { items, nextCursor: encodeCursor(notificationKeys.sk(items[items.length - 1].deliveredAt, items[items.length - 1].id)) } : { items };
  },
};
