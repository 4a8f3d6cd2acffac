// HTTP handlers of /users/me/notifications: the reminders delivered to the caller.
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { routes } from '../../lib/http/routes/notifications';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { notificationDeps } from '../../lib/reminders/notification-deps';
import { listOwnNotifications } from '../../lib/reminders/notifications';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const handler = createRouter([
  bindRoute(routes.listNotifications, ({ userId, query }) => listOwnNotifications(notificationDeps, userId, query)),
]);
