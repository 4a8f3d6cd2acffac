// Reminder fire times (pure): single events, series across DST, exceptions, far and rare occurrences.
import fc from 'fast-check';
import {
  floorToMinute,
  nextReminderFire,
  nextReminderFires,
  occurrenceStartingAt,
  reminderFiresIn,
} from '../../lib/domain/reminders';
import type { Series } from '../../lib/domain/recurrence';

const HOUR = 3_600_000;
const at = (text: string) => Date.parse(text);
const isoOf = (epochMs: number | undefined) => (epochMs === undefined ? undefined : new Date(epochMs).toISOString());

const single: Series = { start: '2030-01-14T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin' };
const weeklyBerlin: Series = { start: '2026-03-16T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=MO' };

describe('floorToMinute', () => {
  it('drops seconds and milliseconds', () => {
    expect(isoOf(floorToMinute(at('2030-01-14T08:49:59.999Z')))).toBe('2030-01-14T08:49:00.000Z');
    expect(floorToMinute(at('2030-01-14T08:50:00Z'))).toBe(at('2030-01-14T08:50:00Z'));
  });
});

describe('nextReminderFire for a single event', () => {
  it('fires the given minutes before the start', () => {
    expect(nextReminderFire(single, 10, at('2030-01-01T00:00:00Z'))).toMatchObject({
      occurrenceStart: at('2030-01-14T09:00:00Z'),
      occurrenceEnd: at('2030-01-14T10:00:00Z'),
      minutes: 10,
      fireAt: at('2030-01-14T08:50:00Z'),
    });
  });

  it('counts a fire exactly at `after` and none once it has passed', () => {
    expect(nextReminderFire(single, 10, at('2030-01-14T08:50:00Z'))?.fireAt).toBe(at('2030-01-14T08:50:00Z'));
    expect(nextReminderFire(single, 10, at('2030-01-14T08:50:00.001Z'))).toBeNull();
  });

  it('handles a reminder at the start (0 minutes) and four weeks before', () => {
    expect(isoOf(nextReminderFire(single, 0, 0)?.fireAt)).toBe('2030-01-14T09:00:00.000Z');
    expect(isoOf(nextReminderFire(single, 40320, 0)?.fireAt)).toBe('2029-12-17T09:00:00.000Z');
  });
});

describe('nextReminderFire for a series', () => {
  it('follows the wall clock across DST: 10 minutes before 10:00 Berlin is 08:50Z in winter, 07:50Z in summer', () => {
    const first = nextReminderFire(weeklyBerlin, 10, at('2026-03-23T00:00:00Z'));
    expect(isoOf(first?.fireAt)).toBe('2026-03-23T08:50:00.000Z');
    const second = nextReminderFire(weeklyBerlin, 10, first!.fireAt + 1);
    expect(isoOf(second?.fireAt)).toBe('2026-03-30T07:50:00.000Z');
    expect(isoOf(second?.occurrenceStart)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('picks the next occurrence whose fire is still ahead, even when an earlier one has not started yet', () => {
    // A day-before reminder at Monday 09:00Z is for next Monday's occurrence, not for today's (fired yesterday).
    const fire = nextReminderFire(weeklyBerlin, 1440, at('2026-04-06T07:00:00Z'));
    expect(isoOf(fire?.occurrenceStart)).toBe('2026-04-13T08:00:00.000Z');
    expect(isoOf(fire?.fireAt)).toBe('2026-04-12T08:00:00.000Z');
  });

  it('skips excluded and cancelled occurrences and uses the new start of a moved one', () => {
    const series: Series = {
      ...weeklyBerlin,
      exdates: ['2026-03-23T09:00:00Z'],
      cancelled: ['2026-03-30T08:00:00Z'],
      overrides: [{ originalStart: '2026-04-06T08:00:00Z', start: '2026-04-06T13:00:00+02:00', end: '2026-04-06T14:00:00+02:00' }],
    };
    const fire = nextReminderFire(series, 5, at('2026-03-17T00:00:00Z'));
    expect(isoOf(fire?.occurrenceStart)).toBe('2026-04-06T11:00:00.000Z');
    expect(isoOf(fire?.fireAt)).toBe('2026-04-06T10:55:00.000Z');
    expect(fire?.override).toMatchObject({ originalStart: '2026-04-06T08:00:00Z' });
  });

  it('finds a rare occurrence years ahead (Feb 29 yearly)', () => {
    const leap: Series = { start: '2028-02-29T12:00:00Z', durationMs: HOUR, timeZone: 'UTC', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29' };
    expect(isoOf(nextReminderFire(leap, 60, at('2028-03-01T00:00:00Z'))?.occurrenceStart)).toBe('2032-02-29T12:00:00.000Z');
  });

  it('finds the first fire of a series that starts years after `after`', () => {
    const later: Series = { start: '2045-06-01T09:00:00Z', durationMs: HOUR, timeZone: 'UTC', rrule: 'FREQ=MONTHLY;BYMONTHDAY=1' };
    expect(isoOf(nextReminderFire(later, 30, at('2026-01-01T00:00:00Z'))?.fireAt)).toBe('2045-06-01T08:30:00.000Z');
  });

  it('returns null once a bounded series is over', () => {
    const threeDays: Series = { start: '2030-05-01T09:00:00Z', durationMs: HOUR, timeZone: 'UTC', rrule: 'FREQ=DAILY;COUNT=3' };
    expect(isoOf(nextReminderFire(threeDays, 15, at('2030-05-03T08:40:00Z'))?.fireAt)).toBe('2030-05-03T08:45:00.000Z');
    expect(nextReminderFire(threeDays, 15, at('2030-05-03T08:46:00Z'))).toBeNull();
  });

  it('never skips a fire: nothing fires between `after` and the fire it returns (property)', () => {
    const daily: Series = { start: '2026-01-05T07:30:00-05:00', durationMs: HOUR / 2, timeZone: 'America/New_York', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR' };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 * 60 }), fc.constantFrom(0, 5, 10, 60, 1440, 40320), (offsetMinutes, minutes) => {
        const after = at('2026-01-01T00:00:00Z') + offsetMinutes * 60_000;
        const fire = nextReminderFire(daily, minutes, after);
        expect(fire).not.toBeNull();
        expect(fire!.fireAt).toBeGreaterThanOrEqual(after);
        expect(fire!.fireAt).toBe(fire!.occurrenceStart - minutes * 60_000);
        expect(reminderFiresIn(daily, minutes, { start: after, end: fire!.fireAt })).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('reminderFiresIn and nextReminderFires', () => {
  it('lists the fires in a window in order, counting only occurrences that start in it', () => {
    const fires = reminderFiresIn(weeklyBerlin, 10, { start: at('2026-03-23T08:50:00Z'), end: at('2026-04-06T07:50:00Z') });
    expect(fires.map((fire) => isoOf(fire.fireAt))).toEqual(['2026-03-23T08:50:00.000Z', '2026-03-30T07:50:00.000Z']);
  });

  it('gives one fire per distinct minutes value', () => {
    const fires = nextReminderFires(single, [10, 60, 10], 0);
    expect(fires.map((fire) => [fire.minutes, isoOf(fire.fireAt)])).toEqual([
      [10, '2030-01-14T08:50:00.000Z'],
      [60, '2030-01-14T08:00:00.000Z'],
    ]);
  });
});

describe('occurrenceStartingAt', () => {
  it('finds an occurrence by its actual start, and nothing for a cancelled or moved-away start', () => {
    const series: Series = {
      ...weeklyBerlin,
      cancelled: ['2026-03-30T08:00:00Z'],
      overrides: [{ originalStart: '2026-04-06T08:00:00Z', start: '2026-04-06T13:00:00+02:00', end: '2026-04-06T14:00:00+02:00' }],
    };
    expect(occurrenceStartingAt(series, at('2026-03-23T09:00:00Z'))?.end).toBe(at('2026-03-23T10:00:00Z'));
    expect(occurrenceStartingAt(series, at('2026-03-30T08:00:00Z'))).toBeUndefined();
    expect(occurrenceStartingAt(series, at('2026-04-06T08:00:00Z'))).toBeUndefined();
    expect(occurrenceStartingAt(series, at('2026-04-06T11:00:00Z'))?.originalStart).toBe(at('2026-04-06T08:00:00Z'));
    expect(occurrenceStartingAt(single, at('2030-01-14T09:00:00Z'))).toBeDefined();
    expect(occurrenceStartingAt(single, at('2030-01-14T09:01:00Z'))).toBeUndefined();
  });
});
