// Who gets which reminders of a meeting, and the schedule entries for the next fire of each.
import { nextReminderFires, type ReminderFire } from '../domain/reminders';
import { type Meeting, toSeries } from '../meetings/meeting';
import type { UserRepo } from '../users/ports';
import type { ScheduledReminder } from './ports';

/** Participants who get reminders: everyone but those who declined (pending invitees are reminded, as in Google Calendar). */
export function reminderRecipients(meeting: Meeting): string[] {
  return meeting.attendees.filter((attendee) => attendee.status !== 'declined').map((attendee) => attendee.userId);
}

/** The event's own reminders, or else the recipient's profile default (none for an unknown user). */
export function reminderMinutesFor(meeting: Meeting, profileMinutes: readonly number[] | undefined): number[] {
  return [...new Set(meeting.reminders ?? profileMinutes ?? [])];
}

/** Profile defaults of the meetings' recipients, loaded only when some meeting has no reminders of its own. */
export async function loadProfileMinutes(users: Pick<UserRepo, 'getMany'>, meetings: Meeting[]): Promise<Map<string, number[]>> {
  const needed = [...new Set(meetings.filter((meeting) => !meeting.reminders).flatMap(reminderRecipients))];
  if (!needed.length) return new Map();
  return new Map((await users.getMany(needed)).map((user) => [user.id, user.reminderMinutes ?? []]));
}

export function toScheduledReminder(eventId: string, userId: string, fire: ReminderFire): ScheduledReminder {
  return { eventId, userId, minutes: fire.minutes, occurrenceStart: fire.occurrenceStart, fireAt: fire.fireAt };
}

/** For each (recipient, minutes), the entry of the next fire at or after `after`. */
export function plannedReminders(meeting: Meeting, profileMinutes: Map<string, number[]>, after: number): ScheduledReminder[] {
  const series = toSeries(meeting);
  // The fire for "m minutes before" is the same for every recipient: compute it once per m.
  const fireByMinutes = new Map<number, ReminderFire | undefined>();
  const fireFor = (minutes: number) => {
    if (!fireByMinutes.has(minutes)) fireByMinutes.set(minutes, nextReminderFires(series, [minutes], after)[0]);
    return fireByMinutes.get(minutes);
  };
  return reminderRecipients(meeting).flatMap((userId) =>
    reminderMinutesFor(meeting, profileMinutes.get(userId)).flatMap((minutes) => {
      const fire = fireFor(minutes);
      return fire ? [toScheduledReminder(meeting.id, userId, fire)] : [];
    }),
  );
}

/** A stable identity of a reminder, for comparing entry lists. */
export function reminderIdentity(entry: ScheduledReminder): string {
  return `${entry.eventId}#${entry.occurrenceStart}#${entry.minutes}#${entry.userId}`;
}
