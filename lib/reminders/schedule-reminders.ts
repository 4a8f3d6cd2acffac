// Keeps the reminder schedule in step with meetings: the meeting use cases call this after each write.
import { floorToMinute } from '../domain/reminders';
import type { ReminderScheduler } from '../meetings/ports';
import type { Clock, UserRepo } from '../users/ports';
import { loadProfileMinutes, plannedReminders, reminderIdentity } from './planning';
import type { ReminderScheduleRepo } from './ports';

export type ReminderSchedulerDeps = { schedule: Pick<ReminderScheduleRepo, 'put' | 'remove'>; users: Pick<UserRepo, 'getMany'>; clock: Clock };

/**
 * Only the next fire of each (recipient, minutes) is written, however far ahead it is: one entry per
 * pair whatever the horizon, and the job writes the following occurrence's entry when one fires. Fires
 * from the current minute on count (the job re-reads the current minute), earlier ones are not sent late.
 * Entries that a change makes stale are removed here; the job re-checks every entry anyway.
 */
export function createReminderScheduler(deps: ReminderSchedulerDeps): ReminderScheduler {
  const firstMinute = () => floorToMinute(deps.clock.now().getTime());
  return {
    async meetingSaved(previous, next) {
      const after = firstMinute();
      const profiles = await loadProfileMinutes(deps.users, previous ? [previous, next] : [next]);
      const planned = plannedReminders(next, profiles, after);
      const kept = new Set(planned.map(reminderIdentity));
      const stale = previous ? plannedReminders(previous, profiles, after).filter((entry) => !kept.has(reminderIdentity(entry))) : [];
      await deps.schedule.remove(stale);
      // Every planned entry is written again, not only new ones: a put is idempotent and this heals a missed write.
      await deps.schedule.put(planned);
    },
    async meetingDeleted(meeting) {
      const profiles = await loadProfileMinutes(deps.users, [meeting]);
      await deps.schedule.remove(plannedReminders(meeting, profiles, firstMinute()));
    },
  };
}
