// The items of a booking: key builders and entity mappings of the booking, its host index item, lock cells, seat
// counters and idempotency claims, and the transaction parts and runner the booking store builds its writes from.
import { CELL_MS } from '../domain/lock-cells';
import type { Booking, HostBooking } from '../scheduling/booking';
import { BookingContention } from '../scheduling/errors';
import { isGroupSeat } from '../scheduling/group-seats';
import { tableName } from './client';
import { failedConditionIndexes, isTransactionConflict } from './errors';
import { transactWrite, type TransactItems } from './retry';
import { entity } from './toolkit';

export const iso = (epochMs: number) => new Date(epochMs).toISOString();
/** A transaction holds at most 100 items. */
export const MAX_TRANSACTION_ITEMS = 100;
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
