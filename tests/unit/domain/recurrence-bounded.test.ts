// Recurrence work is bounded: dense rules are refused on input, expansion fast-forwards to the range (checked
// against rrule walking from the first start), and every walk stops at its work budget.
import fc from 'fast-check';
import { RRule } from 'rrule';
import {
  assertCountable,
  EXPANSION_BUDGET,
  type ExpansionBudgetReport,
  expandOccurrences,
  MAX_OCCURRENCES_PER_DAY,
  onExpansionBudgetExceeded,
  parseRecurrence,
  presetToRrule,
  RecurrenceError,
  type Series,
  seriesEnd,
} from '../../../lib/domain/recurrence';
import { DateTime } from 'luxon';

const DAY = 86_400_000;
const HOURS = Array.from({ length: 24 }, (_, hour) => hour).join(',');
const MINUTES = Array.from({ length: 60 }, (_, minute) => minute).join(',');

function refusal(call: () => unknown): { field: string; message: string } {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(RecurrenceError);
    return (error as RecurrenceError).details![0];
  }
  throw new Error('expected a RecurrenceError');
}

describe('rules that cost too much are refused on input', () => {
  it('refuses every minute of every day (the attack) naming recurrence.rrule', () => {
    const detail = refusal(() => parseRecurrence(`FREQ=DAILY;BYHOUR=${HOURS};BYMINUTE=${MINUTES}`));
    expect(detail.field).toBe('recurrence.rrule');
    expect(detail.message).toContain('1440 occurrences a day');
  });

  it('refuses BYSECOND, even a single value', () => {
    expect(refusal(() => parseRecurrence('FREQ=DAILY;BYSECOND=0,1,2')).message).toBe('BYSECOND is not supported');
    expect(refusal(() => parseRecurrence('FREQ=WEEKLY;BYSECOND=0')).field).toBe('recurrence.rrule');
  });

  it(`allows ${MAX_OCCURRENCES_PER_DAY} occurrences a day and refuses one more`, () => {
    expect(parseRecurrence('FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30').rrule).toBe('FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30');
    expect(parseRecurrence('FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=8,10,12,14').rrule).toBe('FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=8,10,12,14');
    expect(refusal(() => parseRecurrence('FREQ=DAILY;BYHOUR=8,10,12,14,16')).message).toContain('up to 5 occurrences a day');
    expect(refusal(() => parseRecurrence('FREQ=MONTHLY;BYHOUR=8,9,10;BYMINUTE=0,30')).message).toContain('up to 6 occurrences a day');
  });

  it('refuses sub-daily frequencies and COUNT over 5000 (custom rule and preset)', () => {
    expect(refusal(() => parseRecurrence('FREQ=MINUTELY')).message).toContain('not supported');
    expect(refusal(() => parseRecurrence('FREQ=DAILY;COUNT=5001')).message).toBe('COUNT must be at most 5000');
    const start = DateTime.fromISO('2026-03-02T10:00', { zone: 'Europe/Berlin' });
    expect(refusal(() => presetToRrule({ frequency: 'daily', count: 5001 }, start)).field).toBe('recurrence.count');
  });

  it('refuses a COUNT rule too sparse to count within the budget, and accepts the same rule with UNTIL', () => {
    const leapDays: Series = { start: '1990-02-01T10:00:00Z', durationMs: 3_600_000, timeZone: 'UTC', rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=20' };
    expect(() => assertCountable(leapDays)).toThrow('COUNT=20 takes too long to reach');
    expect(() => assertCountable({ ...leapDays, rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;UNTIL=21000101' })).not.toThrow();
    expect(() => assertCountable({ ...leapDays, rrule: 'FREQ=DAILY;COUNT=5000' })).not.toThrow();
  });
});

// ------------------------------------------------------------------------------------------------------------
// Fast-forward equals the walk from the first start

/** What rrule itself gives, walking from the first start: the reference. UTC zone, so floating = real time. */
function naiveStarts(rrule: string, start: number, range: { start: number; end: number }): number[] {
  const options = RRule.parseString(rrule);
  // rrule counts a day's times in the order the rule lists them; RFC 5545 counts them in time order.
  for (const key of ['byhour', 'byminute'] as const) {
    const list = options[key];
    if (Array.isArray(list)) options[key] = [...list].sort((a, b) => a - b);
  }
  // Bounded by the range (as well as by its own UNTIL): a rule with no date at all would otherwise run to year 9999.
  const until = new Date(Math.min(options.until?.getTime() ?? Infinity, range.end));
  const rule = new RRule({ ...options, dtstart: new Date(start), tzid: null, until }, true);
  // rrule gives a period's times in the order the rule lists them; expansion sorts them.
  return rule
    .between(new Date(range.start), new Date(range.end - 1), true)
    .map((date) => date.getTime())
    .sort((a, b) => a - b);
}

const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const subset = <T>(values: T[], max: number) => fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: max });

const ruleArbitrary = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
    interval: fc.integer({ min: 1, max: 5 }),
    byDay: fc.option(subset(CODES, 3), { nil: undefined }),
    byMonthDay: fc.option(subset([1, 2, 15, 28, 29, 30, 31, -1], 2), { nil: undefined }),
    byMonth: fc.option(subset([1, 2, 3, 6, 12], 2), { nil: undefined }),
    byHour: fc.option(subset([0, 9, 13, 23], 2), { nil: undefined }),
    byMinute: fc.option(subset([0, 15, 59], 2), { nil: undefined }),
    bySetPos: fc.option(fc.constantFrom(1, -1, 2), { nil: undefined }),
    weekStart: fc.option(fc.constantFrom('MO', 'SU', 'WE'), { nil: undefined }),
    end: fc.option(fc.oneof(fc.record({ count: fc.integer({ min: 1, max: 300 }) }), fc.record({ untilDays: fc.integer({ min: 0, max: 20_000 }) })), {
      nil: undefined,
    }),
  })
  .map((rule) => {
    const parts = [`FREQ=${rule.freq}`];
    if (rule.interval > 1) parts.push(`INTERVAL=${rule.interval}`);
    if (rule.byDay) parts.push(`BYDAY=${rule.byDay.join(',')}`);
    // RFC 5545 (and our parser): no BYMONTHDAY with WEEKLY.
    if (rule.byMonthDay && rule.freq !== 'WEEKLY') parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
    if (rule.byMonth) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
    if (rule.byHour) parts.push(`BYHOUR=${rule.byHour.join(',')}`);
    if (rule.byMinute) parts.push(`BYMINUTE=${rule.byMinute.join(',')}`);
    // BYSETPOS selects from another BY part's set (RFC 5545; the parser refuses it alone): one actually written here,
    // not a BYMONTHDAY dropped above for WEEKLY.
    if (rule.bySetPos !== undefined && parts.some((part) => /^BY(DAY|MONTHDAY)=/.test(part))) parts.push(`BYSETPOS=${rule.bySetPos}`);
    if (rule.weekStart) parts.push(`WKST=${rule.weekStart}`);
    return { parts, end: rule.end };
  });

describe('expansion from decades ago equals the walk from the first start', () => {
  it('gives exactly the occurrences rrule finds walking from the first start (property)', () => {
    fc.assert(
      fc.property(
        ruleArbitrary,
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2026, 0, 1) }),
        fc.integer({ min: -400, max: 20 * 366 }),
        fc.integer({ min: 1, max: 120 }),
        ({ parts, end }, startMs, offsetDays, lengthDays) => {
          const start = Math.floor(startMs / 1000) * 1000;
          const withEnd = [...parts];
          if (end && 'count' in end) withEnd.push(`COUNT=${end.count}`);
          if (end && 'untilDays' in end) withEnd.push(`UNTIL=${new Date(start + end.untilDays * DAY).toISOString().replace(/[-:]|\.\d+/g, '')}`);
          const rrule = withEnd.join(';');
          const range = { start: start + offsetDays * DAY, end: start + (offsetDays + lengthDays) * DAY };
          const series: Series = { start: new Date(start).toISOString(), durationMs: 0, timeZone: 'UTC', rrule };
          const expanded = expandOccurrences(series, range).map((occurrence) => occurrence.start);
          expect(expanded).toEqual(naiveStarts(rrule, start, range).slice(0, 5000));
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) },
    );
  });

  it('counts a day\'s times in time order, whatever order the rule lists them in (RFC 5545 COUNT)', () => {
    const series = (rrule: string): Series => ({ start: '1990-01-01T00:00:00Z', durationMs: 0, timeZone: 'UTC', rrule });
    const days = { start: Date.UTC(1990, 0, 1), end: Date.UTC(1990, 0, 5) };
    const starts = (rrule: string) => expandOccurrences(series(rrule), days).map((occurrence) => new Date(occurrence.start).toISOString());
    expect(starts('FREQ=DAILY;BYDAY=MO;BYMINUTE=15,0;COUNT=1')).toEqual(['1990-01-01T00:00:00.000Z']);
    expect(starts('FREQ=DAILY;BYHOUR=9,0;BYMINUTE=15,0;COUNT=3')).toEqual(['1990-01-01T00:00:00.000Z', '1990-01-01T00:15:00.000Z', '1990-01-01T09:00:00.000Z']);
  });

  it('lists one day of a series begun in 1990 like one begun last week, in the event zone across DST', () => {
    const since1990: Series = { start: '1990-01-01T09:00:00+01:00', durationMs: 1_800_000, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30' };
    const lastWeek: Series = { ...since1990, start: '2026-06-24T09:00:00+02:00' };
    const day = { start: Date.parse('2026-07-01T00:00:00+02:00'), end: Date.parse('2026-07-02T00:00:00+02:00') };
    const starts = expandOccurrences(since1990, day).map((occurrence) => DateTime.fromMillis(occurrence.start, { zone: 'Europe/Berlin' }).toFormat('HH:mm'));
    expect(starts).toEqual(['09:00', '09:30', '17:00', '17:30']);
    expect(expandOccurrences(since1990, day)).toEqual(expandOccurrences(lastWeek, day));
  });
});

// ------------------------------------------------------------------------------------------------------------
// The work budget

describe('the work budget', () => {
  const reports: ExpansionBudgetReport[] = [];
  beforeAll(() => onExpansionBudgetExceeded((report) => reports.push(report)));
  afterAll(() => onExpansionBudgetExceeded(() => undefined));
  beforeEach(() => (reports.length = 0));

  it('stops a walk over a sparse rule after its windows, says so, and returns what it found', () => {
    const leapDays: Series = { start: '1990-02-01T10:00:00Z', durationMs: 3_600_000, timeZone: 'UTC', rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29' };
    const occurrences = expandOccurrences(leapDays, { start: Date.parse('2000-01-01T00:00:00Z'), end: Date.parse('2200-01-01T00:00:00Z') });
    // 25 windows of 400 days: about 27 years walked, so the leap days of 2000 to about 2024.
    expect(occurrences[0].start).toBe(Date.parse('2000-02-29T10:00:00Z'));
    expect(occurrences.length).toBeGreaterThanOrEqual(6);
    expect(occurrences.length).toBeLessThan(9);
    expect(reports).toEqual([expect.objectContaining({ rrule: leapDays.rrule, purpose: 'expand', windows: EXPANSION_BUDGET.windows })]);
  });

  it('stops a rule stored before the limits (every minute since 1990) at its budget of dates', () => {
    const everyMinute: Series = { start: '1990-01-01T00:00:00Z', durationMs: 60_000, timeZone: 'UTC', rrule: `FREQ=DAILY;BYHOUR=${HOURS};BYMINUTE=${MINUTES}` };
    // A day from 2026 is found by fast-forward, without walking from 1990.
    const day = { start: Date.parse('2026-07-01T00:00:00Z'), end: Date.parse('2026-07-02T00:00:00Z') };
    expect(expandOccurrences(everyMinute, day)).toHaveLength(1440);
    expect(reports).toEqual([]);
    // Every date excluded in a month: the walk visits dates without finding any, and stops at the budget.
    const exdates = Array.from({ length: 31 * 1440 }, (_, minute) => new Date(Date.parse('2026-07-01T00:00:00Z') + minute * 60_000).toISOString());
    const month = { start: Date.parse('2026-07-01T00:00:00Z'), end: Date.parse('2026-08-01T00:00:00Z') };
    expect(expandOccurrences({ ...everyMinute, exdates }, month)).toEqual([]);
    expect(reports).toEqual([expect.objectContaining({ purpose: 'expand', dates: EXPANSION_BUDGET.dates })]);
  });

  it('gives up on the end of a COUNT rule it cannot count (the series is then open-ended for the index)', () => {
    expect(seriesEnd({ start: '2026-03-02T10:00:00Z', durationMs: 3_600_000, timeZone: 'UTC', rrule: 'FREQ=DAILY;COUNT=30000' })).toBeNull();
    expect(reports).toEqual([expect.objectContaining({ purpose: 'count', windows: EXPANSION_BUDGET.windows })]);
  });
});
