// Free time shared by several users: all common gaps, and the earliest gap long enough for a meeting.
import { type Interval, intersectIntervalLists, mergeIntervals, subtractIntervals } from './interval';

export type FreeTimeQuery = {
  /** Earliest allowed start (epoch ms). */
  after: number;
  /** Latest allowed end (epoch ms). */
  before: number;
  /** Each user's busy intervals, in any order, possibly overlapping. */
  busyByUser: Interval[][];
  /** When working hours apply: each user's available intervals; a user with an empty list is never available. */
  availableByUser?: Interval[][];
};

/**
 * Every maximal interval inside [after, before) in which no user is busy and, when availability is
 * given, every user is available; sorted and disjoint. Busy time is merged across users first (one
 * sweep), so the cost is O(n log n) in the total number of intervals.
 */
export function freeIntervals(query: FreeTimeQuery): Interval[] {
  if (query.before <= query.after) return [];
  const allBusy = mergeIntervals(query.busyByUser.flat());
  let free = subtractIntervals([{ start: query.after, end: query.before }], allBusy);
  for (const available of query.availableByUser ?? []) {
    free = intersectIntervalLists(free, available);
  }
  return free;
}

/**
 * The earliest [s, s + durationMs) with s >= after and s + durationMs <= before that is free for every
 * user and inside each user's availability, or null when there is none.
 */
export function findEarliestFreeSlot(query: FreeTimeQuery & { durationMs: number }): Interval | null {
  if (!(query.durationMs > 0)) throw new RangeError('durationMs must be positive');
  // Free gaps are maximal, so the first gap that is long enough holds the earliest possible start.
  const gap = freeIntervals(query).find((interval) => interval.end - interval.start >= query.durationMs);
  return gap ? { start: gap.start, end: gap.start + query.durationMs } : null;
}
