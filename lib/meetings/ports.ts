// What the meeting use cases need from storage and from other features.
import type { Interval } from '../domain/interval';
import type { QueuedMail } from '../domain/mail-messages';
import type { ListedMeeting, Meeting } from './meeting';

/** Each write takes the outbox items its change causes (lib/meetings/meeting-mail.ts) into its own transaction. */
export type MeetingRepo = {
  /** Writes the meeting and its per-participant index items in one transaction. */
  create(meeting: Meeting, mail?: QueuedMail[]): Promise<void>;
  get(meetingId: string): Promise<Meeting | undefined>;
  /** Replaces `previous` (checked by version) with `next`, moving index items as times or participants change. */
  replace(previous: Meeting, next: Meeting, mail?: QueuedMail[]): Promise<void>;
  delete(meeting: Meeting, mail?: QueuedMail[]): Promise<void>;
  /**
   * Meetings of a participant that may have an occurrence in the range (single events by range query, plus the series
   * set), as the calendar views read them; `only` reads one of the two (a caller may still be handed more than asked).
   */
  listForParticipant(userId: string, range: Interval, only?: 'single' | 'series'): Promise<ListedMeeting[]>;
};

/** Busy time from elsewhere (bookings, synced Google calendars) that the free-time search must respect. */
export type BusySource = (userId: string, range: Interval) => Promise<Interval[]>;

/**
 * An occurrence from elsewhere (bookings, synced calendars), in epoch ms, as its owner sees it. `companyId`: the
 * company that syncs it (synced Google events), whose members may see its title as they do in that company's views.
 */
export type SourcedOccurrence = { id: string; start: number; end: number; timeZone: string; title: string; source: 'google' | 'booking'; status?: string; companyId?: string };

/** Occurrences from elsewhere that a user's calendar lists; others see them as busy only (but see `companyId`). */
export type OccurrenceSource = (userId: string, range: Interval) => Promise<SourcedOccurrence[]>;

/** Keeps the reminder schedule in step with meetings; called after each successful write (lib/reminders implements it). */
export type ReminderScheduler = {
  /** `previous` is undefined for a new meeting. */
  meetingSaved(previous: Meeting | undefined, next: Meeting): Promise<void>;
  meetingDeleted(meeting: Meeting): Promise<void>;
};

/** What a meeting or booking is: the source of a copy written to Google. */
export type WriteBackSource = 'meeting' | 'booking';

/** How meetings and bookings ask for a write-back after a successful change; never throws. */
export type WriteBackRequests = { request(source: WriteBackSource, sourceId: string, userId: string): Promise<void> };
