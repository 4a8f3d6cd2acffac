// Calendar events as Google keeps them: writes (insert, patch, update, delete, instance exceptions),
// reads (get, list with paging and sync tokens, instances) and the JSON Google returns for them.
// Both the Calendar API routes and the control API (edits "by a person in Google") go through here.
import { apiErrors } from './errors';
import { expandOccurrences, keyOfOriginalStart, Occurrence, validateRecurrence } from './recurrence';
import {
  Calendar,
  EventFields,
  EventStatus,
  Person,
  randomEventId,
  randomId,
  SandboxState,
  StoredEvent,
} from './store';
import {
  EventDateTime,
  formatTimestamp,
  instantOf,
  isValidZone,
  parseRfc3339,
  renderEventTime,
  resolveEventTime,
} from './time';

/** Fields a client may write; Google silently ignores the read-only rest (id, etag, created, ...). */
const WRITABLE_FIELDS = new Set([
  'summary', 'description', 'location', 'colorId', 'start', 'end', 'endTimeUnspecified', 'recurrence',
  'transparency', 'visibility', 'attendees', 'attendeesOmitted', 'extendedProperties', 'reminders', 'status',
  'source', 'guestsCanInviteOthers', 'guestsCanModify', 'guestsCanSeeOtherGuests', 'anyoneCanAddSelf',
  'conferenceData', 'attachments', 'eventType', 'locked', 'privateCopy', 'gadget', 'focusTimeProperties',
  'outOfOfficeProperties', 'workingLocationProperties', 'birthdayProperties',
]);
const STATUSES: EventStatus[] = ['confirmed', 'tentative', 'cancelled'];
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Without timeMax, open-ended series (an RRULE with neither COUNT nor UNTIL) are expanded this far
 * past the later of now, timeMin and the series start; every series yields at most EXPANSION_LIMIT instances.
 */
const EXPANSION_HORIZON_MS = 730 * DAY_MS;
const EXPANSION_LIMIT = 1000;
/** Stands for "no upper bound" where an instant is needed (luxon cannot represent Number.MAX_SAFE_INTEGER). */
const FAR_FUTURE_MS = Date.UTC(3000, 0, 1);
export const DEFAULT_MAX_RESULTS = 250;
export const MAX_MAX_RESULTS = 2500;

export interface WriteOptions {
  /** Who makes the change (becomes `creator` on insert). */
  actor: Person;
  /** The control API fills what a person's Google UI would (the calendar's zone on recurring events). */
  lenient?: boolean;
  ifMatch?: string;
}

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

export interface ListContext {
  /** The account reading, for `self` flags and page-token ownership; undefined for the control API. */
  viewerEmail?: string;
  accessRole: string;
}

type Target =
  | { kind: 'stored'; event: StoredEvent }
  | { kind: 'instance'; master: StoredEvent; occurrence: Occurrence };

/** An item of a result before rendering: a stored event or a virtual instance of a series. */
type ResultItem =
  | { kind: 'stored'; event: StoredEvent; startMs: number; minimal: boolean }
  | { kind: 'instance'; master: StoredEvent; occurrence: Occurrence; startMs: number; cancelled: boolean };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function pickWritable(body: Record<string, unknown>): EventFields {
  const fields: EventFields = {};
  for (const [key, value] of Object.entries(body)) {
    if (WRITABLE_FIELDS.has(key) && value !== undefined && value !== null) fields[key] = clone(value);
  }
  return fields;
}

/** Patch semantics: objects merge recursively, arrays and scalars replace, null clears. */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result = clone(target);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isPlainObject(value) && isPlainObject(result[key])) result[key] = mergePatch(result[key] as Record<string, unknown>, value);
    else result[key] = clone(value);
  }
  return result;
}

/** Moving an event between all-day and timed with patch should not leave the other form behind. */
function mergeTimePatch(current: EventDateTime | undefined, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const merged = mergePatch((current ?? {}) as Record<string, unknown>, patch);
  if (patch.dateTime && patch.date === undefined) delete merged.date;
  if (patch.date && patch.dateTime === undefined) {
    delete merged.dateTime;
    if (patch.timeZone === undefined) delete merged.timeZone;
  }
  return merged;
}

function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((value) => value.trim().replace(/^W\//, ''))
    .some((value) => value === '*' || value === etag);
}

function truthy(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

export class EventsService {
  constructor(private readonly state: SandboxState) {}

  calendar(calendarId: string): Calendar {
    const calendar = this.state.calendars.get(calendarId);
    if (!calendar) throw apiErrors.notFound();
    return calendar;
  }

  // ---- writes -------------------------------------------------------------------------------

  insert(calendar: Calendar, body: Record<string, unknown>, options: WriteOptions): StoredEvent {
    if (!isPlainObject(body)) throw apiErrors.badRequest('Invalid resource.', 'required');
    let id = randomEventId();
    if (body.id !== undefined) {
      if (typeof body.id !== 'string' || !/^[a-v0-9]{5,1024}$/.test(body.id)) {
        throw apiErrors.badRequest('Invalid resource id value.');
      }
      if (calendar.events.has(body.id)) throw apiErrors.duplicate();
      id = body.id;
    }
    const fields = this.normaliseFields(calendar, { status: 'confirmed', ...pickWritable(body) }, options, false);
    const now = Date.now();
    const event: StoredEvent = {
      id,
      calendarId: calendar.id,
      fields,
      created: now,
      updated: now,
      etag: '',
      sequence: typeof body.sequence === 'number' ? body.sequence : 0,
      changeSeq: 0,
      iCalUID: typeof body.iCalUID === 'string' ? body.iCalUID : `${id}@google.com`,
      creator: { ...options.actor },
      organizer: { email: calendar.id, displayName: calendar.summary },
    };
    calendar.events.set(id, event);
    this.touch(calendar, [event], now);
    return event;
  }

  /** patch (merge) or update (replace) an event; on an instance id this creates or changes an exception. */
  modify(calendar: Calendar, eventId: string, body: Record<string, unknown>, mode: 'patch' | 'update', options: WriteOptions): StoredEvent {
    if (!isPlainObject(body)) throw apiErrors.badRequest('Invalid resource.', 'required');
    const target = this.resolveTarget(calendar, eventId);
    if (!target) throw apiErrors.notFound();
    const base = target.kind === 'stored' ? target.event : target.master;
    if (options.ifMatch && !etagMatches(options.ifMatch, base.etag)) throw apiErrors.preconditionFailed();

    const event = target.kind === 'stored' ? target.event : this.newException(calendar, target.master, target.occurrence);
    const isException = event.recurringEventId !== undefined;
    const incoming = pickWritable(body);
    if (isException) delete incoming.recurrence; // an instance cannot carry its own rule
    let fields: EventFields;
    if (mode === 'patch') {
      const { start, end, ...others } = incoming;
      fields = mergePatch(event.fields, others) as EventFields;
      if (start !== undefined) fields.start = mergeTimePatch(event.fields.start, start) as EventDateTime;
      if (end !== undefined) fields.end = mergeTimePatch(event.fields.end, end) as EventDateTime;
      for (const key of Object.keys(body)) if (body[key] === null && WRITABLE_FIELDS.has(key)) delete fields[key];
    } else {
      fields = { status: 'confirmed', ...incoming };
    }
    fields = this.normaliseFields(calendar, fields, options, isException);

    const timingChanged =
      JSON.stringify([fields.start, fields.end, fields.recurrence]) !==
      JSON.stringify([event.fields.start, event.fields.end, event.fields.recurrence]);
    if (timingChanged) event.sequence += 1;
    event.fields = fields;
    calendar.events.set(event.id, event);
    this.touch(calendar, [event], Date.now());
    return event;
  }

  /** Deleting keeps a cancelled tombstone (so incremental sync can report it); a series takes its exceptions along. */
  remove(calendar: Calendar, eventId: string, options: Pick<WriteOptions, 'ifMatch'>): void {
    const target = this.resolveTarget(calendar, eventId);
    if (!target) throw apiErrors.notFound();
    const base = target.kind === 'stored' ? target.event : target.master;
    if (options.ifMatch && !etagMatches(options.ifMatch, base.etag)) throw apiErrors.preconditionFailed();
    if (target.kind === 'instance') {
      const exception = this.newException(calendar, target.master, target.occurrence);
      exception.fields.status = 'cancelled';
      calendar.events.set(exception.id, exception);
      this.touch(calendar, [exception], Date.now());
      return;
    }
    const event = target.event;
    if (event.fields.status === 'cancelled') throw apiErrors.deleted();
    const changed = [event];
    event.fields.status = 'cancelled';
    if (event.fields.recurrence) {
      for (const other of calendar.events.values()) {
        if (other.recurringEventId === event.id && other.fields.status !== 'cancelled') {
          other.fields.status = 'cancelled';
          changed.push(other);
        }
      }
    }
    this.touch(calendar, changed, Date.now());
  }

  private newException(calendar: Calendar, master: StoredEvent, occurrence: Occurrence): StoredEvent {
    const fields = clone(master.fields);
    delete fields.recurrence;
    fields.start = clone(occurrence.start);
    fields.end = clone(occurrence.end);
    const now = Date.now();
    return {
      id: `${master.id}_${occurrence.key}`,
      calendarId: calendar.id,
      fields,
      recurringEventId: master.id,
      originalStartTime: clone(occurrence.originalStartTime),
      created: now,
      updated: now,
      etag: '',
      sequence: master.sequence,
      changeSeq: 0,
      iCalUID: master.iCalUID,
      creator: { ...master.creator },
      organizer: { ...master.organizer },
    };
  }

  /** Every change gets a new calendar-wide sequence number, a new etag and `updated`, and a push. */
  private touch(calendar: Calendar, events: StoredEvent[], now: number): void {
    for (const event of events) {
      calendar.changeSeq += 1;
      event.changeSeq = calendar.changeSeq;
      event.updated = Math.max(now, event.updated);
      event.etag = `"${event.updated}${String(calendar.changeSeq).padStart(6, '0')}"`;
    }
    this.state.onCalendarChanged(calendar.id, 'exists');
  }

  private normaliseFields(calendar: Calendar, fields: EventFields, options: WriteOptions, isException: boolean): EventFields {
    if (fields.status !== undefined && !STATUSES.includes(fields.status)) throw apiErrors.badRequest('Invalid value for: status');
    if (fields.transparency !== undefined && !['opaque', 'transparent'].includes(fields.transparency as string)) {
      throw apiErrors.badRequest('Invalid value for: transparency');
    }
    if (fields.visibility !== undefined && !['default', 'public', 'private', 'confidential'].includes(fields.visibility as string)) {
      throw apiErrors.badRequest('Invalid value for: visibility');
    }
    if (fields.recurrence !== undefined) {
      if (!Array.isArray(fields.recurrence) || fields.recurrence.some((line) => typeof line !== 'string')) {
        throw apiErrors.badRequest('Invalid recurrence rule.');
      }
      if (fields.recurrence.length === 0 || isException) delete fields.recurrence;
    }
    if (options.lenient) {
      // A person's Google UI always has a zone: the calendar's, for local times and recurring events.
      for (const side of ['start', 'end'] as const) {
        const value = fields[side];
        const local = typeof value?.dateTime === 'string' && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value.dateTime);
        if (value?.dateTime && !value.timeZone && (local || fields.recurrence)) fields[side] = { ...value, timeZone: calendar.timeZone };
      }
    }
    const start = resolveEventTime(fields.start, 'start');
    const end = resolveEventTime(fields.end, 'end');
    if (start.allDay !== end.allDay) throw apiErrors.badRequest('Invalid start time.');
    const startMs = instantOf(start, calendar.timeZone);
    const endMs = instantOf(end, calendar.timeZone);
    if (endMs < startMs || (start.allDay && endMs === startMs)) {
      throw apiErrors.badRequest('The specified time range is empty.', 'timeRangeEmpty');
    }
    if (fields.recurrence) {
      if (!start.allDay && !fields.start?.timeZone) {
        throw apiErrors.badRequest('Missing time zone definition for start time.', 'required');
      }
      validateRecurrence({ start: fields.start!, end: fields.end!, recurrence: fields.recurrence }, calendar.timeZone);
    }
    if (fields.attendees !== undefined) {
      if (!Array.isArray(fields.attendees)) throw apiErrors.badRequest('Invalid attendee.');
      fields.attendees = fields.attendees.map((attendee: unknown) => {
        if (!isPlainObject(attendee) || typeof attendee.email !== 'string' || !attendee.email.includes('@')) {
          throw apiErrors.badRequest('Invalid attendee email.');
        }
        return { responseStatus: 'needsAction', ...attendee };
      });
    }
    return fields;
  }

  // ---- reads --------------------------------------------------------------------------------

  /** A stored event, or an instance of a series addressed as `<seriesId>_<20260302T080000Z>`. */
  resolveTarget(calendar: Calendar, eventId: string): Target | undefined {
    const stored = calendar.events.get(eventId);
    if (stored) return { kind: 'stored', event: stored };
    const separator = eventId.lastIndexOf('_');
    if (separator <= 0) return undefined;
    const master = calendar.events.get(eventId.slice(0, separator));
    const key = eventId.slice(separator + 1);
    if (!master?.fields.recurrence || master.recurringEventId) return undefined;
    const timed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(key);
    const allDay = /^(\d{4})(\d{2})(\d{2})$/.exec(key);
    let ms: number;
    if (timed) ms = Date.UTC(+timed[1], +timed[2] - 1, +timed[3], +timed[4], +timed[5], +timed[6]);
    else if (allDay) ms = instantOf({ allDay: true, date: `${allDay[1]}-${allDay[2]}-${allDay[3]}` }, calendar.timeZone);
    else return undefined;
    const occurrence = this.occurrencesOf(calendar, master, { fromMs: ms - 1, toMs: ms + 1 }).find((o) => o.key === key);
    return occurrence ? { kind: 'instance', master, occurrence } : undefined;
  }

  /** events.get: deleted events are still returned, with status "cancelled", as Google does. */
  get(calendar: Calendar, eventId: string, timeZone?: string): { body: Record<string, unknown>; etag: string } {
    const target = this.resolveTarget(calendar, eventId);
    if (!target) throw apiErrors.notFound();
    const zone = this.outputZone(calendar, timeZone);
    if (target.kind === 'stored') return { body: this.render(calendar, target.event, zone, false), etag: target.event.etag };
    return { body: this.renderInstance(calendar, target.master, target.occurrence, zone, false), etag: target.master.etag };
  }

  list(calendar: Calendar, query: ListQuery, context: ListContext): Record<string, unknown> {
    if (query.pageToken) return this.page(calendar, query.pageToken, context);
    const maxResults = this.maxResults(query.maxResults);
    const singleEvents = truthy(query.singleEvents);
    const showDeleted = truthy(query.showDeleted);
    const zone = this.outputZone(calendar, query.timeZone);

    let items: ResultItem[];
    if (query.syncToken) {
      const incompatible: string[] = (['timeMin', 'timeMax', 'updatedMin', 'q', 'orderBy', 'iCalUID'] as const).filter((name) => query[name]);
      if (query.privateExtendedProperty?.length) incompatible.push('privateExtendedProperty');
      if (query.sharedExtendedProperty?.length) incompatible.push('sharedExtendedProperty');
      if (incompatible.length) {
        throw apiErrors.badRequest(`The syncToken cannot be combined with: ${incompatible.join(', ')}.`, 'invalid', 'syncToken');
      }
      const record = this.state.syncTokens.get(query.syncToken);
      if (!record || record.calendarId !== calendar.id || record.generation !== calendar.syncGeneration) {
        throw apiErrors.fullSyncRequired();
      }
      items = this.changesSince(calendar, record.seq, singleEvents);
    } else {
      if (query.orderBy && !['startTime', 'updated'].includes(query.orderBy)) throw apiErrors.badRequest('Invalid Value', 'invalid', 'orderBy');
      if (query.orderBy === 'startTime' && !singleEvents) {
        throw apiErrors.badRequest('The requested ordering is not available for the particular query.', 'badRequest');
      }
      const timeMin = query.timeMin ? parseRfc3339(query.timeMin, 'timeMin') : undefined;
      const timeMax = query.timeMax ? parseRfc3339(query.timeMax, 'timeMax') : undefined;
      if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin) {
        throw apiErrors.badRequest('The specified time range is empty.', 'timeRangeEmpty', 'timeMax');
      }
      const updatedMin = query.updatedMin ? parseRfc3339(query.updatedMin, 'updatedMin') : undefined;
      items = singleEvents
        ? this.expandedItems(calendar, { timeMin, timeMax, showDeleted: showDeleted || updatedMin !== undefined })
        : this.seriesItems(calendar, { timeMin, timeMax, showDeleted: showDeleted || updatedMin !== undefined });
      items = items.filter((item) => this.matchesFilters(item, query, updatedMin));
      if (query.orderBy === 'updated') items.sort((a, b) => updatedOf(a) - updatedOf(b) || idOf(a).localeCompare(idOf(b)));
      else items.sort((a, b) => a.startMs - b.startMs || idOf(a).localeCompare(idOf(b)));
    }

    const rendered = items.map((item) =>
      item.kind === 'stored'
        ? this.render(calendar, item.event, zone, item.minimal)
        : this.renderInstance(calendar, item.master, item.occurrence, zone, item.cancelled),
    );
    const nextSyncToken = this.issueSyncToken(calendar);
    return this.startListing(calendar, rendered, maxResults, context, { nextSyncToken });
  }

  /** events.instances: the instances of one series, exceptions applied. */
  instances(calendar: Calendar, eventId: string, query: ListQuery, context: ListContext): Record<string, unknown> {
    if (query.pageToken) return this.page(calendar, query.pageToken, context);
    const master = calendar.events.get(eventId);
    if (!master) throw apiErrors.notFound();
    if (!master.fields.recurrence) throw apiErrors.badRequest('The event is not a recurring event.', 'invalid');
    const timeMin = query.timeMin ? parseRfc3339(query.timeMin, 'timeMin') : undefined;
    const timeMax = query.timeMax ? parseRfc3339(query.timeMax, 'timeMax') : undefined;
    let items = this.instancesOf(calendar, master, this.exceptionsByMaster(calendar).get(master.id) ?? [], {
      timeMin,
      timeMax,
      showDeleted: truthy(query.showDeleted),
    });
    if (query.originalStart) {
      const isDate = /^\d{4}-\d{2}-\d{2}$/.test(query.originalStart);
      const key = keyOfOriginalStart(isDate ? { date: query.originalStart } : { dateTime: query.originalStart });
      const keyOf = (item: ResultItem) => (item.kind === 'instance' ? item.occurrence.key : keyOfOriginalStart(item.event.originalStartTime!));
      items = items.filter((item) => keyOf(item) === key);
    }
    items.sort((a, b) => a.startMs - b.startMs || idOf(a).localeCompare(idOf(b)));
    const zone = this.outputZone(calendar, query.timeZone);
    const rendered = items.map((item) =>
      item.kind === 'stored'
        ? this.render(calendar, item.event, zone, false)
        : this.renderInstance(calendar, item.master, item.occurrence, zone, item.cancelled),
    );
    return this.startListing(calendar, rendered, this.maxResults(query.maxResults), context, {});
  }

  // ---- listing helpers ----------------------------------------------------------------------

  private maxResults(value: string | undefined): number {
    if (value === undefined) return DEFAULT_MAX_RESULTS;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw apiErrors.badRequest('Invalid Value', 'invalid', 'maxResults');
    return Math.min(parsed, MAX_MAX_RESULTS); // Google caps silently
  }

  private outputZone(calendar: Calendar, requested: string | undefined): string {
    if (!requested) return calendar.timeZone;
    if (!isValidZone(requested)) throw apiErrors.badRequest('Invalid Value', 'invalid', 'timeZone');
    return requested;
  }

  private issueSyncToken(calendar: Calendar): string {
    const token = `CP${randomId(18)}`;
    this.state.syncTokens.set(token, { calendarId: calendar.id, seq: calendar.changeSeq, generation: calendar.syncGeneration });
    return token;
  }

  /**
   * The whole result is rendered once and kept; page tokens index into it. That gives the snapshot
   * semantics a paging client expects: changes made meanwhile show up in the next incremental sync,
   * because the sync token remembers the sequence number of the first page.
   */
  private startListing(calendar: Calendar, items: unknown[], maxResults: number, context: ListContext, extra: { nextSyncToken?: string }): Record<string, unknown> {
    const now = Date.now();
    this.state.pruneListings(now);
    const listingId = randomId(12);
    this.state.listings.set(listingId, {
      calendarId: calendar.id,
      email: context.viewerEmail ?? '',
      items,
      nextSyncToken: extra.nextSyncToken,
      createdAt: now,
      extra: { maxResults },
    });
    return this.page(calendar, `${listingId}.0`, context);
  }

  private page(calendar: Calendar, pageToken: string, context: ListContext): Record<string, unknown> {
    const [listingId, offsetText] = pageToken.split('.');
    const listing = this.state.listings.get(listingId);
    const offset = Number(offsetText);
    if (!listing || listing.calendarId !== calendar.id || listing.email !== (context.viewerEmail ?? '') || !Number.isInteger(offset)) {
      throw apiErrors.badRequest('Invalid Value', 'invalid', 'pageToken');
    }
    const maxResults = listing.extra.maxResults as number;
    const items = listing.items.slice(offset, offset + maxResults);
    const more = offset + maxResults < listing.items.length;
    const response: Record<string, unknown> = {
      kind: 'calendar#events',
      etag: `"${calendar.changeSeq}"`,
      summary: calendar.summary,
      ...(calendar.description ? { description: calendar.description } : {}),
      updated: formatTimestamp(this.lastUpdated(calendar)),
      timeZone: calendar.timeZone,
      accessRole: context.accessRole,
      defaultReminders: [],
    };
    if (more) response.nextPageToken = `${listingId}.${offset + maxResults}`;
    else if (listing.nextSyncToken) response.nextSyncToken = listing.nextSyncToken;
    response.items = items;
    return response;
  }

  private lastUpdated(calendar: Calendar): number {
    let latest = 0;
    for (const event of calendar.events.values()) latest = Math.max(latest, event.updated);
    return latest || Date.now();
  }

  private exceptionsByMaster(calendar: Calendar): Map<string, StoredEvent[]> {
    const index = new Map<string, StoredEvent[]>();
    for (const event of calendar.events.values()) {
      if (!event.recurringEventId) continue;
      const list = index.get(event.recurringEventId) ?? [];
      list.push(event);
      index.set(event.recurringEventId, list);
    }
    return index;
  }

  private occurrencesOf(calendar: Calendar, master: StoredEvent, window: { fromMs?: number; toMs?: number }): Occurrence[] {
    const openEnded = master.fields.recurrence!.some((line) => /^RRULE:/i.test(line) && !/(COUNT|UNTIL)=/i.test(line));
    const seriesStart = instantOf(resolveEventTime(master.fields.start, 'start'), calendar.timeZone);
    const toMs = window.toMs ?? (openEnded ? Math.max(window.fromMs ?? 0, Date.now(), seriesStart) + EXPANSION_HORIZON_MS : FAR_FUTURE_MS);
    return expandOccurrences(
      { start: master.fields.start!, end: master.fields.end!, recurrence: master.fields.recurrence! },
      calendar.timeZone,
      { fromMs: window.fromMs, toMs, limit: EXPANSION_LIMIT },
    );
  }

  private spanOf(calendar: Calendar, event: StoredEvent): { startMs: number; endMs: number } {
    const reference = event.fields.status === 'cancelled' && event.originalStartTime ? event.originalStartTime : event.fields.start;
    const startMs = instantOf(resolveEventTime(reference, 'start'), calendar.timeZone);
    if (reference !== event.fields.start) return { startMs, endMs: startMs + 1 };
    const endMs = instantOf(resolveEventTime(event.fields.end, 'end'), calendar.timeZone);
    return { startMs, endMs: Math.max(endMs, startMs + 1) }; // a zero-length event still occupies its instant
  }

  private overlaps(span: { startMs: number; endMs: number }, timeMin?: number, timeMax?: number): boolean {
    return (timeMin === undefined || span.endMs > timeMin) && (timeMax === undefined || span.startMs < timeMax);
  }

  /** singleEvents=false: series as one event, exceptions separately; cancelled exceptions of live series always. */
  private seriesItems(calendar: Calendar, options: { timeMin?: number; timeMax?: number; showDeleted: boolean }): ResultItem[] {
    const items: ResultItem[] = [];
    for (const event of calendar.events.values()) {
      const cancelled = event.fields.status === 'cancelled';
      const master = event.recurringEventId ? calendar.events.get(event.recurringEventId) : undefined;
      const liveException = master !== undefined && master.fields.status !== 'cancelled';
      if (cancelled && !options.showDeleted && !liveException) continue;
      const span = this.spanOf(calendar, event);
      if (event.fields.recurrence && !event.recurringEventId) {
        if (options.timeMin !== undefined || options.timeMax !== undefined) {
          const hit = expandOccurrences(
            { start: event.fields.start!, end: event.fields.end!, recurrence: event.fields.recurrence },
            calendar.timeZone,
            { fromMs: options.timeMin, toMs: options.timeMax ?? FAR_FUTURE_MS, limit: 1 },
          );
          if (hit.length === 0) continue;
        }
      } else if (!this.overlaps(span, options.timeMin, options.timeMax)) continue;
      items.push({ kind: 'stored', event, startMs: span.startMs, minimal: cancelled });
    }
    return items;
  }

  /** singleEvents=true: series expanded into instances in the window, exceptions in their place. */
  private expandedItems(calendar: Calendar, options: { timeMin?: number; timeMax?: number; showDeleted: boolean }): ResultItem[] {
    const exceptions = this.exceptionsByMaster(calendar);
    const items: ResultItem[] = [];
    for (const event of calendar.events.values()) {
      if (event.recurringEventId) continue; // handled with their series
      const cancelled = event.fields.status === 'cancelled';
      if (event.fields.recurrence) {
        if (cancelled && !options.showDeleted) continue;
        items.push(...this.instancesOf(calendar, event, exceptions.get(event.id) ?? [], options));
        continue;
      }
      if (cancelled && !options.showDeleted) continue;
      const span = this.spanOf(calendar, event);
      if (this.overlaps(span, options.timeMin, options.timeMax)) items.push({ kind: 'stored', event, startMs: span.startMs, minimal: cancelled });
    }
    return items;
  }

  private instancesOf(
    calendar: Calendar,
    master: StoredEvent,
    exceptions: StoredEvent[],
    options: { timeMin?: number; timeMax?: number; showDeleted: boolean },
  ): ResultItem[] {
    const seriesCancelled = master.fields.status === 'cancelled';
    const replaced = new Set(exceptions.map((exception) => keyOfOriginalStart(exception.originalStartTime ?? {})));
    const items: ResultItem[] = [];
    for (const occurrence of this.occurrencesOf(calendar, master, { fromMs: options.timeMin, toMs: options.timeMax })) {
      if (replaced.has(occurrence.key)) continue;
      items.push({ kind: 'instance', master, occurrence, startMs: occurrence.startMs, cancelled: seriesCancelled });
    }
    // Exceptions count where they are now: a moved instance can enter or leave the window.
    for (const exception of exceptions) {
      const cancelled = exception.fields.status === 'cancelled';
      if (cancelled && !options.showDeleted) continue;
      const span = this.spanOf(calendar, exception);
      if (this.overlaps(span, options.timeMin, options.timeMax)) {
        items.push({ kind: 'stored', event: exception, startMs: span.startMs, minimal: cancelled });
      }
    }
    return items;
  }

  /** Incremental sync: everything whose change number is above the token's, deletions included. */
  private changesSince(calendar: Calendar, seq: number, singleEvents: boolean): ResultItem[] {
    const changed = [...calendar.events.values()].filter((event) => event.changeSeq > seq).sort((a, b) => a.changeSeq - b.changeSeq);
    const items: ResultItem[] = [];
    for (const event of changed) {
      const cancelled = event.fields.status === 'cancelled';
      if (singleEvents && event.fields.recurrence && !event.recurringEventId) {
        for (const occurrence of this.occurrencesOf(calendar, event, {})) {
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

  private matchesFilters(item: ResultItem, query: ListQuery, updatedMin: number | undefined): boolean {
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

  // ---- rendering ----------------------------------------------------------------------------

  /** The event resource as Google returns it; cancelled events in lists are reduced to what Google guarantees. */
  render(calendar: Calendar, event: StoredEvent, zone: string, minimal: boolean): Record<string, unknown> {
    if (minimal) {
      const body: Record<string, unknown> = { kind: 'calendar#event', etag: event.etag, id: event.id, status: 'cancelled' };
      if (event.recurringEventId) {
        body.recurringEventId = event.recurringEventId;
        body.originalStartTime = renderEventTime(event.originalStartTime!, zone);
      }
      return body;
    }
    const { start, end, recurrence, status, transparency, visibility, attendees, ...rest } = event.fields;
    const body: Record<string, unknown> = {
      kind: 'calendar#event',
      etag: event.etag,
      id: event.id,
      status: status ?? 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${event.id} ${calendar.id}`).toString('base64url')}`,
      created: formatTimestamp(event.created),
      updated: formatTimestamp(event.updated),
      ...rest,
      creator: { ...event.creator, ...(event.creator.email === calendar.id ? { self: true } : {}) },
      organizer: { ...event.organizer, ...(event.organizer.email === calendar.id ? { self: true } : {}) },
      start: renderEventTime(start!, zone),
      end: renderEventTime(end!, zone),
    };
    if (recurrence) body.recurrence = [...recurrence];
    if (event.recurringEventId) {
      body.recurringEventId = event.recurringEventId;
      body.originalStartTime = renderEventTime(event.originalStartTime!, zone);
    }
    // Google leaves out defaults: no transparency for opaque, no visibility for default.
    if (transparency === 'transparent') body.transparency = 'transparent';
    if (visibility && visibility !== 'default') body.visibility = visibility;
    body.iCalUID = event.iCalUID;
    body.sequence = event.sequence;
    if (Array.isArray(attendees)) {
      body.attendees = attendees.map((attendee: Record<string, unknown>) => ({
        ...attendee,
        ...(attendee.email === calendar.id ? { self: true } : {}),
        ...(attendee.email === event.organizer.email ? { organizer: true } : {}),
      }));
    }
    if (!body.reminders) body.reminders = { useDefault: true };
    if (!body.eventType) body.eventType = 'default';
    return body;
  }

  renderInstance(calendar: Calendar, master: StoredEvent, occurrence: Occurrence, zone: string, cancelled: boolean): Record<string, unknown> {
    const id = `${master.id}_${occurrence.key}`;
    const originalStartTime = renderEventTime(occurrence.originalStartTime, zone);
    if (cancelled) {
      return { kind: 'calendar#event', etag: master.etag, id, status: 'cancelled', recurringEventId: master.id, originalStartTime };
    }
    const body = this.render(calendar, master, zone, false);
    delete body.recurrence;
    return {
      ...body,
      id,
      start: renderEventTime(occurrence.start, zone),
      end: renderEventTime(occurrence.end, zone),
      recurringEventId: master.id,
      originalStartTime,
    };
  }
}

function idOf(item: ResultItem): string {
  return item.kind === 'stored' ? item.event.id : `${item.master.id}_${item.occurrence.key}`;
}

function updatedOf(item: ResultItem): number {
  return item.kind === 'stored' ? item.event.updated : item.master.updated;
}
