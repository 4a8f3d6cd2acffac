// Moving a booking to another of its event type's slots, by its guest (cancel token) or its host (bearer token):
// the same slot rules as booking it, then one transaction that gives back the old cells, claims the new ones and
// queues the mail to both.
import { localDateOf } from '../domain/daily-limit';
import { NotFound } from '../domain/errors';
import { MINUTE_MS } from '../kernel/time-units';
import { isoInZone } from '../kernel/time-zone';
import { bookingCells, type Booking } from './booking';
import { queueMail, rescheduledMail } from './booking-mail';
import { authorize, requireBooking, type BookingAccess } from './booking-use-cases';
import { requireOfferedStart } from './book-slot';
import { BookingCancelled, SeatCannotMove } from './errors';
import { requireHost } from './event-type-use-cases';
import { isGroupSeat } from './group-seats';
import type { SchedulingDeps } from './ports';
import type { RescheduleBookingInput } from './schemas';

function toRescheduleReply(booking: Booking) {
  const zone = booking.guest.timeZone ?? booking.timeZone;
  return {
    id: booking.id,
    status: 'confirmed' as const,
    start: isoInZone(Date.parse(booking.start), zone),
    end: isoInZone(Date.parse(booking.end), zone),
    timeZone: zone,
    ...(booking.rescheduledAt ? { rescheduledAt: booking.rescheduledAt } : {}),
  };
}

export async function rescheduleBooking(deps: SchedulingDeps, bookingId: string, access: BookingAccess, input: RescheduleBookingInput) {
  const booking = await requireBooking(deps, bookingId);
  const by = await authorize(deps, booking, access);
  if (booking.status === 'cancelled') throw new BookingCancelled();
  if (isGroupSeat(booking)) throw new SeatCannotMove();
  const start = Date.parse(input.start);
  // Asked again for the time it already has (a retried request): the booking as it is, and no second mail.
  if (start === Date.parse(booking.start)) return toRescheduleReply(booking);

  const eventType = await deps.eventTypes.get(booking.hostId, booking.eventTypeId);
  if (!eventType) throw new NotFound('Event type of this booking');
  const host = await requireHost(deps, eventType);
  const day = await requireOfferedStart(deps, eventType, host, start, booking.id);
  // The day's count follows the booking to another local day; on the same day it stays as it is.
  const moveDay = day && day.date !== (booking.countedDay ?? localDateOf(Date.parse(booking.start), booking.timeZone)) ? day : undefined;

  const now = deps.clock.now();
  const slot = { start, end: start + eventType.durationMinutes * MINUTE_MS };
  const change = {
    start: isoInZone(slot.start, booking.timeZone),
    end: isoInZone(slot.end, booking.timeZone),
    // The new time follows the event type as it is now, as a new booking would.
    bufferBeforeMinutes: eventType.bufferBeforeMinutes,
    bufferAfterMinutes: eventType.bufferAfterMinutes,
    cells: bookingCells(slot, eventType.bufferBeforeMinutes, eventType.bufferAfterMinutes),
    rescheduledAt: now.toISOString(),
    googleConflict: undefined,
    ...(moveDay ? { countedDay: moveDay.date } : {}),
  };
  const guestToken = by === 'guest' ? access.token : undefined;
  const mail = queueMail(now, rescheduledMail({ ...booking, ...change, version: booking.version + 1 }, host, Date.parse(booking.start), guestToken));
  const moved = await deps.bookings.replace(booking, change, mail, moveDay);
  await deps.writeBack?.request('booking', moved.id, moved.hostId);
  return toRescheduleReply(moved);
}
