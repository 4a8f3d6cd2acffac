// Expanding a series into its occurrences in a range (exclusions, cancellations and overrides applied), its end,
// and whether an instant starts one; the rule's dates come from rule-walk.ts, within its work budget.
import { DateTime } from 'luxon';
import type { Interval } from '../interval';
import { isValidTimeZone } from '../../kernel/time-zone';
import { fromFloating } from './floating';
import { MAX_OCCURRENCES_PER_CALL, type Occurrence, RecurrenceError, type Series, type SeriesOverride } from './model';
import { addPeriods, countEnd, freshBudget, periodStartAtOrBefore, planRule, type RulePlan, WINDOW_PERIODS, walkRuleDates } from './rule-walk';
import { DAY_MS } from '../../kernel/time-units';

type CompiledSeries<O extends SeriesOverride> = {
  zone: string;
  durationMs: number;
  /** The first start as a wall clock in the event zone. */
  first: DateTime;
  rule: RulePlan | null;
  /** Second-precision keys of excluded and cancelled starts. */
  removed: Set<number>;
  overridden: Set<number>;
  overrides: Array<Occurrence<O> & { override: O }>;
};

/**
 * Every occurrence of `series` that intersects `range` (an occurrence that began before the range but
 * still runs is included; a zero-length one counts when its start lies in the range), sorted by start.
 * Expansion follows the event zone's wall clock whatever the process TZ: a weekly 10:00 Europe/Berlin
 * meeting stays at 10:00 local across DST; a wall-clock time in a spring-forward gap moves forward as
 * luxon does. Excluded and cancelled starts are dropped, overrides replace (and may move) their
 * occurrence. Only the rule's dates around the range are collected, and at most MAX_OCCURRENCES_PER_CALL.
 * The cost depends on the range, not on how long ago the series began (see rule-walk.ts).
 * Overrides are trusted to name real occurrences (see isOccurrenceStart to check one beforehand).
 */
export function expandOccurrences<O extends SeriesOverride>(series: Series<O>, range: Interval): Occurrence<O>[] {
  if (range.end <= range.start) return [];
  const compiled = compileSeries(series);
  const found: Occurrence<O>[] = [];
  forEachRuleStartNear(compiled, range, (start) => {
    const key = secondKey(start);
    if (compiled.removed.has(key) || compiled.overridden.has(key)) return true;
    const occurrence = { originalStart: start, start, end: start + compiled.durationMs };
    if (touchesRange(occurrence, range)) found.push(occurrence);
    return found.length < MAX_OCCURRENCES_PER_CALL;
  });
  for (const moved of compiled.overrides) {
    if (!compiled.removed.has(secondKey(moved.originalStart)) && touchesRange(moved, range)) found.push(moved);
  }
  found.sort((a, b) => a.start - b.start || a.originalStart - b.originalStart);
  return found.slice(0, MAX_OCCURRENCES_PER_CALL);
}

/**
 * The end of the series' last occurrence (overrides, exclusions and cancellations considered), or null
 * when the rule has neither COUNT nor UNTIL, or when its COUNT-th date lies beyond the work budget.
 * A series with no occurrence left ends at start + duration. Only the last window before the rule's
 * end is walked; when every date in it is excluded, the end of the rule's last date is given (an upper bound).
 */
export function seriesEnd(series: Series): number | null {
  const compiled = compileSeries(series);
  let lastEnd: number | null = null;
  const later = (end: number) => (lastEnd = Math.max(lastEnd ?? -Infinity, end));
  const plan = compiled.rule;
  if (plan === null) {
    if (!compiled.removed.has(secondKey(compiled.first.toMillis()))) later(compiled.first.toMillis() + compiled.durationMs);
  } else {
    if (plan.count === null && plan.until === null) return null;
    if (plan.count !== null && !countEnd(plan).complete) return null;
    const last = plan.until;
    if (last !== null && last.getTime() >= plan.first.getTime()) {
      const from = Math.max(plan.first.getTime(), addPeriods(plan, periodStartAtOrBefore(plan, last.getTime()), -WINDOW_PERIODS));
      const millisecond = compiled.first.millisecond;
      walkRuleDates(plan, from, last.getTime(), freshBudget(), 'seriesEnd', (date) => {
        const start = fromFloating(date, compiled) + millisecond;
        const key = secondKey(start);
        if (!compiled.removed.has(key) && !compiled.overridden.has(key)) later(start + compiled.durationMs);
        return true;
      });
      // Every date of the last window excluded: earlier ones may remain; the last rule date bounds them all.
      if (lastEnd === null && from > plan.first.getTime()) later(fromFloating(last, compiled) + millisecond + compiled.durationMs);
    }
  }
  for (const moved of compiled.overrides) {
    if (!compiled.removed.has(secondKey(moved.originalStart))) later(moved.end);
  }
  return lastEnd ?? compiled.first.toMillis() + compiled.durationMs;
}

/** True when `instant` is the original start of an occurrence of the series that is not excluded or cancelled. */
export function isOccurrenceStart(series: Series, instant: number): boolean {
  const probe = { start: instant, end: instant + 1 };
  return expandOccurrences({ ...series, overrides: [] }, probe).some(
    (occurrence) => secondKey(occurrence.originalStart) === secondKey(instant),
  );
}

/**
 * Throws RecurrenceError (naming `recurrence.rrule`) when a COUNT rule's dates are too sparse to count within the
 * work budget from the series' first start: such a rule could only be expanded in part. Meant for new input.
 */
export function assertCountable(series: Series): void {
  const plan = compileSeries(series).rule;
  if (plan?.count != null && !countEnd(plan).complete) {
    throw new RecurrenceError(`COUNT=${plan.count} takes too long to reach for this rule; use UNTIL instead`);
  }
}

function compileSeries<O extends SeriesOverride>(series: Series<O>): CompiledSeries<O> {
  if (!isValidTimeZone(series.timeZone)) throw new RangeError(`Unknown time zone: ${series.timeZone}`);
  if (!(Number.isFinite(series.durationMs) && series.durationMs >= 0)) throw new RangeError('durationMs must be >= 0');
  const zone = series.timeZone;
  const first = DateTime.fromISO(series.start, { setZone: true }).setZone(zone);
  if (!first.isValid) throw new RangeError(`Series start is not an ISO date-time: ${series.start}`);
  const overrides = (series.overrides ?? []).map((override) => ({
    originalStart: instantOf(override.originalStart, zone),
    start: instantOf(override.start, zone),
    end: instantOf(override.end, zone),
    override,
  }));
  return {
    zone,
    durationMs: series.durationMs,
    first,
    rule: series.rrule ? planRule(series.rrule, first, zone) : null,
    removed: new Set([...(series.exdates ?? []), ...(series.cancelled ?? [])].map((text) => secondKey(instantOf(text, zone)))),
    overridden: new Set(overrides.map((moved) => secondKey(moved.originalStart))),
    overrides,
  };
}

/** Calls `visit` with the start (epoch ms) of each rule date that may touch `range`, until it returns false. */
function forEachRuleStartNear(compiled: CompiledSeries<SeriesOverride>, range: Interval, visit: (start: number) => boolean): void {
  const millisecond = compiled.first.millisecond;
  if (compiled.rule === null) {
    visit(compiled.first.toMillis());
    return;
  }
  // Floating time differs from real time by the zone offset (under a day); the margin covers it, and
  // the lookback of durationMs catches occurrences that started before the range and still run.
  const after = range.start - compiled.durationMs - DAY_MS;
  const before = range.end + DAY_MS;
  walkRuleDates(compiled.rule, after, before, freshBudget(), 'expand', (date) => visit(fromFloating(date, compiled) + millisecond));
}

/** Epoch ms of a stored ISO value; one without an offset is read in the event zone. */
function instantOf(text: string, zone: string): number {
  const instant = DateTime.fromISO(text, { zone });
  if (!instant.isValid) throw new RangeError(`Not an ISO date-time: ${text}`);
  return instant.toMillis();
}

// Exclusions and overrides are matched by the second: Google's originalStartTime has no milliseconds.
function secondKey(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

function touchesRange(occurrence: Interval, range: Interval): boolean {
  if (occurrence.end <= occurrence.start) return occurrence.start >= range.start && occurrence.start < range.end;
  return occurrence.start < range.end && occurrence.end > range.start;
}
