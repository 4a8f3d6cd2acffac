// The writable part of an event: which fields a client may set, patch semantics, and the checks a write passes.
import { apiErrors } from './errors';
import { validateRecurrence } from './recurrence';
import type { Calendar, EventFields, EventStatus, Person } from './store';
import { type EventDateTime, instantOf, resolveEventTime } from './time';

/** Fields a client may write; Google silently ignores the read-only rest (id, etag, created, ...). */
export const WRITABLE_FIELDS = new Set([
  'summary', 'description', 'location', 'colorId', 'start', 'end', 'endTimeUnspecified', 'recurrence',
  'transparency', 'visibility', 'attendees', 'attendeesOmitted', 'extendedProperties', 'reminders', 'status',
  'source', 'guestsCanInviteOthers', 'guestsCanModify', 'guestsCanSeeOtherGuests', 'anyoneCanAddSelf',
  'conferenceData', 'attachments', 'eventType', 'locked', 'privateCopy', 'gadget', 'focusTimeProperties',
  'outOfOfficeProperties', 'workingLocationProperties', 'birthdayProperties',
]);
const STATUSES: EventStatus[] = ['confirmed', 'tentative', 'cancelled'];

export interface WriteOptions {
  /** Who makes the change (becomes `creator` on insert). */
  actor: Person;
  /** The control API fills what a person's Google UI would (the calendar's zone on recurring events). */
  lenient?: boolean;
  ifMatch?: string;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function pickWritable(body: Record<string, unknown>): EventFields {
  const fields: EventFields = {};
  for (const [key, value] of Object.entries(body)) {
    if (WRITABLE_FIELDS.has(key) && value !== undefined && value !== null) fields[key] = clone(value);
  }
  return fields;
}

/** Patch semantics: objects merge recursively, arrays and scalars replace, null clears. */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result = clone(target);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isPlainObject(value) && isPlainObject(result[key])) result[key] = mergePatch(result[key] as Record<string, unknown>, value);
    else result[key] = clone(value);
  }
  return result;
}

/** Moving an event between all-day and timed with patch should not leave the other form behind. */
export function mergeTimePatch(current: EventDateTime | undefined, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const merged = mergePatch((current ?? {}) as Record<string, unknown>, patch);
  if (patch.dateTime && patch.date === undefined) delete merged.date;
  if (patch.date && patch.dateTime === undefined) {
    delete merged.dateTime;
    if (patch.timeZone === undefined) delete merged.timeZone;
  }
  return merged;
}

export function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((value) => value.trim().replace(/^W\//, ''))
    .some((value) => value === '*' || value === etag);
}

/** Checks and completes what a write stores: statuses, the time range, recurrence, attendees (400s as Google words them). */
export function normaliseFields(calendar: Calendar, fields: EventFields, options: WriteOptions, isException: boolean): EventFields {
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
