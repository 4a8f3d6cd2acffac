// Half-open time intervals in epoch milliseconds and the set algebra on lists of them.

/** [start, end) in epoch ms; an interval with end <= start is empty. */
export type Interval = { start: number; end: number };

function isEmpty(interval: Interval): boolean {
  return interval.end <= interval.start;
}

/**
 * Sorts and merges overlapping or touching intervals ([1,3) + [3,5) = [1,5)), dropping empty ones,
 * so that every other function here can rely on a sorted, disjoint list.
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => !isEmpty(interval)).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) {
      last.end = Math.max(last.end, interval.end);
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}

/** The parts of `base` not covered by `cut`; the result is sorted and disjoint. */
export function subtractIntervals(base: readonly Interval[], cut: readonly Interval[]): Interval[] {
  const remaining = mergeIntervals(base);
  const cuts = mergeIntervals(cut);
  const result: Interval[] = [];
  let cutIndex = 0;
  for (const interval of remaining) {
    let cursor = interval.start;
    // Cuts that end before this interval cannot touch any later interval either (both lists are sorted).
    while (cutIndex < cuts.length && cuts[cutIndex].end <= cursor) cutIndex += 1;
    let index = cutIndex;
    while (index < cuts.length && cuts[index].start < interval.end) {
      if (cuts[index].start > cursor) result.push({ start: cursor, end: cuts[index].start });
      cursor = Math.max(cursor, cuts[index].end);
      index += 1;
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
  }
  return result;
}

/** The points that lie in both lists (each list is merged first); sorted and disjoint. */
export function intersectIntervalLists(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const left = mergeIntervals(a);
  const right = mergeIntervals(b);
  const result: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i].start, right[j].start);
    const end = Math.min(left[i].end, right[j].end);
    if (start < end) result.push({ start, end });
    // Advance whichever ends first: it cannot meet anything further in the other list.
    if (left[i].end < right[j].end) i += 1;
    else j += 1;
  }
  return result;
}

/** True when the two intervals share at least one instant; touching ([1,3) and [3,5)) is not overlapping. */
export function overlaps(a: Interval, b: Interval): boolean {
  return !isEmpty(a) && !isEmpty(b) && a.start < b.end && b.start < a.end;
}

/** The part of `interval` inside `bounds`, or null when nothing of it is left. */
export function clipInterval(interval: Interval, bounds: Interval): Interval | null {
  const start = Math.max(interval.start, bounds.start);
  const end = Math.min(interval.end, bounds.end);
  return start < end ? { start, end } : null;
}
