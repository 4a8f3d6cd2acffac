// HTTP handlers of /users/me/notifications: the reminders delivered to the caller.
import { routes } from '../../lib/http/routes/notifications';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { listOwnNotifications } from '../../lib/reminders/notifications';
import { notifications, verifyBearer } from '../../lib/wiring/notifications';

export const handler = createRouter([
  bindRoute(routes.listNotifications, ({ userId, query }) => listOwnNotifications(notifications, userId, query)),
], { verifyBearer });
