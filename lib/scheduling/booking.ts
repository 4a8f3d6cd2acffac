// The booking entity (one guest's seat in a slot), the lock it holds, and the views of it.
import type { Answer } from '../domain/booking-questions';
import type { Interval } from '../domain/interval';
import { bufferedInterval, lockCells } from '../domain/lock-cells';
import { isoInZone } from '../kernel/time-zone';
import type { EventTypeKind } from './event-type';

export type Guest = { name: string; email: string; timeZone?: string };

export type Booking = {
  id: string;
  hostId: string;
  eventTypeId: string;
  slug: string;
  eventTypeName: string;
  kind: EventTypeKind;
  /** ISO with the offset of `timeZone`. */
  start: string;
  end: string;
  /** The event type's zone when it was booked. */
  timeZone: string;
  guest: Guest;
  notes?: string;
  /** The guest's answers to the event type's questions, with each question's label at booking time. */
  answers?: Answer[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Who holds the lock cells: this booking alone, or the group slot all its seats share. */
  holder: string;
  /** Start (UTC ISO) of every 5-minute cell this booking locks, buffers included. */
  cells: string[];
  status: 'confirmed' | 'cancelled';
  /** SHA-256 (hex) of the cancel token; the token itself is never stored. */
  cancelTokenHash: string;
  createdAt: string;
  cancelledAt?: string;
  cancelledBy?: 'guest' | 'host';
  /**
   * The local date (in `timeZone`) whose daily counter of the event type counts this booking (see DailyCount in
   * booking-items.ts); absent on bookings made before the counters or while their event type never had a limit.
   */
  countedDay?: string;
  /** When the host last moved it (in Google, taken over here). */
  rescheduledAt?: string;
  /** The host moved its copy in Google to a time it could not take (another booking holds it): it kept its time. */
  googleConflict?: GoogleConflict;
  version: number;
};

/** Where the host put the booking's Google copy, and why the booking did not follow. */
export type GoogleConflict = { start: string; end: string; reason: string; flaggedAt: string };

/** A booking as the host's index lists it: enough to block slots and fill calendars without reading each booking. */
export type HostBooking = {
  bookingId: string;
  eventTypeId: string;
  eventTypeName: string;
  kind: EventTypeKind;
  holder: string;
  start: number;
  end: number;
  /** The cell-aligned span of its lock cells. */
  lockSpan: Interval;
  timeZone: string;
  guest: Guest;
  notes?: string;
  answers?: Answer[];
  googleConflict?: GoogleConflict;
  createdAt: string;
};

export const holderOfBooking = (bookingId: string) => `BOOKING#${bookingId}`;

/** The cells (UTC ISO starts) a booking of `slot` locks, its buffers included. */
export function bookingCells(slot: Interval, bufferBeforeMinutes: number, bufferAfterMinutes: number): string[] {
  return lockCells(bufferedInterval(slot, bufferBeforeMinutes, bufferAfterMinutes)).map((cell) => new Date(cell).toISOString());
}
export const holderOfGroupSlot = (eventTypeId: string, startMs: number) => `GROUP#${eventTypeId}#${new Date(startMs).toISOString()}`;

/** The guest-facing reply of a booking (the cancel token only exists in this reply). */
export function toBookingReply(booking: Booking, cancelToken: string, publicBaseUrl: string) {
  const zone = booking.guest.timeZone ?? booking.timeZone;
  return {
    id: booking.id,
    start: isoInZone(Date.parse(booking.start), zone),
    end: isoInZone(Date.parse(booking.end), zone),
    timeZone: zone,
    cancelToken,
    icsUrl: invitationUrl(publicBaseUrl, booking.id, cancelToken),
  };
}

export function invitationUrl(publicBaseUrl: string, bookingId: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/bookings/${encodeURIComponent(bookingId)}/invite.ics?token=${encodeURIComponent(token)}`;
}

export function toCancelReply(booking: Booking) {
  return { id: booking.id, status: 'cancelled' as const, start: booking.start, end: booking.end, cancelledAt: booking.cancelledAt! };
}

export function toHostBookingReply(booking: HostBooking) {
  return {
    id: booking.bookingId,
    eventTypeId: booking.eventTypeId,
    eventTypeName: booking.eventTypeName,
    kind: booking.kind,
    start: isoInZone(booking.start, booking.timeZone),
    end: isoInZone(booking.end, booking.timeZone),
    guest: booking.guest,
    ...(booking.notes !== undefined ? { notes: booking.notes } : {}),
    ...(booking.answers?.length ? { answers: booking.answers } : {}),
    status: 'confirmed' as const,
    ...(booking.googleConflict
      ? {
          googleConflict: {
            start: isoInZone(Date.parse(booking.googleConflict.start), booking.timeZone),
            end: isoInZone(Date.parse(booking.googleConflict.end), booking.timeZone),
            reason: booking.googleConflict.reason,
          },
        }
      : {}),
    createdAt: booking.createdAt,
  };
}
