// Weekly working hours in a user's zone: validation and expansion into UTC intervals, DST-aware.
import { DateTime } from 'luxon';
import { type Interval, clipInterval, mergeIntervals } from './interval';

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** A wall-clock range "HH:MM"-"HH:MM" (24 h); `end` may be "24:00" for the end of the day. */
export type TimeRange = { start: string; end: string };
export type WorkingHours = Partial<Record<WeekdayKey, TimeRange[]>>;
export type WorkingHoursProblem = { path: string; message: string };

const NINE_TO_FIVE: TimeRange[] = [{ start: '09:00', end: '17:00' }];

export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = Object.freeze({
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
});

const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** Minutes after midnight for "HH:MM" ("24:00" only when allowed), or null when malformed. */
function minutesOfDay(text: unknown, allowEndOfDay: boolean): number | null {
  if (typeof text !== 'string') return null;
  if (allowEndOfDay && text === '24:00') return 24 * 60;
  if (!CLOCK_TIME.test(text)) return null;
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/**
 * Every problem with `workingHours`, each with a path such as `workingHours.mon.0.end`: malformed
 * times, a start not before its end, and ranges of the same day that overlap (touching is fine).
 * An empty list means valid.
 */
export function workingHoursProblems(workingHours: WorkingHours): WorkingHoursProblem[] {
  const problems: WorkingHoursProblem[] = [];
  for (const day of WEEKDAY_KEYS) {
    const ranges = workingHours[day];
    if (ranges === undefined) continue;
    problems.push(...dayProblems(day, ranges));
  }
  return problems;
}

function dayProblems(day: WeekdayKey, ranges: TimeRange[]): WorkingHoursProblem[] {
  const problems: WorkingHoursProblem[] = [];
  const valid: Array<{ index: number; start: number; end: number }> = [];
  ranges.forEach((range, index) => {
    const path = `workingHours.${day}.${index}`;
    const start = minutesOfDay(range.start, false);
    const end = minutesOfDay(range.end, true);
    if (start === null) problems.push({ path: `${path}.start`, message: 'must be a time "HH:MM" from 00:00 to 23:59' });
    if (end === null) problems.push({ path: `${path}.end`, message: 'must be a time "HH:MM" from 00:01 to 24:00' });
    if (start === null || end === null) return;
    if (start >= end) {
      problems.push({ path: `${path}.end`, message: `must be after start ${range.start}` });
      return;
    }
    valid.push({ index, start, end });
  });
  // Sorted by start, a range overlaps an earlier one exactly when it starts before the latest end so far.
  valid.sort((a, b) => a.start - b.start || a.index - b.index);
  let latest: (typeof valid)[number] | undefined;
  for (const range of valid) {
    if (latest && range.start < latest.end) {
      // Blame the start that falls inside the other range.
      const message = `overlaps workingHours.${day}.${latest.index} (${ranges[latest.index].start}-${ranges[latest.index].end})`;
      problems.push({ path: `workingHours.${day}.${range.index}.start`, message });
    }
    if (!latest || range.end > latest.end) latest = range;
  }
  return problems;
}

/**
 * The UTC intervals, inside `range`, during which `workingHours` (read as wall-clock times in `zone`)
 * apply. Each day is computed from its own wall clock, so a 09:00-17:00 day stays 09:00-17:00 local
 * on both sides of a DST change, and a range crossing the DST hour is its wall-clock length.
 * Touching ranges (including one ending at 24:00 and the next day starting at 00:00) are merged.
 * Call only with valid working hours (see workingHoursProblems); invalid ranges are skipped.
 */
export function expandWorkingHours(workingHours: WorkingHours, zone: string, range: Interval): Interval[] {
  if (range.end <= range.start) return [];
  const intervals: Interval[] = [];
  let day = DateTime.fromMillis(range.start, { zone }).startOf('day');
  if (!day.isValid) throw new RangeError(`Unknown time zone: ${zone}`);
  while (day.toMillis() < range.end) {
    const ranges = workingHours[WEEKDAY_KEYS[day.weekday - 1]] ?? [];
    for (const timeRange of ranges) {
      const interval = dayInterval(day, timeRange, zone);
      const clipped = interval && clipInterval(interval, range);
      if (clipped) intervals.push(clipped);
    }
    // Next calendar day's midnight (not +24 h, which would drift by an hour across DST).
    day = day.plus({ days: 1 }).startOf('day');
  }
  return mergeIntervals(intervals);
}

function dayInterval(day: DateTime, timeRange: TimeRange, zone: string): Interval | null {
  const startMinutes = minutesOfDay(timeRange.start, false);
  const endMinutes = minutesOfDay(timeRange.end, true);
  if (startMinutes === null || endMinutes === null || startMinutes >= endMinutes) return null;
  const start = atWallClock(day, startMinutes, zone);
  const end = atWallClock(day, endMinutes, zone);
  return start < end ? { start, end } : null;
}

/** Epoch ms of `minutes` after midnight on `day` in `zone`; a time in a DST gap moves forward as luxon does. */
function atWallClock(day: DateTime, minutes: number, zone: string): number {
  if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  const wallClock = { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 };
  return DateTime.fromObject(wallClock, { zone }).toMillis();
}
