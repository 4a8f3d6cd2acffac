// What the sync does with events that carry our marker (copies we wrote back). The etag we wrote means our own
// write coming back: nothing to do, so nothing echoes. Any other etag means a person changed it in Google: that
// change wins. A moved meeting takes the new time (through the meeting use case, reminders included) and the
// record takes Google's etag and the body we would now write, so the write-back that follows has nothing to send.
// A moved booking is not moved here (its lock cells need a transaction of their own): it is flagged in the
// record and the sync log.
import { logger } from '../http/logger';
import { updateMeeting, type MeetingDeps } from '../meetings/use-cases';
import type { RemoteEvent } from '../connections/ports';
import type { WriteBackRepo, WrittenEvent } from './ports';
import { contentHash, MARKER_ID, MARKER_SOURCE, meetingBody } from './write-back';

export type InboundDeps = { records: Pick<WriteBackRepo, 'get' | 'delete' | 'replaceIfEtag'>; meetings: MeetingDeps };

type MarkedEvent = RemoteEvent & { extendedProperties?: { private?: Record<string, string> | null } | null };

const sameInstant = (a: string | undefined | null, b: string | undefined | null) => Boolean(a && b) && Date.parse(a!) === Date.parse(b!);

/** Looks at one page of listed events; returns notes for the sync log. Idempotent: a page read again changes nothing. */
export async function reconcileInbound(deps: InboundDeps, items: RemoteEvent[]): Promise<string[]> {
  const notes: string[] = [];
  for (const event of items as MarkedEvent[]) {
    const marker = event.extendedProperties?.private;
    const source = marker?.[MARKER_SOURCE];
    const sourceId = marker?.[MARKER_ID];
    if ((source !== 'meeting' && source !== 'booking') || !sourceId || !event.id) continue;
    const record = await deps.records.get(source, sourceId);
    // Not (or no longer) our copy, or our own write echoing back.
    if (!record || record.googleEventId !== event.id || !event.etag || event.etag === record.etag) continue;
    if (event.status === 'cancelled') {
      // Deleted in Google: our meeting or booking stays; the copy is forgotten and written again at its next change.
      await deps.records.delete(source, sourceId);
      notes.push(`${source} ${sourceId} was deleted in Google; kept here`);
      continue;
    }
    const start = event.start?.dateTime;
    const end = event.end?.dateTime;
    const accepted: WrittenEvent = { ...record, etag: event.etag, ...(start && end ? { start, end } : {}) };
    if (!start || !end || (sameInstant(start, record.start) && sameInstant(end, record.end))) {
      // Not a move (a title, or an all-day change we do not take over): remember Google's etag only.
      await deps.records.replaceIfEtag(accepted, record.etag);
      continue;
    }
    if (source === 'booking') {
      await deps.records.replaceIfEtag({ ...accepted, start: record.start, end: record.end }, record.etag);
      notes.push(`booking ${sourceId} was moved in Google to ${start}; the booking keeps its time (flagged)`);
      logger.warn('booking moved in Google', { bookingId: sourceId, start, end });
      continue;
    }
    const meeting = await deps.meetings.meetings.get(sourceId);
    if (!meeting) continue;
    if (meeting.rrule) {
      await deps.records.replaceIfEtag(accepted, record.etag);
      notes.push(`series ${sourceId} was changed in Google; series are not taken over`);
      continue;
    }
    await updateMeeting(deps.meetings, meeting.organizerId, meeting.id, undefined, { start, end });
    const moved = await deps.meetings.meetings.get(sourceId);
    await deps.records.replaceIfEtag({ ...accepted, ...(moved ? { contentHash: contentHash(meetingBody(moved)) } : {}) }, record.etag);
    notes.push(`meeting ${sourceId} was moved in Google; it now starts ${start}`);
  }
  return notes;
}
