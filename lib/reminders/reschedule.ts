// Recomputing schedule entries from the current state: of one meeting (after it changed), or of the upcoming meetings that
// use one user's default minutes (after the default changed). Used after each change and by the job's repair of pending
// reschedules; running either twice leaves the same schedule.
import type { User } from '../users/user';
import type { UserRepo } from '../users/ports';
import { loadProfileMinutes, plannedDefaultReminders, plannedReminders, withoutIdentities } from './planning';
import type { ReminderScheduleRepo, ScheduleBasis, ScheduledReminder, UpcomingMeetings } from './ports';

export type RescheduleDeps = { schedule: Pick<ReminderScheduleRepo, 'put' | 'remove'>; users: Pick<UserRepo, 'getMany'> };

/** What a reschedule planned; `past` are planned entries due before `writeFrom`, not written (the job handles them at once). */
export type Rescheduled = { planned: ScheduledReminder[]; past: ScheduledReminder[] };

/**
 * Writes the next fire at or after `after` of each reminder of `current` (undefined: the meeting is gone) and removes the
 * entries `previous` states planned that `current` does not. Entries due before `writeFrom` are returned, not written.
 */
export async function rescheduleMeeting(
  deps: RescheduleDeps,
  current: ScheduleBasis | undefined,
  previous: ScheduleBasis[],
  after: number,
  writeFrom = after,
): Promise<Rescheduled> {
  const profiles = await loadProfileMinutes(deps.users, current ? [current, ...previous] : previous);
  const planned = current ? plannedReminders(current, profiles, after) : [];
  await deps.schedule.remove(withoutIdentities(previous.flatMap((state) => plannedReminders(state, profiles, after)), planned));
  // Every planned entry is written again, not only new ones: a put is idempotent and this heals a missed write.
  await deps.schedule.put(planned.filter((entry) => entry.fireAt >= writeFrom));
  return { planned, past: planned.filter((entry) => entry.fireAt < writeFrom) };
}

/**
 * One page of the upcoming meetings of `user` (series not ended, single events starting at or after `after`: nothing else
 * can have a fire left), rescheduled for the entries that use their default: meetings with reminders of their own and those
 * the user declined are left alone. Entries planned with `staleMinutes` and not with the current default are removed.
 */
export async function rescheduleDefaultsPage(
  deps: Pick<RescheduleDeps, 'schedule'> & { upcoming: UpcomingMeetings },
  user: Pick<User, 'id' | 'reminderMinutes'>,
  staleMinutes: number[],
  after: number,
  page: { limit: number; cursor?: string },
  writeFrom = after,
): Promise<Rescheduled & { meetings: number; nextCursor?: string }> {
  const listed = await deps.upcoming.listUpcomingForParticipant(user.id, after, page);
  const planned = listed.meetings.flatMap((meeting) => plannedDefaultReminders(meeting, user.id, user.reminderMinutes, after));
  const stale = listed.meetings.flatMap((meeting) => plannedDefaultReminders(meeting, user.id, staleMinutes, after));
  await deps.schedule.remove(withoutIdentities(stale, planned));
  await deps.schedule.put(planned.filter((entry) => entry.fireAt >= writeFrom));
  return {
    planned,
    past: planned.filter((entry) => entry.fireAt < writeFrom),
    meetings: listed.meetings.length,
    ...(listed.nextCursor ? { nextCursor: listed.nextCursor } : {}),
  };
}
