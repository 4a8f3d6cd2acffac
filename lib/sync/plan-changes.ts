// Pure sync logic: turns one page of Google events into writes on the company's copies (and counts what
// was inserted, updated and deleted), and, after a full sync, finds the copies Google no longer lists.
import { DateTime } from 'luxon';
import type { RemoteEvent, RemoteEventTime } from '../connections/ports';
import { parseRecurrence, RecurrenceError } from '../domain/recurrence';
import { isoInZone, isValidTimeZone } from '../kernel/time-zone';
import { MARKER_ID, MARKER_SOURCE, type SyncedEvent, type SyncedException } from './synced-event';

export type ChangeCounts = { inserted: number; updated: number; deleted: number };

/** One copy to write (its record, which carries its place in the company listing): `after` undefined deletes it. */
export type EventWrite = { before?: SyncedEvent; after?: SyncedEvent };

export type PagePlan = { writes: EventWrite[]; counts: ChangeCounts; warnings: string[] };

export type PlanContext = { companyId: string; calendarId: string; calendarZone: string; generation: number };

export const emptyCounts = (): ChangeCounts => ({ inserted: 0, updated: 0, deleted: 0 });

export function addCounts(total: ChangeCounts, more: ChangeCounts): ChangeCounts {
  return { inserted: total.inserted + more.inserted, updated: total.updated + more.updated, deleted: total.deleted + more.deleted };
}

function utcIso(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: 'utc' }).toISO({ suppressMilliseconds: true })!;
}

/** An event time as epoch ms: a dateTime carries its offset; an all-day date starts at midnight in the calendar's zone. */
function instantOf(time: RemoteEventTime | undefined, calendarZone: string): number | undefined {
  if (time?.dateTime) {
    const parsed = DateTime.fromISO(time.dateTime, { setZone: true });
    return parsed.isValid ? parsed.toMillis() : undefined;
  }
  if (time?.date) {
    const parsed = DateTime.fromISO(time.date, { zone: calendarZone });
    return parsed.isValid ? parsed.toMillis() : undefined;
  }
  return undefined;
}

/** The copies a page touches (events, and the series of exceptions), to read them in one go. */
export function referencedEventIds(items: RemoteEvent[]): string[] {
  return [...new Set(items.flatMap((item) => [item.recurringEventId ?? item.id].filter((id): id is string => Boolean(id))))];
}

export type EventTimes = { start: string; end: string; zone: string; allDay?: true };

/** Start and end of a Google event as ISO instants in the event's zone; undefined when it has no usable start. */
/** Our own copies (written back from a meeting or booking) say so, so that they are not counted twice. */
function copyMarkerOf(item: RemoteEvent): { copyOf?: string } {
  const marker = item.extendedProperties?.private;
  const source = marker?.[MARKER_SOURCE];
  const sourceId = marker?.[MARKER_ID];
  return (source === 'meeting' || source === 'booking') && sourceId ? { copyOf: `${source}:${sourceId}` } : {};
}

export function timesOf(item: RemoteEvent, calendarZone: string): EventTimes | undefined {
  const allDay = Boolean(item.start?.date && !item.start?.dateTime);
  const zone = !allDay && item.start?.timeZone && isValidTimeZone(item.start.timeZone) ? item.start.timeZone : calendarZone;
  const start = instantOf(item.start, calendarZone);
  if (start === undefined) return undefined;
  const end = Math.max(start, instantOf(item.end, calendarZone) ?? start);
  return { start: isoInZone(start, zone), end: isoInZone(end, zone), zone, ...(allDay ? { allDay: true } : {}) };
}

const secondOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * What one listed item does to the copies, for planPage to fold: the copy of `id` replaced (or removed, `after`
 * undefined), the count it adds, and warnings.
 */
type ItemStep = { warnings: string[]; copy?: { id: string; after: SyncedEvent | undefined; count?: keyof ChangeCounts } };

/** The copies as they stand while a page is folded: `existing` before the page, `working` after the items so far. */
type PageView = { existing: ReadonlyMap<string, SyncedEvent>; working: ReadonlyMap<string, SyncedEvent>; context: PlanContext };

const existedWithMaster = (view: PageView, id: string) => view.existing.get(id)?.hasMaster === true;

export function planPage(existing: ReadonlyMap<string, SyncedEvent>, items: RemoteEvent[], context: PlanContext): PagePlan {
  const working = new Map(existing);
  /** Ids whose copy is written (in the order first met). */
  const touched = new Set<string>();
  const counts = emptyCounts();
  const warnings: string[] = [];
  const view: PageView = { existing, working, context };

  for (const item of items) {
    if (!item.id) continue;
    const step = item.recurringEventId ? planException(view, item, item.recurringEventId) : item.status === 'cancelled' ? planCancelled(view, item.id) : planMaster(view, item, item.id);
    warnings.push(...step.warnings);
    if (!step.copy) continue;
    const { id, after, count } = step.copy;
    if (after) working.set(id, after);
    else working.delete(id);
    touched.add(id);
    if (count) counts[count] += 1;
  }

  const writes: EventWrite[] = [];
  for (const id of touched) {
    writes.push({ before: existing.get(id), after: working.get(id) });
  }
  return { writes, counts, warnings };
}

function planCancelled(view: PageView, id: string): ItemStep {
  if (!view.working.has(id)) return { warnings: [] };
  return { warnings: [], copy: { id, after: undefined, count: existedWithMaster(view, id) ? 'deleted' : undefined } };
}

function planException(view: PageView, item: RemoteEvent, seriesId: string): ItemStep {
  const { context } = view;
  const originalMs = instantOf(item.originalStartTime, context.calendarZone);
  if (originalMs === undefined) return { warnings: [`exception ${item.id} has no originalStartTime; ignored`] };
  const originalStart = utcIso(originalMs);
  const series: SyncedEvent = view.working.get(seriesId) ?? {
    companyId: context.companyId,
    calendarId: context.calendarId,
    eventId: seriesId,
    hasMaster: false,
    title: '',
    start: originalStart,
    end: originalStart,
    timeZone: context.calendarZone,
    generation: 0,
  };
  const others = (series.exceptions ?? []).filter((exception) => secondOf(exception.originalStart) !== secondOf(originalStart));
  const previous = (series.exceptions ?? []).find((exception) => secondOf(exception.originalStart) === secondOf(originalStart));
  let next: SyncedException;
  let unchanged: boolean;
  let count: keyof ChangeCounts;
  if (item.status === 'cancelled') {
    next = { originalStart, cancelled: true, ...(item.id ? { eventId: item.id } : {}), generation: context.generation };
    unchanged = previous?.cancelled === true;
    count = 'deleted';
  } else {
    const times = timesOf(item, context.calendarZone);
    if (!times) return { warnings: [`exception ${item.id} has no start; ignored`] };
    next = {
      originalStart,
      eventId: item.id!,
      start: times.start,
      end: times.end,
      title: item.summary ?? series.title,
      ...(times.allDay ? { allDay: true } : {}),
      ...(item.transparency === 'transparent' ? { transparent: true } : {}),
      ...(item.etag ? { etag: item.etag } : {}),
      generation: context.generation,
    };
    unchanged = Boolean(previous && !previous.cancelled && previous.etag !== undefined && previous.etag === item.etag);
    count = 'updated';
  }
  const after = { ...series, exceptions: [...others, next].sort((a, b) => a.originalStart.localeCompare(b.originalStart)) };
  if (unchanged) return { warnings: [], copy: { id: seriesId, after } };
  return { warnings: [], copy: { id: seriesId, after, count: existedWithMaster(view, seriesId) ? count : undefined } };
}

function planMaster(view: PageView, item: RemoteEvent, id: string): ItemStep {
  const { context } = view;
  const times = timesOf(item, context.calendarZone);
  if (!times) return { warnings: [`event ${id} has no start; ignored`] };
  const warnings: string[] = [];
  const previous = view.working.get(id);
  let recurrence: { rrule: string; exdates: string[] } | undefined;
  if (item.recurrence?.length) {
    try {
      recurrence = parseRecurrence(item.recurrence.join('\n'), { timeZone: times.zone });
    } catch (error) {
      if (!(error instanceof RecurrenceError)) throw error;
      warnings.push(`event ${id}: recurrence not supported (${error.message}); kept as its first occurrence`);
    }
  }
  if (previous?.hasMaster && previous.etag !== undefined && previous.etag === item.etag) {
    return { warnings, copy: { id, after: { ...previous, generation: context.generation } } };
  }
  const next: SyncedEvent = {
    companyId: context.companyId,
    calendarId: context.calendarId,
    eventId: id,
    hasMaster: true,
    title: item.summary ?? '(no title)',
    start: times.start,
    end: times.end,
    timeZone: times.zone,
    ...(times.allDay ? { allDay: true } : {}),
    ...(item.transparency === 'transparent' ? { transparent: true } : {}),
    ...(recurrence ? { rrule: recurrence.rrule, ...(recurrence.exdates.length ? { exdates: recurrence.exdates } : {}) } : {}),
    // Exceptions outlive changes of the series itself; Google reports the ones it drops.
    ...(recurrence && previous?.exceptions?.length ? { exceptions: previous.exceptions } : {}),
    ...(item.etag ? { etag: item.etag } : {}),
    ...copyMarkerOf(item),
    generation: context.generation,
  };
  return { warnings, copy: { id, after: next, count: existedWithMaster(view, id) ? 'updated' : 'inserted' } };
}

/**
 * After a full sync of generation `generation`: copies Google did not list (older generation), placeholders
 * whose series never came, and exceptions not seen again are removed.
 */
export function planSweep(records: SyncedEvent[], generation: number): { writes: EventWrite[]; deleted: number } {
  const writes: EventWrite[] = [];
  let deleted = 0;
  for (const record of records) {
    if (!record.hasMaster || record.generation < generation) {
      writes.push({ before: record, after: undefined });
      if (record.hasMaster) deleted += 1;
      continue;
    }
    const exceptions = record.exceptions ?? [];
    const kept = exceptions.filter((exception) => exception.generation >= generation);
    if (kept.length !== exceptions.length) {
      writes.push({ before: record, after: { ...record, exceptions: kept } });
    }
  }
  return { writes, deleted };
}
