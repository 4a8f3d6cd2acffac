// HTTP handlers of /event-types: a host's event types (owner only).
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { routes } from '../../lib/http/routes/scheduling';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { schedulingDeps as deps } from '../../lib/scheduling/deps';
import { createEventType, deleteEventType, getEventType, listEventTypes, updateEventType } from '../../lib/scheduling/event-types';

getConfig();
loadSecrets(['AUTH_SECRET']);

export const handler = createRouter([
  bindRoute(routes.createEventType, ({ userId, body }) => createEventType(deps, userId, body)),
  bindRoute(routes.listEventTypes, ({ userId, query }) => listEventTypes(deps, userId, query)),
  bindRoute(routes.getEventType, ({ userId, params }) => getEventType(deps, userId, params.eventTypeId)),
  bindRoute(routes.updateEventType, ({ userId, params, body }) => updateEventType(deps, userId, params.eventTypeId, body)),
  bindRoute(routes.deleteEventType, async ({ userId, params }) => {
    await deleteEventType(deps, userId, params.eventTypeId);
    return new HttpReply(204, undefined);
  }),
]);
