import { DomainError } from '../../../lib/domain/errors';
import { RecurrenceError, parseRecurrence } from '../../../lib/domain/recurrence';

describe('parseRecurrence', () => {
  it('accepts a bare rule body and an RRULE line alike, normalised to upper case', () => {
    expect(parseRecurrence('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10')).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10', exdates: [] });
    expect(parseRecurrence('rrule:freq=weekly;byday=mo,we;count=10;')).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10', exdates: [] });
  });

  it('reads EXDATE lines with TZID, with Z, and comma-separated values, as UTC instants', () => {
    const parsed = parseRecurrence(
      [
        'RRULE:FREQ=WEEKLY;BYDAY=TU',
        'EXDATE;TZID=Europe/Berlin:20260310T100000,20260407T100000',
        'EXDATE:20260317T090000Z',
      ].join('\r\n'),
    );
    expect(parsed.rrule).toBe('FREQ=WEEKLY;BYDAY=TU');
    // 10:00 Berlin is 09:00Z in March (CET) and 08:00Z in April (CEST).
    expect(parsed.exdates).toEqual(['2026-03-10T09:00:00Z', '2026-04-07T08:00:00Z', '2026-03-17T09:00:00Z']);
  });

  it('reads a floating EXDATE in the event zone, and refuses it without one', () => {
    expect(parseRecurrence('FREQ=DAILY\nEXDATE:20260310T100000', { timeZone: 'America/New_York' }).exdates).toEqual([
      '2026-03-10T14:00:00Z',
    ]);
    expect(() => parseRecurrence('FREQ=DAILY\nEXDATE:20260310T100000')).toThrow('has no time zone');
  });

  it('reads a VALUE=DATE EXDATE as midnight in its zone', () => {
    expect(parseRecurrence('FREQ=DAILY\nEXDATE;VALUE=DATE:20260310', { timeZone: 'Europe/Berlin' }).exdates).toEqual([
      '2026-03-09T23:00:00Z',
    ]);
  });

  it('unfolds folded lines and accepts a quoted TZID', () => {
    const parsed = parseRecurrence('RRULE:FREQ=WEEKLY;\r\n BYDAY=MO\nEXDATE;TZID="Europe/Berlin":20260309T100000');
    expect(parsed).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO', exdates: ['2026-03-09T09:00:00Z'] });
  });

  it('accepts rules with ordinals, set positions and WKST where RFC 5545 allows them', () => {
    expect(parseRecurrence('FREQ=MONTHLY;BYDAY=-1FR').rrule).toBe('FREQ=MONTHLY;BYDAY=-1FR');
    expect(parseRecurrence('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1').rrule).toBe('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1');
    expect(parseRecurrence('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29').rrule).toBe('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29');
    expect(parseRecurrence('FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,SU').rrule).toBe('FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,SU');
    expect(parseRecurrence('FREQ=DAILY;UNTIL=20260310').rrule).toBe('FREQ=DAILY;UNTIL=20260310');
  });

  it.each([
    ['', 'needs an RRULE'],
    ['EXDATE:20260310T090000Z', 'needs an RRULE'],
    ['FREQ=FOO', 'unknown FREQ "FOO"'],
    ['BYDAY=MO', 'FREQ is required'],
    ['FREQ=HOURLY', 'FREQ=HOURLY is not supported'],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20260401T000000Z', 'COUNT and UNTIL cannot be used together'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY "XX"'],
    ['FREQ=WEEKLY;BYDAY=MO,', 'BYDAY ""'],
    ['FREQ=WEEKLY;BYDAY=2MO', 'needs FREQ=MONTHLY or YEARLY'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'ordinal must be 1 to 5'],
    ['FREQ=MONTHLY;BYDAY=0MO', 'ordinal must be'],
    ['FREQ=WEEKLY;INTERVAL=0', 'INTERVAL must be a positive integer'],
    ['FREQ=WEEKLY;COUNT=-2', 'COUNT must be a positive integer'],
    ['FREQ=WEEKLY;COUNT=abc', 'COUNT must be a positive integer'],
    ['FREQ=DAILY;UNTIL=tomorrow', 'UNTIL "TOMORROW"'],
    ['FREQ=DAILY;UNTIL=20260230T000000Z', 'UNTIL "20260230T000000Z"'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY "32"'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH "13"'],
    ['FREQ=YEARLY;BYMONTH=-1', 'BYMONTH "-1"'],
    ['FREQ=MONTHLY;BYWEEKNO=3', 'BYWEEKNO is only allowed with FREQ=YEARLY'],
    ['FREQ=WEEKLY;BYMONTHDAY=3', 'BYMONTHDAY is not allowed with FREQ=WEEKLY'],
    ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS needs another'],
    ['FREQ=WEEKLY;FOO=1', 'unknown rule part FOO'],
    ['FREQ=WEEKLY;FREQ=DAILY', 'FREQ appears more than once'],
    ['FREQ=WEEKLY;BYDAY', '"BYDAY" is not a NAME=VALUE'],
    ['FREQ=WEEKLY;WKST=XX', 'WKST "XX"'],
    ['RRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY', 'only one RRULE'],
    ['RRULE:FREQ=DAILY\nRDATE:20260310T090000Z', 'RDATE is not supported'],
    ['RRULE:FREQ=DAILY\nEXRULE:FREQ=WEEKLY', 'EXRULE is not supported'],
    ['RRULE:FREQ=DAILY\nSUMMARY:Hello', 'unknown recurrence line'],
    ['RRULE:FREQ=DAILY\nEXDATE;TZID=Foo/Bar:20260310T100000', 'unknown TZID "Foo/Bar"'],
    ['RRULE:FREQ=DAILY\nEXDATE:2026-03-10', 'EXDATE value "2026-03-10"'],
    ['RRULE:FREQ=DAILY\nEXDATE:20260231T090000Z', 'is not a valid date'],
    ['RRULE:FREQ=DAILY\nEXDATE;VALUE=DATE:20260310T090000Z', 'must be a date'],
  ])('rejects %j with a message naming the problem (%s)', (text, message) => {
    const call = () => parseRecurrence(text);
    expect(call).toThrow(RecurrenceError);
    expect(call).toThrow(message);
  });

  it('rejects an unknown event time zone', () => {
    expect(() => parseRecurrence('FREQ=DAILY', { timeZone: 'Mars/Olympus' })).toThrow('unknown time zone');
  });

  it('throws domain errors with code invalid_recurrence and a detail naming the field', () => {
    expect.assertions(4);
    try {
      parseRecurrence('FREQ=FOO');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as RecurrenceError).code).toBe('invalid_recurrence');
      expect((error as Error).name).toBe('RecurrenceError');
      expect((error as RecurrenceError).details).toEqual([{ field: 'recurrence.rrule', message: 'unknown FREQ "FOO"' }]);
    }
  });
});
