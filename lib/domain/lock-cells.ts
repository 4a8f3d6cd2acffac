// The fixed 5-minute time cells a booking locks: two bookings of one host collide on a cell whenever their
// buffered intervals overlap, so a conditional write per cell makes double booking impossible.
import type { Interval } from './interval';
import { MINUTE_MS } from '../kernel/time-units';

export const CELL_MINUTES = 5;
export const CELL_MS = CELL_MINUTES * MINUTE_MS;

/** What a booking holds: [start - bufferBefore, end + bufferAfter). */
export function bufferedInterval(slot: Interval, bufferBeforeMinutes: number, bufferAfterMinutes: number): Interval {
  return { start: slot.start - bufferBeforeMinutes * MINUTE_MS, end: slot.end + bufferAfterMinutes * MINUTE_MS };
}

/**
 * The interval's cell span: widened to multiples of 5 minutes since the UTC epoch, so it is exactly the
 * union of the cells it touches. Empty intervals span nothing.
 */
export function cellSpan(interval: Interval): Interval {
  if (interval.end <= interval.start) return { start: interval.start, end: interval.start };
  return { start: Math.floor(interval.start / CELL_MS) * CELL_MS, end: Math.ceil(interval.end / CELL_MS) * CELL_MS };
}

/** Start (epoch ms) of every cell the interval touches, ascending. */
export function lockCells(interval: Interval): number[] {
  const span = cellSpan(interval);
  const cells: number[] = [];
  for (let cell = span.start; cell < span.end; cell += CELL_MS) cells.push(cell);
  return cells;
}

/** How many cells a span of `minutes` can touch at most, wherever it starts. */
export function maxCellsFor(minutes: number): number {
  return Math.ceil(minutes / CELL_MINUTES) + 1;
}
