// The mail a meeting change causes, decided here as data and handed to the store, which writes it to the outbox in
// the change's own transaction: one `meeting_mail` item per change, naming every invitee told and what they are told
// (the sender expands it into one mail each). The organizer gets none: they are the invitation's ORGANIZER.
// Invitees who declined are told of changes and cancellations too (as Google does): a decline can be taken back
// while the meeting holds, and their calendar may still show it.
import type { MailParty, MeetingMailFacts, MeetingMailKind, QueuedMail } from '../domain/mail-messages';
import type { MeetingAttendeeStatus } from '../domain/ics';
import { seriesEnd } from '../domain/recurrence';
import { newId } from '../kernel/ids';
import type { User } from '../users/user';
import { type Meeting, toSeries } from './meeting';

export type MeetingPerson = Pick<User, 'id' | 'name' | 'email' | 'timeZone'>;

export type MeetingChange =
  | { type: 'created'; next: Meeting }
  /** `occurrence`: the original start (epoch ms) of the one occurrence changed, when only that one was. */
  | { type: 'updated'; previous: Meeting; next: Meeting; occurrence?: number }
  | { type: 'occurrence_cancelled'; previous: Meeting; next: Meeting; occurrence: number }
  | { type: 'deleted'; previous: Meeting };

const PARTSTAT: Record<string, MeetingAttendeeStatus> = { pending: 'NEEDS-ACTION', accepted: 'ACCEPTED', declined: 'DECLINED' };

const inviteesOf = (meeting: Meeting) => meeting.attendees.filter((attendee) => attendee.status !== 'organizer');

/** The users whose names and addresses a change's mail needs: the organizer and everyone invited before or after. */
export function peopleOf(change: MeetingChange): string[] {
  const meetings = change.type === 'created' ? [change.next] : change.type === 'deleted' ? [change.previous] : [change.previous, change.next];
  return [...new Set(meetings.flatMap((meeting) => meeting.attendees.map((attendee) => attendee.userId)))];
}

const party = (person: MeetingPerson): MailParty => ({ name: person.name, email: person.email, timeZone: person.timeZone });

/** The facts every mail of the change renders from: the meeting as the change leaves it (as it was, for a deletion). */
export function meetingMailFacts(meeting: Meeting, people: ReadonlyMap<string, MeetingPerson>, sequence: number, stamp: number): MeetingMailFacts | undefined {
  const organizer = people.get(meeting.organizerId);
  if (!organizer) return undefined;
  const excluded = [...(meeting.exdates ?? []), ...(meeting.cancelled ?? [])].map((iso) => Date.parse(iso));
  return {
    meetingId: meeting.id,
    title: meeting.title,
    ...(meeting.description ? { description: meeting.description } : {}),
    start: Date.parse(meeting.start),
    end: Date.parse(meeting.end),
    timeZone: meeting.timeZone,
    ...(meeting.rrule
      ? {
          rrule: meeting.rrule,
          ...(excluded.length ? { exdates: excluded } : {}),
          ...(meeting.overrides?.length
            ? {
                overrides: meeting.overrides.map((override) => ({
                  originalStart: Date.parse(override.originalStart),
                  start: Date.parse(override.start),
                  end: Date.parse(override.end),
                  ...(override.title ? { title: override.title } : {}),
                })),
              }
            : {}),
          lastEnd: seriesEnd(toSeries(meeting)),
        }
      : {}),
    organizer: party(organizer),
    attendees: inviteesOf(meeting).flatMap((attendee) => {
      const person = people.get(attendee.userId);
      return person ? [{ name: person.name, email: person.email, status: PARTSTAT[attendee.status] }] : [];
    }),
    sequence,
    stamp,
  };
}

/** Whether what an invitee's calendar shows changed: times, zone, rule, exceptions, title or description. */
function contentChanged(previous: Meeting, next: Meeting): boolean {
  const shown = (meeting: Meeting) =>
    JSON.stringify([meeting.title, meeting.description ?? '', meeting.start, meeting.end, meeting.timeZone, meeting.rrule ?? '', meeting.exdates ?? [], meeting.cancelled ?? [], meeting.overrides ?? []]);
  return shown(previous) !== shown(next);
}

/** Who is told what: [userId, kind] pairs. */
function recipients(change: MeetingChange): Array<[string, MeetingMailKind]> {
  switch (change.type) {
    case 'created':
      return inviteesOf(change.next).map((attendee) => [attendee.userId, 'meeting_invitation']);
    case 'deleted':
      return inviteesOf(change.previous).map((attendee) => [attendee.userId, 'meeting_cancelled']);
    case 'occurrence_cancelled':
      return inviteesOf(change.next).map((attendee) => [attendee.userId, 'meeting_cancelled']);
    case 'updated': {
      const before = new Set(inviteesOf(change.previous).map((attendee) => attendee.userId));
      const after = new Set(inviteesOf(change.next).map((attendee) => attendee.userId));
      const changed = contentChanged(change.previous, change.next);
      return [
        ...[...after].flatMap((userId): Array<[string, MeetingMailKind]> => (!before.has(userId) ? [[userId, 'meeting_invitation']] : changed ? [[userId, 'meeting_updated']] : [])),
        ...[...before].filter((userId) => !after.has(userId)).map((userId): [string, MeetingMailKind] => [userId, 'meeting_cancelled']),
      ];
    }
  }
}

/**
 * The outbox item of a change: none when nobody is to be told (or the organizer is unknown); invitees with no
 * account left are skipped. The SEQUENCE is the version the change leaves minus one (a deletion counts as a version).
 */
export function queueMeetingMail(change: MeetingChange, people: ReadonlyMap<string, MeetingPerson>, now: Date): QueuedMail[] {
  const meeting = change.type === 'deleted' ? change.previous : change.next;
  const sequence = change.type === 'deleted' ? change.previous.version : change.next.version - 1;
  const facts = meetingMailFacts(meeting, people, sequence, now.getTime());
  const told = recipients(change).flatMap(([userId, kind]) => {
    const person = people.get(userId);
    return person && userId !== meeting.organizerId ? [{ kind, to: party(person) }] : [];
  });
  if (!facts || told.length === 0) return [];
  const occurrence = change.type === 'occurrence_cancelled' || change.type === 'updated' ? change.occurrence : undefined;
  return [
    {
      id: newId(),
      message: { kind: 'meeting_mail', meeting: facts, recipients: told, ...(occurrence !== undefined ? { occurrence } : {}) },
      createdAt: now.getTime(),
    },
  ];
}
