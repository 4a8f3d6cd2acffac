// Reminder fire times: when "N minutes before" an occurrence of a (possibly recurring) event falls due.
// Pure: works on a Series from the recurrence engine and epoch milliseconds, no I/O.
import type { Interval } from './interval';
import { expandOccurrences, type Occurrence, type Series, type SeriesOverride } from './recurrence';
import { MINUTE_MS, DAY_MS } from '../kernel/time-units';

const MAX_EPOCH_MS = 8.64e15;
/** How far past `after` (or the series' first start) nextReminderFire looks for an occurrence (a Feb 29 yearly rule needs 4 years). */
export const REMINDER_SEARCH_HORIZON_MS = 10 * 366 * DAY_MS;

export type ReminderFire = {
  /** The occurrence's actual start (moved by an override if it was moved), epoch ms. */
  occurrenceStart: number;
  occurrenceEnd: number;
  minutes: number;
  /** occurrenceStart minus `minutes`: the instant the reminder is due. */
  fireAt: number;
  override?: Occurrence['override'];
};

/** The start of the UTC minute that holds `epochMs`. */
export function floorToMinute(epochMs: number): number {
  return Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
}

/** Every fire of a "`minutes` before" reminder whose fire time lies in `window` ([start, end)), sorted by fire time. */
export function reminderFiresIn(series: Series, minutes: number, window: Interval): ReminderFire[] {
  if (window.end <= window.start) return [];
  const offset = minutes * MINUTE_MS;
  const starts = { start: window.start + offset, end: window.end + offset };
  // expandOccurrences also returns occurrences that began earlier and still run: only starts in range count.
  return expandOccurrences(series, starts)
    .filter((occurrence) => occurrence.start >= starts.start && occurrence.start < starts.end)
    .map((occurrence) => ({
      occurrenceStart: occurrence.start,
      occurrenceEnd: occurrence.end,
      minutes,
      fireAt: occurrence.start - offset,
      ...(occurrence.override ? { override: occurrence.override } : {}),
    }));
}

/**
 * The first fire at or after `after` of a "`minutes` before" reminder, or null when the series has no
 * occurrence left within REMINDER_SEARCH_HORIZON_MS (counted from `after` or the series' start, whichever
 * is later). Looks in windows that double in length (1 day, 2, 4, ...), so a daily series costs one small
 * expansion and a rare yearly rule only a few.
 */
export function nextReminderFire(series: Series, minutes: number, after: number): ReminderFire | null {
  // A single event has one occurrence: one expansion over all time is as cheap as any.
  if (!series.rrule) return reminderFiresIn(series, minutes, { start: after, end: MAX_EPOCH_MS - minutes * MINUTE_MS })[0] ?? null;
  // Nothing fires before the earliest start (the first one, or an occurrence moved before it): search from there.
  const starts = [series.start, ...(series.overrides ?? []).map((override) => override.start)].map(Date.parse).filter(Number.isFinite);
  const earliestStart = Math.min(...starts);
  let windowStart = Math.max(after, earliestStart - minutes * MINUTE_MS);
  const horizonEnd = windowStart + REMINDER_SEARCH_HORIZON_MS;
  let length = DAY_MS;
  while (windowStart < horizonEnd) {
    const windowEnd = Math.min(windowStart + length, horizonEnd);
    const fires = reminderFiresIn(series, minutes, { start: windowStart, end: windowEnd });
    if (fires.length) return fires[0];
    windowStart = windowEnd;
    length *= 2;
  }
  return null;
}

/** The next fire at or after `after` for each distinct value of `minutesList` (those with none left are left out). */
export function nextReminderFires(series: Series, minutesList: readonly number[], after: number): ReminderFire[] {
  return [...new Set(minutesList)].flatMap((minutes) => nextReminderFire(series, minutes, after) ?? []);
}

/** The occurrence that (now) starts exactly at `start`, if the series still has one: how a fire is re-checked. */
export function occurrenceStartingAt<O extends SeriesOverride>(series: Series<O>, start: number): Occurrence<O> | undefined {
  return expandOccurrences(series, { start, end: start + 1 }).find((occurrence) => occurrence.start === start);
}
