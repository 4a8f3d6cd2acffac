import { DateTime } from 'luxon';
import {
  MAX_OCCURRENCES_PER_CALL,
  type Series,
  expandOccurrences,
  isOccurrenceStart,
  parseRecurrence,
  presetToRrule,
  seriesEnd,
} from '../../../lib/domain/recurrence';

const HOUR = 60 * 60 * 1000;
const range = (start: string, end: string) => ({ start: Date.parse(start), end: Date.parse(end) });
/** Occurrence starts as ISO strings with the offset the zone has at that moment. */
const localStarts = (occurrences: Array<{ start: number }>, zone: string): string[] =>
  occurrences.map((occurrence) => DateTime.fromMillis(occurrence.start, { zone }).toISO({ suppressMilliseconds: true }) as string);

describe('expandOccurrences across DST', () => {
  const weeklyBerlin: Series = {
    start: '2026-03-16T10:00:00+01:00',
    durationMs: HOUR,
    timeZone: 'Europe/Berlin',
    rrule: 'FREQ=WEEKLY;BYDAY=MO',
  };

  it('keeps a weekly 10:00 Berlin meeting at 10:00 local across the March change (+01:00 -> +02:00)', () => {
    const occurrences = expandOccurrences(weeklyBerlin, range('2026-03-16T00:00:00Z', '2026-04-07T00:00:00Z'));
    expect(localStarts(occurrences, 'Europe/Berlin')).toEqual([
      '2026-03-16T10:00:00+01:00',
      '2026-03-23T10:00:00+01:00',
      '2026-03-30T10:00:00+02:00',
      '2026-04-06T10:00:00+02:00',
    ]);
    expect(occurrences[1].start).toBe(Date.parse('2026-03-23T09:00:00Z'));
    expect(occurrences[2].start).toBe(Date.parse('2026-03-30T08:00:00Z'));
    expect(occurrences.every((occurrence) => occurrence.end - occurrence.start === HOUR)).toBe(true);
  });

  it('and back across the October change (+02:00 -> +01:00)', () => {
    const occurrences = expandOccurrences(weeklyBerlin, range('2026-10-15T00:00:00Z', '2026-11-03T00:00:00Z'));
    expect(localStarts(occurrences, 'Europe/Berlin')).toEqual([
      '2026-10-19T10:00:00+02:00',
      '2026-10-26T10:00:00+01:00',
      '2026-11-02T10:00:00+01:00',
    ]);
    expect(occurrences[0].start).toBe(Date.parse('2026-10-19T08:00:00Z'));
    expect(occurrences[1].start).toBe(Date.parse('2026-10-26T09:00:00Z'));
  });

  it('keeps a daily 09:00 New York series at 09:00 local across the US change on 2026-03-08', () => {
    const daily: Series = { start: '2026-03-06T09:00:00-05:00', durationMs: 30 * 60 * 1000, timeZone: 'America/New_York', rrule: 'FREQ=DAILY;COUNT=5' };
    const occurrences = expandOccurrences(daily, range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'));
    expect(localStarts(occurrences, 'America/New_York')).toEqual([
      '2026-03-06T09:00:00-05:00',
      '2026-03-07T09:00:00-05:00',
      '2026-03-08T09:00:00-04:00',
      '2026-03-09T09:00:00-04:00',
      '2026-03-10T09:00:00-04:00',
    ]);
    expect(occurrences[3].start).toBe(Date.parse('2026-03-09T13:00:00Z'));
  });

  it('reads a start given in another offset in the event zone (the same instant, 10:00 Berlin)', () => {
    const occurrences = expandOccurrences({ ...weeklyBerlin, start: '2026-03-16T09:00:00Z' }, range('2026-03-29T00:00:00Z', '2026-04-01T00:00:00Z'));
    expect(localStarts(occurrences, 'Europe/Berlin')).toEqual(['2026-03-30T10:00:00+02:00']);
  });

  it('moves a wall-clock time that falls in the spring-forward gap forward, as luxon does', () => {
    const nightly: Series = { start: '2026-03-28T02:30:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=3' };
    const occurrences = expandOccurrences(nightly, range('2026-03-27T00:00:00Z', '2026-04-01T00:00:00Z'));
    expect(localStarts(occurrences, 'Europe/Berlin')).toEqual([
      '2026-03-28T02:30:00+01:00',
      '2026-03-29T03:30:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
  });

  it('takes the later of two wall-clock times repeated in autumn (luxon picks the standard-time offset)', () => {
    const nightly: Series = { start: '2026-10-24T02:30:00+02:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=2' };
    const occurrences = expandOccurrences(nightly, range('2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z'));
    expect(localStarts(occurrences, 'Europe/Berlin')).toEqual(['2026-10-24T02:30:00+02:00', '2026-10-25T02:30:00+01:00']);
  });
});

describe('expandOccurrences rules', () => {
  it('expands a monthly "last Friday" preset', () => {
    const firstStart = DateTime.fromISO('2026-01-30T15:00', { zone: 'Europe/Berlin' });
    const rrule = presetToRrule({ frequency: 'monthly', monthlyBy: 'nthWeekday' }, firstStart);
    const series: Series = { start: firstStart.toISO() as string, durationMs: HOUR, timeZone: 'Europe/Berlin', rrule };
    const days = expandOccurrences(series, range('2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z')).map((occurrence) =>
      DateTime.fromMillis(occurrence.start, { zone: 'Europe/Berlin' }).toISODate(),
    );
    expect(days).toEqual(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24', '2026-05-29', '2026-06-26']);
  });

  it('repeats a yearly Feb 29 event only in leap years (rrule skips the others)', () => {
    const leapDay: Series = { start: '2024-02-29T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=YEARLY;COUNT=3' };
    const days = expandOccurrences(leapDay, range('2024-01-01T00:00:00Z', '2040-01-01T00:00:00Z')).map((occurrence) =>
      DateTime.fromMillis(occurrence.start, { zone: 'Europe/Berlin' }).toISODate(),
    );
    expect(days).toEqual(['2024-02-29', '2028-02-29', '2032-02-29']);
  });

  it('honours interval 2', () => {
    const everyOtherWeek: Series = { start: '2026-03-02T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE' };
    const days = expandOccurrences(everyOtherWeek, range('2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z')).map((occurrence) =>
      DateTime.fromMillis(occurrence.start, { zone: 'Europe/Berlin' }).toISODate(),
    );
    expect(days).toEqual(['2026-03-02', '2026-03-04', '2026-03-16', '2026-03-18', '2026-03-30']);
  });

  it('expands the weekdays preset to Monday through Friday only', () => {
    const firstStart = DateTime.fromISO('2026-03-05T09:00', { zone: 'Asia/Kolkata' });
    const rrule = presetToRrule({ frequency: 'weekdays' }, firstStart);
    expect(rrule).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    const series: Series = { start: firstStart.toISO() as string, durationMs: HOUR, timeZone: 'Asia/Kolkata', rrule };
    const weekdays = expandOccurrences(series, range('2026-03-05T00:00:00Z', '2026-03-14T00:00:00Z')).map(
      (occurrence) => DateTime.fromMillis(occurrence.start, { zone: 'Asia/Kolkata' }).weekdayShort,
    );
    expect(weekdays).toEqual(['Thu', 'Fri', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri']);
  });

  it('stops after COUNT occurrences', () => {
    const series: Series = { start: '2026-03-02T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=3' };
    expect(expandOccurrences(series, range('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'))).toHaveLength(3);
  });

  it('includes an occurrence at exactly a UTC UNTIL, after converting it to the event zone', () => {
    // 2026-03-30 10:00 Berlin (CEST) is 08:00Z; UNTIL is inclusive.
    const base: Series = { start: '2026-03-16T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: '' };
    const wide = range('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    const atUntil = expandOccurrences({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260330T080000Z' }, wide);
    expect(localStarts(atUntil, 'Europe/Berlin').at(-1)).toBe('2026-03-30T10:00:00+02:00');
    expect(atUntil).toHaveLength(3);
    const justBefore = expandOccurrences({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260330T075959Z' }, wide);
    expect(justBefore).toHaveLength(2);
  });

  it('reads a date-only UNTIL as the whole day in the event zone', () => {
    const series: Series = { start: '2026-03-02T23:30:00+01:00', durationMs: HOUR / 2, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY;UNTIL=20260304' };
    expect(localStarts(expandOccurrences(series, range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')), 'Europe/Berlin')).toEqual([
      '2026-03-02T23:30:00+01:00',
      '2026-03-03T23:30:00+01:00',
      '2026-03-04T23:30:00+01:00',
    ]);
  });

  it('accepts an RRULE: prefix in the stored rule', () => {
    const series: Series = { start: '2026-03-02T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'RRULE:FREQ=DAILY;COUNT=2' };
    expect(expandOccurrences(series, range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'))).toHaveLength(2);
  });
});

describe('expandOccurrences exceptions', () => {
  const tuesdays: Series = { start: '2026-03-03T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=TU' };
  const march = range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');

  it('removes the occurrence named by an EXDATE', () => {
    const { rrule, exdates } = parseRecurrence('RRULE:FREQ=WEEKLY;BYDAY=TU\nEXDATE;TZID=Europe/Berlin:20260310T100000');
    const occurrences = expandOccurrences({ ...tuesdays, rrule, exdates }, march);
    expect(localStarts(occurrences, 'Europe/Berlin')).toEqual([
      '2026-03-03T10:00:00+01:00',
      '2026-03-17T10:00:00+01:00',
      '2026-03-24T10:00:00+01:00',
      '2026-03-31T10:00:00+02:00',
    ]);
  });

  it('removes cancelled occurrences', () => {
    const occurrences = expandOccurrences({ ...tuesdays, cancelled: ['2026-03-17T10:00:00+01:00', '2026-03-31T08:00:00Z'] }, march);
    expect(localStarts(occurrences, 'Europe/Berlin')).toEqual(['2026-03-03T10:00:00+01:00', '2026-03-10T10:00:00+01:00', '2026-03-24T10:00:00+01:00']);
  });

  it('moves an overridden occurrence and carries the override', () => {
    const override = { originalStart: '2026-03-10T10:00:00+01:00', start: '2026-03-12T14:00:00+01:00', end: '2026-03-12T16:00:00+01:00', title: 'Moved' };
    const occurrences = expandOccurrences({ ...tuesdays, overrides: [override] }, range('2026-03-09T00:00:00Z', '2026-03-18T00:00:00Z'));
    expect(occurrences).toEqual([
      { originalStart: Date.parse('2026-03-10T09:00:00Z'), start: Date.parse('2026-03-12T13:00:00Z'), end: Date.parse('2026-03-12T15:00:00Z'), override },
      { originalStart: Date.parse('2026-03-17T09:00:00Z'), start: Date.parse('2026-03-17T09:00:00Z'), end: Date.parse('2026-03-17T10:00:00Z') },
    ]);
  });

  it('shows an occurrence moved into the range and hides one moved out of it', () => {
    const intoRange = { originalStart: '2026-03-03T10:00:00+01:00', start: '2026-03-11T10:00:00+01:00', end: '2026-03-11T11:00:00+01:00' };
    const outOfRange = { originalStart: '2026-03-10T10:00:00+01:00', start: '2026-04-20T10:00:00+02:00', end: '2026-04-20T11:00:00+02:00' };
    const occurrences = expandOccurrences({ ...tuesdays, overrides: [intoRange, outOfRange] }, range('2026-03-09T00:00:00Z', '2026-03-12T00:00:00Z'));
    expect(occurrences.map((occurrence) => occurrence.override)).toEqual([intoRange]);
  });

  it('lets a cancellation win over an override of the same occurrence', () => {
    const override = { originalStart: '2026-03-10T10:00:00+01:00', start: '2026-03-10T12:00:00+01:00', end: '2026-03-10T13:00:00+01:00' };
    const occurrences = expandOccurrences({ ...tuesdays, overrides: [override], cancelled: ['2026-03-10T09:00:00Z'] }, march);
    expect(occurrences.some((occurrence) => occurrence.override)).toBe(false);
    expect(occurrences).toHaveLength(4);
  });
});

describe('expandOccurrences range and limits', () => {
  const daily: Series = { start: '2020-01-01T09:00:00+01:00', durationMs: 2 * HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY' };

  it('includes an occurrence that started before the range and still runs, not one that ended at its start', () => {
    // Occurrences run 08:00Z-10:00Z in winter.
    const running = expandOccurrences(daily, range('2026-01-10T09:00:00Z', '2026-01-10T12:00:00Z'));
    expect(running.map((occurrence) => occurrence.start)).toEqual([Date.parse('2026-01-10T08:00:00Z')]);
    expect(expandOccurrences(daily, range('2026-01-10T10:00:00Z', '2026-01-11T08:00:00Z'))).toEqual([]);
  });

  it('includes a running occurrence west of UTC, where the wall clock lags the UTC clock', () => {
    // 09:00-11:00 New York (EST) is 14:00Z-16:00Z; the range starts at 15:00Z, mid-occurrence.
    const newYork: Series = { ...daily, timeZone: 'America/New_York', start: '2020-01-01T09:00:00-05:00' };
    const running = expandOccurrences(newYork, range('2026-01-10T15:00:00Z', '2026-01-10T18:00:00Z'));
    expect(running.map((occurrence) => occurrence.start)).toEqual([Date.parse('2026-01-10T14:00:00Z')]);
  });

  it('looks back far enough for occurrences longer than a day', () => {
    // A three-day offsite every four weeks; the range opens on its third day.
    const offsite: Series = { start: '2026-01-05T09:00:00+01:00', durationMs: 72 * HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;INTERVAL=4' };
    const running = expandOccurrences(offsite, range('2026-02-04T12:00:00Z', '2026-02-04T13:00:00Z'));
    expect(running.map((occurrence) => occurrence.start)).toEqual([Date.parse('2026-02-02T08:00:00Z')]);
  });

  it('expands only the range of an open-ended series, quickly', () => {
    const before = Date.now();
    const week = expandOccurrences(daily, range('2035-06-01T00:00:00Z', '2035-06-08T00:00:00Z'));
    expect(week).toHaveLength(7);
    expect(Date.now() - before).toBeLessThan(1000);
  });

  it(`returns at most ${MAX_OCCURRENCES_PER_CALL} occurrences, the earliest ones`, () => {
    const occurrences = expandOccurrences(daily, range('2020-01-01T00:00:00Z', '2060-01-01T00:00:00Z'));
    expect(occurrences).toHaveLength(MAX_OCCURRENCES_PER_CALL);
    expect(occurrences[0].start).toBe(Date.parse('2020-01-01T08:00:00Z'));
  });

  it('treats a series without rrule as one occurrence', () => {
    const single: Series = { start: '2026-03-02T09:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin' };
    expect(expandOccurrences(single, range('2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z'))).toEqual([
      { originalStart: Date.parse('2026-03-02T08:00:00Z'), start: Date.parse('2026-03-02T08:00:00Z'), end: Date.parse('2026-03-02T09:00:00Z') },
    ]);
    expect(expandOccurrences(single, range('2026-03-02T09:00:00Z', '2026-03-31T00:00:00Z'))).toEqual([]);
  });

  it('counts a zero-length occurrence when its start lies in the range', () => {
    const reminder: Series = { start: '2026-03-02T09:00:00+01:00', durationMs: 0, timeZone: 'Europe/Berlin', rrule: 'FREQ=DAILY' };
    expect(expandOccurrences(reminder, range('2026-03-03T08:00:00Z', '2026-03-03T08:00:01Z'))).toHaveLength(1);
    expect(expandOccurrences(reminder, range('2026-03-03T07:00:00Z', '2026-03-03T08:00:00Z'))).toHaveLength(0);
  });

  it('returns nothing for an empty range and throws for a bad zone or rule', () => {
    expect(expandOccurrences(daily, range('2026-01-10T09:00:00Z', '2026-01-10T09:00:00Z'))).toEqual([]);
    expect(() => expandOccurrences({ ...daily, timeZone: 'Foo/Bar' }, range('2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z'))).toThrow('Unknown time zone');
    expect(() => expandOccurrences({ ...daily, rrule: 'FREQ=FOO' }, range('2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z'))).toThrow('unknown FREQ');
  });

  it('gives the same instants whatever the process TZ', () => {
    const weekly: Series = { start: '2026-03-16T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20261110T000000Z' };
    const year = range('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    const original = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const reference = expandOccurrences(weekly, year);
      for (const zone of ['America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney', 'Pacific/Kiritimati', 'America/St_Johns']) {
        process.env.TZ = zone;
        expect(expandOccurrences(weekly, year)).toEqual(reference);
      }
      expect(reference.length).toBeGreaterThan(60);
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});

describe('seriesEnd', () => {
  const base: Series = { start: '2026-03-02T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin' };

  it('is null for an open-ended rule', () => {
    expect(seriesEnd({ ...base, rrule: 'FREQ=WEEKLY' })).toBeNull();
  });

  it('is the end of the last occurrence for COUNT and UNTIL rules', () => {
    // Fifth Monday from 2026-03-02 is 2026-03-30, 10:00 CEST = 08:00Z, ending 09:00Z.
    expect(seriesEnd({ ...base, rrule: 'FREQ=WEEKLY;COUNT=5' })).toBe(Date.parse('2026-03-30T09:00:00Z'));
    expect(seriesEnd({ ...base, rrule: 'FREQ=WEEKLY;UNTIL=20260401T000000Z' })).toBe(Date.parse('2026-03-30T09:00:00Z'));
  });

  it('skips an excluded last occurrence and follows an override moved later', () => {
    expect(seriesEnd({ ...base, rrule: 'FREQ=WEEKLY;COUNT=5', exdates: ['2026-03-30T08:00:00Z'] })).toBe(Date.parse('2026-03-23T10:00:00Z'));
    const moved = { originalStart: '2026-03-09T10:00:00+01:00', start: '2026-05-01T10:00:00+02:00', end: '2026-05-01T12:00:00+02:00' };
    expect(seriesEnd({ ...base, rrule: 'FREQ=WEEKLY;COUNT=5', overrides: [moved] })).toBe(Date.parse('2026-05-01T10:00:00Z'));
  });

  it('settles for a safe upper bound on huge bounded series instead of walking them', () => {
    expect(seriesEnd({ ...base, rrule: 'FREQ=DAILY;COUNT=30000' })).toBeNull();
    const farUntil = seriesEnd({ ...base, rrule: 'FREQ=DAILY;UNTIL=21000101T000000Z' });
    expect(farUntil).toBeGreaterThanOrEqual(Date.parse('2099-12-31T10:00:00Z'));
    expect(farUntil).toBeLessThanOrEqual(Date.parse('2100-01-02T01:00:00Z'));
  });

  it('is start + duration for a single event', () => {
    expect(seriesEnd(base)).toBe(Date.parse('2026-03-02T10:00:00Z'));
  });
});

describe('isOccurrenceStart', () => {
  const tuesdays: Series = { start: '2026-03-03T10:00:00+01:00', durationMs: HOUR, timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=TU', cancelled: ['2026-03-17T09:00:00Z'] };

  it('recognises live occurrence starts only', () => {
    expect(isOccurrenceStart(tuesdays, Date.parse('2026-03-10T09:00:00Z'))).toBe(true);
    expect(isOccurrenceStart(tuesdays, Date.parse('2026-03-31T08:00:00Z'))).toBe(true);
    expect(isOccurrenceStart(tuesdays, Date.parse('2026-03-10T09:30:00Z'))).toBe(false);
    expect(isOccurrenceStart(tuesdays, Date.parse('2026-03-17T09:00:00Z'))).toBe(false);
  });
});
