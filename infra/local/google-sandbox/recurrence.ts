// Expands Google recurring events (RRULE/EXRULE/RDATE/EXDATE lines) into instances.
//
// rrule is fed "floating" dates: the wall-clock time in the event's own zone stored in the UTC
// fields of a Date, with no tzid. Each occurrence is then placed in the zone with luxon. This keeps
// the expansion right across DST and independent of the process's TZ (TOOLCHAIN "Time zones").
import { DateTime } from 'luxon';
import { RRule, RRuleSet } from 'rrule';
import { apiErrors } from './errors';
import { addDays, daysBetween, EventDateTime, formatDateTime, instantOf, isValidZone, resolveEventTime } from './time';

export interface SeriesShape {
  start: EventDateTime;
  end: EventDateTime;
  recurrence: string[];
}

export interface Occurrence {
  /** The suffix Google appends to the series id for an instance id: `20260302T080000Z` or `20260302`. */
  key: string;
  allDay: boolean;
  originalStartTime: EventDateTime;
  start: EventDateTime;
  end: EventDateTime;
  startMs: number;
  endMs: number;
}

export interface ExpandOptions {
  /** Instances ending at or before this instant are skipped. */
  fromMs?: number;
  /** Instances starting at or after this instant are skipped (and iteration stops). */
  toMs: number;
  limit: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function toFloating(ms: number, zone: string): Date {
  const wall = DateTime.fromMillis(ms, { zone });
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

function fromFloating(floating: Date, zone: string): DateTime {
  return DateTime.fromObject(
    {
      year: floating.getUTCFullYear(),
      month: floating.getUTCMonth() + 1,
      day: floating.getUTCDate(),
      hour: floating.getUTCHours(),
      minute: floating.getUTCMinutes(),
      second: floating.getUTCSeconds(),
    },
    { zone },
  );
}

function floatingDate(date: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

function floatingToDate(floating: Date): string {
  return floating.toISOString().slice(0, 10);
}

/** Instance key of a timed occurrence: its original start in UTC, as Google builds instance ids. */
export function timedKey(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
}

export function allDayKey(date: string): string {
  return date.replace(/-/g, '');
}

/** The key an exception's originalStartTime matches an occurrence by. */
export function keyOfOriginalStart(value: EventDateTime): string {
  const resolved = resolveEventTime(value, 'start');
  return resolved.allDay ? allDayKey(resolved.date) : timedKey(resolved.ms);
}

interface SeriesContext {
  allDay: boolean;
  zone: string;
  /** Wall-clock time of day of the series start, used for date-only EXDATEs on timed series. */
  startFloating: Date;
}

/** Parses `20260302`, `20260302T090000`, `20260302T080000Z` in a TZID into a floating date of the series. */
function parseDateValue(value: string, tzid: string | undefined, series: SeriesContext): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/i.exec(value.trim());
  if (!match) throw apiErrors.badRequest('Invalid recurrence rule.');
  const [, y, mo, d, h, mi, s, utc] = match;
  const fields = { year: +y, month: +mo, day: +d, hour: h ? +h : 0, minute: mi ? +mi : 0, second: s ? +s : 0 };
  if (!h) {
    // A date-only value on a timed series means "the occurrence on that day".
    const base = new Date(Date.UTC(fields.year, fields.month - 1, fields.day));
    if (series.allDay) return base;
    const start = series.startFloating;
    return new Date(base.getTime() + (start.getTime() % DAY_MS));
  }
  let wall: Date;
  if (utc) wall = toFloating(Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second), series.zone);
  else if (tzid) wall = toFloating(DateTime.fromObject(fields, { zone: tzid }).toMillis(), series.zone);
  else wall = new Date(Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second));
  return series.allDay ? new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate())) : wall;
}

function parseRule(body: string, series: SeriesContext): RRule {
  let options;
  try {
    options = RRule.parseString(body);
  } catch {
    throw apiErrors.badRequest('Invalid recurrence rule.');
  }
  if (options.freq === undefined) throw apiErrors.badRequest('Invalid recurrence rule.');
  // rrule reads UNTIL into the UTC fields whatever its form; make it floating in the series' zone.
  const until = /UNTIL=(\d{8})(T\d{6}Z?)?/i.exec(body);
  if (until && options.until) {
    if (until[2]?.toUpperCase().endsWith('Z') && !series.allDay) {
      options.until = toFloating(options.until.getTime(), series.zone);
    } else if (!until[2] && !series.allDay) {
      options.until = new Date(options.until.getTime() + DAY_MS - 1000); // a date UNTIL includes that whole day
    }
  }
  return new RRule({ ...options, dtstart: series.startFloating, tzid: null });
}

/** Builds the rule set; also used to validate `recurrence` on writes. */
function buildRuleSet(shape: SeriesShape, series: SeriesContext): RRuleSet {
  const set = new RRuleSet();
  let hasRule = false;
  for (const rawLine of shape.recurrence) {
    const line = rawLine.trim();
    const colon = line.indexOf(':');
    if (colon < 0) throw apiErrors.badRequest('Invalid recurrence rule.');
    const [name, ...params] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1);
    switch (name.toUpperCase()) {
      case 'RRULE':
        set.rrule(parseRule(value, series));
        hasRule = true;
        break;
      case 'EXRULE':
        set.exrule(parseRule(value, series));
        break;
      case 'RDATE':
      case 'EXDATE': {
        const tzid = params.find((p) => p.toUpperCase().startsWith('TZID='))?.slice(5);
        if (tzid && !isValidZone(tzid)) throw apiErrors.badRequest('Invalid recurrence rule.');
        for (const item of value.split(',')) {
          const date = parseDateValue(item, tzid, series);
          if (name.toUpperCase() === 'RDATE') {
            set.rdate(date);
            hasRule = true;
          } else set.exdate(date);
        }
        break;
      }
      default:
        throw apiErrors.badRequest('Invalid recurrence rule.');
    }
  }
  if (!hasRule) throw apiErrors.badRequest('Invalid recurrence rule.');
  return set;
}

function seriesContext(shape: SeriesShape, calendarZone: string): SeriesContext {
  const start = resolveEventTime(shape.start, 'start');
  if (start.allDay) return { allDay: true, zone: calendarZone, startFloating: floatingDate(start.date) };
  const zone = start.zone ?? calendarZone;
  return { allDay: false, zone, startFloating: toFloating(start.ms, zone) };
}

/** Throws a 400 when the recurrence lines cannot be expanded. */
export function validateRecurrence(shape: SeriesShape, calendarZone: string): void {
  const set = buildRuleSet(shape, seriesContext(shape, calendarZone));
  set.all((_date, index) => index < 1);
}

/** The occurrences of a series overlapping [fromMs, toMs), at most `limit`, in start order. */
export function expandOccurrences(shape: SeriesShape, calendarZone: string, options: ExpandOptions): Occurrence[] {
  const series = seriesContext(shape, calendarZone);
  const set = buildRuleSet(shape, series);
  const start = resolveEventTime(shape.start, 'start');
  const end = resolveEventTime(shape.end, 'end');
  const durationMs = !start.allDay && !end.allDay ? end.ms - start.ms : 0;
  const durationDays = start.allDay && end.allDay ? daysBetween(start.date, end.date) : 0;

  // Floating bounds are widened by a day and the duration; the exact overlap test uses instants below.
  const spanMs = Math.max(durationMs, durationDays * DAY_MS) + 2 * DAY_MS;
  const upper = new Date(toFloating(options.toMs, series.zone).getTime() + DAY_MS);
  const lower = options.fromMs === undefined ? undefined : new Date(toFloating(options.fromMs, series.zone).getTime() - spanMs);

  const result: Occurrence[] = [];
  const visit = (floating: Date): boolean => {
    if (floating > upper || result.length >= options.limit) return false;
    if (lower && floating < lower) return true;
    const occurrence = series.allDay
      ? allDayOccurrence(floatingToDate(floating), durationDays, calendarZone)
      : timedOccurrence(fromFloating(floating, series.zone).toMillis(), durationMs, series.zone, shape.start.timeZone);
    if (occurrence.startMs >= options.toMs) return true;
    if (options.fromMs !== undefined && occurrence.endMs <= options.fromMs) return true;
    result.push(occurrence);
    return true;
  };
  set.all((date) => visit(date));
  return result;
}

function allDayOccurrence(date: string, durationDays: number, calendarZone: string): Occurrence {
  const endDate = addDays(date, durationDays);
  return {
    key: allDayKey(date),
    allDay: true,
    originalStartTime: { date },
    start: { date },
    end: { date: endDate },
    startMs: instantOf({ allDay: true, date }, calendarZone),
    endMs: instantOf({ allDay: true, date: endDate }, calendarZone),
  };
}

function timedOccurrence(ms: number, durationMs: number, zone: string, timeZone: string | null | undefined): Occurrence {
  const withZone = (value: number): EventDateTime =>
    timeZone ? { dateTime: formatDateTime(value, zone), timeZone } : { dateTime: formatDateTime(value, zone) };
  return {
    key: timedKey(ms),
    allDay: false,
    originalStartTime: withZone(ms),
    start: withZone(ms),
    end: withZone(ms + durationMs),
    startMs: ms,
    endMs: ms + durationMs,
  };
}
