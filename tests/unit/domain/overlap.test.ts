import fc from 'fast-check';
import { findOverlappingPairs } from '../../../lib/domain/overlap';

type Item = { id: string; start: number; end: number; title?: string };
const item = (id: string, start: number, end: number): Item => ({ id, start, end });
const pairIds = (pairs: Array<[Item, Item]>): string[] => pairs.map(([a, b]) => `${a.id}-${b.id}`);

describe('findOverlappingPairs', () => {
  it('finds every overlapping pair, earlier item first', () => {
    const items = [item('c', 15, 25), item('a', 0, 10), item('b', 5, 20), item('d', 30, 40)];
    expect(pairIds(findOverlappingPairs(items))).toEqual(['a-b', 'b-c']);
  });

  it('does not pair items that only touch', () => {
    expect(findOverlappingPairs([item('a', 0, 10), item('b', 10, 20)])).toEqual([]);
  });

  it('pairs a long item with everything inside it, and identical spans with each other', () => {
    const items = [item('long', 0, 100), item('x', 10, 20), item('y', 30, 40), item('z', 30, 40)];
    expect(pairIds(findOverlappingPairs(items)).sort()).toEqual(['long-x', 'long-y', 'long-z', 'y-z']);
  });

  it('ignores empty items and returns the original objects', () => {
    const withTitle = { id: 'a', start: 0, end: 10, title: 'Standup' };
    const pairs = findOverlappingPairs([withTitle, item('empty', 5, 5), item('b', 9, 12)]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0][0]).toBe(withTitle);
  });

  it('gives nothing for no items', () => {
    expect(findOverlappingPairs([])).toEqual([]);
  });
});

describe('findOverlappingPairs property', () => {
  const items = fc
    .array(fc.record({ start: fc.integer({ min: 0, max: 40 }), length: fc.integer({ min: 0, max: 10 }) }), { maxLength: 15 })
    .map((list) => list.map(({ start, length }, index) => item(`i${index}`, start, start + length)));

  it('finds the same pairs as the O(n^2) reference, each once, earlier start first', () => {
    fc.assert(
      fc.property(items, (list) => {
        const reference = new Set<string>();
        for (let i = 0; i < list.length; i += 1) {
          for (let j = i + 1; j < list.length; j += 1) {
            const [a, b] = [list[i], list[j]];
            const overlap = a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end;
            if (overlap) reference.add([a.id, b.id].sort().join('+'));
          }
        }
        const pairs = findOverlappingPairs(list);
        const found = pairs.map(([a, b]) => [a.id, b.id].sort().join('+'));
        expect(new Set(found).size).toBe(found.length);
        expect(new Set(found)).toEqual(reference);
        for (const [a, b] of pairs) expect(a.start).toBeLessThanOrEqual(b.start);
      }),
      { numRuns: 500 },
    );
  });
});
