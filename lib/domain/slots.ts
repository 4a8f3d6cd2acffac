// Bookable slots of an event type: candidate starts from weekly hours in a zone (or a fixed list), then
// minus past and too-soon starts and starts whose buffered interval meets busy time.
import { DateTime } from 'luxon';
import { type Interval, mergeIntervals, overlaps } from './interval';
import { bufferedInterval } from './lock-cells';
import type { DateOverride } from './date-overrides';
import { expandWorkingHours, WEEKDAY_KEYS, type WorkingHours } from './working-hours';
import { MINUTE_MS } from '../kernel/time-units';

/**
 * Weekly hours in a zone, optionally only from/to a local date (inclusive) or on listed local dates; an override
 * gives a date other hours (the date limits still apply), and rollingDays ends the offer that many local days after today.
 */
export type WeeklyAvailability = {
  kind: 'weekly';
  timeZone: string;
  weekly: WorkingHours;
  dateFrom?: string;
  dateTo?: string;
  dates?: string[];
  overrides?: DateOverride[];
  rollingDays?: number;
};

/** A fixed list of starts (one-off event types). */
export type FixedAvailability = { kind: 'fixed'; starts: number[] };

export type SlotRules = {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  /** Distance between candidate starts inside a window; defaults to the duration. */
  slotStepMinutes?: number;
  availability: WeeklyAvailability | FixedAvailability;
};

/** Time held by a group slot of this same event type: it blocks every other start, but not its own. */
export type HeldSlot = { start: number; span: Interval };

export type SlotQuery = {
  rules: SlotRules;
  /** Starts in [range.start, range.end) are considered. */
  range: Interval;
  now: number;
  /** Time that blocks any slot whose buffered interval meets it (meetings, other bookings' cell spans, synced busy time). */
  busy: readonly Interval[];
  held?: readonly HeldSlot[];
};

/**
 * Candidate starts in the range before busy time and notice are applied. Weekly availability is expanded
 * one local day at a time and each window's grid starts at the window's own start, so the same start is a
 * candidate whatever range is asked for (a booking checks its start against exactly the grid the slot list shows).
 */
export function candidateStarts(rules: SlotRules, range: Interval): number[] {
  if (range.end <= range.start) return [];
  const { availability } = rules;
  if (availability.kind === 'fixed') {
    return [...new Set(availability.starts)].filter((start) => start >= range.start && start < range.end).sort((a, b) => a - b);
  }
  const durationMs = rules.durationMinutes * MINUTE_MS;
  const stepMs = (rules.slotStepMinutes ?? rules.durationMinutes) * MINUTE_MS;
  const onlyDates = availability.dates ? new Set(availability.dates) : undefined;
  const overrides = new Map((availability.overrides ?? []).map((override) => [override.date, override.intervals]));
  const starts: number[] = [];
  let day = DateTime.fromMillis(range.start, { zone: availability.timeZone }).startOf('day');
  if (!day.isValid) throw new RangeError(`Unknown time zone: ${availability.timeZone}`);
  while (day.toMillis() < range.end) {
    const nextDay = day.plus({ days: 1 }).startOf('day');
    const date = day.toISODate()!;
    const allowed =
      (!availability.dateFrom || date >= availability.dateFrom) &&
      (!availability.dateTo || date <= availability.dateTo) &&
      (!onlyDates || onlyDates.has(date));
    if (allowed) {
      const override = overrides.get(date);
      // An override's hours are read like that weekday's working hours, so DST days behave the same way.
      const hours = override ? { [WEEKDAY_KEYS[day.weekday - 1]]: override } : availability.weekly;
      const windows = expandWorkingHours(hours, availability.timeZone, { start: day.toMillis(), end: nextDay.toMillis() });
      for (const window of windows) {
        for (let start = window.start; start + durationMs <= window.end; start += stepMs) {
          if (start >= range.start && start < range.end) starts.push(start);
        }
      }
    }
    day = nextDay;
  }
  return starts;
}

/**
 * The first instant past the rolling window: the end of the local day `rollingDays` days after today (in the
 * availability's zone), or undefined when the offer does not roll. rollingDays 0 offers today only.
 */
export function bookingHorizon(rules: SlotRules, now: number): number | undefined {
  const { availability } = rules;
  if (availability.kind !== 'weekly' || availability.rollingDays === undefined) return undefined;
  const today = DateTime.fromMillis(now, { zone: availability.timeZone }).startOf('day');
  return today.plus({ days: availability.rollingDays + 1 }).startOf('day').toMillis();
}

/** The stretch of time whose busy intervals can affect slots starting in `range`. */
export function busyWindow(rules: SlotRules, range: Interval): Interval {
  return {
    start: range.start - rules.bufferBeforeMinutes * MINUTE_MS,
    end: range.end + (rules.durationMinutes + rules.bufferAfterMinutes) * MINUTE_MS,
  };
}

/**
 * Every bookable slot starting in the range, ascending: a candidate start at or after now plus the minimum
 * notice, before the rolling window's horizon, whose interval widened by the buffers meets no busy time and no time held by another group slot.
 * One sweep over the sorted candidates and the merged busy list: O(n + m log m).
 */
export function bookableSlots(query: SlotQuery): Interval[] {
  const { rules } = query;
  const durationMs = rules.durationMinutes * MINUTE_MS;
  const earliest = query.now + rules.minNoticeMinutes * MINUTE_MS;
  const horizon = bookingHorizon(rules, query.now) ?? Infinity;
  const busy = mergeIntervals(query.busy);
  const held = [...(query.held ?? [])].sort((a, b) => a.span.start - b.span.start);
  const slots: Interval[] = [];
  let busyIndex = 0;
  let heldIndex = 0;
  for (const start of candidateStarts(rules, query.range)) {
    if (start < earliest) continue;
    if (start >= horizon) break;
    const slot = { start, end: start + durationMs };
    const buffered = bufferedInterval(slot, rules.bufferBeforeMinutes, rules.bufferAfterMinutes);
    // Buffered starts only grow, so busy intervals that ended before this one cannot block any later slot.
    while (busyIndex < busy.length && busy[busyIndex].end <= buffered.start) busyIndex += 1;
    if (busyIndex < busy.length && busy[busyIndex].start < buffered.end) continue;
    while (heldIndex < held.length && held[heldIndex].span.end <= buffered.start) heldIndex += 1;
    let blocked = false;
    for (let index = heldIndex; index < held.length && held[index].span.start < buffered.end; index += 1) {
      if (held[index].start !== start && overlaps(held[index].span, buffered)) blocked = true;
    }
    if (!blocked) slots.push(slot);
  }
  return slots;
}
