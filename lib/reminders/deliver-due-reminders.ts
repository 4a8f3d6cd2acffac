// The reminder job's core: read the schedule's minute buckets up to `now`, re-check each entry against the
// current meeting, deliver each reminder exactly once, and schedule the next occurrence's reminder.
import { newId } from '../kernel/ids';
import { floorToMinute, nextReminderFire, occurrenceStartingAt } from '../domain/reminders';
import { MINUTE_MS } from '../kernel/time-units';
import { type Meeting, statusOf, toSeries } from '../meetings/meeting';
import { isoInZone } from '../kernel/time-zone';
import { reminderIdentity, reminderMinutesFor, toScheduledReminder } from './planning';
import type { JobCursor, Notification, ReminderScheduleRepo, ScheduledReminder } from './ports';
import { finishRepairs, repairPendingReschedules, type RepairDeps } from './repair-pending';

/** A reminder is still delivered this long after its fire time (job outage, throttling); later it is dropped. */
export const CATCH_UP_MINUTES = 15;
/** Minute buckets one run reads at most; a longer backlog (after an outage) is worked off over the next runs. */
export const MAX_MINUTES_PER_RUN = 720;
/** Runs in a row an entry may fail before it is dropped. */
export const MAX_ENTRY_ATTEMPTS = 3;
const BUCKET_READS_IN_PARALLEL = 16;
const ENTRIES_IN_PARALLEL = 8;

export type DeliverDueRemindersDeps = RepairDeps & {
  schedule: ReminderScheduleRepo;
  cursor: JobCursor;
};

export type ReminderRunSummary = {
  /** First and last minute bucket read (UTC ISO). */
  from: string;
  to: string;
  delivered: number;
  alreadyDelivered: number;
  /** Valid but more than CATCH_UP_MINUTES old: not delivered, the series' next reminder still scheduled. */
  late: number;
  /** No longer valid (event deleted, occurrence moved or cancelled, reminder removed, recipient declined). */
  skipped: number;
  /** In the current minute but a few seconds ahead: left for the next run. */
  notDueYet: number;
  /** Entries whose handling threw (storage errors, unreadable items); the cursor stays at the first such bucket for the next run. */
  failed: number;
  /** Entries that failed MAX_ENTRY_ATTEMPTS runs in a row: removed (logged), so the cursor moves past them. */
  dropped: number;
  /** Pending reschedules repaired before the buckets were read, and those whose repair failed (kept for the next run). */
  repaired: number;
  repairFailed: number;
};

type Outcome = 'delivered' | 'alreadyDelivered' | 'late' | 'skipped' | 'notDueYet';
/**
 * What handling one entry came to, for the run to fold into its summary and cursor: an outcome with the successor it
 * scheduled, or a failure; a failed entry that was not dropped holds the cursor at its bucket (or, for a missed fire
 * that lives in no bucket, keeps the repairs pending).
 */
type EntryResult = { outcome: Outcome; successor?: ScheduledReminder } | { outcome: 'failed'; entry: ScheduledReminder; dropped: boolean };
type Check = { valid: false; reason: string; continues: boolean } | { valid: true; meeting: Meeting; occurrence: { start: number; end: number; title: string } };

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** Runs `work` over `items` with at most `limit` at a time; results in input order. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One cached load per id and run, shared by concurrent callers. */
function memo<T>(load: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (id) => {
    if (!cache.has(id)) cache.set(id, load(id));
    return cache.get(id)!;
  };
}

/**
 * One run of the job at `now`. First repairs pending reschedules (repairPendingReschedules), then reads the minute
 * buckets from the cursor (on the very first run: the last CATCH_UP_MINUTES) to the current minute, oldest first and
 * at most MAX_MINUTES_PER_RUN. Every bucket is read once even after an outage, because processing an entry is what
 * schedules a series' next reminder; entries too old to be useful are not delivered but still advance their series.
 * The cursor ends at the current minute, not after it: entries written into it later in this minute are found by the
 * next run. Safe to run twice at once or again for the same minute: the delivery key admits one delivery per
 * (event, occurrence, minutes, user).
 */
export async function deliverDueReminders(deps: DeliverDueRemindersDeps, now: Date): Promise<ReminderRunSummary> {
  const nowMs = now.getTime();
  const nowMinute = floorToMinute(nowMs);
  const stored = await deps.cursor.read();
  const from = Math.min(stored ?? nowMinute - CATCH_UP_MINUTES * MINUTE_MS, nowMinute);
  const to = Math.min(nowMinute, from + (MAX_MINUTES_PER_RUN - 1) * MINUTE_MS);
  const minutes = Array.from({ length: (to - from) / MINUTE_MS + 1 }, (_, index) => from + index * MINUTE_MS);

  const meetingOf = memo((eventId) => deps.meetings.get(eventId));
  const profileMinutesOf = memo(async (userId) => (await deps.users.get(userId))?.reminderMinutes);
  // Pending reschedules first: the entries they write into the buckets below are read by this very run.
  const { repairs, failed: repairFailed } = await repairPendingReschedules(deps, nowMs, from);
  const summary: ReminderRunSummary = {
    from: iso(from),
    to: iso(to),
    delivered: 0,
    alreadyDelivered: 0,
    late: 0,
    skipped: 0,
    notDueYet: 0,
    failed: 0,
    dropped: 0,
    repaired: repairs.length,
    repairFailed,
  };

  async function check(entry: ScheduledReminder): Promise<Check> {
    const meeting = await meetingOf(entry.eventId);
    if (!meeting) return { valid: false, reason: 'event_deleted', continues: false };
    const status = statusOf(meeting, entry.userId);
    if (!status || status === 'declined') return { valid: false, reason: 'not_attending', continues: false };
    const profileMinutes = meeting.reminders ? undefined : await profileMinutesOf(entry.userId);
    if (!reminderMinutesFor(meeting, profileMinutes).includes(entry.minutes)) return { valid: false, reason: 'reminder_removed', continues: false };
    try {
      const occurrence = occurrenceStartingAt(toSeries(meeting), entry.occurrenceStart);
      // A moved or cancelled occurrence: the change scheduled its new time; later occurrences still follow.
      if (!occurrence) return { valid: false, reason: 'occurrence_gone', continues: true };
      return { valid: true, meeting, occurrence: { start: occurrence.start, end: occurrence.end, title: occurrence.override?.title ?? meeting.title } };
    } catch (error) {
      // A meeting the engine cannot expand must not stop the job: drop the entry, say why.
      deps.log.error('reminder entry unreadable', { eventId: entry.eventId, error: (error as Error).message });
      return { valid: false, reason: 'event_unreadable', continues: false };
    }
  }

  /** The same reminder for the series' next occurrence, written before this one is consumed so a crash loses nothing. */
  async function scheduleSuccessor(entry: ScheduledReminder, meeting: Meeting): Promise<ScheduledReminder | undefined> {
    const fire = nextReminderFire(toSeries(meeting), entry.minutes, entry.fireAt + 1);
    if (!fire) return undefined;
    const successor = toScheduledReminder(entry.eventId, entry.userId, fire);
    await deps.schedule.put([successor]);
    return successor;
  }

  async function deliver(entry: ScheduledReminder, meeting: Meeting, occurrence: { start: number; end: number; title: string }): Promise<Outcome> {
    const notification: Notification = {
      id: newId(nowMs),
      kind: 'reminder',
      userId: entry.userId,
      eventId: entry.eventId,
      title: occurrence.title,
      start: isoInZone(occurrence.start, meeting.timeZone),
      end: isoInZone(occurrence.end, meeting.timeZone),
      minutesBefore: entry.minutes,
      deliveredAt: now.toISOString(),
    };
    if (!(await deps.schedule.deliver(entry, notification))) {
      await deps.schedule.remove([entry]);
      return 'alreadyDelivered';
    }
    // Only the run that won the delivery key writes this line. No title: private events' titles stay out of logs.
    deps.log.info('reminder delivered', {
      notificationId: notification.id,
      eventId: entry.eventId,
      occurrenceStart: iso(entry.occurrenceStart),
      minutes: entry.minutes,
      userId: entry.userId,
      fireAt: iso(entry.fireAt),
      delaySeconds: Math.max(0, Math.round((nowMs - entry.fireAt) / 1000)),
    });
    return 'delivered';
  }

  async function handleEntry(entry: ScheduledReminder): Promise<EntryResult> {
    if (entry.fireAt > nowMs) return { outcome: 'notDueYet' };
    const checked = await check(entry);
    if (!checked.valid) {
      const meeting = checked.continues ? await meetingOf(entry.eventId) : undefined;
      const successor = meeting ? await scheduleSuccessor(entry, meeting) : undefined;
      await deps.schedule.remove([entry]);
      deps.log.debug('reminder skipped', { eventId: entry.eventId, userId: entry.userId, minutes: entry.minutes, reason: checked.reason });
      return { outcome: 'skipped', successor };
    }
    const successor = await scheduleSuccessor(entry, checked.meeting);
    if (entry.fireAt < nowMs - CATCH_UP_MINUTES * MINUTE_MS) {
      await deps.schedule.remove([entry]);
      deps.log.warn('reminder too late, not delivered', { eventId: entry.eventId, userId: entry.userId, minutes: entry.minutes, fireAt: iso(entry.fireAt) });
      return { outcome: 'late', successor };
    }
    return { outcome: await deliver(entry, checked.meeting, checked.occurrence), successor };
  }

  // Fires a repair found due before the first bucket were missed while pending: handled now like any entry (delivered
  // when at most CATCH_UP_MINUTES late, else logged), never written to a bucket no run reads again.
  const missed = [...new Map(repairs.flatMap((repair) => repair.past).map((entry) => [reminderIdentity(entry), entry])).values()];
  // A failing entry holds the cursor at its bucket for MAX_ENTRY_ATTEMPTS runs, then is dropped (logged), so one bad
  // entry cannot stall everyone's reminders behind it. The cursor moves after each group of buckets, so a run cut
  // short keeps what it finished.
  async function failed(entry: ScheduledReminder, error: unknown): Promise<EntryResult> {
    const attributes = { eventId: entry.eventId, userId: entry.userId, minutes: entry.minutes, fireAt: iso(entry.fireAt), error: (error as Error).message };
    try {
      const attempts = await deps.schedule.recordFailure(entry);
      if (attempts >= MAX_ENTRY_ATTEMPTS) {
        await deps.schedule.remove([entry]);
        deps.log.error('reminder entry dropped after failed attempts', { ...attributes, attempts });
        return { outcome: 'failed', entry, dropped: true };
      }
      deps.log.error('reminder entry failed', { ...attributes, attempts });
    } catch (storageError) {
      deps.log.error('reminder entry failed', { ...attributes, recordError: (storageError as Error).message });
    }
    return { outcome: 'failed', entry, dropped: false };
  }

  let firstFailedMinute = Infinity;
  let missedFailed = false;

  for (let groupStart = 0; groupStart < minutes.length; groupStart += BUCKET_READS_IN_PARALLEL) {
    const group = minutes.slice(groupStart, groupStart + BUCKET_READS_IN_PARALLEL);
    const groupEnd = group[group.length - 1];
    let round = [...(await mapLimit(group, BUCKET_READS_IN_PARALLEL, (minute) => deps.schedule.listMinute(minute))).flat(), ...(groupStart === 0 ? missed : [])];
    while (round.length) {
      round.sort((a, b) => a.fireAt - b.fireAt);
      const results = await mapLimit(round, ENTRIES_IN_PARALLEL, async (entry) => {
        try {
          return await handleEntry(entry);
        } catch (error) {
          return failed(entry, error);
        }
      });
      round = [];
      for (const result of results) {
        summary[result.outcome] += 1;
        if (result.outcome === 'failed') {
          if (result.dropped) summary.dropped += 1;
          // A missed fire lives in no bucket: its failure keeps the repairs pending (redone next run), not the cursor.
          else if (floorToMinute(result.entry.fireAt) < from) missedFailed = true;
          else firstFailedMinute = Math.min(firstFailedMinute, floorToMinute(result.entry.fireAt));
          continue;
        }
        // A successor due in a bucket this group has already read is handled now; later ones are read with their bucket.
        if (result.successor && result.successor.fireAt <= nowMs && floorToMinute(result.successor.fireAt) <= groupEnd) round.push(result.successor);
      }
    }
    const resumeAt = Math.min(groupEnd === nowMinute ? nowMinute : groupEnd + MINUTE_MS, firstFailedMinute);
    await deps.cursor.advance(resumeAt);
  }

  // Missed fires live only in this run: if one of them (or its successor) failed, every repair stays pending and is redone.
  if (!missedFailed) await finishRepairs(deps, repairs);
  return summary;
}
