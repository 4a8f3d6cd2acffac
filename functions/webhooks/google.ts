// Google push notifications: a Lambda function URL on AWS, and the httpApi route POST /webhooks/google locally
// (serverless-offline has no function URLs). Both deliver the v2 payload, so one bound route serves both,
// whatever the route key. Answers in milliseconds: the sync itself runs in the worker.
import { routes } from '../../lib/http/routes/google';
import { bindRoute, routeHandler } from '../../lib/http/handler';
import { receiveNotification } from '../../lib/push/receive-notification';
import { notifications as deps } from '../../lib/wiring/webhook-google';

export const handler = routeHandler(bindRoute(routes.googleWebhook, async ({ headers }) => ({ outcome: await receiveNotification(deps, headers) })));
