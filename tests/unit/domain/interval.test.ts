import fc from 'fast-check';
import {
  type Interval,
  clipInterval,
  intersectIntervalLists,
  mergeIntervals,
  overlaps,
  subtractIntervals,
} from '../../../lib/domain/interval';

const iv = (start: number, end: number): Interval => ({ start, end });

describe('mergeIntervals', () => {
  it('sorts and merges overlapping and touching intervals', () => {
    expect(mergeIntervals([iv(10, 12), iv(1, 3), iv(3, 5), iv(4, 6), iv(8, 9)])).toEqual([iv(1, 6), iv(8, 9), iv(10, 12)]);
  });

  it('drops empty intervals and keeps contained ones inside the larger one', () => {
    expect(mergeIntervals([iv(5, 5), iv(7, 3), iv(0, 10), iv(2, 4)])).toEqual([iv(0, 10)]);
  });

  it('does not modify its input', () => {
    const input = [iv(3, 5), iv(1, 4)];
    mergeIntervals(input);
    expect(input).toEqual([iv(3, 5), iv(1, 4)]);
  });
});

describe('subtractIntervals', () => {
  it('cuts holes and trims edges', () => {
    expect(subtractIntervals([iv(0, 10), iv(20, 30)], [iv(2, 4), iv(8, 22), iv(29, 40)])).toEqual([
      iv(0, 2),
      iv(4, 8),
      iv(22, 29),
    ]);
  });

  it('returns the base unchanged when nothing is cut, and nothing when all is cut', () => {
    expect(subtractIntervals([iv(0, 10)], [])).toEqual([iv(0, 10)]);
    expect(subtractIntervals([iv(0, 10)], [iv(-5, 15)])).toEqual([]);
  });

  it('applies one cut that spans several base intervals to all of them', () => {
    expect(subtractIntervals([iv(0, 5), iv(6, 8), iv(9, 12)], [iv(3, 10)])).toEqual([iv(0, 3), iv(10, 12)]);
  });
});

describe('intersectIntervalLists', () => {
  it('keeps only the common parts of both lists', () => {
    expect(intersectIntervalLists([iv(0, 5), iv(10, 20)], [iv(3, 12), iv(15, 16), iv(19, 25)])).toEqual([
      iv(3, 5),
      iv(10, 12),
      iv(15, 16),
      iv(19, 20),
    ]);
  });

  it('merges each list first, so unsorted overlapping input works', () => {
    expect(intersectIntervalLists([iv(4, 8), iv(0, 5)], [iv(2, 3), iv(1, 2)])).toEqual([iv(1, 3)]);
  });

  it('gives nothing for touching intervals', () => {
    expect(intersectIntervalLists([iv(0, 5)], [iv(5, 9)])).toEqual([]);
  });
});

describe('overlaps and clipInterval', () => {
  it('treats touching as not overlapping', () => {
    expect(overlaps(iv(0, 5), iv(5, 9))).toBe(false);
    expect(overlaps(iv(0, 6), iv(5, 9))).toBe(true);
    expect(overlaps(iv(5, 9), iv(0, 6))).toBe(true);
    expect(overlaps(iv(0, 10), iv(3, 4))).toBe(true);
  });

  it('never reports an empty interval as overlapping', () => {
    expect(overlaps(iv(3, 3), iv(0, 10))).toBe(false);
  });

  it('clips to the bounds or returns null when nothing is left', () => {
    expect(clipInterval(iv(0, 10), iv(5, 20))).toEqual(iv(5, 10));
    expect(clipInterval(iv(6, 8), iv(5, 20))).toEqual(iv(6, 8));
    expect(clipInterval(iv(0, 5), iv(5, 20))).toBeNull();
  });
});

// Property tests on a small integer grid: with integer endpoints, membership is constant on each
// [k, k + 1), so checking the integer points is checking every point.
const gridInterval = fc.record({ start: fc.integer({ min: 0, max: 40 }), length: fc.integer({ min: 0, max: 12 }) }).map(
  ({ start, length }) => iv(start, start + length),
);
const gridList = fc.array(gridInterval, { maxLength: 8 });
const GRID_POINTS = Array.from({ length: 60 }, (_, index) => index - 2);

const contains = (list: Interval[], point: number): boolean => list.some((interval) => interval.start <= point && point < interval.end);

function expectSortedDisjoint(list: Interval[]): void {
  list.forEach((interval, index) => {
    expect(interval.start).toBeLessThan(interval.end);
    if (index > 0) expect(list[index - 1].end).toBeLessThan(interval.start);
  });
}

describe('interval algebra properties', () => {
  it('merge: sorted, disjoint, same points as the input', () => {
    fc.assert(
      fc.property(gridList, (list) => {
        const merged = mergeIntervals(list);
        expectSortedDisjoint(merged);
        for (const point of GRID_POINTS) expect(contains(merged, point)).toBe(contains(list, point));
      }),
    );
  });

  it('subtract: sorted, disjoint, points in base and not in cut', () => {
    fc.assert(
      fc.property(gridList, gridList, (base, cut) => {
        const result = subtractIntervals(base, cut);
        expectSortedDisjoint(result);
        for (const point of GRID_POINTS) expect(contains(result, point)).toBe(contains(base, point) && !contains(cut, point));
      }),
    );
  });

  it('intersect: sorted, disjoint, points in both lists', () => {
    fc.assert(
      fc.property(gridList, gridList, (a, b) => {
        const result = intersectIntervalLists(a, b);
        expectSortedDisjoint(result);
        for (const point of GRID_POINTS) expect(contains(result, point)).toBe(contains(a, point) && contains(b, point));
      }),
    );
  });

  it('overlaps agrees with a shared grid point', () => {
    fc.assert(
      fc.property(gridInterval, gridInterval, (a, b) => {
        const sharesPoint = GRID_POINTS.some((point) => contains([a], point) && contains([b], point));
        expect(overlaps(a, b)).toBe(sharesPoint);
      }),
    );
  });
});
