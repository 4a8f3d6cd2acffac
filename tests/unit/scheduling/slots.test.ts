import fc from 'fast-check';
import { DateTime } from 'luxon';
import { overlaps, type Interval } from '../../../lib/domain/interval';
import { bufferedInterval } from '../../../lib/domain/lock-cells';
import { bookableSlots, busyWindow, candidateStarts, type SlotRules } from '../../../lib/domain/slots';
import { expandWorkingHours, WEEKDAY_KEYS, type WorkingHours } from '../../../lib/domain/working-hours';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NINE_TO_FIVE: WorkingHours = { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] };

const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  durationMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  availability: { kind: 'weekly', timeZone: 'Europe/Berlin', weekly: NINE_TO_FIVE },
  ...overrides,
});
const range = (from: string, to: string): Interval => ({ start: Date.parse(from), end: Date.parse(to) });
const local = (slots: Interval[], zone = 'Europe/Berlin') => slots.map((slot) => DateTime.fromMillis(slot.start, { zone }).toFormat("ccc HH:mm"));
const FAR_PAST = Date.parse('2020-01-01T00:00:00Z');

describe('candidateStarts and bookableSlots: examples', () => {
  it('steps through working hours by the duration by default, in the availability zone', () => {
    // Monday 3 March 2031, Berlin is UTC+1.
    const slots = bookableSlots({ rules: rules({ durationMinutes: 60 }), range: range('2031-03-03T00:00:00+01:00', '2031-03-04T00:00:00+01:00'), now: FAR_PAST, busy: [] });
    expect(local(slots)).toEqual(['Mon 09:00', 'Mon 10:00', 'Mon 11:00', 'Mon 12:00', 'Mon 13:00', 'Mon 14:00', 'Mon 15:00', 'Mon 16:00']);
    expect(slots[0]).toEqual({ start: Date.parse('2031-03-03T08:00:00Z'), end: Date.parse('2031-03-03T09:00:00Z') });
  });

  it('uses the slot step, and keeps the whole slot inside the window', () => {
    const slots = bookableSlots({
      rules: rules({ durationMinutes: 45, slotStepMinutes: 30, availability: { kind: 'weekly', timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '11:00' }] } } }),
      range: range('2031-03-03T00:00:00Z', '2031-03-04T00:00:00Z'), now: FAR_PAST, busy: [],
    });
    expect(local(slots, 'UTC')).toEqual(['Mon 09:00', 'Mon 09:30', 'Mon 10:00']);
  });

  it('keeps 09:00 local on both sides of a DST change', () => {
    const slots = bookableSlots({
      rules: rules({ durationMinutes: 60, availability: { kind: 'weekly', timeZone: 'Europe/Berlin', weekly: { fri: [{ start: '09:00', end: '10:00' }], mon: [{ start: '09:00', end: '10:00' }] } } }),
      range: range('2031-03-28T00:00:00Z', '2031-04-01T00:00:00Z'), now: FAR_PAST, busy: [],
    });
    expect(slots.map((slot) => new Date(slot.start).toISOString())).toEqual(['2031-03-28T08:00:00.000Z', '2031-03-31T07:00:00.000Z']);
  });

  it('subtracts busy time widened by the buffers, and drops past and too-soon starts', () => {
    const slots = bookableSlots({
      rules: rules({ durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 15, minNoticeMinutes: 120 }),
      range: range('2031-03-03T00:00:00+01:00', '2031-03-04T00:00:00+01:00'),
      now: Date.parse('2031-03-03T08:30:00+01:00'),
      // 13:50-14:00 meets 13:00 (buffered 12:45-14:15) and 14:00 (buffered 13:45-15:15), not 12:00 (11:45-13:15).
      busy: [range('2031-03-03T13:50:00+01:00', '2031-03-03T14:00:00+01:00')],
    });
    // Notice: nothing before 10:30; 11:00 is first on the grid.
    expect(local(slots)).toEqual(['Mon 11:00', 'Mon 12:00', 'Mon 15:00', 'Mon 16:00']);
  });

  it('honours dateFrom, dateTo and a list of dates (local dates of the availability zone)', () => {
    const weekly = { kind: 'weekly' as const, timeZone: 'America/New_York', weekly: { mon: [{ start: '09:00', end: '10:00' }], tue: [{ start: '09:00', end: '10:00' }], wed: [{ start: '09:00', end: '10:00' }] } };
    const week = range('2031-03-02T00:00:00-05:00', '2031-03-09T00:00:00-05:00');
    const days = (availability: SlotRules['availability']) =>
      bookableSlots({ rules: rules({ durationMinutes: 60, availability }), range: week, now: FAR_PAST, busy: [] }).map((slot) => DateTime.fromMillis(slot.start, { zone: 'America/New_York' }).toISODate());
    expect(days(weekly)).toEqual(['2031-03-03', '2031-03-04', '2031-03-05']);
    expect(days({ ...weekly, dateFrom: '2031-03-04' })).toEqual(['2031-03-04', '2031-03-05']);
    expect(days({ ...weekly, dateTo: '2031-03-04' })).toEqual(['2031-03-03', '2031-03-04']);
    expect(days({ ...weekly, dates: ['2031-03-03', '2031-03-05', '2031-03-07'] })).toEqual(['2031-03-03', '2031-03-05']);
  });

  it('offers the fixed starts of a one-off event type, sorted, within the range', () => {
    const starts = [Date.parse('2031-05-02T10:00:00Z'), Date.parse('2031-05-01T10:00:00Z'), Date.parse('2031-07-01T10:00:00Z')];
    const slots = bookableSlots({ rules: rules({ availability: { kind: 'fixed', starts } }), range: range('2031-05-01T00:00:00Z', '2031-06-01T00:00:00Z'), now: FAR_PAST, busy: [] });
    expect(slots.map((slot) => new Date(slot.start).toISOString())).toEqual(['2031-05-01T10:00:00.000Z', '2031-05-02T10:00:00.000Z']);
  });

  it('lets a group slot keep its own start while its time blocks every other start', () => {
    const day = range('2031-03-03T00:00:00+01:00', '2031-03-04T00:00:00+01:00');
    const groupRules = rules({ durationMinutes: 60, slotStepMinutes: 30 });
    const tenOClock = Date.parse('2031-03-03T10:00:00+01:00');
    const slots = bookableSlots({ rules: groupRules, range: day, now: FAR_PAST, busy: [], held: [{ start: tenOClock, span: { start: tenOClock, end: tenOClock + 60 * MINUTE } }] });
    expect(local(slots)).toEqual(['Mon 09:00', 'Mon 10:00', 'Mon 11:00', 'Mon 11:30', 'Mon 12:00', 'Mon 12:30', 'Mon 13:00', 'Mon 13:30', 'Mon 14:00', 'Mon 14:30', 'Mon 15:00', 'Mon 15:30', 'Mon 16:00']);
  });
});

// Generators: weekly hours on whole minutes, several zones (with DST, half-hour and 45-minute offsets).
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
const hhmm = (minutes: number) => (minutes === 1440 ? '24:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
const dayHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 0, maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const ranges = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push({ start: hhmm(sorted[i]), end: hhmm(sorted[i + 1]) });
    return ranges.filter((r) => r.start !== '24:00');
  });
const weekly = fc.tuple(...WEEKDAY_KEYS.map(() => dayHours)).map((days) => Object.fromEntries(WEEKDAY_KEYS.map((key, i) => [key, days[i]])) as WorkingHours);
const slotRules = fc.record({
  durationMinutes: fc.integer({ min: 5, max: 180 }),
  bufferBeforeMinutes: fc.integer({ min: 0, max: 30 }),
  bufferAfterMinutes: fc.integer({ min: 0, max: 30 }),
  minNoticeMinutes: fc.integer({ min: 0, max: 3000 }),
  slotStepMinutes: fc.option(fc.integer({ min: 5, max: 120 }), { nil: undefined }),
  availability: fc.record({ kind: fc.constant('weekly' as const), timeZone: fc.constantFrom(...ZONES), weekly }),
});
const BASE = Date.parse('2031-03-25T00:00:00Z'); // spans the European and Lord Howe DST changes
const scenario = fc.record({
  rules: slotRules,
  rangeStart: fc.integer({ min: 0, max: 7 * 24 * 60 }),
  rangeMinutes: fc.integer({ min: 1, max: 6 * 24 * 60 }),
  nowOffset: fc.integer({ min: -2 * 24 * 60, max: 8 * 24 * 60 }),
  busy: fc.array(fc.tuple(fc.integer({ min: -24 * 60, max: 15 * 24 * 60 }), fc.integer({ min: 1, max: 300 })), { maxLength: 25 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const queryRange = { start: BASE + s.rangeStart * MINUTE, end: BASE + (s.rangeStart + s.rangeMinutes) * MINUTE };
  const busy: Interval[] = s.busy.map(([start, length]) => ({ start: BASE + start * MINUTE, end: BASE + (start + length) * MINUTE }));
  return { rules: s.rules as SlotRules, range: queryRange, now: BASE + s.nowOffset * MINUTE, busy };
}

describe('bookableSlots: properties', () => {
  it('every offered slot is inside availability, its buffered interval meets no busy time, and it respects the notice', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const query = build(s);
        const { rules: r } = query;
        const availability = r.availability as Extract<SlotRules['availability'], { kind: 'weekly' }>;
        const windows = expandWorkingHours(availability.weekly, availability.timeZone, { start: query.range.start - DAY, end: query.range.end + DAY });
        for (const slot of bookableSlots(query)) {
          expect(slot.end - slot.start).toBe(r.durationMinutes * MINUTE);
          expect(slot.start).toBeGreaterThanOrEqual(query.range.start);
          expect(slot.start).toBeLessThan(query.range.end);
          expect(slot.start).toBeGreaterThanOrEqual(query.now + r.minNoticeMinutes * MINUTE);
          expect(windows.some((window) => window.start <= slot.start && slot.end <= window.end)).toBe(true);
          const buffered = bufferedInterval(slot, r.bufferBeforeMinutes, r.bufferAfterMinutes);
          expect(query.busy.some((busy) => overlaps(busy, buffered))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('offers exactly the candidates a brute-force check lets through', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const query = build(s);
        const r = query.rules;
        const expected = candidateStarts(r, query.range).filter((start) => {
          const buffered = bufferedInterval({ start, end: start + r.durationMinutes * MINUTE }, r.bufferBeforeMinutes, r.bufferAfterMinutes);
          return start >= query.now + r.minNoticeMinutes * MINUTE && !query.busy.some((busy) => overlaps(busy, buffered));
        });
        expect(bookableSlots(query).map((slot) => slot.start)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same candidates whatever range is asked for (a booking checks the grid the list shows)', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 1000 }), (s, cut) => {
        const query = build(s);
        const all = candidateStarts(query.rules, query.range);
        const point = query.range.start + ((cut / 1000) * (query.range.end - query.range.start));
        const left = candidateStarts(query.rules, { start: query.range.start, end: point });
        const right = candidateStarts(query.rules, { start: point, end: query.range.end });
        expect([...left, ...right]).toEqual(all);
        for (const start of all) expect(candidateStarts(query.rules, { start, end: start + 1 })).toEqual([start]);
      }),
      { numRuns: 200 },
    );
  });

  it('ignores busy time outside busyWindow', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const query = build(s);
        const window = busyWindow(query.rules, query.range);
        const inside = query.busy.filter((busy) => overlaps(busy, window));
        expect(bookableSlots({ ...query, busy: inside })).toEqual(bookableSlots(query));
      }),
      { numRuns: 200 },
    );
  });
});
