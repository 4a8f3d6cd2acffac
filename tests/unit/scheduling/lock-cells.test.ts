import fc from 'fast-check';
import { overlaps, type Interval } from '../../../lib/domain/interval';
import { bufferedInterval, CELL_MS, cellSpan, lockCells } from '../../../lib/domain/lock-cells';

const MINUTE = 60_000;
const BASE = Date.parse('2031-03-03T09:00:00Z');
const at = (minutes: number) => BASE + minutes * MINUTE;

const intersects = (a: number[], b: number[]) => {
  const set = new Set(a);
  return b.some((cell) => set.has(cell));
};

/** Intervals of whole minutes (any minute, not only multiples of 5) within a few hours of BASE. */
const minuteInterval = fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: 1, max: 240 })).map(([start, length]): Interval => ({ start: at(start), end: at(start + length) }));
const alignedInterval = fc.tuple(fc.integer({ min: -60, max: 60 }), fc.integer({ min: 1, max: 48 })).map(([start, length]): Interval => ({ start: at(start * 5), end: at((start + length) * 5) }));

describe('lockCells', () => {
  it('covers [start - bufferBefore, end + bufferAfter) with 5-minute cells aligned to the UTC epoch', () => {
    const cells = lockCells(bufferedInterval({ start: at(0), end: at(30) }, 10, 5));
    expect(cells.map((cell) => new Date(cell).toISOString())).toEqual([
      '2031-03-03T08:50:00.000Z', '2031-03-03T08:55:00.000Z', '2031-03-03T09:00:00.000Z', '2031-03-03T09:05:00.000Z',
      '2031-03-03T09:10:00.000Z', '2031-03-03T09:15:00.000Z', '2031-03-03T09:20:00.000Z', '2031-03-03T09:25:00.000Z',
      '2031-03-03T09:30:00.000Z',
    ]);
  });

  it('widens unaligned intervals to whole cells: 09:03-09:07 touches the 09:00 and 09:05 cells', () => {
    expect(lockCells({ start: at(3), end: at(7) })).toEqual([at(0), at(5)]);
    expect(cellSpan({ start: at(3), end: at(7) })).toEqual({ start: at(0), end: at(10) });
  });

  it('gives touching bookings disjoint cells and bookings overlapping by one minute a shared cell', () => {
    expect(intersects(lockCells({ start: at(0), end: at(30) }), lockCells({ start: at(30), end: at(60) }))).toBe(false);
    expect(intersects(lockCells({ start: at(0), end: at(30) }), lockCells({ start: at(29), end: at(60) }))).toBe(true);
  });

  it('locks nothing for an empty interval', () => {
    expect(lockCells({ start: at(10), end: at(10) })).toEqual([]);
  });

  it('property: for 5-minute-aligned intervals, overlap iff the cell sets intersect', () => {
    fc.assert(
      fc.property(alignedInterval, alignedInterval, (a, b) => {
        expect(intersects(lockCells(a), lockCells(b))).toBe(overlaps(a, b));
      }),
    );
  });

  it('property: for any whole-minute intervals, overlap implies intersecting cells', () => {
    fc.assert(
      fc.property(minuteInterval, minuteInterval, (a, b) => {
        fc.pre(overlaps(a, b));
        expect(intersects(lockCells(a), lockCells(b))).toBe(true);
      }),
    );
  });

  it('property: the cell span is the union of the cells, each aligned to the 5-minute grid', () => {
    fc.assert(
      fc.property(minuteInterval, (interval) => {
        const cells = lockCells(interval);
        expect(cellSpan(interval)).toEqual({ start: cells[0], end: cells[cells.length - 1] + CELL_MS });
        cells.forEach((cell) => expect(cell % CELL_MS).toBe(0));
      }),
    );
  });
});
