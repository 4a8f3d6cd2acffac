// The meeting entity (a native event, single or a series) and how each viewer sees it.
import type { Series, SeriesOverride } from '../domain/recurrence';
import { isoInZone } from '../kernel/time-zone';

export type AttendeeStatus = 'organizer' | 'pending' | 'accepted' | 'declined';
export type Attendee = { userId: string; status: AttendeeStatus };

/** One changed occurrence of a series, keyed by the start it would have had. */
export type MeetingOverride = SeriesOverride & { title?: string; description?: string };

export type Meeting = {
  id: string;
  title: string;
  description?: string;
  /** First (or only) start, ISO with the event zone's offset. */
  start: string;
  end: string;
  timeZone: string;
  organizerId: string;
  attendees: Attendee[];
  /**
   * Users who declined and were then removed from the attendees: adding one of them again brings the decline
   * back (a decline stands until its author changes it). Kept apart from `attendees` so that nobody removed
   * keeps an index item, reminders or a view of the meeting.
   */
  declinedBy?: string[];
  visibility: 'public' | 'private';
  rrule?: string;
  exdates?: string[];
  /** Cancelled single occurrences of a series (original starts, UTC ISO). */
  cancelled?: string[];
  overrides?: MeetingOverride[];
  /** Minutes before; absent means each attendee's own default. */
  reminders?: number[];
  createdAt: string;
  updatedAt: string;
  version: number;
};

/**
 * What the calendar views (a user's listing, free time, booking slots) read of a meeting: everything but its
 * description, reminders, removed decliners and timestamps. The store keeps this copy on every participant's index
 * item, so a listing reads it with the range query itself.
 */
export type ListedMeeting = Pick<Meeting, 'id' | 'title' | 'start' | 'end' | 'timeZone' | 'organizerId' | 'attendees' | 'visibility' | 'rrule' | 'exdates' | 'cancelled' | 'overrides'>;

export function toListed(meeting: ListedMeeting): ListedMeeting {
  return {
    id: meeting.id,
    title: meeting.title,
    start: meeting.start,
    end: meeting.end,
    timeZone: meeting.timeZone,
    organizerId: meeting.organizerId,
    attendees: meeting.attendees,
    visibility: meeting.visibility,
    ...(meeting.rrule ? { rrule: meeting.rrule } : {}),
    ...(meeting.exdates?.length ? { exdates: meeting.exdates } : {}),
    ...(meeting.cancelled?.length ? { cancelled: meeting.cancelled } : {}),
    // An occurrence's description is shown by GET /events/{id} only.
    ...(meeting.overrides?.length ? { overrides: meeting.overrides.map(({ description: _description, ...override }) => override) } : {}),
  };
}

export function toSeries(meeting: Pick<Meeting, 'start' | 'end' | 'timeZone' | 'rrule' | 'exdates' | 'cancelled' | 'overrides'>): Series<MeetingOverride> {
  return {
    start: meeting.start,
    durationMs: Date.parse(meeting.end) - Date.parse(meeting.start),
    timeZone: meeting.timeZone,
    rrule: meeting.rrule,
    exdates: meeting.exdates,
    cancelled: meeting.cancelled,
    overrides: meeting.overrides,
  };
}

export function isParticipant(meeting: Pick<Meeting, 'attendees'>, userId: string | undefined): boolean {
  return userId !== undefined && meeting.attendees.some((attendee) => attendee.userId === userId);
}

export function statusOf(meeting: Pick<Meeting, 'attendees'>, userId: string): AttendeeStatus | undefined {
  return meeting.attendees.find((attendee) => attendee.userId === userId)?.status;
}

/**
 * Whether a viewer sees a meeting's title, description and attendees: its attendees (the organizer included)
 * always; members of a company its organizer belongs to (`organizerIsColleague`) when it is public; nobody else.
 */
export function seesDetails(meeting: Pick<Meeting, 'attendees' | 'visibility'>, viewerId: string, organizerIsColleague: boolean): boolean {
  return isParticipant(meeting, viewerId) || (meeting.visibility === 'public' && organizerIsColleague);
}

/** The full event for those who see its details (`seesDetails`), `{id, start, end, busy}` for anyone else. */
export function toEventReply(meeting: Meeting, viewerId: string, organizerIsColleague = false) {
  if (!seesDetails(meeting, viewerId, organizerIsColleague)) {
    return { id: meeting.id, start: meeting.start, end: meeting.end, busy: true as const };
  }
  const exceptions = [
    ...(meeting.overrides ?? []).map((o) => ({ originalStart: isoInZone(Date.parse(o.originalStart), meeting.timeZone), start: o.start, end: o.end, ...(o.title ? { title: o.title } : {}) })),
    ...(meeting.cancelled ?? []).map((c) => ({ originalStart: isoInZone(Date.parse(c), meeting.timeZone), cancelled: true })),
  ];
  return {
    id: meeting.id,
    title: meeting.title,
    ...(meeting.description !== undefined ? { description: meeting.description } : {}),
    start: meeting.start,
    end: meeting.end,
    timeZone: meeting.timeZone,
    organizerId: meeting.organizerId,
    attendees: meeting.attendees,
    ...(meeting.rrule ? { rrule: meeting.rrule } : {}),
    ...(meeting.exdates?.length ? { exdates: meeting.exdates } : {}),
    visibility: meeting.visibility,
    ...(meeting.reminders ? { reminders: meeting.reminders } : {}),
    ...(exceptions.length ? { exceptions } : {}),
  };
}
