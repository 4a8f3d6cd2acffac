// The scheduling use cases with small in-memory fakes for their ports: rules, idempotency and access.
import type { Interval } from '../../../lib/domain/interval';
import { Forbidden, Unauthorized } from '../../../lib/domain/errors';
import type { Booking, HostBooking } from '../../../lib/scheduling/booking';
import { bookSlot, listSlots } from '../../../lib/scheduling/book-slot';
import { cancelBooking, getInvitation, listBookings } from '../../../lib/scheduling/booking-use-cases';
import { IdempotencyKeyReused, IdempotencyKeyTaken, SlotTaken } from '../../../lib/scheduling/errors';
import { createEventType } from '../../../lib/scheduling/event-type-use-cases';
import type { BookingRepo, IdempotencyRecord, SchedulingDeps } from '../../../lib/scheduling/ports';
import { createEventTypeBody } from '../../../lib/scheduling/schemas';
import { fakeEventTypes, host, surroundingPorts } from '../../support/scheduling-fakes';

const NOW = Date.parse('2031-03-01T12:00:00Z');

/** Keeps the rules of the real store (cells, seat counter, idempotency claim) in memory. */
function fakeBookings(options: { beforeCreate?: () => Promise<void> } = {}): BookingRepo & { all: Map<string, Booking> } {
  const all = new Map<string, Booking>();
  const cells = new Map<string, string>();
  const seats = new Map<string, number>();
  const claims = new Map<string, IdempotencyRecord>();
  const toHost = (b: Booking): HostBooking => ({
    bookingId: b.id, eventTypeId: b.eventTypeId, eventTypeName: b.eventTypeName, kind: b.kind, holder: b.holder, start: Date.parse(b.start), end: Date.parse(b.end),
    lockSpan: { start: Date.parse(b.cells[0]), end: Date.parse(b.cells[b.cells.length - 1]) + 300_000 }, timeZone: b.timeZone, guest: b.guest, createdAt: b.createdAt,
    ...(b.answers ? { answers: b.answers } : {}),
  });
  return {
    all,
    async create(booking, { seat, idempotency }) {
      await options.beforeCreate?.();
      if (idempotency && claims.has(idempotency.keyHash)) throw new IdempotencyKeyTaken();
      if (booking.cells.some((cell) => cells.has(cell) && cells.get(cell) !== booking.holder)) throw new SlotTaken();
      if (seat && (seats.get(booking.holder) ?? 0) >= seat.seats) throw new SlotTaken();
      booking.cells.forEach((cell) => cells.set(cell, booking.holder));
      if (seat) seats.set(booking.holder, (seats.get(booking.holder) ?? 0) + 1);
      if (idempotency) claims.set(idempotency.keyHash, { bookingId: booking.id, fingerprint: idempotency.fingerprint, sealedToken: idempotency.sealedToken, expiresAt: idempotency.expiresAt });
      all.set(booking.id, booking);
    },
    async get(id) { return all.get(id); },
    async findIdempotency(_slug, keyHash) { return claims.get(keyHash); },
    async listForHost(hostId, range: Interval) {
      return [...all.values()].filter((b) => b.hostId === hostId && b.status === 'confirmed').map(toHost).filter((b) => b.lockSpan.end > range.start && b.lockSpan.start < range.end);
    },
    async pageForHost() { return { items: [...all.values()].filter((b) => b.status === 'confirmed').map(toHost) }; },
    async seatsTaken(eventTypeId) {
      return new Map([...seats].filter(([holder]) => holder.startsWith(`GROUP#${eventTypeId}#`)).map(([holder, taken]) => [Date.parse(holder.split('#')[2]), taken]));
    },
    async cancel(booking, change) {
      const next: Booking = { ...booking, status: 'cancelled', ...change, version: booking.version + 1 };
      const left = (seats.get(booking.holder) ?? 1) - 1;
      if (left > 0) seats.set(booking.holder, left);
      else {
        seats.delete(booking.holder);
        booking.cells.forEach((cell) => cells.delete(cell));
      }
      all.set(booking.id, next);
      return next;
    },
    async replace(booking, change) {
      const next: Booking = { ...booking, ...change, version: booking.version + 1 };
      if (next.cells.some((cell) => cells.has(cell) && cells.get(cell) !== booking.holder)) throw new SlotTaken();
      booking.cells.forEach((cell) => cells.delete(cell));
      next.cells.forEach((cell) => cells.set(cell, booking.holder));
      all.set(booking.id, next);
      return next;
    },
  };
}

function deps(overrides: Partial<SchedulingDeps> = {}): SchedulingDeps {
  return {
    eventTypes: fakeEventTypes(),
    bookings: fakeBookings(),
    ...surroundingPorts(NOW),
    ...overrides,
  };
}

const newType = async (d: SchedulingDeps, body: Record<string, unknown> = {}) =>
  createEventType(d, host.id, createEventTypeBody.parse({ name: 'Intro', kind: 'one_on_one', durationMinutes: 60, ...body }));
const guest = { name: 'Gus', email: 'gus@example.com' };
const slotStarts = async (d: SchedulingDeps, slug: string) =>
  (await listSlots(d, slug, { from: '2031-03-03T00:00:00Z', to: '2031-03-04T00:00:00Z', limit: 100 })).items.map((slot) => slot.start);

it("defaults to the host's working hours, and subtracts meetings and the external (Google) busy port", async () => {
  const d = deps({
    hostBusy: async () => [{ start: Date.parse('2031-03-03T09:30:00Z'), end: Date.parse('2031-03-03T09:45:00Z') }],
    externalBusy: async () => [{ start: Date.parse('2031-03-03T11:00:00Z'), end: Date.parse('2031-03-03T11:05:00Z') }],
  });
  const type = await newType(d);
  expect(type.bookingUrl).toBe(`https://hub.example/app/book/${type.slug}`);
  expect(await slotStarts(d, type.slug)).toEqual(['2031-03-03T10:00:00Z']);
});

it('refuses starts the slot list would not offer, with a reason for each', async () => {
  const d = deps();
  const type = await newType(d, { minNoticeMinutes: 3 * 24 * 60 });
  await expect(bookSlot(d, type.slug, { ...guest, start: '2031-02-24T09:00:00Z' })).rejects.toMatchObject({ code: 'slot_in_past' });
  await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' })).rejects.toMatchObject({ code: 'inside_minimum_notice' });
  await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-10T09:30:00Z' })).rejects.toMatchObject({ code: 'not_a_slot', details: [{ field: 'start', message: expect.any(String) }] });
  await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-11T09:00:00Z' })).rejects.toMatchObject({ code: 'not_a_slot' });
  await expect(bookSlot(d, 'nope', { ...guest, start: '2031-03-10T09:00:00Z' })).rejects.toMatchObject({ code: 'not_found' });
  await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-10T09:00:00Z' }, 'bad key with spaces')).rejects.toMatchObject({ code: 'invalid_input' });
  expect((d.bookings as ReturnType<typeof fakeBookings>).all.size).toBe(0);
});

it('replays the first booking, cancel token included, for a repeated Idempotency-Key, and refuses the key for another request', async () => {
  const d = deps();
  const type = await newType(d);
  const first = await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' }, 'key-1');
  const again = await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' }, 'key-1');
  expect(first.replayed).toBe(false);
  expect(again).toEqual({ reply: first.reply, replayed: true });
  await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T10:00:00Z' }, 'key-1')).rejects.toBeInstanceOf(IdempotencyKeyReused);
  expect((d.bookings as ReturnType<typeof fakeBookings>).all.size).toBe(1);
});

it('answers with the winner when the same key wins the race in another request between the check and the write', async () => {
  let raced = false;
  const bookings = fakeBookings({
    beforeCreate: async () => {
      if (raced) return;
      raced = true;
      await bookSlot(d, (await d.eventTypes.listForHost(host.id))[0].slug, { ...guest, start: '2031-03-03T09:00:00Z' }, 'key-2');
    },
  });
  // The fake's hook above calls bookSlot with these deps later, once the first request is under way.
  const d = deps({ bookings });
  const type = await newType(d);
  const result = await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' }, 'key-2');
  expect(result.replayed).toBe(true);
  expect(bookings.all.size).toBe(1);
  expect(result.reply.id).toBe([...bookings.all.keys()][0]);
});

it('answers with the winner when the other copy of the request took the slot between the key lookup and the slot check', async () => {
  const bookings = fakeBookings();
  const d = deps({ bookings });
  const findIdempotency = bookings.findIdempotency;
  let first = true;
  bookings.findIdempotency = async (slug, keyHash, now) => {
    const found = await findIdempotency(slug, keyHash, now);
    if (first) {
      first = false;
      await bookSlot({ ...d, bookings: { ...bookings, findIdempotency } }, slug, { ...guest, start: '2031-03-03T09:00:00Z' }, 'key-3');
    }
    return found;
  };
  const type = await newType(d);
  const result = await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' }, 'key-3');
  expect(result.replayed).toBe(true);
  expect(bookings.all.size).toBe(1);
});

it('lets the guest (cancel token) or the host (bearer token) cancel and read the invitation, and nobody else', async () => {
  const d = deps();
  const type = await newType(d);
  const { reply } = await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z', timeZone: 'Europe/Berlin' });
  expect(reply.icsUrl).toBe(`https://hub.example/bookings/${reply.id}/invite.ics?token=${reply.cancelToken}`);
  expect(await getInvitation(d, reply.id, { token: reply.cancelToken })).toContain('METHOD:REQUEST');
  expect(await getInvitation(d, reply.id, { authorization: 'Bearer host-token' })).toContain('DTSTART;TZID=Europe/Berlin:20310303T100000');
  await expect(getInvitation(d, reply.id, {})).rejects.toBeInstanceOf(Unauthorized);
  await expect(getInvitation(d, reply.id, { token: 'x'.repeat(43) })).rejects.toBeInstanceOf(Forbidden);
  await expect(cancelBooking(d, reply.id, { authorization: 'Bearer other-token' })).rejects.toBeInstanceOf(Forbidden);
  await expect(cancelBooking(d, reply.id, { authorization: 'Bearer forged' })).rejects.toBeInstanceOf(Unauthorized);
  expect(await slotStarts(d, type.slug)).toEqual(['2031-03-03T10:00:00Z', '2031-03-03T11:00:00Z']);
  expect(await cancelBooking(d, reply.id, { authorization: 'Bearer host-token' })).toMatchObject({ id: reply.id, status: 'cancelled' });
  expect(await slotStarts(d, type.slug)).toEqual(['2031-03-03T09:00:00Z', '2031-03-03T10:00:00Z', '2031-03-03T11:00:00Z']);
  expect(await getInvitation(d, reply.id, { token: reply.cancelToken })).toContain('METHOD:CANCEL');
});

it('shows seats left for a group slot and refuses a booking once it is full', async () => {
  const d = deps();
  const type = await newType(d, { kind: 'group', seats: 2 });
  await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' });
  expect((await listSlots(d, type.slug, { from: '2031-03-03T09:00:00Z', to: '2031-03-03T09:01:00Z', limit: 10 })).items).toEqual([
    { start: '2031-03-03T09:00:00Z', end: '2031-03-03T10:00:00Z', seatsLeft: 1 },
  ]);
  await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' });
  await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' })).rejects.toBeInstanceOf(SlotTaken);
});

describe('event type options', () => {
  it('offers and books only inside the rolling window', async () => {
    const d = deps();
    // NOW is Saturday 1 March, 12:00 UTC: two days ahead ends with Monday 3 March.
    const type = await newType(d, { availability: { timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '12:00' }] }, rollingDays: 2 } });
    expect(await slotStarts(d, type.slug)).toEqual(['2031-03-03T09:00:00Z', '2031-03-03T10:00:00Z', '2031-03-03T11:00:00Z']);
    const later = await listSlots(d, type.slug, { from: '2031-03-04T00:00:00Z', to: '2031-03-20T00:00:00Z', limit: 100 });
    expect(later.items).toEqual([]);
    await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-10T09:00:00Z' })).rejects.toMatchObject({ code: 'outside_booking_window', details: [{ field: 'start' }] });
    await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' })).resolves.toMatchObject({ replayed: false });
  });

  it('shows no slots on a full day and refuses a booking there with daily_limit_reached; other days stay open', async () => {
    const d = deps();
    const type = await newType(d, { dailyLimit: 2 });
    await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' });
    expect(await slotStarts(d, type.slug)).toEqual(['2031-03-03T10:00:00Z', '2031-03-03T11:00:00Z']);
    await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T10:00:00Z' });
    expect(await slotStarts(d, type.slug)).toEqual([]);
    await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T11:00:00Z' })).rejects.toMatchObject({ code: 'daily_limit_reached' });
    await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-10T11:00:00Z' })).resolves.toMatchObject({ replayed: false });
  });

  it('checks answers before anything is written and hands them to the host with their labels', async () => {
    const d = deps();
    const type = await newType(d, {
      questions: [{ id: 'topic', label: 'Topic', type: 'select', required: true, options: ['Pricing', 'Roadmap'] }, { id: 'phone', label: 'Phone', type: 'phone' }],
    });
    await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z' })).rejects.toMatchObject({ code: 'invalid_input', details: [{ field: 'answers.topic' }] });
    await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z', answers: { topic: 'Roadmap', fax: '1' } })).rejects.toMatchObject({ details: [{ field: 'answers.fax' }] });
    await expect(bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z', answers: { topic: true } })).rejects.toMatchObject({ details: [{ field: 'answers.topic' }] });
    expect((d.bookings as ReturnType<typeof fakeBookings>).all.size).toBe(0);
    await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T09:00:00Z', answers: { topic: 'Roadmap' } });
    const again = await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T10:00:00Z', answers: { phone: '+1 555 0100', topic: 'Pricing' } }, 'answers-key');
    const reordered = await bookSlot(d, type.slug, { ...guest, start: '2031-03-03T10:00:00Z', answers: { topic: 'Pricing', phone: '+1 555 0100' } }, 'answers-key');
    expect(reordered).toMatchObject({ replayed: true, reply: { id: again.reply.id } });
    const listed = await listBookings(d, host.id, { limit: 10 });
    expect(listed.items[0].answers).toEqual([{ questionId: 'topic', label: 'Topic', value: 'Roadmap' }]);
  });
});
