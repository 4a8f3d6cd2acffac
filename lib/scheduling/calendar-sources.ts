// Bookings as seen by the calendar: busy time for the free-time search, and occurrences (source
// `booking`) in the host's own calendar; the seats of one group slot show as one occurrence.
import type { BusySource, OccurrenceSource, SourcedOccurrence } from '../meetings/ports';
import type { BookingRepo } from './ports';

export function bookingBusySource(bookings: Pick<BookingRepo, 'listForHost'>): BusySource {
  return async (userId, range) =>
    (await bookings.listForHost(userId, range))
      .filter((booking) => booking.start < range.end && booking.end > range.start)
      .map((booking) => ({ start: booking.start, end: booking.end }));
}

export function bookingOccurrenceSource(bookings: Pick<BookingRepo, 'listForHost'>): OccurrenceSource {
  return async (userId, range) => {
    const byHolder = new Map<string, SourcedOccurrence>();
    for (const booking of await bookings.listForHost(userId, range)) {
      if (booking.start >= range.end || booking.end <= range.start) continue;
      const existing = byHolder.get(booking.holder);
      if (existing) {
        existing.title = `${existing.title}, ${booking.guest.name}`;
        existing.end = Math.max(existing.end, booking.end);
        continue;
      }
      byHolder.set(booking.holder, {
        id: booking.bookingId,
        start: booking.start,
        end: booking.end,
        timeZone: booking.timeZone,
        title: `${booking.eventTypeName} with ${booking.guest.name}`,
        source: 'booking',
        status: 'confirmed',
      });
    }
    return [...byHolder.values()];
  };
}
