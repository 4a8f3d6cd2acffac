// What a listing holds before rendering: stored events and virtual instances of series, collected for a window,
// an incremental sync or one series, and the list filters (q, iCalUID, updatedMin, extended properties).
import { apiErrors } from './errors';
import { expandOccurrences, keyOfOriginalStart, type Occurrence } from './recurrence';
import type { Calendar, StoredEvent } from './store';
import { instantOf, resolveEventTime } from './time';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Without timeMax, open-ended series (an RRULE with neither COUNT nor UNTIL) are expanded this far
 * past the later of now, timeMin and the series start; every series yields at most EXPANSION_LIMIT instances.
 */
const EXPANSION_HORIZON_MS = 730 * DAY_MS;
const EXPANSION_LIMIT = 1000;
/** Stands for "no upper bound" where an instant is needed (luxon cannot represent Number.MAX_SAFE_INTEGER). */
const FAR_FUTURE_MS = Date.UTC(3000, 0, 1);

/** An item of a result before rendering: a stored event or a virtual instance of a series. */
export interface ListQuery {
  maxResults?: string;
  pageToken?: string;
  syncToken?: string;
  showDeleted?: string;
  singleEvents?: string;
  timeMin?: string;
  timeMax?: string;
  orderBy?: string;
  q?: string;
  updatedMin?: string;
  iCalUID?: string;
  timeZone?: string;
  privateExtendedProperty?: string[];
  sharedExtendedProperty?: string[];
  originalStart?: string;
}

export type ResultItem =
  | { kind: 'stored'; event: StoredEvent; startMs: number; minimal: boolean }
  | { kind: 'instance'; master: StoredEvent; occurrence: Occurrence; startMs: number; cancelled: boolean };

export function exceptionsByMaster(calendar: Calendar): Map<string, StoredEvent[]> {
  const index = new Map<string, StoredEvent[]>();
  for (const event of calendar.events.values()) {
    if (!event.recurringEventId) continue;
    const list = index.get(event.recurringEventId) ?? [];
    list.push(event);
    index.set(event.recurringEventId, list);
  }
  return index;
}

export function occurrencesOf(calendar: Calendar, master: StoredEvent, window: { fromMs?: number; toMs?: number }): Occurrence[] {
  const openEnded = master.fields.recurrence!.some((line) => /^RRULE:/i.test(line) && !/(COUNT|UNTIL)=/i.test(line));
  const seriesStart = instantOf(resolveEventTime(master.fields.start, 'start'), calendar.timeZone);
  const toMs = window.toMs ?? (openEnded ? Math.max(window.fromMs ?? 0, Date.now(), seriesStart) + EXPANSION_HORIZON_MS : FAR_FUTURE_MS);
  return expandOccurrences(
    { start: master.fields.start!, end: master.fields.end!, recurrence: master.fields.recurrence! },
    calendar.timeZone,
    { fromMs: window.fromMs, toMs, limit: EXPANSION_LIMIT },
  );
}

export function spanOf(calendar: Calendar, event: StoredEvent): { startMs: number; endMs: number } {
  const reference = event.fields.status === 'cancelled' && event.originalStartTime ? event.originalStartTime : event.fields.start;
  const startMs = instantOf(resolveEventTime(reference, 'start'), calendar.timeZone);
  if (reference !== event.fields.start) return { startMs, endMs: startMs + 1 };
  const endMs = instantOf(resolveEventTime(event.fields.end, 'end'), calendar.timeZone);
  return { startMs, endMs: Math.max(endMs, startMs + 1) }; // a zero-length event still occupies its instant
}

export function overlaps(span: { startMs: number; endMs: number }, timeMin?: number, timeMax?: number): boolean {
  return (timeMin === undefined || span.endMs > timeMin) && (timeMax === undefined || span.startMs < timeMax);
}

/** singleEvents=false: series as one event, exceptions separately; cancelled exceptions of live series always. */
export function seriesItems(calendar: Calendar, options: { timeMin?: number; timeMax?: number; showDeleted: boolean }): ResultItem[] {
  const items: ResultItem[] = [];
  for (const event of calendar.events.values()) {
    const cancelled = event.fields.status === 'cancelled';
    const master = event.recurringEventId ? calendar.events.get(event.recurringEventId) : undefined;
    const liveException = master !== undefined && master.fields.status !== 'cancelled';
    if (cancelled && !options.showDeleted && !liveException) continue;
    const span = spanOf(calendar, event);
    if (event.fields.recurrence && !event.recurringEventId) {
      if (options.timeMin !== undefined || options.timeMax !== undefined) {
        const hit = expandOccurrences(
          { start: event.fields.start!, end: event.fields.end!, recurrence: event.fields.recurrence },
          calendar.timeZone,
          { fromMs: options.timeMin, toMs: options.timeMax ?? FAR_FUTURE_MS, limit: 1 },
        );
        if (hit.length === 0) continue;
      }
    } else if (!overlaps(span, options.timeMin, options.timeMax)) continue;
    items.push({ kind: 'stored', event, startMs: span.startMs, minimal: cancelled });
  }
  return items;
}

/** singleEvents=true: series expanded into instances in the window, exceptions in their place. */
export function expandedItems(calendar: Calendar, options: { timeMin?: number; timeMax?: number; showDeleted: boolean }): ResultItem[] {
  const exceptions = exceptionsByMaster(calendar);
  const items: ResultItem[] = [];
  for (const event of calendar.events.values()) {
    if (event.recurringEventId) continue; // handled with their series
    const cancelled = event.fields.status === 'cancelled';
    if (event.fields.recurrence) {
      if (cancelled && !options.showDeleted) continue;
      items.push(...instancesOf(calendar, event, exceptions.get(event.id) ?? [], options));
      continue;
    }
    if (cancelled && !options.showDeleted) continue;
    const span = spanOf(calendar, event);
    if (overlaps(span, options.timeMin, options.timeMax)) items.push({ kind: 'stored', event, startMs: span.startMs, minimal: cancelled });
  }
  return items;
}

export function instancesOf(
  calendar: Calendar,
  master: StoredEvent,
  exceptions: StoredEvent[],
  options: { timeMin?: number; timeMax?: number; showDeleted: boolean },
): ResultItem[] {
  const seriesCancelled = master.fields.status === 'cancelled';
  const replaced = new Set(exceptions.map((exception) => keyOfOriginalStart(exception.originalStartTime ?? {})));
  const items: ResultItem[] = [];
  for (const occurrence of occurrencesOf(calendar, master, { fromMs: options.timeMin, toMs: options.timeMax })) {
    if (replaced.has(occurrence.key)) continue;
    items.push({ kind: 'instance', master, occurrence, startMs: occurrence.startMs, cancelled: seriesCancelled });
  }
  // Exceptions count where they are now: a moved instance can enter or leave the window.
  for (const exception of exceptions) {
    const cancelled = exception.fields.status === 'cancelled';
    if (cancelled && !options.showDeleted) continue;
    const span = spanOf(calendar, exception);
    if (overlaps(span, options.timeMin, options.timeMax)) {
      items.push({ kind: 'stored', event: exception, startMs: span.startMs, minimal: cancelled });
    }
  }
  return items;
}

/** Incremental sync: everything whose change number is above the token's, deletions included. */
export function changesSince(calendar: Calendar, seq: number, singleEvents: boolean): ResultItem[] {
  const changed = [...calendar.events.values()].filter((event) => event.changeSeq > seq).sort((a, b) => a.changeSeq - b.changeSeq);
  const items: ResultItem[] = [];
  for (const event of changed) {
    const cancelled = event.fields.status === 'cancelled';
    if (singleEvents && event.fields.recurrence && !event.recurringEventId) {
      for (const occurrence of occurrencesOf(calendar, event, {})) {
        const exceptionId = `${event.id}_${occurrence.key}`;
        if (calendar.events.has(exceptionId)) continue;
        items.push({ kind: 'instance', master: event, occurrence, startMs: occurrence.startMs, cancelled });
      }
      continue;
    }
    items.push({ kind: 'stored', event, startMs: 0, minimal: cancelled });
  }
  return items;
}

export function matchesFilters(item: ResultItem, query: ListQuery, updatedMin: number | undefined): boolean {
  const event = item.kind === 'stored' ? item.event : item.master;
  if (updatedMin !== undefined && event.updated < updatedMin) return false;
  if (query.iCalUID && event.iCalUID !== query.iCalUID) return false;
  if (query.q) {
    const needle = query.q.toLowerCase();
    const haystack = [event.fields.summary, event.fields.description, event.fields.location]
      .filter((value) => typeof value === 'string')
      .join(' ')
      .toLowerCase();
    if (!needle.split(/\s+/).every((word) => haystack.includes(word))) return false;
  }
  const properties = (event.fields.extendedProperties ?? {}) as { private?: Record<string, string>; shared?: Record<string, string> };
  for (const [filters, bag] of [
    [query.privateExtendedProperty, properties.private],
    [query.sharedExtendedProperty, properties.shared],
  ] as const) {
    for (const filter of filters ?? []) {
      const separator = filter.indexOf('=');
      if (separator < 0) throw apiErrors.badRequest('Invalid Value', 'invalid', 'privateExtendedProperty');
      if (bag?.[filter.slice(0, separator)] !== filter.slice(separator + 1)) return false;
    }
  }
  return true;
}

export function idOf(item: ResultItem): string {
  return item.kind === 'stored' ? item.event.id : `${item.master.id}_${item.occurrence.key}`;
}

export function updatedOf(item: ResultItem): number {
  return item.kind === 'stored' ? item.event.updated : item.master.updated;
}
