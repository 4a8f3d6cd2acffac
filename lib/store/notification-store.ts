// Delivered notifications, one partition per user: USER#<userId>#NOTIFICATIONS / <deliveredAt ISO>#<id>, newest read first.
import type { Notification, NotificationRepo } from '../reminders/ports';
import { entity, queryNewestFirst } from './toolkit';

/** Notifications are kept this long, then DynamoDB's TTL removes them. */
export const NOTIFICATION_RETENTION_DAYS = 90;

export const notificationKeys = {
  pk: (userId: string) => `USER#${userId}#NOTIFICATIONS`,
  sk: (deliveredAt: string, notificationId: string) => `${deliveredAt}#${notificationId}`,
};

/** A delivered notification; written by the reminder store's delivery transaction, read here. */
export const notificationEntity = entity<Notification>({
  type: 'Notification',
  key: (notification) => ({ pk: notificationKeys.pk(notification.userId), sk: notificationKeys.sk(notification.deliveredAt, notification.id) }),
  attributes: (notification) => ({
    ...notification,
    expiresAt: Math.floor(Date.parse(notification.deliveredAt) / 1000) + NOTIFICATION_RETENTION_DAYS * 86_400,
    version: 1,
  }),
  derived: ['expiresAt', 'version'],
});

export const notificationStore: NotificationRepo = {
  async listForUser(userId, page) {
    const { items, nextCursor } = await queryNewestFirst(notificationKeys.pk(userId), page);
    return { items: items.map(notificationEntity.fromItem), ...(nextCursor ? { nextCursor } : {}) };
  },
};
