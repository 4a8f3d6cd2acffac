// Reads cap their work, not only their output: the cap refuses naming the field, the overlap sweep stops at its cap.
import { InvalidInput } from '../../../lib/domain/errors';
import { findOverlappingPairs } from '../../../lib/domain/overlap';
import { workCap } from '../../../lib/domain/work-cap';

describe('workCap', () => {
  it('lets work up to the limit through and refuses the first item past it, naming the field', () => {
    const cap = workCap(10, 'query.to', 'occurrences');
    cap.count(6);
    cap.count(4);
    try {
      cap.count(1);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).details).toEqual([{ field: 'query.to', message: 'More than 10 occurrences in the range' }]);
    }
  });
});

describe('findOverlappingPairs with a cap', () => {
  it('stops after maxPairs pairs when every item overlaps every other (n^2 / 2 pairs uncapped)', () => {
    const items = Array.from({ length: 2000 }, (_, index) => ({ id: `e${String(index).padStart(4, '0')}`, start: index, end: 10_000 }));
    const capped = findOverlappingPairs(items, 101);
    expect(capped).toHaveLength(101);
    // The first pairs in the sweep's order, the same as the uncapped sweep gives first.
    expect(capped).toEqual(findOverlappingPairs(items.slice(0, 20)).slice(0, 101));
  });
});
