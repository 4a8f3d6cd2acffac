// The pure rules behind the event type options: rolling window, date overrides, daily limit and guest questions.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { checkAnswers, questionProblems, type Question } from '../../../lib/domain/booking-questions';
import { fullDates, localDateOf, localDaysAround } from '../../../lib/domain/daily-limit';
import { dateOverrideProblems } from '../../../lib/domain/date-overrides';
import { bookableSlots, bookingHorizon, candidateStarts, type SlotRules, type WeeklyAvailability } from '../../../lib/domain/slots';

const WEEKDAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '12:00' }]]));
const rules = (availability: Partial<WeeklyAvailability> = {}, extra: Partial<SlotRules> = {}): SlotRules => ({
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  availability: { kind: 'weekly', timeZone: 'Europe/Berlin', weekly: WEEKDAYS, ...availability },
  ...extra,
});
const berlin = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/Berlin' }).toFormat('yyyy-MM-dd HH:mm');
const week = { start: Date.parse('2031-03-02T23:00:00Z'), end: Date.parse('2031-03-09T23:00:00Z') }; // Mon 3 to Sun 9 March, Berlin

describe('rolling window', () => {
  it('ends at the end of the local day N days after today, in the availability zone', () => {
    // 23:30 UTC on Sunday is already Monday 00:30 in Berlin: Monday is today there.
    const now = Date.parse('2031-03-02T23:30:00Z');
    expect(berlin(bookingHorizon(rules({ rollingDays: 1 }), now)!)).toBe('2031-03-05 00:00');
    expect(berlin(bookingHorizon(rules({ rollingDays: 0 }), now)!)).toBe('2031-03-04 00:00');
    expect(bookingHorizon(rules(), now)).toBeUndefined();
  });

  it('offers no slot past the horizon and every slot before it (the default keeps them all)', () => {
    const now = Date.parse('2031-03-03T06:00:00Z');
    const all = bookableSlots({ rules: rules(), range: week, now, busy: [] });
    const rolling = bookableSlots({ rules: rules({ rollingDays: 2 }), range: week, now, busy: [] });
    expect(rolling.map((slot) => berlin(slot.start).slice(0, 10))).toEqual(['2031-03-03', '2031-03-03', '2031-03-03', '2031-03-04', '2031-03-04', '2031-03-04', '2031-03-05', '2031-03-05', '2031-03-05']);
    expect(all.slice(0, rolling.length)).toEqual(rolling);
    expect(all.length).toBe(15);
  });

  it('property: slots with a rolling window are exactly the slots without one that start before the horizon', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 14 * 24 * 60 }), (days, minutesIn) => {
        const now = Date.parse('2031-03-01T00:00:00Z') + minutesIn * 60_000;
        const range = { start: now - 86_400_000, end: now + 20 * 86_400_000 };
        const horizon = bookingHorizon(rules({ rollingDays: days }), now)!;
        const with_ = bookableSlots({ rules: rules({ rollingDays: days }), range, now, busy: [] });
        const without = bookableSlots({ rules: rules(), range, now, busy: [] }).filter((slot) => slot.start < horizon);
        expect(with_).toEqual(without);
      }),
      { numRuns: 40 },
    );
  });
});

describe('date overrides', () => {
  it('replaces the hours of that date only, [] closing it, and adds hours to a day off', () => {
    const overrides = [
      { date: '2031-03-04', intervals: [] },
      { date: '2031-03-05', intervals: [{ start: '14:00', end: '16:00' }] },
      { date: '2031-03-08', intervals: [{ start: '10:00', end: '11:00' }] },
    ];
    const starts = candidateStarts(rules({ overrides }), week).map(berlin);
    expect(starts.filter((start) => start.startsWith('2031-03-04'))).toEqual([]);
    expect(starts.filter((start) => start.startsWith('2031-03-05'))).toEqual(['2031-03-05 14:00', '2031-03-05 15:00']);
    expect(starts.filter((start) => start.startsWith('2031-03-08'))).toEqual(['2031-03-08 10:00']);
    expect(starts.filter((start) => start.startsWith('2031-03-03'))).toEqual(['2031-03-03 09:00', '2031-03-03 10:00', '2031-03-03 11:00']);
  });

  it('keeps the date limits: an override outside dateFrom..dateTo offers nothing', () => {
    const starts = candidateStarts(rules({ dateTo: '2031-03-04', overrides: [{ date: '2031-03-08', intervals: [{ start: '10:00', end: '11:00' }] }] }), week);
    expect(starts.map(berlin).every((start) => start < '2031-03-05')).toBe(true);
  });

  it('reads override hours on the wall clock across a DST change', () => {
    // Berlin moves to summer time on Sunday 30 March 2031.
    const starts = candidateStarts(rules({ overrides: [{ date: '2031-03-30', intervals: [{ start: '09:00', end: '10:00' }] }] }), {
      start: Date.parse('2031-03-29T23:00:00Z'), end: Date.parse('2031-03-30T22:00:00Z'),
    });
    expect(starts).toEqual([Date.parse('2031-03-30T07:00:00Z')]);
  });

  it('names each bad field: a date twice, an end not after its start, intervals out of order or overlapping', () => {
    expect(dateOverrideProblems([{ date: '2031-03-04', intervals: [{ start: '09:00', end: '10:00' }, { start: '10:00', end: '24:00' }] }])).toEqual([]);
    expect(dateOverrideProblems([
      { date: '2031-03-04', intervals: [] },
      { date: '2031-03-04', intervals: [{ start: '10:00', end: '09:00' }] },
      { date: '2031-03-05', intervals: [{ start: '11:00', end: '12:00' }, { start: '09:00', end: '10:00' }] },
      { date: '2031-03-06', intervals: [{ start: '09:00', end: '11:00' }, { start: '10:30', end: '12:00' }] },
    ]).map((problem) => problem.field)).toEqual([
      'availability.overrides.1.date',
      'availability.overrides.1.intervals.0.end',
      'availability.overrides.2.intervals.1.start',
      'availability.overrides.3.intervals.1.start',
    ]);
  });
});

describe('daily limit', () => {
  it('counts starts per local date in the zone', () => {
    const starts = ['2031-03-03T22:30:00Z', '2031-03-04T08:00:00Z', '2031-03-03T08:00:00Z'].map(Date.parse);
    // 22:30 UTC on the 3rd is 23:30 on the 3rd in Berlin, but already the 4th in Tokyo.
    expect([...fullDates(starts, 'Europe/Berlin', 2)]).toEqual(['2031-03-03']);
    expect([...fullDates(starts, 'Asia/Tokyo', 2)]).toEqual(['2031-03-04']);
    expect(fullDates(starts, 'Europe/Berlin', 3).size).toBe(0);
    expect(localDateOf(starts[0], 'Asia/Tokyo')).toBe('2031-03-04');
  });

  it('widens a range to whole local days', () => {
    const days = localDaysAround({ start: Date.parse('2031-03-03T10:00:00Z'), end: Date.parse('2031-03-04T10:00:00Z') }, 'Europe/Berlin');
    expect([berlin(days.start), berlin(days.end)]).toEqual(['2031-03-03 00:00', '2031-03-05 00:00']);
  });

  it('property: a date is full exactly when at least limit starts fall on it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 * 24 * 60 }), { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (minutes, limit) => {
        const starts = minutes.map((minute) => Date.parse('2031-03-03T00:00:00Z') + minute * 60_000);
        const full = fullDates(starts, 'America/New_York', limit);
        for (const start of starts) {
          const date = localDateOf(start, 'America/New_York');
          const count = starts.filter((other) => localDateOf(other, 'America/New_York') === date).length;
          expect(full.has(date)).toBe(count >= limit);
        }
      }),
    );
  });
});

describe('questions and answers', () => {
  const questions: Question[] = [
    { id: 'topic', label: 'Topic', type: 'select', required: true, options: ['Pricing', 'Roadmap'] },
    { id: 'phone', label: 'Phone', type: 'phone' },
    { id: 'agree', label: 'I agree', type: 'checkbox', required: true },
    { id: 'more', label: 'Anything else?', type: 'textarea' },
    { id: 'company', label: 'Company', type: 'text', required: true },
  ];

  it('checks the question list: unique ids, options for select only', () => {
    expect(questionProblems(questions)).toEqual([]);
    expect(questionProblems([
      { id: 'a', label: 'A', type: 'select' },
      { id: 'a', label: 'B', type: 'text', options: ['x'] },
      { id: 'c', label: 'C', type: 'select', options: ['x', 'x'] },
    ]).map((problem) => problem.field)).toEqual(['questions.0.options', 'questions.1.id', 'questions.1.options', 'questions.2.options']);
  });

  it('keeps valid answers in question order with their labels, trimmed, blank optional ones left out', () => {
    const checked = checkAnswers(questions, { company: '  Acme ', agree: true, topic: 'Roadmap', phone: '+49 (30) 123-456', more: '  ' });
    expect(checked.problems).toEqual([]);
    expect(checked.answers).toEqual([
      { questionId: 'topic', label: 'Topic', value: 'Roadmap' },
      { questionId: 'phone', label: 'Phone', value: '+49 (30) 123-456' },
      { questionId: 'agree', label: 'I agree', value: true },
      { questionId: 'company', label: 'Company', value: 'Acme' },
    ]);
  });

  it('names answers.<id> for a missing required answer, an unknown id and a wrong type or value', () => {
    const fields = (answers: Record<string, string | boolean>) => checkAnswers(questions, answers).problems.map((problem) => problem.field);
    expect(fields({})).toEqual(['answers.topic', 'answers.agree', 'answers.company']);
    const all = { topic: 'Pricing', agree: true, company: 'Acme' };
    expect(fields({ ...all, extra: 'x' })).toEqual(['answers.extra']);
    expect(fields({ ...all, topic: 'Sales' })).toEqual(['answers.topic']);
    expect(fields({ ...all, agree: 'yes' })).toEqual(['answers.agree']);
    expect(fields({ ...all, agree: false })).toEqual(['answers.agree']);
    expect(fields({ ...all, company: true })).toEqual(['answers.company']);
    expect(fields({ ...all, phone: 'call me' })).toEqual(['answers.phone']);
    expect(fields({ ...all, company: '   ' })).toEqual(['answers.company']);
  });

  it('property: no questions accept only an empty answer set', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.oneof(fc.string(), fc.boolean())), (answers) => {
        expect(checkAnswers([], answers).problems.length).toBe(Object.keys(answers).length);
      }),
    );
  });
});
