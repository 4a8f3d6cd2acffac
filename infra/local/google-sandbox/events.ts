// Calendar events as Google keeps them: writes (insert, patch, update, delete, instance exceptions),
// reads (get, list with paging and sync tokens, instances) and the JSON Google returns for them.
// Both the Calendar API routes and the control API (edits "by a person in Google") go through here; the listing
// (event-list.ts, event-items.ts), the writable fields (event-fields.ts) and the rendering (event-render.ts) are apart.
import { apiErrors } from './errors';
import { clone, etagMatches, isPlainObject, mergePatch, mergeTimePatch, normaliseFields, pickWritable, WRITABLE_FIELDS, type WriteOptions } from './event-fields';
import { type ListQuery, occurrencesOf } from './event-items';
import { EventListings, type ListContext } from './event-list';
import { renderEvent, renderInstance } from './event-render';
import type { Occurrence } from './recurrence';
import { type Calendar, type EventFields, randomEventId, type SandboxState, type StoredEvent } from './store';
import { type EventDateTime, instantOf } from './time';

export { DEFAULT_MAX_RESULTS, MAX_MAX_RESULTS, type ListContext } from './event-list';
export type { ListQuery } from './event-items';
export type { WriteOptions } from './event-fields';

type Target =
  | { kind: 'stored'; event: StoredEvent }
  | { kind: 'instance'; master: StoredEvent; occurrence: Occurrence };

export class EventsService {
  private readonly listings: EventListings;

  constructor(private readonly state: SandboxState) {
    this.listings = new EventListings(state);
  }

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
    const fields = normaliseFields(calendar, { status: 'confirmed', ...pickWritable(body) }, options, false);
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
    fields = normaliseFields(calendar, fields, options, isException);

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
    const occurrence = occurrencesOf(calendar, master, { fromMs: ms - 1, toMs: ms + 1 }).find((o) => o.key === key);
    return occurrence ? { kind: 'instance', master, occurrence } : undefined;
  }

  /** events.get: deleted events are still returned, with status "cancelled", as Google does. */
  get(calendar: Calendar, eventId: string, timeZone?: string): { body: Record<string, unknown>; etag: string } {
    const target = this.resolveTarget(calendar, eventId);
    if (!target) throw apiErrors.notFound();
    const zone = this.listings.outputZone(calendar, timeZone);
    if (target.kind === 'stored') return { body: renderEvent(calendar, target.event, zone, false), etag: target.event.etag };
    return { body: renderInstance(calendar, target.master, target.occurrence, zone, false), etag: target.master.etag };
  }

  list(calendar: Calendar, query: ListQuery, context: ListContext): Record<string, unknown> {
    return this.listings.list(calendar, query, context);
  }

  /** events.instances: the instances of one series, exceptions applied. */
  instances(calendar: Calendar, eventId: string, query: ListQuery, context: ListContext): Record<string, unknown> {
    return this.listings.instances(calendar, eventId, query, context);
  }

  // ---- rendering ----------------------------------------------------------------------------

  /** The event resource as Google returns it; cancelled events in lists are reduced to what Google guarantees. */
  render(calendar: Calendar, event: StoredEvent, zone: string, minimal: boolean): Record<string, unknown> {
    return renderEvent(calendar, event, zone, minimal);
  }

  renderInstance(calendar: Calendar, master: StoredEvent, occurrence: Occurrence, zone: string, cancelled: boolean): Record<string, unknown> {
    return renderInstance(calendar, master, occurrence, zone, cancelled);
  }
}
