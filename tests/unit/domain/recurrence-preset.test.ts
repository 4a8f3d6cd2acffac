import { DateTime } from 'luxon';
import { RecurrenceError, presetToRrule } from '../../../lib/domain/recurrence';

const berlin = (text: string): DateTime => DateTime.fromISO(text, { zone: 'Europe/Berlin' });

describe('presetToRrule', () => {
  it('writes weekly with interval, days and count in RFC 5545 order', () => {
    const rule = presetToRrule({ frequency: 'weekly', interval: 2, byWeekday: ['WE', 'MO'], count: 10 }, berlin('2026-03-02T10:00'));
    expect(rule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10');
  });

  it("uses the start's weekday for weekly without byWeekday", () => {
    // 2026-03-05 is a Thursday.
    expect(presetToRrule({ frequency: 'weekly' }, berlin('2026-03-05T10:00'))).toBe('FREQ=WEEKLY;BYDAY=TH');
  });

  it('makes weekdays Monday to Friday, and leaves INTERVAL=1 out', () => {
    expect(presetToRrule({ frequency: 'weekdays', interval: 1 }, berlin('2026-03-02T10:00'))).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
  });

  it('writes daily with interval 2', () => {
    expect(presetToRrule({ frequency: 'daily', interval: 2 }, berlin('2026-03-02T10:00'))).toBe('FREQ=DAILY;INTERVAL=2');
  });

  it('uses the day of month for monthly by default', () => {
    expect(presetToRrule({ frequency: 'monthly' }, berlin('2026-03-31T10:00'))).toBe('FREQ=MONTHLY;BYMONTHDAY=31');
    expect(presetToRrule({ frequency: 'monthly', monthlyBy: 'dayOfMonth' }, berlin('2026-03-15T10:00'))).toBe('FREQ=MONTHLY;BYMONTHDAY=15');
  });

  it.each([
    ['2026-03-02', '1MO'],
    ['2026-03-16', '3MO'],
    // The 23rd is the fourth Monday though not the last one of March 2026 (the 30th is): stays "4".
    ['2026-03-23', '4MO'],
    // A fifth weekday becomes "last", as Google offers it.
    ['2026-03-30', '-1MO'],
    ['2026-01-30', '-1FR'],
    ['2026-02-28', '4SA'],
  ])('monthly nthWeekday from %s is BYDAY=%s', (date, byDay) => {
    expect(presetToRrule({ frequency: 'monthly', monthlyBy: 'nthWeekday' }, berlin(`${date}T10:00`))).toBe(`FREQ=MONTHLY;BYDAY=${byDay}`);
  });

  it('writes yearly with month and day', () => {
    expect(presetToRrule({ frequency: 'yearly' }, berlin('2024-02-29T10:00'))).toBe('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29');
  });

  it('turns a date-only until into the end of that day in the event zone, in UTC', () => {
    expect(presetToRrule({ frequency: 'daily', until: '2026-03-10' }, berlin('2026-03-02T10:00'))).toBe('FREQ=DAILY;UNTIL=20260310T225959Z');
    // In summer Berlin is UTC+2.
    expect(presetToRrule({ frequency: 'daily', until: '2026-07-10' }, berlin('2026-07-01T10:00'))).toBe('FREQ=DAILY;UNTIL=20260710T215959Z');
  });

  it('turns a date-time until into UTC, reading one without offset in the event zone', () => {
    const start = berlin('2026-03-02T10:00');
    expect(presetToRrule({ frequency: 'daily', until: '2026-03-10T10:00:00+01:00' }, start)).toBe('FREQ=DAILY;UNTIL=20260310T090000Z');
    expect(presetToRrule({ frequency: 'daily', until: '2026-03-10T10:00:00' }, start)).toBe('FREQ=DAILY;UNTIL=20260310T090000Z');
    expect(presetToRrule({ frequency: 'daily', until: '2026-03-10T09:00:00Z' }, start)).toBe('FREQ=DAILY;UNTIL=20260310T090000Z');
  });

  it.each([
    [{ frequency: 'daily', count: 3, until: '2026-04-01' }, 'count and until'],
    [{ frequency: 'daily', interval: 0 }, 'interval must be a positive integer'],
    [{ frequency: 'daily', interval: 1.5 }, 'interval must be a positive integer'],
    [{ frequency: 'daily', count: -1 }, 'count must be a positive integer'],
    [{ frequency: 'daily', byWeekday: ['MO'] }, 'byWeekday is only allowed'],
    [{ frequency: 'weekly', byWeekday: [] }, 'at least one day'],
    [{ frequency: 'weekly', byWeekday: ['XX'] }, 'unknown day "XX"'],
    [{ frequency: 'weekly', monthlyBy: 'nthWeekday' }, 'monthlyBy is only allowed'],
    [{ frequency: 'hourly' }, 'unknown frequency'],
    [{ frequency: 'daily', until: 'soon' }, 'until must be'],
    [{ frequency: 'daily', until: '2026-03-01' }, 'before the first occurrence'],
  ])('rejects %j (%s)', (preset, message) => {
    const call = () => presetToRrule(preset as never, berlin('2026-03-02T10:00'));
    expect(call).toThrow(RecurrenceError);
    expect(call).toThrow(message);
  });

  it.each([
    [{ frequency: 'daily', interval: 0 }, 'recurrence.interval'],
    [{ frequency: 'daily', count: 0 }, 'recurrence.count'],
    [{ frequency: 'daily', count: 2, until: '2026-04-01' }, 'recurrence.until'],
    [{ frequency: 'daily', byWeekday: ['MO'] }, 'recurrence.byWeekday'],
    [{ frequency: 'fortnightly' }, 'recurrence.frequency'],
  ])('carries the invalid_recurrence code and names the field of %j', (preset, field) => {
    expect.assertions(3);
    try {
      presetToRrule(preset as never, berlin('2026-03-02T10:00'));
    } catch (error) {
      expect(error).toBeInstanceOf(RecurrenceError);
      expect((error as RecurrenceError).code).toBe('invalid_recurrence');
      expect((error as RecurrenceError).details?.[0].field).toBe(field);
    }
  });
});
