// Routes of the contract: Reminders delivered to you (function notifications).
// lib/http/contract.ts gathers every group for /openapi.json; a handler imports its own group only, so that its
// bundle holds no other feature's schemas.
import { defineRoute } from '../route';
import * as notifications from '../../reminders/schemas';

export const routes = {
  listNotifications: defineRoute({
    method: 'GET', path: '/users/me/notifications', tag: 'notifications', summary: 'Reminders delivered to you, newest first', auth: true,
    query: notifications.notificationListQuery, response: notifications.notificationList,
  }),
};
