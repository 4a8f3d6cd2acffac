// Date-time helpers for Google's EventDateTime ({date} | {dateTime, timeZone}) and RFC 3339 query values.
import { DateTime, IANAZone } from 'luxon';
import { apiErrors } from './errors';

export interface EventDateTime {
  date?: string | null;
  dateTime?: string | null;
  timeZone?: string | null;
}

/** A resolved point of an event: a calendar date (all-day) or an instant with the zone it is expressed in. */
export type ResolvedTime = { allDay: true; date: string } | { allDay: false; ms: number; zone: string | undefined };

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const OFFSET_PATTERN = /(Z|[+-]\d{2}:?\d{2})$/i;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * Interprets one side of an event the way Google does: `date` wins for all-day events; a `dateTime`
 * without an offset is read in `timeZone`, and is an error when there is none.
 */
export function resolveEventTime(value: EventDateTime | undefined | null, side: 'start' | 'end'): ResolvedTime {
  if (!value || (!value.date && !value.dateTime)) {
    throw apiErrors.badRequest(`Missing ${side} time.`, 'required');
  }
  if (value.timeZone && !isValidZone(value.timeZone)) {
    throw apiErrors.badRequest(`Invalid time zone definition for ${side} time.`);
  }
  if (value.date) {
    if (!DATE_PATTERN.test(value.date) || !DateTime.fromISO(value.date, { zone: 'utc' }).isValid) {
      throw apiErrors.badRequest(`Invalid ${side} time.`);
    }
    return { allDay: true, date: value.date };
  }
  const text = value.dateTime as string;
  const hasOffset = OFFSET_PATTERN.test(text);
  if (!hasOffset && !value.timeZone) {
    throw apiErrors.badRequest(`Missing time zone definition for ${side} time.`, 'required');
  }
  const parsed = hasOffset ? DateTime.fromISO(text, { setZone: true }) : DateTime.fromISO(text, { zone: value.timeZone! });
  if (!parsed.isValid) throw apiErrors.badRequest(`Invalid ${side} time.`);
  return { allDay: false, ms: parsed.toMillis(), zone: value.timeZone ?? undefined };
}

/** The instant an event side begins at; all-day dates begin at midnight in the calendar's zone, as Google computes it. */
export function instantOf(time: ResolvedTime, calendarZone: string): number {
  if (!time.allDay) return time.ms;
  return DateTime.fromISO(time.date, { zone: calendarZone }).toMillis();
}

/** `2026-03-02T09:00:00+01:00`: Google renders dateTime values in the calendar's (or the request's) zone. */
export function formatDateTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

/** `updated` and `created` are UTC with milliseconds, like `2026-03-02T08:00:00.000Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** Query parameters such as timeMin must be RFC 3339 with an offset; Google answers 400 otherwise. */
export function parseRfc3339(value: string, name: string): number {
  if (!OFFSET_PATTERN.test(value)) throw apiErrors.badRequest('Bad Request', 'badRequest', name);
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw apiErrors.badRequest('Bad Request', 'badRequest', name);
  return parsed.toMillis();
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate() as string;
}

export function daysBetween(from: string, to: string): number {
  return Math.round(
    DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days,
  );
}

/** Re-renders an EventDateTime for output: dateTime in the output zone, the stored timeZone kept. */
export function renderEventTime(value: EventDateTime, outputZone: string): EventDateTime {
  if (value.date) return { date: value.date };
  const resolved = resolveEventTime(value, 'start');
  const rendered: EventDateTime = { dateTime: formatDateTime((resolved as { ms: number }).ms, outputZone) };
  if (value.timeZone) rendered.timeZone = value.timeZone;
  return rendered;
}
