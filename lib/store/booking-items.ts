// The items of a booking: key builders and entity mappings of the booking, its host index item, lock cells, seat
// counters and idempotency claims, and the transaction parts and runner the booking store builds its writes from.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { localDateOf } from '../domain/daily-limit';
import { CELL_MS } from '../domain/lock-cells';
import type { Booking, HostBooking } from '../scheduling/booking';
import { BookingContention } from '../scheduling/errors';
import { isGroupSeat } from '../scheduling/group-seats';
import { MAX_TRANSACTION_ITEMS } from '../scheduling/schemas';
import type { DayClaim } from '../scheduling/ports';
import { dynamo, tableName } from './client';
import { failedConditionIndexes, isTransactionConflict } from './errors';
import { transactWrite, type TransactItems } from './retry';
import { entity } from './toolkit';

export const iso = (epochMs: number) => new Date(epochMs).toISOString();
export { MAX_TRANSACTION_ITEMS };
// Retries of a transaction that lost a race (not a failed condition): eight tries, full jitter from 25 ms.
export const RETRY_ATTEMPTS = 8;
const RETRY_BASE_MS = 25;

export const bookingKeys = {
  pk: (bookingId: string) => `BOOKING#${bookingId}`,
  sk: () => 'BOOKING',
  hostIndexPk: (hostId: string) => `HOST#${hostId}#BOOKINGS`,
  hostIndexSk: (startMs: number, bookingId: string) => `${iso(startMs)}#${bookingId}`,
};

export const lockCellKeys = {
  pk: (hostId: string) => `HOST#${hostId}#CELL`,
  sk: (cellStartIso: string) => cellStartIso,
};

export const seatCounterKeys = {
  pk: (eventTypeId: string) => `EVENTTYPE#${eventTypeId}#SEATS`,
  sk: (startMs: number) => iso(startMs),
};

/**
 * The daily counter of an event type (DailyCount, `n` bookings on one local date), kept in every booking transaction
 * of an event type that counts days (countsDays): +1 on condition that it is below the limit, -1 when a counted
 * booking is cancelled or moves to another day. How a day's counter starts is in countDay.
 */
export const dailyCountKeys = {
  pk: (eventTypeId: string) => `EVENTTYPE#${eventTypeId}#DAYS`,
  sk: (localDate: string) => localDate,
};

export const idempotencyKeys = {
  pk: (slug: string, keyHash: string) => `IDEMPOTENCY#${slug}#${keyHash}`,
  sk: () => 'IDEMPOTENCY',
};

export const bookingEntity = entity<Booking>({ type: 'Booking', key: (booking) => ({ pk: bookingKeys.pk(booking.id), sk: bookingKeys.sk() }) });

/** The host's index item: what the slot list, the calendar and the host's listing need, without reading the booking. */
export const hostBookingEntity = entity<Booking>({
  type: 'HostBooking',
  key: (booking) => ({ pk: bookingKeys.hostIndexPk(booking.hostId), sk: bookingKeys.hostIndexSk(Date.parse(booking.start), booking.id) }),
  attributes: (booking) => ({
    bookingId: booking.id,
    eventTypeId: booking.eventTypeId,
    eventTypeName: booking.eventTypeName,
    kind: booking.kind,
    holder: booking.holder,
    start: Date.parse(booking.start),
    end: Date.parse(booking.end),
    lockStart: Date.parse(booking.cells[0]),
    lockEnd: Date.parse(booking.cells[booking.cells.length - 1]) + CELL_MS,
    timeZone: booking.timeZone,
    guest: booking.guest,
    ...(booking.notes !== undefined ? { notes: booking.notes } : {}),
    ...(booking.answers?.length ? { answers: booking.answers } : {}),
    ...(booking.googleConflict ? { googleConflict: booking.googleConflict } : {}),
    createdAt: booking.createdAt,
    version: 1,
  }),
});

export function fromHostIndexItem(item: Record<string, unknown>): HostBooking {
  return {
    bookingId: item.bookingId as string,
    eventTypeId: item.eventTypeId as string,
    eventTypeName: item.eventTypeName as string,
    kind: item.kind as HostBooking['kind'],
    holder: item.holder as string,
    start: item.start as number,
    end: item.end as number,
    lockSpan: { start: item.lockStart as number, end: item.lockEnd as number },
    timeZone: item.timeZone as string,
    guest: item.guest as HostBooking['guest'],
    ...(item.notes !== undefined ? { notes: item.notes as string } : {}),
    ...(item.answers !== undefined ? { answers: item.answers as HostBooking['answers'] } : {}),
    ...(item.googleConflict ? { googleConflict: item.googleConflict as HostBooking['googleConflict'] } : {}),
    createdAt: item.createdAt as string,
  };
}

/** Writes `next` over the booking while it is still confirmed at the version read (first item of its transaction). */
export function replaceConfirmed(booking: Booking, next: Booking): TransactItems[number] {
  return {
    Put: {
      TableName: tableName(),
      Item: bookingEntity.toItem(next),
      ConditionExpression: '#version = :expected AND #status = :confirmed',
      ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':expected': booking.version, ':confirmed': 'confirmed' },
    },
  };
}

/** Claims a cell for the booking's holder: a free cell or, for a group slot, one already held by this same slot for an earlier seat. */
export function claimCell(booking: Booking, cell: string): TransactItems[number] {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: lockCellKeys.pk(booking.hostId), sk: lockCellKeys.sk(cell), type: 'LockCell', holder: booking.holder, bookingId: booking.id, version: 1 },
      ...(isGroupSeat(booking)
        ? { ConditionExpression: 'attribute_not_exists(pk) OR holder = :holder', ExpressionAttributeValues: { ':holder': booking.holder } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

/** Deletes a cell only while `holder` holds it; a cell already gone is fine. */
export function releaseCell(hostId: string, cell: string, holder: string): TransactItems[number] {
  return {
    Delete: {
      TableName: tableName(),
      Key: { pk: lockCellKeys.pk(hostId), sk: lockCellKeys.sk(cell) },
      ConditionExpression: 'attribute_not_exists(pk) OR holder = :holder',
      ExpressionAttributeValues: { ':holder': holder },
    },
  };
}

/**
 * Counts one more booking on the day, on condition that the day is below the limit. A day without a counter yet starts
 * from `seed`, the day's bookings as read before the transaction (bookings made before the counters existed are
 * counted so); two first bookings of a day racing cannot both start it: the transaction that loses sees the winner's
 * counter and adds to it.
 */
export function countDay(eventTypeId: string, day: DayClaim): TransactItems[number] {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: dailyCountKeys.pk(eventTypeId), sk: dailyCountKeys.sk(day.date) },
      UpdateExpression: 'SET n = if_not_exists(n, :seed) + :one, #type = :type, #version = if_not_exists(#version, :zero) + :one',
      ...(day.limit !== undefined ? { ConditionExpression: 'attribute_not_exists(n) OR n < :limit' } : {}),
      ExpressionAttributeNames: { '#type': 'type', '#version': 'version' },
      ExpressionAttributeValues: { ':seed': day.seed, ':one': 1, ':zero': 0, ':type': 'DailyCount', ...(day.limit !== undefined ? { ':limit': day.limit } : {}) },
    },
  };
}

async function dayCounterExists(eventTypeId: string, date: string): Promise<boolean> {
  const result = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: { pk: dailyCountKeys.pk(eventTypeId), sk: dailyCountKeys.sk(date) }, ProjectionExpression: 'n', ConsistentRead: true }),
  );
  return result.Item?.n !== undefined;
}

/**
 * Gives the booking's count back on the day it counts in (one item of the transaction that cancels or moves it).
 * A counted booking (countedDay) takes one off that day. A booking without countedDay was counted only if its day's
 * counter started (from a read of the day's bookings) while it stood: when that counter exists it takes one off on
 * condition that it still exists, else it checks that none started meanwhile; a failed condition means read and try again.
 */
export async function uncountDay(booking: Booking): Promise<{ item: TransactItems[number]; mayChange: boolean } | undefined> {
  const key = (date: string) => ({ pk: dailyCountKeys.pk(booking.eventTypeId), sk: dailyCountKeys.sk(date) });
  const takeOne = { UpdateExpression: 'ADD n :minusOne, #version :one', ExpressionAttributeNames: { '#version': 'version' } };
  if (booking.countedDay) {
    return { item: { Update: { TableName: tableName(), Key: key(booking.countedDay), ...takeOne, ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 } } }, mayChange: false };
  }
  const date = localDateOf(Date.parse(booking.start), booking.timeZone);
  if (await dayCounterExists(booking.eventTypeId, date)) {
    return {
      item: { Update: { TableName: tableName(), Key: key(date), ...takeOne, ConditionExpression: 'attribute_exists(n)', ExpressionAttributeValues: { ':minusOne': -1, ':one': 1 } } },
      mayChange: true,
    };
  }
  return { item: { ConditionCheck: { TableName: tableName(), Key: key(date), ConditionExpression: 'attribute_not_exists(n)' } }, mayChange: true };
}

/** Deletes the booking's host index item (at the start it had). */
export function removeHostIndex(booking: Booking): TransactItems[number] {
  return { Delete: { TableName: tableName(), Key: hostBookingEntity.key(booking) } };
}

export async function transact(items: TransactItems): Promise<void> {
  try {
    await transactWrite(items, RETRY_ATTEMPTS, RETRY_BASE_MS);
  } catch (error) {
    // Still losing races after every retry: nothing was written, and saying so beats a 500.
    if (isTransactionConflict(error) && !failedConditionIndexes(error).length) throw new BookingContention();
    throw error;
  }
}
