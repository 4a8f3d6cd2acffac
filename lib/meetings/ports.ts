// What the meeting use cases need from storage and from other features.
import type { Interval } from '../domain/interval';
import type { Meeting } from './meeting';

export type MeetingRepo = {
  /** Writes the meeting and its per-participant index items in one transaction. */
  create(meeting: Meeting): Promise<void>;
  get(meetingId: string): Promise<Meeting | undefined>;
  /** Replaces `previous` (checked by version) with `next`, moving index items as times or participants change. */
  replace(previous: Meeting, next: Meeting): Promise<void>;
  delete(meeting: Meeting): Promise<void>;
  /** Meetings of a participant that may have an occurrence in the range (single events by range query, plus the series set). */
  listForParticipant(userId: string, range: Interval): Promise<Meeting[]>;
};

/** Busy time from elsewhere (bookings, synced Google calendars) that the free-time search must respect. */
export type BusySource = (userId: string, range: Interval) => Promise<Interval[]>;
