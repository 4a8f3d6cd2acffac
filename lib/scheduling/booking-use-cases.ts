// A booking after it is made: the guest (with the cancel token) or the host (with a bearer token) cancels
// it or downloads its invitation; the host lists their bookings.
import { Forbidden, NotFound, Unauthorized } from '../domain/errors';
import { buildInvitation } from '../domain/ics';
import { isoInZone } from '../kernel/time-zone';
import { bookingCells, holderOfBooking, toCancelReply, toHostBookingReply, type Booking } from './booking';
import { cancelledMail, queueMail, rescheduledMail } from './booking-mail';
import { BookingMoveTooLarge, SlotTaken } from './errors';
import { bookingUrl } from './event-type';
import type { SchedulingDeps } from './ports';
import { MAX_LOCK_MINUTES, type BookingsInput } from './schemas';
import { cancelTokenMatches } from './secrets';
import { MINUTE_MS } from '../kernel/time-units';

/** How a caller proves access: the booking's cancel token, or the Authorization header of its host. */
export type BookingAccess = { token?: string; authorization?: string };

export async function requireBooking(deps: Pick<SchedulingDeps, 'bookings'>, bookingId: string): Promise<Booking> {
  const booking = await deps.bookings.get(bookingId);
  if (!booking) throw new NotFound('Booking');
  return booking;
}

/** 'guest' for the right cancel token, 'host' for the host's bearer token; 401 without either, 403 for wrong ones. */
export async function authorize(deps: Pick<SchedulingDeps, 'verifyBearer'>, booking: Booking, access: BookingAccess): Promise<'guest' | 'host'> {
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
  const now = deps.clock.now();
  const change = { cancelledAt: now.toISOString(), cancelledBy: by };
  const host = await deps.users.get(booking.hostId);
  const mail = queueMail(now, cancelledMail({ ...booking, ...change, status: 'cancelled', version: booking.version + 1 }, host));
  const cancelled = await deps.bookings.cancel(booking, change, mail);
  await deps.writeBack?.request('booking', booking.id, booking.hostId);
  return toCancelReply(cancelled);
}

/** The booking's .ics: METHOD:REQUEST while it stands (a higher SEQUENCE after each change), METHOD:CANCEL (same UID) once cancelled. */
export async function getInvitation(deps: SchedulingDeps, bookingId: string, access: BookingAccess): Promise<string> {
  const booking = await requireBooking(deps, bookingId);
  await authorize(deps, booking, access);
  const host = await deps.users.get(booking.hostId);
  const cancelled = booking.status === 'cancelled';
  return buildInvitation({
    uid: `${booking.id}@calendar-hub`,
    method: cancelled ? 'CANCEL' : 'REQUEST',
    // Every change (a cancel, a move) raises the version, and with it the SEQUENCE calendars compare.
    sequence: booking.version - 1,
    stamp: Date.parse(cancelled ? booking.cancelledAt! : (booking.rescheduledAt ?? booking.createdAt)),
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

/** The host deleted the booking's copy in Google: the booking is cancelled as if the host had cancelled it here (mail included). */
export async function cancelFromGoogle(deps: Pick<SchedulingDeps, 'bookings' | 'clock' | 'users'>, booking: Booking): Promise<Booking> {
  if (booking.status === 'cancelled') return booking;
  const now = deps.clock.now();
  const change = { cancelledAt: now.toISOString(), cancelledBy: 'host' as const };
  const host = await deps.users.get(booking.hostId);
  return deps.bookings.cancel(booking, change, queueMail(now, cancelledMail({ ...booking, ...change, status: 'cancelled', version: booking.version + 1 }, host)));
}

export type GoogleMoveOutcome = { moved: Booking } | { flagged: Booking; reason: string } | { unchanged: Booking };

/**
 * The host moved the booking's copy in Google: the booking follows when its lock cells at the new time are free,
 * claimed and given back in one transaction. When it cannot follow (another booking holds the time, a seat of a
 * group slot, a move larger than one transaction), it keeps its time and carries the conflict for the host to see.
 */
export async function takeOverGoogleMove(deps: Pick<SchedulingDeps, 'bookings' | 'clock' | 'users'>, booking: Booking, to: { start: string; end: string }): Promise<GoogleMoveOutcome> {
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const slot = { start: Date.parse(to.start), end: Date.parse(to.end) };
  if (booking.status !== 'confirmed') return { unchanged: booking };
  if (slot.start === Date.parse(booking.start) && slot.end === Date.parse(booking.end)) {
    // Back at its own time: a conflict flagged earlier is over.
    return booking.googleConflict ? { moved: await deps.bookings.replace(booking, { googleConflict: undefined }) } : { unchanged: booking };
  }
  const flag = async (reason: string): Promise<GoogleMoveOutcome> => {
    const conflict = { start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString(), reason, flaggedAt: now };
    return { flagged: await deps.bookings.replace(booking, { googleConflict: conflict }), reason };
  };
  if (!(slot.end > slot.start)) return flag('The copy in Google has no duration');
  if (booking.holder !== holderOfBooking(booking.id)) return flag('A seat of a group slot moves only with its slot');
  const lockMinutes = (slot.end - slot.start) / MINUTE_MS + booking.bufferBeforeMinutes + booking.bufferAfterMinutes;
  if (lockMinutes > MAX_LOCK_MINUTES) return flag(`Longer than ${MAX_LOCK_MINUTES} minutes with its buffers`);
  try {
    const change = {
      start: isoInZone(slot.start, booking.timeZone),
      end: isoInZone(slot.end, booking.timeZone),
      cells: bookingCells(slot, booking.bufferBeforeMinutes, booking.bufferAfterMinutes),
      rescheduledAt: now,
      googleConflict: undefined,
    };
    // The guest is told as for any move; the host, who made it, too (one mail kind for both, as a reschedule here).
    const host = await deps.users.get(booking.hostId);
    const mail = queueMail(nowDate, rescheduledMail({ ...booking, ...change, version: booking.version + 1 }, host, Date.parse(booking.start)));
    const moved = await deps.bookings.replace(booking, change, mail);
    return { moved };
  } catch (error) {
    if (error instanceof SlotTaken) return flag('Another booking holds that time');
    if (error instanceof BookingMoveTooLarge) return flag('Moved too far for one transaction; move it in steps');
    throw error;
  }
}
