import {
  DEFAULT_WORKING_HOURS,
  type WorkingHours,
  expandWorkingHours,
  workingHoursProblems,
} from '../../../lib/domain/working-hours';

const HOUR = 60 * 60 * 1000;
const utc = (text: string): number => Date.parse(text);
const span = (start: string, end: string) => ({ start: utc(start), end: utc(end) });

describe('workingHoursProblems', () => {
  it('accepts the default and ranges that touch or end at 24:00', () => {
    expect(workingHoursProblems(DEFAULT_WORKING_HOURS)).toEqual([]);
    expect(
      workingHoursProblems({ mon: [{ start: '09:00', end: '12:00' }, { start: '12:00', end: '24:00' }], sun: [] }),
    ).toEqual([]);
  });

  it('names each malformed time by its path', () => {
    const problems = workingHoursProblems({
      mon: [{ start: '9:00', end: '17:00' }],
      tue: [{ start: '09:00', end: '25:00' }],
      wed: [{ start: '24:00', end: '24:00' }],
      thu: [{ start: '09:60', end: '17:00' }],
    });
    expect(problems.map((problem) => problem.path)).toEqual([
      'workingHours.mon.0.start',
      'workingHours.tue.0.end',
      'workingHours.wed.0.start',
      'workingHours.thu.0.start',
    ]);
  });

  it('rejects a start that is not before its end', () => {
    expect(workingHoursProblems({ fri: [{ start: '17:00', end: '09:00' }] })).toEqual([
      { path: 'workingHours.fri.0.end', message: 'must be after start 17:00' },
    ]);
    expect(workingHoursProblems({ fri: [{ start: '09:00', end: '09:00' }] })[0].path).toBe('workingHours.fri.0.end');
  });

  it('rejects overlapping ranges within a day, blaming the start that falls inside the other', () => {
    const problems = workingHoursProblems({
      mon: [
        { start: '13:00', end: '17:00' },
        { start: '09:00', end: '14:00' },
      ],
    });
    expect(problems).toEqual([{ path: 'workingHours.mon.0.start', message: 'overlaps workingHours.mon.1 (09:00-14:00)' }]);
  });

  it('does not treat ranges on different days as overlapping', () => {
    expect(workingHoursProblems({ mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }] })).toEqual(
      [],
    );
  });
});

describe('expandWorkingHours', () => {
  it('gives Monday to Friday 09:00-17:00 Berlin as UTC in winter', () => {
    // 2026-01-05 is a Monday.
    const week = span('2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z');
    const intervals = expandWorkingHours(DEFAULT_WORKING_HOURS, 'Europe/Berlin', week);
    expect(intervals).toHaveLength(5);
    expect(intervals[0]).toEqual(span('2026-01-05T08:00:00Z', '2026-01-05T16:00:00Z'));
    expect(intervals[4]).toEqual(span('2026-01-09T08:00:00Z', '2026-01-09T16:00:00Z'));
  });

  it('keeps 09:00-17:00 local on both sides of the March DST change (8 h each day)', () => {
    const range = span('2026-03-26T00:00:00Z', '2026-04-01T00:00:00Z');
    const intervals = expandWorkingHours(DEFAULT_WORKING_HOURS, 'Europe/Berlin', range);
    expect(intervals).toEqual([
      span('2026-03-26T08:00:00Z', '2026-03-26T16:00:00Z'),
      span('2026-03-27T08:00:00Z', '2026-03-27T16:00:00Z'),
      span('2026-03-30T07:00:00Z', '2026-03-30T15:00:00Z'),
      span('2026-03-31T07:00:00Z', '2026-03-31T15:00:00Z'),
    ]);
    for (const interval of intervals) expect(interval.end - interval.start).toBe(8 * HOUR);
  });

  it('measures a range across the DST hour by the wall clock: 3 h in spring, 5 h in autumn', () => {
    const night: WorkingHours = { sun: [{ start: '01:00', end: '05:00' }] };
    const [spring] = expandWorkingHours(night, 'Europe/Berlin', span('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'));
    expect(spring).toEqual(span('2026-03-29T00:00:00Z', '2026-03-29T03:00:00Z'));
    const [autumn] = expandWorkingHours(night, 'Europe/Berlin', span('2026-10-24T22:00:00Z', '2026-10-26T00:00:00Z'));
    expect(autumn).toEqual(span('2026-10-24T23:00:00Z', '2026-10-25T04:00:00Z'));
  });

  it('follows New York rules, which change on a different date than Europe', () => {
    // US DST starts 2026-03-08; Monday 2026-03-09 09:00 EDT is 13:00Z, Friday 2026-03-06 09:00 EST is 14:00Z.
    const intervals = expandWorkingHours(DEFAULT_WORKING_HOURS, 'America/New_York', span('2026-03-06T00:00:00Z', '2026-03-10T00:00:00Z'));
    expect(intervals).toEqual([span('2026-03-06T14:00:00Z', '2026-03-06T22:00:00Z'), span('2026-03-09T13:00:00Z', '2026-03-09T21:00:00Z')]);
  });

  it('merges a range ending at 24:00 with the next day starting at 00:00', () => {
    const weekend: WorkingHours = { sat: [{ start: '22:00', end: '24:00' }], sun: [{ start: '00:00', end: '02:00' }] };
    expect(expandWorkingHours(weekend, 'UTC', span('2026-01-01T00:00:00Z', '2026-01-08T00:00:00Z'))).toEqual([
      span('2026-01-03T22:00:00Z', '2026-01-04T02:00:00Z'),
    ]);
  });

  it('clips to the range and reads days in the zone, not in UTC', () => {
    // 2026-01-05 09:00 in Tokyo is 2026-01-05T00:00Z; the range starts in the middle of that working day.
    const range = span('2026-01-05T03:00:00Z', '2026-01-05T12:00:00Z');
    expect(expandWorkingHours(DEFAULT_WORKING_HOURS, 'Asia/Tokyo', range)).toEqual([span('2026-01-05T03:00:00Z', '2026-01-05T08:00:00Z')]);
  });

  it('gives nothing for an empty range or a day without hours', () => {
    expect(expandWorkingHours(DEFAULT_WORKING_HOURS, 'UTC', span('2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z'))).toEqual([]);
    // 2026-01-10 is a Saturday.
    expect(expandWorkingHours(DEFAULT_WORKING_HOURS, 'UTC', span('2026-01-10T00:00:00Z', '2026-01-11T00:00:00Z'))).toEqual([]);
  });

  it('throws for an unknown zone', () => {
    expect(() => expandWorkingHours(DEFAULT_WORKING_HOURS, 'Foo/Bar', span('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'))).toThrow(
      RangeError,
    );
  });
});
