// A company's copy of one Google event: a single event or a series (RRULE, EXDATEs and exceptions keyed by
// their original start), expanded into occurrences by the same engine as native meetings.
import { DateTime } from 'luxon';
import type { Interval } from '../domain/interval';
import { expandOccurrences, seriesEnd, type Series, type SeriesOverride } from '../domain/recurrence';
import { isoInZone } from '../kernel/time-zone';
import { DAY_MS } from '../kernel/time-units';

/** Events longer than this are kept in the company's set (read whole) instead of the start-time index. */
export const MAX_INDEXED_EVENT_MS = 14 * DAY_MS;

/** A changed or cancelled occurrence of a series, from a Google exception (recurringEventId + originalStartTime). */
export type SyncedException = {
  /** The start the occurrence would have had, UTC ISO. */
  originalStart: string;
  cancelled?: true;
  /** Google's instance id. */
  eventId?: string;
  start?: string;
  end?: string;
  title?: string;
  allDay?: true;
  transparent?: true;
  etag?: string;
  /** The full-sync generation in which Google last listed it (stale ones are dropped after a full sync). */
  generation: number;
};

/** The marker written into extendedProperties.private of the events we copy to Google (lib/write-back). */
export const MARKER_SOURCE = 'calendarHubSource';
export const MARKER_ID = 'calendarHubId';

export type SyncedEvent = {
  companyId: string;
  calendarId: string;
  eventId: string;
  /** False for a placeholder holding exceptions that arrived before their series. */
  hasMaster: boolean;
  title: string;
  /** The (first) occurrence, ISO with the offset of `timeZone`. */
  start: string;
  end: string;
  timeZone: string;
  allDay?: true;
  /** Google's transparency "transparent": shown as free; never busy, never an overlap. */
  transparent?: true;
  rrule?: string;
  exdates?: string[];
  exceptions?: SyncedException[];
  etag?: string;
  /** Set when the event is our own copy of a meeting or booking (write-back marker): `meeting:<id>` or `booking:<id>`. */
  copyOf?: string;
  /** The full-sync generation in which Google last listed the event itself. */
  generation: number;
};

export type SyncedOccurrence = {
  eventId: string;
  start: string;
  end: string;
  title: string;
  source: 'google';
  calendarId: string;
  allDay?: true;
  transparent?: true;
  /** For occurrences of a series: the start it has in the rule (identifies the occurrence). */
  originalStart?: string;
};

export type TimedOccurrence = { view: SyncedOccurrence; start: number; end: number; order: string };

type Override = SeriesOverride & { title?: string; allDay?: true; transparent?: true };

/** Where the listing copy of an event lives: the start-time index, the company's set, or nowhere (placeholders). */
export function placementOf(event: SyncedEvent): 'index' | 'set' | 'none' {
  if (!event.hasMaster) return 'none';
  if (event.rrule) return 'set';
  return Date.parse(event.end) - Date.parse(event.start) > MAX_INDEXED_EVENT_MS ? 'set' : 'index';
}

export function toSeries(event: SyncedEvent): Series<Override> {
  const exceptions = event.exceptions ?? [];
  return {
    start: event.start,
    durationMs: Math.max(0, Date.parse(event.end) - Date.parse(event.start)),
    timeZone: event.timeZone,
    rrule: event.rrule,
    exdates: event.exdates,
    cancelled: exceptions.filter((exception) => exception.cancelled).map((exception) => exception.originalStart),
    overrides: exceptions
      .filter((exception) => !exception.cancelled && exception.start && exception.end)
      .map((exception) => ({
        originalStart: exception.originalStart,
        start: exception.start!,
        end: exception.end!,
        title: exception.title,
        allDay: exception.allDay,
        transparent: exception.transparent,
      })),
  };
}

/** The last instant the event covers (null for an open-ended series), for filtering the set by range. */
export function lastEndOf(event: SyncedEvent): number | null {
  return event.rrule ? seriesEnd(toSeries(event)) : Date.parse(event.end);
}

/**
 * An all-day occurrence lasts whole local days and ends at a midnight: the series' length counted in days, not in
 * hours (a day that changes the clock has 23 or 25 of them).
 */
function allDayEnd(start: number, durationMs: number, zone: string): number {
  const days = Math.max(1, Math.round(durationMs / DAY_MS));
  return DateTime.fromMillis(start, { zone }).plus({ days }).toMillis();
}

/** The event's occurrences that intersect the range, as the company API shows them. */
export function occurrencesOf(event: SyncedEvent, range: Interval): TimedOccurrence[] {
  if (!event.hasMaster) return [];
  return expandOccurrences(toSeries(event), range).map((expanded) => {
    const override = expanded.override;
    const occurrence = !override && event.allDay && event.rrule
      ? { ...expanded, end: allDayEnd(expanded.start, expanded.end - expanded.start, event.timeZone) }
      : expanded;
    const allDay = override ? override.allDay : event.allDay;
    const transparent = override ? override.transparent : event.transparent;
    const view: SyncedOccurrence = {
      eventId: event.eventId,
      start: isoInZone(occurrence.start, event.timeZone),
      end: isoInZone(occurrence.end, event.timeZone),
      title: override?.title ?? event.title,
      source: 'google',
      calendarId: event.calendarId,
      ...(allDay ? { allDay: true } : {}),
      ...(transparent ? { transparent: true } : {}),
      ...(event.rrule ? { originalStart: isoInZone(occurrence.originalStart, event.timeZone) } : {}),
    };
    return { view, start: occurrence.start, end: occurrence.end, order: `${event.calendarId}#${event.eventId}#${occurrence.originalStart}` };
  });
}
