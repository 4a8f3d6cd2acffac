// Delivered notifications, one partition per user: USER#<userId>#NOTIFICATIONS / <deliveredAt ISO>#<id>, newest read first.
import type { Notification, NotificationRepo } from '../reminders/ports';
import { queryNewestFirst } from './toolkit';

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

export const notificationStore: NotificationRepo = {
  async listForUser(userId, page) {
    const { items, nextCursor } = await queryNewestFirst(notificationKeys.pk(userId), page);
    return { items: items.map(fromItem), ...(nextCursor ? { nextCursor } : {}) };
  },
};
