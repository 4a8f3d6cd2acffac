// The seat rules of group slots: which bookings are seats, what a cancelled seat gives back, and that a seat never moves alone.
import { holderOfBooking, holderOfGroupSlot } from '../../../lib/scheduling/booking';
import { assertSeatStays, bookingMoves, isGroupSeat, releaseSeat } from '../../../lib/scheduling/group-seats';

const start = Date.parse('2033-03-07T10:00:00Z');
const cells = ['2033-03-07T10:00:00.000Z', '2033-03-07T10:05:00.000Z'];

it('tells a seat of a group slot from a one-on-one booking by its holder', () => {
  expect(isGroupSeat({ holder: holderOfGroupSlot('ET1', start) })).toBe(true);
  expect(isGroupSeat({ holder: holderOfBooking('B1') })).toBe(false);
});

it('counts a seat back while others stay, and frees the union of all seats\' cells with the last one', () => {
  expect(releaseSeat({ seatsTaken: 3, cells: new Set(cells) }, cells)).toEqual({ kind: 'decrement', seen: 3 });
  // A later seat locked one more cell (a changed buffer): the last seat out frees it too, in order, each once.
  const wider = ['2033-03-07T10:10:00.000Z', ...cells];
  expect(releaseSeat({ seatsTaken: 1, cells: new Set(wider) }, cells)).toEqual({ kind: 'last', cells: [...cells, '2033-03-07T10:10:00.000Z'] });
  // No counter (already gone): the seat's own cells.
  expect(releaseSeat(undefined, [cells[1], cells[0]])).toEqual({ kind: 'last', cells });
});

it('lets a one-on-one booking move but not a seat of a group slot', () => {
  const times = { start: '2033-03-07T10:00:00.000Z', end: '2033-03-07T10:10:00.000Z', cells };
  const later = { start: '2033-03-07T10:05:00.000Z', end: '2033-03-07T10:15:00.000Z', cells: [cells[1], '2033-03-07T10:10:00.000Z'] };
  expect(bookingMoves(times, { ...times })).toBe(false);
  expect(bookingMoves(times, later)).toBe(true);
  expect(() => assertSeatStays({ ...times, holder: holderOfBooking('B1') }, later)).not.toThrow();
  expect(() => assertSeatStays({ ...times, holder: holderOfGroupSlot('ET1', start) }, later)).toThrow('A seat of a group slot does not move alone');
  // A seat whose booking changes without moving (a note, a conflict flag) is fine.
  expect(() => assertSeatStays({ ...times, holder: holderOfGroupSlot('ET1', start) }, { ...times })).not.toThrow();
});
