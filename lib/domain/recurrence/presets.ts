// Google-style recurrence presets ("every 2 weeks on Monday and Wednesday") written out as RRULE bodies.
import { DateTime } from 'luxon';
import { MAX_RULE_COUNT, RecurrenceError, type RecurrencePreset, WEEKDAY_CODES } from './model';

/**
 * The RRULE body for a preset, e.g. `FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10`. `firstStart` is the
 * first occurrence as a wall-clock DateTime in the event zone; it supplies the weekday, day of month and
 * month that the preset leaves implicit, and the zone in which a date-only `until` ends.
 */
export function presetToRrule(preset: RecurrencePreset, firstStart: DateTime): string {
  if (!firstStart.isValid) throw new RecurrenceError('the first start is not a valid date-time', 'start');
  checkPreset(preset);
  const frequency = preset.frequency === 'weekdays' ? 'WEEKLY' : preset.frequency.toUpperCase();
  const parts = [`FREQ=${frequency}`];
  if (preset.interval !== undefined && preset.interval !== 1) parts.push(`INTERVAL=${preset.interval}`);
  parts.push(...patternParts(preset, firstStart));
  if (preset.count !== undefined) parts.push(`COUNT=${preset.count}`);
  if (preset.until !== undefined) parts.push(`UNTIL=${presetUntil(preset.until, firstStart)}`);
  return parts.join(';');
}

function checkPreset(preset: RecurrencePreset): void {
  const frequencies = ['daily', 'weekly', 'monthly', 'yearly', 'weekdays'];
  if (!frequencies.includes(preset.frequency)) throw new RecurrenceError(`unknown frequency "${preset.frequency}"`, 'recurrence.frequency');
  checkPositiveInteger(preset.interval, 'interval');
  checkPositiveInteger(preset.count, 'count');
  if (preset.count !== undefined && preset.count > MAX_RULE_COUNT) throw new RecurrenceError(`count must be at most ${MAX_RULE_COUNT}`, 'recurrence.count');
  if (preset.count !== undefined && preset.until !== undefined) {
    throw new RecurrenceError('count and until cannot be used together', 'recurrence.until');
  }
  if (preset.byWeekday !== undefined) {
    if (preset.frequency !== 'weekly') throw new RecurrenceError('byWeekday is only allowed with frequency "weekly"', 'recurrence.byWeekday');
    if (preset.byWeekday.length === 0) throw new RecurrenceError('byWeekday must name at least one day', 'recurrence.byWeekday');
    const unknown = preset.byWeekday.find((day) => !(WEEKDAY_CODES as readonly string[]).includes(day));
    if (unknown !== undefined) throw new RecurrenceError(`byWeekday has an unknown day "${unknown}"`, 'recurrence.byWeekday');
  }
  if (preset.monthlyBy !== undefined) {
    if (preset.frequency !== 'monthly') throw new RecurrenceError('monthlyBy is only allowed with frequency "monthly"', 'recurrence.monthlyBy');
    if (preset.monthlyBy !== 'dayOfMonth' && preset.monthlyBy !== 'nthWeekday') {
      throw new RecurrenceError(`unknown monthlyBy "${preset.monthlyBy}"`, 'recurrence.monthlyBy');
    }
  }
}

function checkPositiveInteger(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
    throw new RecurrenceError(`${name} must be a positive integer`, `recurrence.${name}`);
  }
}

// The parts a preset leaves implicit are written out, so the stored rule means the same thing without DTSTART.
function patternParts(preset: RecurrencePreset, firstStart: DateTime): string[] {
  const startWeekday = WEEKDAY_CODES[firstStart.weekday - 1];
  switch (preset.frequency) {
    case 'daily':
      return [];
    case 'weekdays':
      return ['BYDAY=MO,TU,WE,TH,FR'];
    case 'weekly': {
      const days = preset.byWeekday ?? [startWeekday];
      return [`BYDAY=${WEEKDAY_CODES.filter((code) => days.includes(code)).join(',')}`];
    }
    case 'monthly':
      return preset.monthlyBy === 'nthWeekday'
        ? [`BYDAY=${weekdayOrdinal(firstStart)}${startWeekday}`]
        : [`BYMONTHDAY=${firstStart.day}`];
    case 'yearly':
      return [`BYMONTH=${firstStart.month}`, `BYMONTHDAY=${firstStart.day}`];
  }
}

/**
 * Which occurrence of its weekday the start is within its month: 1 to 4, or -1 ("last") for a fifth
 * one, which not every month has. This matches what Google offers: "the fourth Monday" or "the last Monday".
 */
function weekdayOrdinal(firstStart: DateTime): number {
  const nth = Math.ceil(firstStart.day / 7);
  return nth === 5 ? -1 : nth;
}

/** UNTIL in UTC form; a date-only value includes that whole day in the event zone. */
function presetUntil(until: string, firstStart: DateTime): string {
  const zone = firstStart.zone;
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(until);
  const parsed = isDateOnly ? DateTime.fromISO(until, { zone }).endOf('day') : DateTime.fromISO(until, { zone });
  if (!parsed.isValid) throw new RecurrenceError('until must be an ISO date-time or a date YYYY-MM-DD', 'recurrence.until');
  if (parsed < firstStart) throw new RecurrenceError('until is before the first occurrence', 'recurrence.until');
  return parsed.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
}
