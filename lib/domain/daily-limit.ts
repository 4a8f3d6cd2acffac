// The daily booking limit of an event type: which local dates (in the event type's zone) are full.
import { DateTime } from 'luxon';

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDateOf(instant: number, zone: string): string {
  const date = DateTime.fromMillis(instant, { zone });
  if (!date.isValid) throw new RangeError(`Unknown time zone: ${zone}`);
  return date.toISODate()!;
}

/** How many of the given bookings start on each local date. */
export function countByDate(bookingStarts: readonly number[], zone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const start of bookingStarts) {
    const date = localDateOf(start, zone);
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return counts;
}

/** The local dates on which `limit` or more of the given bookings start: no more bookings are taken there. */
export function fullDates(bookingStarts: readonly number[], zone: string, limit: number): Set<string> {
  return new Set([...countByDate(bookingStarts, zone)].filter(([, count]) => count >= limit).map(([date]) => date));
}

/** The instants from the start of the local date of `from` to the end of the local date of `to` (exclusive), in a zone. */
export function localDaysAround(range: { start: number; end: number }, zone: string): { start: number; end: number } {
  const first = DateTime.fromMillis(range.start, { zone }).startOf('day');
  const last = DateTime.fromMillis(Math.max(range.start, range.end - 1), { zone }).plus({ days: 1 }).startOf('day');
  return { start: first.toMillis(), end: last.toMillis() };
}
