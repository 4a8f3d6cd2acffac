// Google push notifications: a Lambda function URL on AWS, and the httpApi route POST /webhooks/google locally
// (serverless-offline has no function URLs). Both deliver the v2 payload, so one bound route serves both,
// whatever the route key. Answers in milliseconds: the sync itself runs in the worker.
import { getConfig } from '../../lib/config';
import { routes } from '../../lib/http/routes/google';
import { bindRoute } from '../../lib/http/handler';
import { createNotificationDeps } from '../../lib/push/notification-deps';
import { receiveNotification } from '../../lib/push/receive-notification';

getConfig();
const deps = createNotificationDeps();

export const handler = bindRoute(routes.googleWebhook, async ({ headers }) => ({ outcome: await receiveNotification(deps, headers) })).handler;
