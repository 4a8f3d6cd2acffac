// Brings the host's destination calendar in Google in line with one meeting or booking: insert (with an event id
// derived from ours under a server secret, so a retried insert cannot make a duplicate), patch, or delete; stores
// Google's event id and etag. Runs in the queue worker: a failure throws, the message comes back and, after five
// tries, waits in the dead-letter queue. The user's request never waits for Google.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { callGoogle } from '../connections/credentials';
import { NeedsReconsent } from '../connections/errors';
import type { Connection } from '../connections/ports';
import type { Meeting } from '../meetings/meeting';
import type { Booking } from '../scheduling/booking';
import type { GoogleEventBody, WriteBackDeps, WriteBackMessage, WrittenEvent } from './ports';
import type { WriteBackSource } from '../meetings/ports';

/** The marker we put in extendedProperties.private: which of our meetings or bookings an event copies. */
export { MARKER_ID, MARKER_SOURCE } from '../sync/synced-event';
import { MARKER_ID, MARKER_SOURCE } from '../sync/synced-event';

export type WriteBackOutcome = 'inserted' | 'updated' | 'unchanged' | 'deleted' | 'nothing' | 'skipped';

/**
 * Our Google event id for a meeting or booking: an HMAC-SHA256 of its id under a key derived from a server secret
 * (AUTH_SECRET), so that nobody who sees the meeting id can name its copy, yet the same for every try, so that a
 * retried insert meets Google's 409 and is taken as already written. Google event ids are base32hex (a-v, 0-9),
 * 5 to 1024 characters: hex fits. Occurrences need nothing of their own: Google names them after the series.
 */
export function googleEventIdFor(secret: string, source: WriteBackSource, sourceId: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'calendar-hub google event id v1', 32));
  return `ch${createHmac('sha256', key).update(`${source}:${sourceId}`).digest('hex')}`;
}

const toUtcBasic = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function meetingBody(meeting: Meeting): GoogleEventBody {
  const excluded = [...(meeting.exdates ?? []), ...(meeting.cancelled ?? [])];
  return {
    summary: meeting.title,
    ...(meeting.description ? { description: meeting.description } : {}),
    start: { dateTime: meeting.start, timeZone: meeting.timeZone },
    end: { dateTime: meeting.end, timeZone: meeting.timeZone },
    ...(meeting.rrule
      ? { recurrence: [meeting.rrule.startsWith('RRULE:') ? meeting.rrule : `RRULE:${meeting.rrule}`, ...(excluded.length ? [`EXDATE:${excluded.map(toUtcBasic).join(',')}`] : [])] }
      : {}),
    status: 'confirmed',
    extendedProperties: { private: { [MARKER_SOURCE]: 'meeting', [MARKER_ID]: meeting.id } },
  };
}

export function bookingBody(booking: Booking): GoogleEventBody {
  return {
    summary: `${booking.eventTypeName}: ${booking.guest.name}`,
    description: [`Booked by ${booking.guest.name} <${booking.guest.email}>`, booking.notes].filter(Boolean).join('\n\n'),
    start: { dateTime: booking.start, timeZone: booking.timeZone },
    end: { dateTime: booking.end, timeZone: booking.timeZone },
    status: 'confirmed',
    extendedProperties: { private: { [MARKER_SOURCE]: 'booking', [MARKER_ID]: booking.id } },
  };
}

/** What Google should hold for one meeting or booking: the event and, for a series, its moved occurrences. */
export type GoogleCopy = { body: GoogleEventBody; exceptions: Array<{ originalStart: string; body: GoogleEventBody }> };

/** A moved occurrence of a series: Google's instance of it takes the override's times (and title). */
export function meetingCopy(meeting: Meeting): GoogleCopy {
  const body = meetingBody(meeting);
  const exceptions = meeting.rrule
    ? (meeting.overrides ?? []).map((override) => {
        const { recurrence: _recurrence, ...single } = body;
        return {
          originalStart: override.originalStart,
          body: {
            ...single,
            ...(override.title ? { summary: override.title } : {}),
            ...(override.description !== undefined ? { description: override.description } : {}),
            start: { dateTime: override.start, timeZone: meeting.timeZone },
            end: { dateTime: override.end, timeZone: meeting.timeZone },
          },
        };
      })
    : [];
  return { body, exceptions };
}

export const bookingCopy = (booking: Booking): GoogleCopy => ({ body: bookingBody(booking), exceptions: [] });

/** An unchanged copy is not written again. */
export const copyHash = (copy: GoogleCopy): string => createHash('sha256').update(JSON.stringify(copy)).digest('base64url');

/** Google's id of one occurrence of a timed series: the series id, "_", the original start in UTC. */
export const instanceIdFor = (seriesEventId: string, originalStart: string): string => `${seriesEventId}_${toUtcBasic(originalStart)}`;

/** What Google should hold for this message: undefined when nothing (gone, cancelled, not the host's). */
async function desiredCopy(deps: WriteBackDeps, message: WriteBackMessage): Promise<GoogleCopy | undefined> {
  if (message.source === 'meeting') {
    const meeting = await deps.meetings.get(message.sourceId);
    return meeting && meeting.organizerId === message.userId ? meetingCopy(meeting) : undefined;
  }
  const booking = await deps.bookings.get(message.sourceId);
  return booking && booking.status === 'confirmed' && booking.hostId === message.userId ? bookingCopy(booking) : undefined;
}

async function usableConnection(deps: WriteBackDeps, connectionId: string, userId: string): Promise<Connection | undefined> {
  const connection = await deps.connections.get(connectionId);
  return connection && connection.userId === userId && connection.status === 'active' ? connection : undefined;
}

async function removeCopy(deps: WriteBackDeps, record: WrittenEvent): Promise<void> {
  const connection = await usableConnection(deps, record.connectionId, record.userId);
  // Marked first: the sync may list the deletion before the record is gone, and must not take it for a person's.
  if (connection && !record.deleting) await deps.records.put({ ...record, deleting: true });
  // Without a working connection nothing can be deleted at Google; the copy is forgotten.
  if (connection) await callGoogle(deps, connection, (credentials) => deps.google.delete(credentials, record.calendarId, record.googleEventId));
  await deps.records.delete(record.source, record.sourceId);
}

export async function writeBack(deps: WriteBackDeps, message: WriteBackMessage): Promise<WriteBackOutcome> {
  try {
    return await writeBackOnce(deps, message);
  } catch (error) {
    // A revoked grant (the connection is marked now) cannot be fixed by retrying: the owner must consent again.
    if (error instanceof NeedsReconsent) {
      deps.log.warn('write-back skipped: the connection needs a new consent', { source: message.source, sourceId: message.sourceId });
      return 'skipped';
    }
    throw error;
  }
}

async function writeBackOnce(deps: WriteBackDeps, message: WriteBackMessage): Promise<WriteBackOutcome> {
  let record = await deps.records.get(message.source, message.sourceId);
  const [copy, user] = await Promise.all([desiredCopy(deps, message), deps.users.get(message.userId)]);
  const destination = user?.destinationCalendar;
  // Write-back switched off: copies already in Google stay as they are, no longer kept in step.
  if (!destination) return 'nothing';
  if (!copy) {
    if (!record) return 'nothing';
    await removeCopy(deps, record);
    return 'deleted';
  }
  if (record && (record.calendarId !== destination.calendarId || record.connectionId !== destination.connectionId)) {
    // The host chose another calendar: the copy moves there.
    await removeCopy(deps, record);
    record = undefined;
  }
  const { body } = copy;
  const hash = copyHash(copy);
  if (record && record.contentHash === hash) return 'unchanged';
  const connection = await usableConnection(deps, destination.connectionId, message.userId);
  if (!connection) {
    deps.log.warn('write-back skipped: the destination connection is gone or needs a new consent', { userId: message.userId });
    return 'skipped';
  }
  const eventId = record?.googleEventId ?? deps.eventIdFor(message.source, message.sourceId);
  const written = await callGoogle(deps, connection, async (credentials) => {
    if (record) {
      const patched = await deps.google.patch(credentials, destination.calendarId, eventId, body);
      if (patched !== 'missing') return patched;
    }
    const inserted = await deps.google.insert(credentials, destination.calendarId, eventId, body);
    if (inserted !== 'exists') return inserted;
    // Inserted by an earlier try whose record was not saved, or deleted in Google: patch it back to life.
    const patched = await deps.google.patch(credentials, destination.calendarId, eventId, body);
    if (patched === 'missing') throw new Error(`Google reports event ${eventId} as existing and missing at once`);
    return patched;
  });
  // Occurrences moved here: their instances in Google take the same times (the series must exist first).
  for (const exception of copy.exceptions) {
    const instanceId = instanceIdFor(written.eventId, exception.originalStart);
    const patched = await callGoogle(deps, connection, (credentials) => deps.google.patch(credentials, destination.calendarId, instanceId, exception.body));
    if (patched === 'missing') deps.log.warn('write-back: Google has no occurrence to move', { sourceId: message.sourceId, instanceId });
  }
  await deps.records.put({
    source: message.source,
    sourceId: message.sourceId,
    userId: message.userId,
    connectionId: destination.connectionId,
    calendarId: destination.calendarId,
    googleEventId: written.eventId,
    etag: written.etag,
    contentHash: hash,
    start: body.start.dateTime,
    end: body.end.dateTime,
    updatedAt: deps.clock.now().toISOString(),
  });
  return record ? 'updated' : 'inserted';
}
