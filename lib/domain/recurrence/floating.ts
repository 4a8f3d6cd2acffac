// Floating dates: an event's wall-clock time held in the UTC fields of a Date with no zone, so that rrule does
// calendar arithmetic only and never consults the process TZ; the event zone is applied per occurrence with luxon.
import { DateTime } from 'luxon';
import { RecurrenceError } from './model';

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** UNTIL's fields, whether it is a UTC instant ("Z"), a floating date-time or a date; null when malformed. */
export function parseRuleUntil(value: string): { wallClock: WallClock; kind: 'utc' | 'floating' | 'date' } | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, utc] = match;
  const wallClock = { year: +year, month: +month, day: +day, hour: +(hour ?? 0), minute: +(minute ?? 0), second: +(second ?? 0) };
  if (!DateTime.fromObject(wallClock, { zone: 'utc' }).isValid) return null;
  const kind = hour === undefined ? 'date' : utc ? 'utc' : 'floating';
  return { wallClock, kind };
}

/** UNTIL as a floating date: a UTC instant becomes its wall clock in the zone; a date includes the whole day. */
export function floatingUntil(value: string, zone: string): Date {
  const parsed = parseRuleUntil(value);
  if (parsed === null) throw new RecurrenceError(`UNTIL "${value}" is not YYYYMMDD or YYYYMMDDTHHMMSS[Z]`);
  const { wallClock, kind } = parsed;
  if (kind === 'utc') return toFloating(DateTime.fromObject(wallClock, { zone: 'utc' }).setZone(zone));
  if (kind === 'date') return floatingDate({ ...wallClock, hour: 23, minute: 59, second: 59 });
  return floatingDate(wallClock);
}

export function toFloating(local: DateTime): Date {
  return floatingDate({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second });
}

export function floatingDate(wallClock: WallClock): Date {
  const { year, month, day, hour, minute, second } = wallClock;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** Epoch ms of a floating date's wall clock in the event zone (a time in a DST gap moves forward). */
export function fromFloating(date: Date, compiled: { zone: string }): number {
  const wallClock = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
  return DateTime.fromObject(wallClock, { zone: compiled.zone }).toMillis();
}
