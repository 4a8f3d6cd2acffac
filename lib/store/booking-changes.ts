// Cancelling and moving a booking: each one transaction that replaces the confirmed booking, moves or removes its
// host index item and gives back (or claims) its lock cells; a group seat's cancel also counts its seat back, and
// the booking's day counter (daily limit) gives its count back on a cancel or follows a move to another day.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors';
import type { Booking } from '../scheduling/booking';
import type { DayClaim, QueuedMail } from '../scheduling/ports';
import { BookingMoveTooLarge, DailyLimitReached, SlotTaken } from '../scheduling/errors';
import { assertSeatStays, isGroupSeat, releaseSeat, type SeatCount } from '../scheduling/group-seats';
import {
  bookingKeys,
  claimCell,
  countDay,
  hostBookingEntity,
  MAX_TRANSACTION_ITEMS,
  releaseCell,
  removeHostIndex,
  replaceConfirmed,
  RETRY_ATTEMPTS,
  seatCounterKeys,
  transact,
  uncountDay,
} from './booking-items';
import { dynamo, tableName } from './client';
import { failedConditionIndexes } from './errors';
import { outboxPut } from './outbox-store';
import type { TransactItems } from './retry';

async function readSeatCounter(eventTypeId: string, startMs: number): Promise<SeatCount | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: { pk: seatCounterKeys.pk(eventTypeId), sk: seatCounterKeys.sk(startMs) }, ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  return { seatsTaken: result.Item.seatsTaken as number, cells: (result.Item.cells as Set<string> | undefined) ?? new Set() };
}

/** Cancels a confirmed booking; `get` reads it again when it changed meanwhile (a cancel already done is the answer). */
export async function cancelBooking(
  booking: Booking,
  change: Partial<Booking>,
  get: (bookingId: string) => Promise<Booking | undefined>,
  mail: QueuedMail[] = [],
): Promise<Booking> {
  const next: Booking = { ...booking, status: 'cancelled', ...change, version: booking.version + 1 };
  const group = isGroupSeat(booking);
  const start = Date.parse(booking.start);
  // A group seat reads the counter first and writes on condition that it did not move; a moved counter means another try.
  for (let attempt = 1; ; attempt++) {
    // The mail right after the booking: its outbox items are never the ones a last seat's overflow leaves out.
    const items: TransactItems = [replaceConfirmed(booking, next), removeHostIndex(booking), ...mail.map(outboxPut)];
    const day = await uncountDay(booking);
    const dayIndex = day?.mayChange ? items.length : -1;
    if (day) items.push(day.item);
    let laterCells: string[] = [];
    if (group) {
      const release = releaseSeat(await readSeatCounter(booking.eventTypeId, start), booking.cells);
      const counterKey = { pk: seatCounterKeys.pk(booking.eventTypeId), sk: seatCounterKeys.sk(start) };
      if (release.kind === 'decrement') {
        items.push({
          Update: {
            TableName: tableName(),
            Key: counterKey,
            UpdateExpression: 'SET seatsTaken = seatsTaken - :one, #version = #version + :one',
            ConditionExpression: 'seatsTaken = :seen',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':one': 1, ':seen': release.seen },
          },
        });
      } else {
        // The last seat: the slot's lock goes with the counter.
        const room = MAX_TRANSACTION_ITEMS - items.length - 1;
        laterCells = release.cells.slice(room);
        items.push({
          Delete: {
            TableName: tableName(),
            Key: counterKey,
            ConditionExpression: 'attribute_not_exists(pk) OR seatsTaken <= :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        });
        items.push(...release.cells.slice(0, room).map((cell) => releaseCell(booking.hostId, cell, booking.holder)));
      }
    } else {
      items.push(...booking.cells.map((cell) => releaseCell(booking.hostId, cell, booking.holder)));
    }
    try {
      await transact(items);
      // Only when a changed event type made a group slot's lock larger than one transaction holds.
      for (let index = 0; index < laterCells.length; index += MAX_TRANSACTION_ITEMS) {
        await transact(laterCells.slice(index, index + MAX_TRANSACTION_ITEMS).map((cell) => releaseCell(booking.hostId, cell, booking.holder)));
      }
      return next;
    } catch (error) {
      const failed = failedConditionIndexes(error);
      if (failed.includes(0)) {
        const current = await get(booking.id);
        if (current?.status === 'cancelled') return current;
        throw new Conflict('conflict', 'The booking changed meanwhile; read it again and retry');
      }
      // A seat counter or an uncounted booking's day counter changed since it was read: read it again.
      if (failed.length && (group || failed.includes(dayIndex)) && attempt < RETRY_ATTEMPTS) continue;
      throw error;
    }
  }
}

/**
 * Moves or changes a confirmed booking: cells both times cover stay, the rest are given back or claimed, in one
 * transaction; moved to another local day (`day`), it counts there and is given back on its old day in it too.
 */
export async function replaceBooking(booking: Booking, change: Partial<Booking>, mail: QueuedMail[] = [], day?: DayClaim): Promise<Booking> {
  const next: Booking = { ...booking, ...change, version: booking.version + 1 };
  const before = new Set(booking.cells);
  const after = new Set(next.cells);
  if (booking.status !== 'confirmed') throw new Conflict('booking_cancelled', 'The booking is cancelled');
  assertSeatStays(booking, next);
  const oldIndexSk = bookingKeys.hostIndexSk(Date.parse(booking.start), booking.id);
  const newIndexSk = bookingKeys.hostIndexSk(Date.parse(next.start), next.id);
  const items: TransactItems = [
    replaceConfirmed(booking, next),
    ...(oldIndexSk !== newIndexSk ? [removeHostIndex(booking)] : []),
    { Put: { TableName: tableName(), Item: hostBookingEntity.toItem(next) } },
    ...booking.cells.filter((cell) => !after.has(cell)).map((cell) => releaseCell(booking.hostId, cell, booking.holder)),
    ...next.cells.filter((cell) => !before.has(cell)).map((cell) => claimCell(next, cell)),
    ...mail.map(outboxPut),
  ];
  const dayIndex = day ? items.length : -1;
  const oldDay = day ? await uncountDay(booking) : undefined;
  if (day) items.push(countDay(booking.eventTypeId, day));
  if (oldDay) items.push(oldDay.item);
  if (items.length > MAX_TRANSACTION_ITEMS) throw new BookingMoveTooLarge(items.length);
  try {
    await transact(items);
  } catch (error) {
    const failed = failedConditionIndexes(error);
    if (failed.includes(0) || (oldDay?.mayChange && failed.includes(dayIndex + 1))) {
      throw new Conflict('conflict', 'The booking changed meanwhile; read it again and retry');
    }
    if (failed.includes(dayIndex)) throw new DailyLimitReached(day!.limit!);
    if (failed.length) throw new SlotTaken();
    throw error;
  }
  return next;
}
