// A cap on the work one read may do (occurrences expanded, overlapping pairs found): past it the read is refused
// with 400 naming the field to narrow, instead of running as long as the data makes it.
import { InvalidInput } from './errors';

/** Occurrences one read (a calendar listing, free time, busy time, a company's events) may expand in all. */
export const MAX_OCCURRENCES_PER_READ = 20_000;
/** Overlapping pairs one read of a company's overlaps may find. */
export const MAX_OVERLAP_PAIRS_PER_READ = 10_000;

export type WorkCap = { count(items: number): void };

/** Counts work as it is done; throws InvalidInput naming `field` once more than `limit` items were counted. */
export function workCap(limit: number, field: string, what: string): WorkCap {
  let used = 0;
  return {
    count(items) {
      used += items;
      if (used > limit) {
        throw new InvalidInput(`The range holds more than ${limit} ${what}; ask for a shorter range`, [{ field, message: `More than ${limit} ${what} in the range` }]);
      }
    },
  };
}
