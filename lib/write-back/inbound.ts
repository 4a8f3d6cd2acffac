// What the sync does with events that carry our marker (copies we wrote back). The etag we wrote means our own
// write coming back: nothing to do, so nothing echoes. Any other etag means a person changed it in Google, and that
// change wins here:
// - a meeting moved in Google takes the new time (through the meeting use case, reminders included); a series
//   moved there moves as a whole; one occurrence moved or deleted there becomes an exception of the series;
// - a booking moved in Google follows when its lock cells at the new time are free (one transaction), and is
//   flagged, keeping its time, when another booking holds them;
// - a copy deleted in Google deletes the meeting, or cancels the booking as its host would.
// Afterwards the record takes Google's etag and the body we would now write, so the write-back that follows has
// nothing to send. Each step reads the current state first, so a page read again changes nothing.
// Deleted events come back from Google with no marker (only id, etag and status): their marker is the one the
// sync stored with the copy before (`copyOf`).
// Google is an input, not an authority: anyone can put our marker and a copy's id on an event in a calendar of
// their own. A change acts only when it was listed from the very calendar, through the very connection, that the
// copy was written to (both kept in the write-back record); anything else is logged and left alone.
import { DomainError } from '../domain/errors';
import { deleteMeeting, updateMeeting, type MeetingDeps } from '../meetings/use-cases';
import type { Meeting } from '../meetings/meeting';
import type { RemoteEvent } from '../connections/ports';
import { cancelFromGoogle, takeOverGoogleMove } from '../scheduling/booking-use-cases';
import type { SchedulingDeps } from '../scheduling/ports';
import type { ListedFrom } from '../sync/ports';
import type { SyncedEvent } from '../sync/synced-event';
import type { WriteBackRepo, WrittenEvent } from './ports';
import type { WriteBackSource } from '../meetings/ports';
import { bookingCopy, copyHash, MARKER_ID, MARKER_SOURCE, meetingCopy } from './write-back';
import type { Log } from '../kernel/log';

export type InboundDeps = {
  records: Pick<WriteBackRepo, 'get' | 'delete' | 'replaceIfEtag'>;
  meetings: MeetingDeps;
  scheduling: Pick<SchedulingDeps, 'bookings' | 'clock' | 'users'>;
  log: Log;
};

type MarkedEvent = RemoteEvent & { extendedProperties?: { private?: Record<string, string> | null } | null };
type Copy = { source: WriteBackSource; sourceId: string };

const sameInstant = (a: string | undefined | null, b: string | undefined | null) => Boolean(a && b) && Date.parse(a!) === Date.parse(b!);

function markerOf(event: MarkedEvent, previous: SyncedEvent | undefined): Copy | undefined {
  const marker = event.extendedProperties?.private;
  const source = marker?.[MARKER_SOURCE] ?? previous?.copyOf?.split(':')[0];
  const sourceId = marker?.[MARKER_ID] ?? previous?.copyOf?.slice(previous.copyOf.indexOf(':') + 1);
  return (source === 'meeting' || source === 'booking') && sourceId ? { source, sourceId } : undefined;
}

/** Where the copy was written: the only calendar and connection whose listing may act on it. */
const writtenThere = (record: WrittenEvent, from: ListedFrom) => record.calendarId === from.calendarId && record.connectionId === from.connectionId;

/**
 * Looks at one page of events listed `from` a company calendar; `previous` holds the copies the sync had stored for
 * them before this page. Returns notes for the sync log.
 */
export async function reconcileInbound(deps: InboundDeps, items: RemoteEvent[], previous: ReadonlyMap<string, SyncedEvent>, from: ListedFrom): Promise<string[]> {
  const notes: string[] = [];
  for (const event of items as MarkedEvent[]) {
    if (!event.id) continue;
    const copy = markerOf(event, previous.get(event.recurringEventId ?? event.id));
    if (!copy) continue;
    const record = await deps.records.get(copy.source, copy.sourceId);
    if (record && !writtenThere(record, from)) {
      deps.log.warn('event with our marker refused: not listed from the calendar and connection its copy was written to', {
        source: copy.source,
        sourceId: copy.sourceId,
        eventId: event.id,
        companyId: from.companyId,
        calendarId: from.calendarId,
        connectionId: from.connectionId,
      });
      continue;
    }
    // Not (or no longer) our copy, or one we are deleting ourselves.
    if (!record || record.deleting || record.googleEventId !== (event.recurringEventId ?? event.id)) continue;
    const isOccurrence = Boolean(event.recurringEventId);
    // Our own write echoing back.
    if (!isOccurrence && (!event.etag || event.etag === record.etag)) continue;
    try {
      if (isOccurrence) {
        if (copy.source === 'meeting') notes.push(...(await takeOverOccurrence(deps, copy.sourceId, event)));
        continue;
      }
      const note = await takeOver(deps, copy, record, event);
      if (note) notes.push(note);
    } catch (error) {
      // A change our rules refuse (a rule we do not support, a meeting longer than we allow): said in the sync log
      // and remembered by its etag, so that it is not tried again on every run; anything else fails the page.
      if (!(error instanceof DomainError)) throw error;
      deps.log.warn('change made in Google not taken over', { source: copy.source, sourceId: copy.sourceId, code: error.code });
      if (!isOccurrence) await deps.records.replaceIfEtag({ ...record, etag: event.etag! }, record.etag);
      notes.push(`${copy.source} ${copy.sourceId} was changed in Google in a way not taken over here: ${error.message}`);
    }
  }
  return notes;
}

async function takeOver(deps: InboundDeps, copy: Copy, record: WrittenEvent, event: MarkedEvent): Promise<string | undefined> {
  const accepted: WrittenEvent = { ...record, etag: event.etag! };
  if (event.status === 'cancelled') {
    const note = copy.source === 'meeting' ? await meetingDeleted(deps, copy.sourceId) : await bookingDeleted(deps, copy.sourceId);
    await deps.records.delete(copy.source, copy.sourceId);
    return note;
  }
  const start = event.start?.dateTime;
  const end = event.end?.dateTime;
  if (!start || !end) {
    // Made all-day in Google: not a time we can give a meeting or booking; Google's etag is remembered.
    await deps.records.replaceIfEtag(accepted, record.etag);
    return `${copy.source} ${copy.sourceId} was made all-day in Google; it keeps its time here`;
  }
  if (copy.source === 'booking') return bookingMoved(deps, copy.sourceId, record, accepted, { start, end });
  const meeting = await deps.meetings.meetings.get(copy.sourceId);
  const moved = meeting && !(sameInstant(start, meeting.start) && sameInstant(end, meeting.end));
  const recurrence = meeting ? changedRecurrence(meeting.rrule, event.recurrence) : undefined;
  if (!meeting || (!moved && recurrence === undefined)) {
    // Not a move (a title or a description): Google's etag is remembered, nothing else taken over.
    await deps.records.replaceIfEtag({ ...accepted, start, end }, record.etag);
    return undefined;
  }
  await updateMeeting(deps.meetings, meeting.organizerId, meeting.id, undefined, { start, end, ...(recurrence !== undefined ? { recurrence } : {}) });
  const after = await deps.meetings.meetings.get(copy.sourceId);
  await deps.records.replaceIfEtag({ ...accepted, start, end, ...(after ? { contentHash: copyHash(meetingCopy(after)) } : {}) }, record.etag);
  if (recurrence === null) return `series ${meeting.id} was made a single event in Google`;
  if (recurrence) return `${meeting.rrule ? 'series' : 'meeting'} ${meeting.id} was given a rule in Google: ${recurrence.rrule.split('\n')[0]}`;
  return meeting.rrule ? `series ${meeting.id} was moved in Google; it now starts ${start}` : `meeting ${meeting.id} was moved in Google; it now starts ${start}`;
}

/** A series' rule as key=value parts, in any order (Google may give our own rule back reordered). */
const ruleParts = (rule: string) => rule.replace(/^RRULE:/i, '').toUpperCase().split(';').filter(Boolean).sort().join(';');

/** Google's recurrence when its RRULE is not the meeting's own: its lines, or null when Google has none left; undefined when unchanged. */
function changedRecurrence(ours: string | undefined, lines: string[] | null | undefined): { rrule: string } | null | undefined {
  const theirs = lines?.find((line) => /^RRULE:/i.test(line));
  if (!theirs) return ours ? null : undefined;
  if (ours && ruleParts(theirs) === ruleParts(ours)) return undefined;
  return { rrule: lines!.join('\n') };
}

async function bookingMoved(deps: InboundDeps, bookingId: string, record: WrittenEvent, accepted: WrittenEvent, to: { start: string; end: string }): Promise<string | undefined> {
  const booking = await deps.scheduling.bookings.get(bookingId);
  if (!booking) {
    await deps.records.replaceIfEtag(accepted, record.etag);
    return undefined;
  }
  const outcome = await takeOverGoogleMove(deps.scheduling, booking, to);
  if ('flagged' in outcome) {
    // The record keeps the booking's time, so the conflict stays visible until the host moves one of them.
    await deps.records.replaceIfEtag({ ...accepted, start: record.start, end: record.end }, record.etag);
    deps.log.warn('booking moved in Google could not follow', { bookingId, start: to.start, end: to.end, reason: outcome.reason });
    return `booking ${bookingId} was moved in Google to ${to.start}; it keeps its time here: ${outcome.reason}`;
  }
  const now = 'moved' in outcome ? outcome.moved : outcome.unchanged;
  await deps.records.replaceIfEtag({ ...accepted, start: now.start, end: now.end, contentHash: copyHash(bookingCopy(now)) }, record.etag);
  return 'moved' in outcome && outcome.moved.start !== booking.start ? `booking ${bookingId} was moved in Google; it now starts ${to.start}` : undefined;
}

async function meetingDeleted(deps: InboundDeps, meetingId: string): Promise<string | undefined> {
  const meeting = await deps.meetings.meetings.get(meetingId);
  if (!meeting) return undefined;
  await deleteMeeting(deps.meetings, meeting.organizerId, meeting.id, undefined);
  return `meeting ${meetingId} was deleted in Google; deleted here too`;
}

async function bookingDeleted(deps: InboundDeps, bookingId: string): Promise<string | undefined> {
  const booking = await deps.scheduling.bookings.get(bookingId);
  if (!booking || booking.status !== 'confirmed') return undefined;
  await cancelFromGoogle(deps.scheduling, booking);
  return `booking ${bookingId} was deleted in Google; cancelled here by its host`;
}

/** One occurrence of a series we wrote, moved or deleted in Google: it becomes (or stays) the same exception here. */
async function takeOverOccurrence(deps: InboundDeps, meetingId: string, event: MarkedEvent): Promise<string[]> {
  const meeting = await deps.meetings.meetings.get(meetingId);
  const original = event.originalStartTime?.dateTime;
  if (!meeting?.rrule || !original) return [];
  const originalMs = Date.parse(original);
  if (event.status === 'cancelled') {
    if ((meeting.cancelled ?? []).some((start) => Date.parse(start) === originalMs)) return [];
    if ((meeting.exdates ?? []).some((start) => Date.parse(start) === originalMs)) return [];
    await deleteMeeting(deps.meetings, meeting.organizerId, meeting.id, new Date(originalMs).toISOString());
    return [`occurrence ${original} of series ${meeting.id} was deleted in Google; cancelled here too`];
  }
  const start = event.start?.dateTime;
  const end = event.end?.dateTime;
  if (!start || !end || occurrenceIsAt(meeting, originalMs, start, end)) return [];
  await updateMeeting(deps.meetings, meeting.organizerId, meeting.id, new Date(originalMs).toISOString(), { start, end });
  return [`occurrence ${original} of series ${meeting.id} was moved in Google; it now starts ${start}`];
}

function occurrenceIsAt(meeting: Meeting, originalMs: number, start: string, end: string): boolean {
  const override = meeting.overrides?.find((entry) => Date.parse(entry.originalStart) === originalMs);
  if (override) return sameInstant(override.start, start) && sameInstant(override.end, end);
  const durationMs = Date.parse(meeting.end) - Date.parse(meeting.start);
  return Date.parse(start) === originalMs && Date.parse(end) === originalMs + durationMs;
}
