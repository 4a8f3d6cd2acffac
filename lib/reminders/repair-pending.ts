// The reminder job's first step: redo the reschedules that could not finish when they were asked for (kept as pending
// items), from the current state of the meeting or profile. Idempotent: a repair run twice leaves the same schedule.
import { floorToMinute } from '../domain/reminders';
import { MINUTE_MS } from '../kernel/time-units';
import type { MeetingRepo } from '../meetings/ports';
import type { UserRepo } from '../users/ports';
import type { PendingReschedule, PendingReschedules, ReminderScheduleRepo, ScheduledReminder, UpcomingMeetings } from './ports';
import type { Log } from '../kernel/log';
import { rescheduleDefaultsPage, rescheduleMeeting } from './reschedule';
import { DEFAULTS_PAGE_SIZE } from './schedule-reminders';

/** Pending items one run repairs at most (one page of meetings each for a changed default); the rest wait for the next run. */
export const REPAIRS_PER_RUN = 10;
/** Pending items read per run to choose from (one Query). */
const PENDING_READ_PER_RUN = 100;
/** A repair plans fires from when its item was kept, but not further back than this (a run's backlog is as long). */
export const REPAIR_LOOKBACK_MINUTES = 720;

export type RepairDeps = {
  schedule: Pick<ReminderScheduleRepo, 'put' | 'remove'>;
  pending: PendingReschedules;
  meetings: Pick<MeetingRepo, 'get'>;
  users: Pick<UserRepo, 'get' | 'getMany'>;
  upcoming: UpcomingMeetings;
  log: Log;
  defaultsPageSize?: number;
};

/** One repaired item: `past` are its entries due before the run's first bucket (to be handled by the run itself). */
export type Repair = { item: PendingReschedule; past: ScheduledReminder[]; nextCursor?: string };

const itemName = (item: PendingReschedule) => (item.kind === 'meeting' ? { eventId: item.eventId } : { userId: item.userId });

/**
 * Recomputes what each pending item (up to REPAIRS_PER_RUN, the most recently kept first) stands for, as the change would
 * have when it was kept: fires from the kept minute on. Those due at or after `writeFrom` (the first bucket the run reads)
 * are written to their buckets; earlier ones were missed while pending and are returned for the run to deliver (at most
 * CATCH_UP_MINUTES late) or log as too late. The items stay until finishRepairs, after the run has handled those.
 */
export async function repairPendingReschedules(deps: RepairDeps, nowMs: number, writeFrom: number): Promise<{ repairs: Repair[]; failed: number }> {
  let items: PendingReschedule[];
  try {
    // Newest first: an item whose repair keeps failing cannot hold up those kept after it.
    items = (await deps.pending.list(PENDING_READ_PER_RUN)).sort((a, b) => b.keptAt - a.keptAt).slice(0, REPAIRS_PER_RUN);
  } catch (error) {
    // Deliveries go on; the items wait for the next run.
    deps.log.error('could not read pending reminder reschedules', { reason: (error as Error).message });
    return { repairs: [], failed: 1 };
  }
  const repairs: Repair[] = [];
  let failed = 0;
  for (const item of items) {
    const after = Math.max(floorToMinute(item.keptAt), floorToMinute(nowMs) - REPAIR_LOOKBACK_MINUTES * MINUTE_MS);
    try {
      if (item.kind === 'meeting') {
        const current = await deps.meetings.get(item.eventId);
        const { past } = await rescheduleMeeting(deps, current, item.previous, after, writeFrom);
        repairs.push({ item, past });
      } else {
        const user = await deps.users.get(item.userId);
        const page = { limit: deps.defaultsPageSize ?? DEFAULTS_PAGE_SIZE, cursor: item.cursor };
        // A user who no longer exists has nothing to reschedule.
        const step = user ? await rescheduleDefaultsPage(deps, user, item.previousMinutes, after, page, writeFrom) : undefined;
        repairs.push({ item, past: step?.past ?? [], nextCursor: step?.nextCursor });
      }
      deps.log.info('pending reminder reschedule repaired', { ...itemName(item), keptAt: new Date(item.keptAt).toISOString(), missedFires: repairs[repairs.length - 1].past.length });
    } catch (error) {
      // Kept for the next run; a repair is idempotent.
      failed += 1;
      deps.log.error('pending reminder reschedule failed', { ...itemName(item), reason: (error as Error).message });
    }
  }
  return { repairs, failed };
}

/** Forgets repaired items (or moves a changed default's listing on), unless they were kept again meanwhile. */
export async function finishRepairs(deps: Pick<RepairDeps, 'pending' | 'log'>, repairs: Repair[]): Promise<void> {
  for (const { item, nextCursor } of repairs) {
    try {
      if (item.kind === 'user' && nextCursor) await deps.pending.advance(item, nextCursor);
      else await deps.pending.remove(item);
    } catch (error) {
      // Still pending: the next run repairs it again, with the same result.
      deps.log.error('could not finish a pending reminder reschedule', { ...itemName(item), reason: (error as Error).message });
    }
  }
}
