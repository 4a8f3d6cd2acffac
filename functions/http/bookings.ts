// HTTP handlers of /bookings: the host's list, and a booking's invitation, cancellation and rescheduling (cancel token or
// host bearer token).
import { routes } from '../../lib/http/routes/scheduling';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { cancelBooking, getInvitation, listBookings } from '../../lib/scheduling/booking-use-cases';
import { rescheduleBooking } from '../../lib/scheduling/reschedule-booking';
import { scheduling as deps, verifyBearer } from '../../lib/wiring/bookings';

export const handler = createRouter([
  bindRoute(routes.listBookings, ({ userId, query }) => listBookings(deps, userId, query)),
  bindRoute(routes.getBookingInvitation, async ({ params, query, headers }) => {
    const ics = await getInvitation(deps, params.bookingId, { token: query.token, authorization: headers.authorization });
    return new HttpReply(200, ics, { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'attachment; filename="invite.ics"' });
  }),
  bindRoute(routes.cancelBooking, ({ params, query, headers }) => cancelBooking(deps, params.bookingId, { token: query.token, authorization: headers.authorization })),
  bindRoute(routes.rescheduleBooking, ({ params, query, headers, body }) =>
    rescheduleBooking(deps, params.bookingId, { token: query.token, authorization: headers.authorization }, body)),
], { verifyBearer });
