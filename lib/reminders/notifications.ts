// Reading one's delivered notifications (reminders), newest first.
import type { NotificationRepo } from './ports';
import type { NotificationListQuery } from './schemas';

export type NotificationDeps = { notifications: NotificationRepo };

export async function listOwnNotifications(deps: NotificationDeps, userId: string, query: NotificationListQuery) {
  const page = await deps.notifications.listForUser(userId, { limit: query.limit, cursor: query.cursor });
  return {
    // Built field by field: a stable order, and nothing stored beyond the contract (the owner's id) leaks out.
    items: page.items.map((n) => ({ id: n.id, kind: n.kind, eventId: n.eventId, title: n.title, start: n.start, end: n.end, minutesBefore: n.minutesBefore, deliveredAt: n.deliveredAt })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
