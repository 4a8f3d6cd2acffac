// HTTP handlers of the public booking link /book/{slug}: description, slots, booking (no sign-in).
import { getConfig } from '../../lib/config';
import { routes } from '../../lib/http/routes/scheduling';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { limitDeps } from '../../lib/limits/deps';
import { limitBooking } from '../../lib/limits/rate-limits';
import { bookSlot, listSlots } from '../../lib/scheduling/book-slot';
import { schedulingDeps as deps } from '../../lib/scheduling/deps';
import { describeBookingPage } from '../../lib/scheduling/event-types';

getConfig();

export const handler = createRouter([
  bindRoute(routes.getBookingPage, ({ params }) => describeBookingPage(deps, params.slug)),
  bindRoute(routes.listSlots, ({ params, query }) => listSlots(deps, params.slug, query)),
  bindRoute(routes.createBooking, async ({ params, body, headers, sourceIp }) => {
    await limitBooking(limitDeps, { address: sourceIp, slug: params.slug });
    const { reply, replayed } = await bookSlot(deps, params.slug, body, headers['idempotency-key']);
    return new HttpReply(201, reply, replayed ? { 'idempotent-replayed': 'true' } : {});
  }),
]);
