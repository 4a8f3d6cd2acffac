// Keeps the reminder schedule in step with meetings and profile defaults: the meeting use cases call this after each
// write, the profile use case after a change of the default minutes. A failure never fails the change that was saved:
// it is logged and kept as a pending reschedule, which the reminder job repairs from the current state.
import { floorToMinute } from '../domain/reminders';
import type { Meeting } from '../meetings/meeting';
import type { ReminderScheduler } from '../meetings/ports';
import type { DefaultRemindersScheduler, UserRepo } from '../users/ports';
import type { Clock } from '../kernel/clock';
import { scheduleBasisOf } from './planning';
import type { PendingReschedules, ReminderScheduleRepo, ScheduleBasis, UpcomingMeetings } from './ports';
import type { Log } from '../kernel/log';
import { rescheduleDefaultsPage, rescheduleMeeting } from './reschedule';

/** Upcoming meetings rescheduled per step when a default changes: the request does the first step, the job the rest. */
export const DEFAULTS_PAGE_SIZE = 50;
/** A previous state larger than this is not kept (its stale entries are then dropped by the job's check at fire time). */
const MAX_KEPT_STATE_CHARS = 64_000;

export type ReminderSchedulerDeps = {
  schedule: Pick<ReminderScheduleRepo, 'put' | 'remove'>;
  users: Pick<UserRepo, 'getMany'>;
  clock: Clock;
  /** The reminder job's pending reschedules (reminderStore.pending(REMINDER_JOB_NAME) in production), and where failures are logged. */
  pending: PendingReschedules;
  log: Log;
};

export type DefaultRemindersSchedulerDeps = Pick<ReminderSchedulerDeps, 'schedule' | 'clock'> & {
  pending: PendingReschedules;
  upcoming: UpcomingMeetings;
  log: Log;
  defaultsPageSize?: number;
};

const reasonOf = (error: unknown) => (error as Error)?.message ?? String(error);

/**
 * Only the next fire of each (recipient, minutes) is written, however far ahead it is: one entry per
 * pair whatever the horizon, and the job writes the following occurrence's entry when one fires. Fires
 * from the current minute on count (the job re-reads the current minute), earlier ones are not sent late.
 * Entries that a change makes stale are removed here; the job re-checks every entry anyway.
 */
export function createReminderScheduler(deps: ReminderSchedulerDeps): ReminderScheduler {
  const firstMinute = () => floorToMinute(deps.clock.now().getTime());

  /** The meeting's reminders are recomputed by the job from its state then; `previous` names the entries to drop. */
  async function keepMeeting(eventId: string, previous: Meeting | undefined, error: unknown) {
    const { pending, log } = deps;
    log.warn('could not schedule reminders; kept as pending', { eventId, reason: reasonOf(error) });
    let basis: ScheduleBasis | undefined = previous && scheduleBasisOf(previous);
    if (basis && JSON.stringify(basis).length > MAX_KEPT_STATE_CHARS) {
      log.warn('previous state too large to keep; its stale reminders are dropped when they fall due', { eventId });
      basis = undefined;
    }
    await pending
      .keepMeeting(eventId, basis, deps.clock.now().getTime())
      .catch((keepError: unknown) => log.error('reminder reschedule lost: neither written nor kept', { eventId, reason: reasonOf(keepError) }));
  }

  return {
    async meetingSaved(previous, next) {
      try {
        await rescheduleMeeting(deps, next, previous ? [previous] : [], firstMinute());
      } catch (error) {
        await keepMeeting(next.id, previous, error);
      }
    },

    async meetingDeleted(meeting) {
      try {
        await rescheduleMeeting(deps, undefined, [meeting], firstMinute());
      } catch (error) {
        await keepMeeting(meeting.id, meeting, error);
      }
    },
  };
}

/**
 * After a user's default minutes changed: the entries of their upcoming meetings that use the default (no reminders of
 * their own, not declined) move to the new minutes. The request does the first DEFAULTS_PAGE_SIZE meetings; the rest, or
 * all of it after a failure, is kept as a pending reschedule that the job works off a page per run.
 */
export function createDefaultRemindersScheduler(deps: DefaultRemindersSchedulerDeps): DefaultRemindersScheduler {
  const firstMinute = () => floorToMinute(deps.clock.now().getTime());
  const pageSize = deps.defaultsPageSize ?? DEFAULTS_PAGE_SIZE;
  return {
    async defaultsChanged(user, previousMinutes) {
      const userId = user.id;
      let staleMinutes = [...previousMinutes];
      let cursor: string | undefined;
      try {
        // An earlier change not yet finished: its defaults may still be in the schedule too.
        const earlier = await deps.pending.getUser(userId);
        staleMinutes = [...new Set([...previousMinutes, ...(earlier?.previousMinutes ?? [])])];
        const step = await rescheduleDefaultsPage(deps, user, staleMinutes, firstMinute(), { limit: pageSize });
        if (!step.nextCursor && !earlier) return;
        // With an earlier change pending, the job goes over every meeting again from that change's time (fires due since
        // then are handled as late ones); otherwise it continues after this page.
        cursor = earlier ? undefined : step.nextCursor;
        deps.log.info('default reminders: the remaining upcoming meetings are rescheduled by the job', { userId, meetings: step.meetings });
      } catch (error) {
        deps.log.warn('could not reschedule default reminders; kept as pending', { userId, reason: reasonOf(error) });
        cursor = undefined;
      }
      await deps.pending
        .keepUser(userId, { previousMinutes: staleMinutes, cursor }, deps.clock.now().getTime())
        .catch((keepError: unknown) => deps.log.error('reminder reschedule lost: neither written nor kept', { userId, reason: reasonOf(keepError) }));
    },
  };
}
