// Finds every pair of items whose time spans overlap (used to flag clashing events inside a company).

type Timed = { id: string; start: number; end: number };

/**
 * All pairs of items whose half-open spans [start, end) share time; items that only touch
 * (one's end equals the other's start) do not overlap, and an empty item (end <= start) overlaps nothing.
 * Each pair is [earlier, later] in (start, end, id) order; pairs come ordered by their later item.
 * Sort plus sweep: O(n log n + k) for k pairs; it stops once `maxPairs` pairs are found (the first ones in that
 * order), so that many items all overlapping each other (n^2 / 2 pairs) cost no more than the cap.
 */
export function findOverlappingPairs<T extends Timed>(items: readonly T[], maxPairs = Infinity): Array<[T, T]> {
  const sorted = items
    .filter((item) => item.start < item.end)
    .sort((a, b) => a.start - b.start || a.end - b.end || compareIds(a.id, b.id));
  const pairs: Array<[T, T]> = [];
  let active: T[] = [];
  for (const item of sorted) {
    // An active item that ended by now can overlap nothing later either, since later items start no earlier.
    // Each scanned item is either dropped here (once) or produces a pair, which keeps the sweep O(n + k).
    active = active.filter((earlier) => earlier.end > item.start);
    for (const earlier of active) {
      if (pairs.length >= maxPairs) return pairs;
      pairs.push([earlier, item]);
    }
    active.push(item);
  }
  return pairs;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
