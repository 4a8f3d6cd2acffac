// The event resource as Google returns it, for a stored event or a virtual instance of a series.
import type { Occurrence } from './recurrence';
import type { Calendar, StoredEvent } from './store';
import { formatTimestamp, renderEventTime } from './time';

/** The event resource as Google returns it; cancelled events in lists are reduced to what Google guarantees. */
export function renderEvent(calendar: Calendar, event: StoredEvent, zone: string, minimal: boolean): Record<string, unknown> {
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

export function renderInstance(calendar: Calendar, master: StoredEvent, occurrence: Occurrence, zone: string, cancelled: boolean): Record<string, unknown> {
  const id = `${master.id}_${occurrence.key}`;
  const originalStartTime = renderEventTime(occurrence.originalStartTime, zone);
  if (cancelled) {
    return { kind: 'calendar#event', etag: master.etag, id, status: 'cancelled', recurringEventId: master.id, originalStartTime };
  }
  const body = renderEvent(calendar, master, zone, false);
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
