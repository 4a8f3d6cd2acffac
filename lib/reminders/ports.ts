// What the reminder use cases need from storage and logging.
import type { Page } from '../domain/pagination';

/**
 * One entry of the reminder schedule: user `userId` is to be reminded `minutes` before the occurrence of
 * `eventId` that starts at `occurrenceStart` (its actual start, epoch ms); due at `fireAt`.
 * (eventId, occurrenceStart, minutes, userId) identifies the reminder and its one delivery.
 */
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
  /** The entries whose fire time lies in the UTC minute starting at `minute` (epoch ms). */
  listMinute(minute: number): Promise<ScheduledReminder[]>;
  /**
   * In one transaction: claims the reminder's delivery key (only if nobody has), stores the notification
   * and removes the entry. False, with nothing written, when the reminder was already delivered.
   */
  deliver(entry: ScheduledReminder, notification: Notification): Promise<boolean>;
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

/** The structured log lines of the job (lib/http/logger.ts in production, a recorder in tests). */
export type JobLog = {
  debug(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
};
