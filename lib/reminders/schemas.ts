// Request and reply shapes of the notification routes (zod): validation and /openapi.json.
import * as z from 'zod';
import { cursorQuery, limitQuery } from '../kernel/input-shapes';

export const notificationListQuery = z.object({ limit: limitQuery, cursor: cursorQuery });

export const notificationReply = z.object({
  id: z.string(),
  kind: z.literal('reminder'),
  eventId: z.string(),
  title: z.string(),
  start: z.string(),
  end: z.string(),
  minutesBefore: z.number(),
  deliveredAt: z.string(),
});

export const notificationList = z.object({ items: z.array(notificationReply), nextCursor: z.string().optional() });

export type NotificationListQuery = z.infer<typeof notificationListQuery>;
