// The booking store against DynamoDB Local: lock cells, seat counters, daily counters and idempotency claims in one transaction.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { bufferedInterval, lockCells } from '../../lib/domain/lock-cells';
import { holderOfBooking, holderOfGroupSlot, type Booking } from '../../lib/scheduling/booking';
import { createdMail, queueMail } from '../../lib/scheduling/booking-mail';
import { cancelFromGoogle } from '../../lib/scheduling/booking-use-cases';
import { DailyLimitReached, IdempotencyKeyTaken, SlotTaken } from '../../lib/scheduling/errors';
import { bookingKeys, bookingStore, dailyCountKeys, lockCellKeys, seatCounterKeys } from '../../lib/store/booking-store';
import { dynamo, tableName } from '../../lib/store/client';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

const MINUTE = 60_000;
const at = (time: string) => Date.parse(`2033-03-07T${time}:00Z`);

function aBooking(hostId: string, start: number, minutes: number, options: { group?: { eventTypeId: string }; bufferBefore?: number; bufferAfter?: number } = {}): Booking {
  const id = ulid();
  const slot = { start, end: start + minutes * MINUTE };
  return {
    id,
    hostId,
    eventTypeId: options.group?.eventTypeId ?? 'ET1',
    slug: 'store-test',
    eventTypeName: 'Store test',
    kind: options.group ? 'group' : 'one_on_one',
    start: new Date(slot.start).toISOString(),
    end: new Date(slot.end).toISOString(),
    timeZone: 'UTC',
    guest: { name: 'G', email: 'g@example.com' },
    bufferBeforeMinutes: options.bufferBefore ?? 0,
    bufferAfterMinutes: options.bufferAfter ?? 0,
    holder: options.group ? holderOfGroupSlot(options.group.eventTypeId, start) : holderOfBooking(id),
    cells: lockCells(bufferedInterval(slot, options.bufferBefore ?? 0, options.bufferAfter ?? 0)).map((cell) => new Date(cell).toISOString()),
    status: 'confirmed',
    cancelTokenHash: 'ab'.repeat(32),
    createdAt: new Date().toISOString(),
    version: 1,
  };
}

async function partition(pk: string) {
  return (await dynamo().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];
}
const bookingItem = async (id: string) => (await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: bookingKeys.pk(id), sk: bookingKeys.sk() } }))).Item;

it('writes the booking, its index item and its cells together, and a booking overlapping by one minute writes nothing', async () => {
  const hostId = ulid();
  const first = aBooking(hostId, at('10:00'), 30, { bufferAfter: 10 });
  await bookingStore.create(first, {});
  expect((await partition(lockCellKeys.pk(hostId))).map((cell) => cell.sk)).toEqual(first.cells);
  expect((await partition(bookingKeys.hostIndexPk(hostId))).map((item) => item.bookingId)).toEqual([first.id]);

  // 10:39 starts inside the 10-minute buffer after 10:30.
  const loser = aBooking(hostId, at('10:39'), 30);
  await expect(bookingStore.create(loser, {})).rejects.toBeInstanceOf(SlotTaken);
  expect(await bookingItem(loser.id)).toBeUndefined();
  expect(await partition(bookingKeys.hostIndexPk(hostId))).toHaveLength(1);
  expect((await partition(lockCellKeys.pk(hostId))).every((cell) => cell.holder === first.holder)).toBe(true);

  // Touching the buffer's end is fine.
  await bookingStore.create(aBooking(hostId, at('10:40'), 30), {});
  expect(await partition(bookingKeys.hostIndexPk(hostId))).toHaveLength(2);
});

it('lets exactly one of 20 concurrent overlapping bookings of different lengths through', async () => {
  const hostId = ulid();
  // Starts from 12:00 to 12:30, lengths from 40 to 85 minutes: every two of them share 12:30-12:40.
  const contenders = Array.from({ length: 20 }, (_, i) => aBooking(hostId, at('12:00') + (i % 7) * 5 * MINUTE, 40 + (i % 4) * 15));
  const results = await Promise.allSettled(contenders.map((booking) => bookingStore.create(booking, {})));
  expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  expect(results.filter((result) => result.status === 'rejected').every((result) => (result as PromiseRejectedResult).reason instanceof SlotTaken)).toBe(true);
  const winner = contenders[results.findIndex((result) => result.status === 'fulfilled')];
  expect((await partition(lockCellKeys.pk(hostId))).map((cell) => cell.sk)).toEqual(winner.cells);
});

it('cancels in one transaction: cells and index item go, the booking stays as cancelled, the time is free again', async () => {
  const hostId = ulid();
  const booking = aBooking(hostId, at('14:00'), 60, { bufferBefore: 15 });
  await bookingStore.create(booking, {});
  const cancelled = await bookingStore.cancel(booking, { cancelledAt: new Date().toISOString(), cancelledBy: 'guest' });
  expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'guest', version: 2 });
  expect(await partition(lockCellKeys.pk(hostId))).toEqual([]);
  expect(await partition(bookingKeys.hostIndexPk(hostId))).toEqual([]);
  expect((await bookingStore.get(booking.id))?.status).toBe('cancelled');
  // Cancelling again (a stale copy) answers with the cancelled booking instead of failing.
  expect((await bookingStore.cancel(booking, { cancelledAt: new Date().toISOString(), cancelledBy: 'host' })).cancelledBy).toBe('guest');
  // Changing it afterwards is refused with the code the error table answers 409 for.
  await expect(bookingStore.replace(cancelled, { googleConflict: undefined })).rejects.toMatchObject({ code: 'booking_cancelled' });
  await bookingStore.create(aBooking(hostId, at('14:00'), 60), {});
});

it('counts group seats with a conditional counter; the slot keeps its cells until the last seat is cancelled', async () => {
  const hostId = ulid();
  const group = { eventTypeId: ulid() };
  const seat = { eventTypeId: group.eventTypeId, start: at('09:00'), seats: 2 };
  const first = aBooking(hostId, at('09:00'), 60, { group });
  const second = aBooking(hostId, at('09:00'), 60, { group });
  await bookingStore.create(first, { seat });
  await bookingStore.create(second, { seat });
  await expect(bookingStore.create(aBooking(hostId, at('09:00'), 60, { group }), { seat })).rejects.toBeInstanceOf(SlotTaken);
  // Another booking of the host cannot take the group's time either.
  await expect(bookingStore.create(aBooking(hostId, at('09:55'), 30), {})).rejects.toBeInstanceOf(SlotTaken);
  expect(await bookingStore.seatsTaken(group.eventTypeId, { start: at('00:00'), end: at('23:00') })).toEqual(new Map([[at('09:00'), 2]]));

  await bookingStore.cancel(first, { cancelledAt: new Date().toISOString(), cancelledBy: 'guest' });
  expect((await partition(seatCounterKeys.pk(group.eventTypeId)))[0].seatsTaken).toBe(1);
  expect(await partition(lockCellKeys.pk(hostId))).toHaveLength(12);
  await bookingStore.cancel(second, { cancelledAt: new Date().toISOString(), cancelledBy: 'host' });
  expect(await partition(seatCounterKeys.pk(group.eventTypeId))).toEqual([]);
  expect(await partition(lockCellKeys.pk(hostId))).toEqual([]);
  await bookingStore.create(aBooking(hostId, at('09:55'), 30), {});
});

it('claims an idempotency key once, in the same transaction; an expired claim can be taken over', async () => {
  const hostId = ulid();
  const keyHash = ulid();
  const claim = { slug: 'store-test', keyHash, fingerprint: 'f', sealedToken: 's', expiresAt: Math.floor(Date.now() / 1000) + 3600 };
  const first = aBooking(hostId, at('16:00'), 30);
  await bookingStore.create(first, { idempotency: claim });
  const again = aBooking(hostId, at('16:30'), 30);
  await expect(bookingStore.create(again, { idempotency: claim })).rejects.toBeInstanceOf(IdempotencyKeyTaken);
  expect(await bookingItem(again.id)).toBeUndefined();
  expect(await bookingStore.findIdempotency('store-test', keyHash, Math.floor(Date.now() / 1000))).toMatchObject({ bookingId: first.id, fingerprint: 'f' });

  const staleHash = ulid();
  await bookingStore.create(aBooking(hostId, at('17:00'), 30), { idempotency: { ...claim, keyHash: staleHash, expiresAt: 1 } });
  expect(await bookingStore.findIdempotency('store-test', staleHash, Math.floor(Date.now() / 1000))).toBeUndefined();
  const later = aBooking(hostId, at('17:30'), 30);
  await bookingStore.create(later, { idempotency: { ...claim, keyHash: staleHash } });
  expect((await bookingStore.findIdempotency('store-test', staleHash, Math.floor(Date.now() / 1000)))?.bookingId).toBe(later.id);
});

it('lists a host’s bookings by lock span for a range, and pages them by start', async () => {
  const hostId = ulid();
  const bookings = ['08:00', '09:00', '10:00', '11:00', '12:00'].map((time) => aBooking(hostId, at(time), 30, { bufferAfter: 30 }));
  for (const booking of bookings) await bookingStore.create(booking, {});
  // 09:45-10:00 meets the 09:00 booking only through its buffer (09:00-10:00).
  expect((await bookingStore.listForHost(hostId, { start: at('09:45'), end: at('10:00') })).map((b) => b.bookingId)).toEqual([bookings[1].id]);
  expect((await bookingStore.listForHost(hostId, { start: at('09:45'), end: at('10:01') })).map((b) => b.bookingId)).toEqual([bookings[1].id, bookings[2].id]);

  const page1 = await bookingStore.pageForHost(hostId, { from: at('09:00'), limit: 2 });
  expect(page1.items.map((b) => b.bookingId)).toEqual([bookings[1].id, bookings[2].id]);
  const page2 = await bookingStore.pageForHost(hostId, { from: at('09:00'), limit: 2, cursor: page1.nextCursor });
  expect(page2.items.map((b) => b.bookingId)).toEqual([bookings[3].id, bookings[4].id]);
  expect(page2.nextCursor).toBeUndefined();
  expect((await bookingStore.pageForHost(hostId, { from: at('00:00'), to: at('09:00'), limit: 10 })).items.map((b) => b.bookingId)).toEqual([bookings[0].id]);
});

it('fits the longest booking the event type rules allow (470 minutes, unaligned) into one transaction', async () => {
  const hostId = ulid();
  const booking = aBooking(hostId, at('10:00') + 3 * MINUTE, 350, { bufferBefore: 60, bufferAfter: 60 });
  expect(booking.cells).toHaveLength(95);
  await bookingStore.create(booking, { idempotency: { slug: 'store-test', keyHash: ulid(), fingerprint: 'f', sealedToken: 's', expiresAt: 2e9 } });
  expect(await partition(lockCellKeys.pk(hostId))).toHaveLength(95);
});

describe('the daily counter of an event type with a daily limit', () => {
  const counter = async (eventTypeId: string, date: string) =>
    (await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: dailyCountKeys.pk(eventTypeId), sk: dailyCountKeys.sk(date) }, ConsistentRead: true }))).Item?.n;
  const counted = (booking: Booking, date = '2033-03-07') => ({ ...booking, countedDay: date });
  const users = { get: async () => undefined } as unknown as Parameters<typeof cancelFromGoogle>[0]['users'];
  const clock = { now: () => new Date() };

  it('starts a day from the seed read before, counts up to the limit and refuses one more with DailyLimitReached, writing nothing', async () => {
    const hostId = ulid();
    const eventTypeId = ulid();
    const ofType = (booking: Booking) => ({ ...booking, eventTypeId });
    // Two bookings from before the counters: the day's first counted booking starts at 2 + 1.
    await bookingStore.create(counted(ofType(aBooking(hostId, at('09:00'), 30))), { day: { date: '2033-03-07', seed: 2, limit: 4 } });
    expect(await counter(eventTypeId, '2033-03-07')).toBe(3);
    await bookingStore.create(counted(ofType(aBooking(hostId, at('10:00'), 30))), { day: { date: '2033-03-07', seed: 0, limit: 4 } });
    expect(await counter(eventTypeId, '2033-03-07')).toBe(4);
    const over = counted(ofType(aBooking(hostId, at('11:00'), 30)));
    await expect(bookingStore.create(over, { day: { date: '2033-03-07', seed: 0, limit: 4 } })).rejects.toBeInstanceOf(DailyLimitReached);
    expect(await bookingItem(over.id)).toBeUndefined();
    expect(await counter(eventTypeId, '2033-03-07')).toBe(4);
  });

  it('gives the count back when a counted booking is cancelled, by the guest or the host here or by deleting its Google copy', async () => {
    const hostId = ulid();
    const eventTypeId = ulid();
    const bookings = ['09:00', '10:00', '11:00'].map((time) => counted({ ...aBooking(hostId, at(time), 30), eventTypeId }));
    for (const booking of bookings) await bookingStore.create(booking, { day: { date: '2033-03-07', seed: 0, limit: 3 } });
    expect(await counter(eventTypeId, '2033-03-07')).toBe(3);
    await bookingStore.cancel(bookings[0], { cancelledAt: new Date().toISOString(), cancelledBy: 'guest' });
    await bookingStore.cancel(bookings[1], { cancelledAt: new Date().toISOString(), cancelledBy: 'host' });
    expect(await counter(eventTypeId, '2033-03-07')).toBe(1);
    await cancelFromGoogle({ bookings: bookingStore, clock, users }, bookings[2]);
    expect(await counter(eventTypeId, '2033-03-07')).toBe(0);
    // A cancel sent twice gives back once.
    await bookingStore.cancel(bookings[0], { cancelledAt: new Date().toISOString(), cancelledBy: 'guest' });
    expect(await counter(eventTypeId, '2033-03-07')).toBe(0);
  });

  it('gives back a booking from before the counters only when its day has a counter (which then counted it)', async () => {
    const hostId = ulid();
    const eventTypeId = ulid();
    const [old, older] = ['09:00', '10:00'].map((time) => ({ ...aBooking(hostId, at(time), 30), eventTypeId }));
    await bookingStore.create(old, {});
    await bookingStore.create(older, {});
    // No counter for the day yet: nothing to give back, and none is made.
    await bookingStore.cancel(old, { cancelledAt: new Date().toISOString(), cancelledBy: 'guest' });
    expect(await counter(eventTypeId, '2033-03-07')).toBeUndefined();
    // The day's first counted booking starts the counter from the one still standing.
    await bookingStore.create(counted({ ...aBooking(hostId, at('11:00'), 30), eventTypeId }), { day: { date: '2033-03-07', seed: 1, limit: 5 } });
    expect(await counter(eventTypeId, '2033-03-07')).toBe(2);
    await bookingStore.cancel(older, { cancelledAt: new Date().toISOString(), cancelledBy: 'host' });
    expect(await counter(eventTypeId, '2033-03-07')).toBe(1);
  });

  it('moves the count with a booking moved to another day, refuses a full day with DailyLimitReached, and leaves it on a move within the day', async () => {
    const hostId = ulid();
    const eventTypeId = ulid();
    const monday = counted({ ...aBooking(hostId, at('09:00'), 30), eventTypeId });
    await bookingStore.create(monday, { day: { date: '2033-03-07', seed: 0, limit: 1 } });
    const tuesdayStart = Date.parse('2033-03-08T09:00:00Z');
    const toTuesday = { start: new Date(tuesdayStart).toISOString(), end: new Date(tuesdayStart + 30 * MINUTE).toISOString(), cells: lockCells({ start: tuesdayStart, end: tuesdayStart + 30 * MINUTE }).map((cell) => new Date(cell).toISOString()), countedDay: '2033-03-08' };
    const moved = await bookingStore.replace(monday, toTuesday, [], { date: '2033-03-08', seed: 0, limit: 1 });
    expect([await counter(eventTypeId, '2033-03-07'), await counter(eventTypeId, '2033-03-08')]).toEqual([0, 1]);

    // Monday is free again; a booking there cannot move onto the full Tuesday.
    const second = counted({ ...aBooking(hostId, at('09:00'), 30), eventTypeId });
    await bookingStore.create(second, { day: { date: '2033-03-07', seed: 0, limit: 1 } });
    const later = tuesdayStart + 60 * MINUTE;
    const refused = { start: new Date(later).toISOString(), end: new Date(later + 30 * MINUTE).toISOString(), cells: lockCells({ start: later, end: later + 30 * MINUTE }).map((cell) => new Date(cell).toISOString()), countedDay: '2033-03-08' };
    await expect(bookingStore.replace(second, refused, [], { date: '2033-03-08', seed: 0, limit: 1 })).rejects.toBeInstanceOf(DailyLimitReached);
    expect([await counter(eventTypeId, '2033-03-07'), await counter(eventTypeId, '2033-03-08')]).toEqual([1, 1]);

    // Within Tuesday: no counter changes.
    await bookingStore.replace(moved, refused);
    expect([await counter(eventTypeId, '2033-03-07'), await counter(eventTypeId, '2033-03-08')]).toEqual([1, 1]);
  });
});

it('refuses a group seat that would need more than 100 writes (an event type stored before that was checked) with BookingTooLarge, writing nothing', async () => {
  const hostId = ulid();
  const eventTypeId = ulid();
  const seat = aBooking(hostId, at('10:00') + 3 * MINUTE, 350, { group: { eventTypeId }, bufferBefore: 60, bufferAfter: 60 });
  const mail = queueMail(new Date(), createdMail(seat, { name: 'H', email: 'h@example.com', timeZone: 'UTC' }, 'token'));
  await expect(
    bookingStore.create(seat, { seat: { eventTypeId, start: Date.parse(seat.start), seats: 3 }, idempotency: { slug: 'store-test', keyHash: ulid(), fingerprint: 'f', sealedToken: 's', expiresAt: 2e9 }, mail }),
  ).rejects.toMatchObject({ code: 'booking_too_large' });
  expect(await bookingItem(seat.id)).toBeUndefined();
  expect(await partition(lockCellKeys.pk(hostId))).toEqual([]);
});
