// HTTP handlers of the public booking link /book/{slug}: description, slots, booking (no sign-in).
import { routes } from '../../lib/http/routes/scheduling';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { limitBooking } from '../../lib/limits/rate-limits';
import { bookSlot, listSlots } from '../../lib/scheduling/book-slot';
import { describeBookingPage } from '../../lib/scheduling/event-types';
import { limits, scheduling as deps } from '../../lib/wiring/book';

export const handler = createRouter([
  bindRoute(routes.getBookingPage, ({ params }) => describeBookingPage(deps, params.slug)),
  bindRoute(routes.listSlots, ({ params, query }) => listSlots(deps, params.slug, query)),
  bindRoute(routes.createBooking, async ({ params, body, headers, sourceIp }) => {
    await limitBooking(limits, { address: sourceIp, slug: params.slug });
    const { reply, replayed } = await bookSlot(deps, params.slug, body, headers['idempotency-key']);
    return new HttpReply(201, reply, replayed ? { 'idempotent-replayed': 'true' } : {});
  }),
]);
