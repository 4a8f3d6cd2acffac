import fc from 'fast-check';
import type { Interval } from '../../../lib/domain/interval';
import { findEarliestFreeSlot, freeIntervals } from '../../../lib/domain/free-time';

const MINUTE = 60 * 1000;
const min = (start: number, end: number): Interval => ({ start: start * MINUTE, end: end * MINUTE });

describe('freeIntervals', () => {
  it('gives the gaps between everyone’s busy time within [after, before)', () => {
    const free = freeIntervals({ after: 0, before: 100 * MINUTE, busyByUser: [[min(10, 20), min(50, 60)], [min(15, 30)], []] });
    expect(free).toEqual([min(0, 10), min(30, 50), min(60, 100)]);
  });

  it('intersects with each user’s availability', () => {
    const free = freeIntervals({
      after: 0,
      before: 100 * MINUTE,
      busyByUser: [[min(40, 45)], []],
      availableByUser: [[min(0, 60)], [min(30, 90)]],
    });
    expect(free).toEqual([min(30, 40), min(45, 60)]);
  });

  it('is empty when after is not before before', () => {
    expect(freeIntervals({ after: 10, before: 10, busyByUser: [] })).toEqual([]);
  });
});

describe('findEarliestFreeSlot', () => {
  it('finds the first gap long enough, skipping shorter ones', () => {
    const slot = findEarliestFreeSlot({
      after: 0,
      before: 200 * MINUTE,
      durationMs: 30 * MINUTE,
      busyByUser: [[min(0, 10), min(30, 100)], [min(20, 25), min(110, 120)]],
    });
    // [10,20) and [25,30) are too short; [100,110) too; [120,200) fits.
    expect(slot).toEqual(min(120, 150));
  });

  it('starts at after when everyone is free then, and lets a slot end exactly at before', () => {
    expect(findEarliestFreeSlot({ after: 5 * MINUTE, before: 35 * MINUTE, durationMs: 30 * MINUTE, busyByUser: [[min(0, 4)]] })).toEqual(min(5, 35));
  });

  it('lets a slot touch busy intervals on both sides', () => {
    expect(findEarliestFreeSlot({ after: 0, before: 60 * MINUTE, durationMs: 10 * MINUTE, busyByUser: [[min(0, 20), min(30, 60)]] })).toEqual(min(20, 30));
  });

  it('respects working hours given as availability', () => {
    const slot = findEarliestFreeSlot({
      after: 0,
      before: 1000 * MINUTE,
      durationMs: 60 * MINUTE,
      busyByUser: [[], []],
      availableByUser: [[min(540, 1020)], [min(600, 660), min(700, 900)]],
    });
    expect(slot).toEqual(min(600, 660));
  });

  it('returns null when no gap is long enough or someone has no availability', () => {
    expect(findEarliestFreeSlot({ after: 0, before: 60 * MINUTE, durationMs: 30 * MINUTE, busyByUser: [[min(20, 40)]] })).toBeNull();
    expect(findEarliestFreeSlot({ after: 0, before: 60 * MINUTE, durationMs: 10 * MINUTE, busyByUser: [[]], availableByUser: [[]] })).toBeNull();
  });

  it('refuses a non-positive duration', () => {
    expect(() => findEarliestFreeSlot({ after: 0, before: 10, durationMs: 0, busyByUser: [] })).toThrow(RangeError);
  });
});

// Brute force on a minute grid: with every endpoint on the grid, the earliest start is on the grid too,
// and a minute is free exactly when its start point is.
const gridInterval = fc
  .record({ start: fc.integer({ min: 0, max: 70 }), length: fc.integer({ min: 0, max: 25 }) })
  .map(({ start, length }) => ({ start, end: start + length }));
const scenario = fc
  .record({
    userCount: fc.integer({ min: 1, max: 3 }),
    after: fc.integer({ min: 0, max: 30 }),
    span: fc.integer({ min: 0, max: 70 }),
    duration: fc.integer({ min: 1, max: 25 }),
    busy: fc.array(fc.array(gridInterval, { maxLength: 5 }), { minLength: 3, maxLength: 3 }),
    available: fc.option(fc.array(fc.array(gridInterval, { maxLength: 4 }), { minLength: 3, maxLength: 3 }), { nil: undefined }),
  })
  .map(({ userCount, after, span, duration, busy, available }) => ({
    after,
    before: after + span,
    duration,
    busy: busy.slice(0, userCount),
    available: available?.slice(0, userCount),
  }));

type Scenario = { after: number; before: number; duration: number; busy: Interval[][]; available?: Interval[][] };

const coversMinute = (list: Interval[], minute: number) => list.some((interval) => interval.start <= minute && minute < interval.end);

function minuteIsFreeForAll(s: Scenario, minute: number): boolean {
  return s.busy.every((list, user) => !coversMinute(list, minute) && (s.available === undefined || coversMinute(s.available[user], minute)));
}

function bruteForceEarliest(s: Scenario): number | null {
  for (let start = s.after; start + s.duration <= s.before; start += 1) {
    let free = true;
    for (let minute = start; minute < start + s.duration && free; minute += 1) free = minuteIsFreeForAll(s, minute);
    if (free) return start;
  }
  return null;
}

function solve(s: Scenario): Interval | null {
  const toMs = (list: Interval[]) => list.map((interval) => min(interval.start, interval.end));
  const slot = findEarliestFreeSlot({
    after: s.after * MINUTE,
    before: s.before * MINUTE,
    durationMs: s.duration * MINUTE,
    busyByUser: s.busy.map(toMs),
    availableByUser: s.available?.map(toMs),
  });
  return slot && { start: slot.start / MINUTE, end: slot.end / MINUTE };
}

describe('findEarliestFreeSlot properties', () => {
  it('answers a slot that is free for all, inside availability, of the asked length, within bounds', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const slot = solve(s);
        if (slot === null) return;
        expect(slot.end - slot.start).toBe(s.duration);
        expect(slot.start).toBeGreaterThanOrEqual(s.after);
        expect(slot.end).toBeLessThanOrEqual(s.before);
        for (let minute = slot.start; minute < slot.end; minute += 1) expect(minuteIsFreeForAll(s, minute)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the earliest slot, and null exactly when brute force finds none', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const expected = bruteForceEarliest(s);
        const slot = solve(s);
        expect(slot?.start ?? null).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('freeIntervals covers exactly the minutes that are free for everyone', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const free = freeIntervals({
          after: s.after,
          before: s.before,
          busyByUser: s.busy,
          availableByUser: s.available,
        });
        for (let minute = s.after - 2; minute < s.before + 2; minute += 1) {
          const expected = minute >= s.after && minute < s.before && minuteIsFreeForAll(s, minute);
          expect(coversMinute(free, minute)).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
