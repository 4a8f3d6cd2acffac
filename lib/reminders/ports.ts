// What the reminder use cases need from storage and logging.
import type { Page } from '../domain/pagination';
import type { Meeting } from '../meetings/meeting';

/**
 * One entry of the reminder schedule: user `userId` is to be reminded `minutes` before the occurrence of
 * `eventId` that starts at `occurrenceStart` (its actual start, epoch ms); due at `fireAt`.
 * (eventId, occurrenceStart, minutes, userId) identifies the reminder and its one delivery.
 */
/** What a meeting's reminder schedule depends on (no title or description: it is kept in pending items and logs). */
export type ScheduleBasis = Pick<Meeting, 'id' | 'start' | 'end' | 'timeZone' | 'attendees' | 'rrule' | 'exdates' | 'cancelled' | 'overrides' | 'reminders'>;

export type ScheduledReminder = { eventId: string; occurrenceStart: number; minutes: number; userId: string; fireAt: number };

/** A delivered reminder as its recipient reads it (GET /users/me/notifications). */
export type Notification = {
  id: string;
  kind: 'reminder';
  userId: string;
  eventId: string;
  title: string;
  /** The occurrence's start and end, ISO with the event zone's offset. */
  start: string;
  end: string;
  minutesBefore: number;
  deliveredAt: string;
};

export type ReminderScheduleRepo = {
  /** Writes entries into the bucket of their fire minute; writing the same reminder twice leaves one entry. */
  put(entries: ScheduledReminder[]): Promise<void>;
  remove(entries: ScheduledReminder[]): Promise<void>;
  /** The entries whose fire time lies in the UTC minute starting at `minute` (epoch ms); items that are not entries are left out. */
  listMinute(minute: number): Promise<ScheduledReminder[]>;
  /** Counts one more failed attempt at handling the entry and gives the count so far (0 when the entry is not stored). */
  recordFailure(entry: ScheduledReminder): Promise<number>;
  /**
   * In one transaction: claims the reminder's delivery key (only if nobody has), stores the notification
   * and removes the entry. False, with nothing written, when the reminder was already delivered.
   */
  deliver(entry: ScheduledReminder, notification: Notification): Promise<boolean>;
};

/**
 * A reschedule that could not finish when it was asked for, kept for the reminder job to redo from the current state.
 * `meeting`: a meeting's entries (after a save or delete whose scheduling failed); `previous` are the states it had
 * before (their entries are stale unless the current state plans them too; none for a new meeting).
 * `user`: the entries that use a user's default minutes (after a change of the default); `previousMinutes` are
 * defaults whose entries may still be in the schedule, `cursor` where the listing of their upcoming meetings resumes.
 * `keptAt` is the first time it was kept and not yet repaired; `version` grows with each keep (removal is conditional on it).
 */
export type PendingReschedule =
  | { kind: 'meeting'; eventId: string; previous: ScheduleBasis[]; keptAt: number; version: number }
  | { kind: 'user'; userId: string; previousMinutes: number[]; cursor?: string; keptAt: number; version: number };

export type PendingReschedules = {
  /** Keeps (or adds to) the meeting's pending item; previous states accumulate. */
  keepMeeting(eventId: string, previous: ScheduleBasis | undefined, keptAt: number): Promise<void>;
  /** Keeps (or adds to) the user's pending item; the cursor is set (undefined: from the first meeting again). */
  keepUser(userId: string, kept: { previousMinutes: number[]; cursor?: string }, keptAt: number): Promise<void>;
  getUser(userId: string): Promise<Extract<PendingReschedule, { kind: 'user' }> | undefined>;
  /** Up to `limit` pending items. */
  list(limit: number): Promise<PendingReschedule[]>;
  /** Forgets the item unless it was kept again since it was read (its version moved). */
  remove(item: PendingReschedule): Promise<void>;
  /** Moves a user item's cursor unless it was kept again since it was read. */
  advance(item: Extract<PendingReschedule, { kind: 'user' }>, cursor: string): Promise<void>;
};

/** The meetings of a participant that can still have a reminder fire at or after a time, a page at a time. */
export type UpcomingMeetings = {
  /**
   * Their series that have not ended before `from`, then their single events starting at or after `from`, by start.
   * `cursor` is a nextCursor this returned; a page may hold fewer than `limit` meetings (even none) and still have more.
   */
  listUpcomingForParticipant(userId: string, from: number, page: { limit: number; cursor?: string }): Promise<{ meetings: Meeting[]; nextCursor?: string }>;
};

/** Where the job resumes: the first minute bucket not yet known to be done. */
export type JobCursor = {
  /** Epoch ms of that minute, or undefined before the first run. */
  read(): Promise<number | undefined>;
  /** Moves the cursor to `minute`; never moves it back (a concurrent run may be further). */
  advance(minute: number): Promise<void>;
};

export type NotificationRepo = {
  /** The user's notifications, newest first; `cursor` is a nextCursor this returned. */
  listForUser(userId: string, page: { limit: number; cursor?: string }): Promise<Page<Notification>>;
};

