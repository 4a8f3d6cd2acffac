// A booking after it is made: the guest (with the cancel token) or the host (with a bearer token) cancels
// it or downloads its invitation; the host lists their bookings.
import { Forbidden, NotFound, Unauthorized } from '../domain/errors';
import { buildInvitation } from '../domain/ics';
import { toCancelReply, toHostBookingReply, type Booking } from './booking';
import { bookingUrl } from './event-type';
import type { SchedulingDeps } from './ports';
import type { BookingsInput } from './schemas';
import { cancelTokenMatches } from './secrets';

/** How a caller proves access: the booking's cancel token, or the Authorization header of its host. */
export type BookingAccess = { token?: string; authorization?: string };

async function requireBooking(deps: Pick<SchedulingDeps, 'bookings'>, bookingId: string): Promise<Booking> {
  const booking = await deps.bookings.get(bookingId);
  if (!booking) throw new NotFound('Booking');
  return booking;
}

/** 'guest' for the right cancel token, 'host' for the host's bearer token; 401 without either, 403 for wrong ones. */
async function authorize(deps: Pick<SchedulingDeps, 'verifyBearer'>, booking: Booking, access: BookingAccess): Promise<'guest' | 'host'> {
  if (access.token !== undefined && cancelTokenMatches(access.token, booking.cancelTokenHash)) return 'guest';
  const bearer = access.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    if ((await deps.verifyBearer(bearer)) === booking.hostId) return 'host';
    throw new Forbidden('Only the host or the guest of this booking can do this');
  }
  if (access.token !== undefined) throw new Forbidden('The token does not belong to this booking');
  throw new Unauthorized('unauthorized', 'Send ?token=<cancel token> or the host\'s Authorization: Bearer <token>');
}

export async function cancelBooking(deps: SchedulingDeps, bookingId: string, access: BookingAccess) {
  const booking = await requireBooking(deps, bookingId);
  const by = await authorize(deps, booking, access);
  if (booking.status === 'cancelled') return toCancelReply(booking);
  const cancelled = await deps.bookings.cancel(booking, { cancelledAt: deps.clock.now().toISOString(), cancelledBy: by });
  await deps.writeBack?.request('booking', booking.id, booking.hostId);
  return toCancelReply(cancelled);
}

/** The booking's .ics: METHOD:REQUEST while it stands, METHOD:CANCEL (same UID, next SEQUENCE) once cancelled. */
export async function getInvitation(deps: SchedulingDeps, bookingId: string, access: BookingAccess): Promise<string> {
  const booking = await requireBooking(deps, bookingId);
  await authorize(deps, booking, access);
  const host = await deps.users.get(booking.hostId);
  const cancelled = booking.status === 'cancelled';
  return buildInvitation({
    uid: `${booking.id}@calendar-hub`,
    method: cancelled ? 'CANCEL' : 'REQUEST',
    sequence: cancelled ? 1 : 0,
    stamp: Date.parse(cancelled ? booking.cancelledAt! : booking.createdAt),
    start: Date.parse(booking.start),
    end: Date.parse(booking.end),
    timeZone: booking.guest.timeZone ?? booking.timeZone,
    summary: `${booking.eventTypeName} with ${host?.name ?? 'your host'}`,
    ...(booking.notes ? { description: booking.notes } : {}),
    url: bookingUrl(deps.publicBaseUrl(), booking.slug),
    organizer: { name: host?.name ?? 'Calendar Hub', email: host?.email ?? 'no-reply@calendar-hub.invalid' },
    attendees: [{ name: booking.guest.name, email: booking.guest.email }],
  });
}

/** The host's confirmed bookings, earliest first, from `from` (default now) to `to` (default open). */
export async function listBookings(deps: SchedulingDeps, hostId: string, query: BookingsInput) {
  const from = query.from ? Date.parse(query.from) : deps.clock.now().getTime();
  const page = await deps.bookings.pageForHost(hostId, {
    from,
    ...(query.to ? { to: Date.parse(query.to) } : {}),
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: page.items.map(toHostBookingReply), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
