// Rescheduling and the mail booking changes queue, with the real use cases over small in-memory ports.
import { Forbidden, RuleViolation, Unauthorized } from '../../../lib/domain/errors';
import type { MailMessage } from '../../../lib/domain/mail-messages';
import type { Booking } from '../../../lib/scheduling/booking';
import { bookSlot } from '../../../lib/scheduling/book-slot';
import { cancelBooking } from '../../../lib/scheduling/booking-use-cases';
import { BookingCancelled, SeatCannotMove, SlotTaken } from '../../../lib/scheduling/errors';
import { createEventType } from '../../../lib/scheduling/event-type-use-cases';
import type { BookingRepo, SchedulingDeps } from '../../../lib/scheduling/ports';
import { rescheduleBooking } from '../../../lib/scheduling/reschedule-booking';
import { createEventTypeBody } from '../../../lib/scheduling/schemas';
import { fakeEventTypes, host, surroundingPorts } from '../../support/scheduling-fakes';

const NOW = Date.parse('2031-03-01T12:00:00Z');
/** Bookings in memory with the cells rule of the real store, and every mail handed to it. */
function world() {
  const bookings = new Map<string, Booking>();
  const cells = new Map<string, string>();
  const mail: MailMessage[] = [];
  const taken = (booking: Booking) => booking.cells.some((cell) => cells.has(cell) && cells.get(cell) !== booking.holder);
  const repo: BookingRepo = {
    async create(booking, claims) {
      if (taken(booking)) throw new SlotTaken();
      booking.cells.forEach((cell) => cells.set(cell, booking.holder));
      bookings.set(booking.id, booking);
      mail.push(...(claims.mail ?? []).map((item) => item.message));
    },
    async get(id) { return bookings.get(id); },
    async findIdempotency() { return undefined; },
    async listForHost(hostId) {
      return [...bookings.values()].filter((b) => b.hostId === hostId && b.status === 'confirmed').map((b) => ({
        bookingId: b.id, eventTypeId: b.eventTypeId, eventTypeName: b.eventTypeName, kind: b.kind, holder: b.holder, start: Date.parse(b.start), end: Date.parse(b.end),
        lockSpan: { start: Date.parse(b.cells[0]), end: Date.parse(b.cells[b.cells.length - 1]) + 300_000 }, timeZone: b.timeZone, guest: b.guest, createdAt: b.createdAt,
      }));
    },
    async pageForHost() { return { items: [] }; },
    async seatsTaken() { return new Map(); },
    async cancel(booking, change, queued = []) {
      const next: Booking = { ...booking, status: 'cancelled', ...change, version: booking.version + 1 };
      booking.cells.forEach((cell) => cells.delete(cell));
      bookings.set(booking.id, next);
      mail.push(...queued.map((item) => item.message));
      return next;
    },
    async replace(booking, change, queued = []) {
      const next: Booking = { ...booking, ...change, version: booking.version + 1 };
      if (taken(next)) throw new SlotTaken();
      booking.cells.forEach((cell) => cells.delete(cell));
      next.cells.forEach((cell) => cells.set(cell, next.holder));
      bookings.set(booking.id, next);
      mail.push(...queued.map((item) => item.message));
      return next;
    },
  };
  const deps: SchedulingDeps = { eventTypes: fakeEventTypes(), bookings: repo, ...surroundingPorts(NOW) };
  return { deps, mail, bookings };
}

async function bookedAt(start: string, body: Record<string, unknown> = {}) {
  const w = world();
  const type = await createEventType(w.deps, host.id, createEventTypeBody.parse({ name: 'Intro', kind: 'one_on_one', durationMinutes: 30, slotStepMinutes: 15, ...body }));
  const { reply } = await bookSlot(w.deps, type.slug, { start, name: 'Gus', email: 'gus@example.com' });
  return { ...w, slug: type.slug, booking: reply };
}

it('queues the guest confirmation (with the cancel token) and the host notice with the booking', async () => {
  const { mail, booking } = await bookedAt('2031-03-03T09:00:00Z');
  expect(mail.map((message) => message.kind)).toEqual(['booking_confirmed', 'booking_created_host']);
  expect(mail[0]).toMatchObject({ cancelToken: booking.cancelToken, booking: { bookingId: booking.id, sequence: 0, guest: { email: 'gus@example.com' }, host: { email: host.email } } });
  expect(JSON.stringify(mail[1])).not.toContain(booking.cancelToken);
});

it('refuses the wrong caller, a cancelled booking, a group seat and a time not offered, queuing nothing', async () => {
  const { deps, mail, booking, slug } = await bookedAt('2031-03-03T09:00:00Z');
  const to = { start: '2031-03-03T10:00:00Z' };
  await expect(rescheduleBooking(deps, booking.id, {}, to)).rejects.toBeInstanceOf(Unauthorized);
  await expect(rescheduleBooking(deps, booking.id, { token: 'wrong' }, to)).rejects.toBeInstanceOf(Forbidden);
  await expect(rescheduleBooking(deps, booking.id, { authorization: 'Bearer other-token' }, to)).rejects.toBeInstanceOf(Forbidden);
  await expect(rescheduleBooking(deps, booking.id, { token: booking.cancelToken }, { start: '2031-03-03T13:00:00Z' })).rejects.toMatchObject({ code: 'not_a_slot' });
  await expect(rescheduleBooking(deps, booking.id, { token: booking.cancelToken }, { start: '2031-02-24T09:00:00Z' })).rejects.toBeInstanceOf(RuleViolation);
  const other = await bookSlot(deps, slug, { start: '2031-03-03T10:00:00Z', name: 'Olga', email: 'olga@example.com' });
  await expect(rescheduleBooking(deps, booking.id, { token: booking.cancelToken }, { start: '2031-03-03T09:45:00Z' })).rejects.toBeInstanceOf(SlotTaken);
  expect(mail.filter((message) => message.kind === 'booking_rescheduled')).toEqual([]);

  await cancelBooking(deps, other.reply.id, { token: other.reply.cancelToken });
  await expect(rescheduleBooking(deps, other.reply.id, { token: other.reply.cancelToken }, to)).rejects.toBeInstanceOf(BookingCancelled);

  const group = await bookedAt('2031-03-03T09:00:00Z', { kind: 'group', seats: 3 });
  await expect(rescheduleBooking(group.deps, group.booking.id, { token: group.booking.cancelToken }, to)).rejects.toBeInstanceOf(SeatCannotMove);
});

it('moves the booking over its own time, raising its version, and tells both; the guest gets links only when they moved it', async () => {
  const { deps, mail, booking, bookings } = await bookedAt('2031-03-03T09:00:00Z');
  mail.length = 0;

  const moved = await rescheduleBooking(deps, booking.id, { token: booking.cancelToken }, { start: '2031-03-03T09:15:00Z' });
  expect(moved).toMatchObject({ id: booking.id, status: 'confirmed', start: '2031-03-03T09:15:00Z', end: '2031-03-03T09:45:00Z' });
  expect(bookings.get(booking.id)?.version).toBe(2);
  expect(mail).toEqual([
    expect.objectContaining({ kind: 'booking_rescheduled', recipient: 'guest', cancelToken: booking.cancelToken, previousStart: Date.parse('2031-03-03T09:00:00Z'), booking: expect.objectContaining({ sequence: 1 }) }),
    expect.objectContaining({ kind: 'booking_rescheduled', recipient: 'host', booking: expect.objectContaining({ sequence: 1 }) }),
  ]);
  expect(JSON.stringify(mail[1])).not.toContain(booking.cancelToken);

  // The same start again: nothing changes and nothing is queued.
  await rescheduleBooking(deps, booking.id, { token: booking.cancelToken }, { start: '2031-03-03T09:15:00Z' });
  expect(mail).toHaveLength(2);

  mail.length = 0;
  await rescheduleBooking(deps, booking.id, { authorization: 'Bearer host-token' }, { start: '2031-03-03T11:00:00Z' });
  expect(mail[0]).toMatchObject({ kind: 'booking_rescheduled', recipient: 'guest' });
  expect(mail[0]).not.toHaveProperty('cancelToken');

  mail.length = 0;
  await cancelBooking(deps, booking.id, { authorization: 'Bearer host-token' });
  expect(mail.map((message) => [message.kind, 'recipient' in message ? message.recipient : undefined])).toEqual([
    ['booking_cancelled', 'guest'],
    ['booking_cancelled', 'host'],
  ]);
});
