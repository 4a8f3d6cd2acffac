// Who gets which reminders of a meeting, and the schedule entries for the next fire of each.
import { nextReminderFires, type ReminderFire } from '../domain/reminders';
import { type Meeting, toSeries } from '../meetings/meeting';
import type { UserRepo } from '../users/ports';
import type { ScheduleBasis, ScheduledReminder } from './ports';


export function scheduleBasisOf(meeting: ScheduleBasis): ScheduleBasis {
  const { id, start, end, timeZone, attendees, rrule, exdates, cancelled, overrides, reminders } = meeting;
  return {
    id,
    start,
    end,
    timeZone,
    attendees,
    ...(rrule !== undefined ? { rrule } : {}),
    ...(exdates !== undefined ? { exdates } : {}),
    ...(cancelled !== undefined ? { cancelled } : {}),
    ...(overrides !== undefined ? { overrides: overrides.map(({ originalStart, start: movedStart, end: movedEnd }) => ({ originalStart, start: movedStart, end: movedEnd })) } : {}),
    ...(reminders !== undefined ? { reminders } : {}),
  };
}

/** Participants who get reminders: everyone but those who declined (pending invitees are reminded, as in Google Calendar). */
export function reminderRecipients(meeting: Pick<Meeting, 'attendees'>): string[] {
  return meeting.attendees.filter((attendee) => attendee.status !== 'declined').map((attendee) => attendee.userId);
}

/** The event's own reminders, or else the recipient's profile default (none for an unknown user). */
export function reminderMinutesFor(meeting: Pick<Meeting, 'reminders'>, profileMinutes: readonly number[] | undefined): number[] {
  return [...new Set(meeting.reminders ?? profileMinutes ?? [])];
}

/** Profile defaults of the meetings' recipients, loaded only when some meeting has no reminders of its own. */
export async function loadProfileMinutes(users: Pick<UserRepo, 'getMany'>, meetings: ScheduleBasis[]): Promise<Map<string, number[]>> {
  const needed = [...new Set(meetings.filter((meeting) => !meeting.reminders).flatMap(reminderRecipients))];
  if (!needed.length) return new Map();
  return new Map((await users.getMany(needed)).map((user) => [user.id, user.reminderMinutes ?? []]));
}

export function toScheduledReminder(eventId: string, userId: string, fire: ReminderFire): ScheduledReminder {
  return { eventId, userId, minutes: fire.minutes, occurrenceStart: fire.occurrenceStart, fireAt: fire.fireAt };
}

/** For each (recipient, minutes), the entry of the next fire at or after `after`. */
export function plannedReminders(meeting: ScheduleBasis, profileMinutes: Map<string, number[]>, after: number): ScheduledReminder[] {
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

/**
 * The entries of one recipient who would use `defaultMinutes` as their default: none when the meeting has reminders of its
 * own (the default does not apply) or the user is no recipient. What a change of that user's default touches.
 */
export function plannedDefaultReminders(meeting: ScheduleBasis, userId: string, defaultMinutes: readonly number[], after: number): ScheduledReminder[] {
  if (meeting.reminders || !reminderRecipients(meeting).includes(userId)) return [];
  return nextReminderFires(toSeries(meeting), defaultMinutes, after).map((fire) => toScheduledReminder(meeting.id, userId, fire));
}

/** A stable identity of a reminder, for comparing entry lists. */
export function reminderIdentity(entry: ScheduledReminder): string {
  return `${entry.eventId}#${entry.occurrenceStart}#${entry.minutes}#${entry.userId}`;
}

/** `entries` minus those with the identity of one in `kept`. */
export function withoutIdentities(entries: ScheduledReminder[], kept: ScheduledReminder[]): ScheduledReminder[] {
  const keptIds = new Set(kept.map(reminderIdentity));
  return entries.filter((entry) => !keptIds.has(reminderIdentity(entry)));
}
