// HTTP handlers of /event-types: a host's event types (owner only).
import { routes } from '../../lib/http/routes/scheduling';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { createEventType, deleteEventType, getEventType, listEventTypes, updateEventType } from '../../lib/scheduling/event-types';
import { scheduling as deps, verifyBearer } from '../../lib/wiring/event-types';

export const handler = createRouter([
  bindRoute(routes.createEventType, ({ userId, body }) => createEventType(deps, userId, body)),
  bindRoute(routes.listEventTypes, ({ userId, query }) => listEventTypes(deps, userId, query)),
  bindRoute(routes.getEventType, ({ userId, params }) => getEventType(deps, userId, params.eventTypeId)),
  bindRoute(routes.updateEventType, ({ userId, params, body }) => updateEventType(deps, userId, params.eventTypeId, body)),
  bindRoute(routes.deleteEventType, async ({ userId, params }) => {
    await deleteEventType(deps, userId, params.eventTypeId);
    return new HttpReply(204, undefined);
  }),
], { verifyBearer });
