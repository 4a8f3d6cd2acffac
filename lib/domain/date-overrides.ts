// Date overrides of weekly availability: other hours on one local date ([] = unavailable that day), and their checks.
import type { ErrorDetail } from './errors';
import type { TimeRange } from './working-hours';

export type DateOverride = { date: string; intervals: TimeRange[] };

const START = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const END = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const minutesOf = (text: string) => (text === '24:00' ? 24 * 60 : Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5)));

/**
 * Every problem with a list of overrides, each naming its field under `prefix` (`availability.overrides.1.date`):
 * a date listed twice, a malformed time, an interval not ending after its start, and intervals out of order or
 * overlapping the one before (touching is fine). An empty list means valid.
 */
export function dateOverrideProblems(overrides: readonly DateOverride[], prefix = 'availability.overrides'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  overrides.forEach((override, index) => {
    const first = seen.get(override.date);
    if (first !== undefined) problems.push({ field: `${prefix}.${index}.date`, message: `Listed twice (also ${prefix}.${first}.date)` });
    else seen.set(override.date, index);
    let previousEnd = -1;
    override.intervals.forEach((interval, position) => {
      const path = `${prefix}.${index}.intervals.${position}`;
      if (!START.test(interval.start)) {
        problems.push({ field: `${path}.start`, message: 'Use a time "HH:MM" from 00:00 to 23:59' });
        return;
      }
      if (!END.test(interval.end)) {
        problems.push({ field: `${path}.end`, message: 'Use a time "HH:MM" from 00:01 to 24:00' });
        return;
      }
      const start = minutesOf(interval.start);
      const end = minutesOf(interval.end);
      if (end <= start) problems.push({ field: `${path}.end`, message: `Must be after start ${interval.start}` });
      else if (start < previousEnd) problems.push({ field: `${path}.start`, message: 'Intervals must be in order and must not overlap' });
      previousEnd = Math.max(previousEnd, end);
    });
  });
  return problems;
}
