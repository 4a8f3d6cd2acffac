// The seat rules of group slots: which bookings are seats of one, and what cancelling or moving a seat may do.
// Pure functions; the booking store asks them and writes what they decide.
import type { Booking } from './booking';

/** Every seat of a group slot holds the slot's cells under the slot's holder (holderOfGroupSlot): `GROUP#...`. */
export function isGroupSeat(booking: Pick<Booking, 'holder'>): boolean {
  return booking.holder.startsWith('GROUP#');
}

/** A slot's seat counter as read: the seats taken and every cell its seats locked. */
export type SeatCount = { seatsTaken: number; cells: Iterable<string> };

/**
 * What cancelling one seat does to its slot: while other seats stay, the counter goes down by one (on condition
 * that it still shows `seen`); the last seat frees the slot, its counter and the union of the cells its seats
 * locked (sorted), so nothing a later seat took stays held.
 */
export type SeatRelease = { kind: 'decrement'; seen: number } | { kind: 'last'; cells: string[] };

export function releaseSeat(counter: SeatCount | undefined, seatCells: string[]): SeatRelease {
  if (counter && counter.seatsTaken > 1) return { kind: 'decrement', seen: counter.seatsTaken };
  return { kind: 'last', cells: [...new Set([...(counter?.cells ?? []), ...seatCells])].sort() };
}

/** Whether `next` moves the booking: other times or other cells. */
export function bookingMoves(booking: Pick<Booking, 'start' | 'end' | 'cells'>, next: Pick<Booking, 'start' | 'end' | 'cells'>): boolean {
  const after = new Set(next.cells);
  return next.start !== booking.start || next.end !== booking.end || new Set(booking.cells).size !== after.size || booking.cells.some((cell) => !after.has(cell));
}

/** A seat of a group slot does not move alone: its slot moves with all its seats or not at all. */
export function assertSeatStays(booking: Pick<Booking, 'holder' | 'start' | 'end' | 'cells'>, next: Pick<Booking, 'start' | 'end' | 'cells'>): void {
  if (isGroupSeat(booking) && bookingMoves(booking, next)) throw new Error('A seat of a group slot does not move alone');
}
