// HTTP handlers of meetings: /events, /users/{userId}/events and /free-time.
import { routes } from '../../lib/http/routes/meetings';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { findFreeTime, listOccurrences } from '../../lib/meetings/calendar-view';
import { createMeeting, deleteMeeting, getMeeting, respondToMeeting, updateMeeting } from '../../lib/meetings/use-cases';
import { calendar as deps, verifyBearer } from '../../lib/wiring/events';

export const handler = createRouter([
  bindRoute(routes.createEvent, ({ userId, body }) => createMeeting(deps, userId, body)),
  bindRoute(routes.getEvent, ({ userId, params }) => getMeeting(deps, userId, params.eventId)),
  bindRoute(routes.updateEvent, ({ userId, params, query, body }) => updateMeeting(deps, userId, params.eventId, query.occurrence, body)),
  bindRoute(routes.deleteEvent, async ({ userId, params, query }) => {
    await deleteMeeting(deps, userId, params.eventId, query.occurrence);
    return new HttpReply(204, undefined);
  }),
  bindRoute(routes.acceptEvent, ({ userId, params }) => respondToMeeting(deps, userId, params.eventId, 'accepted')),
  bindRoute(routes.declineEvent, ({ userId, params }) => respondToMeeting(deps, userId, params.eventId, 'declined')),
  bindRoute(routes.listUserEvents, ({ userId, params, query }) => listOccurrences(deps, userId, params.userId === 'me' ? userId : params.userId, query)),
  bindRoute(routes.freeTime, ({ query }) => findFreeTime(deps, query)),
], { verifyBearer });
