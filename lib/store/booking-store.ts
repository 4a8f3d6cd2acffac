// Bookings and the items that make double booking impossible: one transaction writes the booking, the
// host's index item, one lock item per 5-minute cell (buffers included), the seat counter of a group slot
// and the idempotency claim; cancelling removes them (or gives the seat back) in one transaction too.
import { GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { Conflict, InvalidInput } from '../domain/errors';
import { CELL_MS } from '../domain/lock-cells';
import type { Booking, HostBooking } from '../scheduling/booking';
import { BookingContention, BookingMoveTooLarge, IdempotencyKeyTaken, SlotTaken } from '../scheduling/errors';
import type { BookingRepo, IdempotencyRecord } from '../scheduling/ports';
import { MAX_BUFFER_MINUTES, MAX_LOCK_MINUTES } from '../scheduling/schemas';
import { dynamo, tableName } from './client';
import { failedConditionIndexes, isTransactionConflict } from './errors';
import { transactWrite, type TransactItems } from './retry';


const iso = (epochMs: number) => new Date(epochMs).toISOString();
const MINUTE_MS = 60_000;
/** A transaction holds at most 100 items. */
const MAX_TRANSACTION_ITEMS = 100;
// Retries of a transaction that lost a race (not a failed condition): eight tries, full jitter from 25 ms.
const RETRY_ATTEMPTS = 8;
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

const isGroupHolder = (holder: string) => holder.startsWith('GROUP#');

function toItem(booking: Booking) {
  return { pk: bookingKeys.pk(booking.id), sk: bookingKeys.sk(), type: 'Booking', ...booking };
}

function fromItem(item: Record<string, unknown>): Booking {
  const { pk: _pk, sk: _sk, type: _type, ...booking } = item;
  return booking as Booking;
}

function indexItem(booking: Booking) {
  const start = Date.parse(booking.start);
  return {
    pk: bookingKeys.hostIndexPk(booking.hostId),
    sk: bookingKeys.hostIndexSk(start, booking.id),
    type: 'HostBooking',
    bookingId: booking.id,
    eventTypeId: booking.eventTypeId,
    eventTypeName: booking.eventTypeName,
    kind: booking.kind,
    holder: booking.holder,
    start,
    end: Date.parse(booking.end),
    lockStart: Date.parse(booking.cells[0]),
    lockEnd: Date.parse(booking.cells[booking.cells.length - 1]) + CELL_MS,
    timeZone: booking.timeZone,
    guest: booking.guest,
    ...(booking.notes !== undefined ? { notes: booking.notes } : {}),
    ...(booking.googleConflict ? { googleConflict: booking.googleConflict } : {}),
    createdAt: booking.createdAt,
    version: 1,
  };
}

function fromIndexItem(item: Record<string, unknown>): HostBooking {
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
    ...(item.googleConflict ? { googleConflict: item.googleConflict as HostBooking['googleConflict'] } : {}),
    createdAt: item.createdAt as string,
  };
}

/** Writes `next` over the booking while it is still confirmed at the version read (first item of its transaction). */
function replaceConfirmed(booking: Booking, next: Booking): TransactItems[number] {
  return {
    Put: {
      TableName: tableName(),
      Item: toItem(next),
      ConditionExpression: '#version = :expected AND #status = :confirmed',
      ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':expected': booking.version, ':confirmed': 'confirmed' },
    },
  };
}

/** Claims a cell for the booking's holder: a free cell or, for a group slot, one already held by this same slot for an earlier seat. */
function claimCell(booking: Booking, cell: string): TransactItems[number] {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: lockCellKeys.pk(booking.hostId), sk: lockCellKeys.sk(cell), type: 'LockCell', holder: booking.holder, bookingId: booking.id, version: 1 },
      ...(isGroupHolder(booking.holder)
        ? { ConditionExpression: 'attribute_not_exists(pk) OR holder = :holder', ExpressionAttributeValues: { ':holder': booking.holder } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

/** Deletes a cell only while `holder` holds it; a cell already gone is fine. */
function releaseCell(hostId: string, cell: string, holder: string): TransactItems[number] {
  return {
    Delete: {
      TableName: tableName(),
      Key: { pk: lockCellKeys.pk(hostId), sk: lockCellKeys.sk(cell) },
      ConditionExpression: 'attribute_not_exists(pk) OR holder = :holder',
      ExpressionAttributeValues: { ':holder': holder },
    },
  };
}

async function transact(items: TransactItems): Promise<void> {
  try {
    await transactWrite(items, RETRY_ATTEMPTS, RETRY_BASE_MS);
  } catch (error) {
    // Still losing races after every retry: nothing was written, and saying so beats a 500.
    if (isTransactionConflict(error) && !failedConditionIndexes(error).length) throw new BookingContention();
    throw error;
  }
}

async function query(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await dynamo().send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function decodeCursor(cursor: string): string {
  try {
    const sk = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof sk === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(sk)) return sk;
  } catch {
    // fall through
  }
  throw new InvalidInput('The cursor is not one this API returned', [{ field: 'cursor', message: 'Pass back nextCursor unchanged' }]);
}

type SeatCounter = { seatsTaken: number; cells: Set<string> };

async function readSeatCounter(eventTypeId: string, startMs: number): Promise<SeatCounter | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: { pk: seatCounterKeys.pk(eventTypeId), sk: seatCounterKeys.sk(startMs) }, ConsistentRead: true }),
  );
  if (!result.Item) return undefined;
  return { seatsTaken: result.Item.seatsTaken as number, cells: (result.Item.cells as Set<string> | undefined) ?? new Set() };
}

export const bookingStore: BookingRepo = {
  async create(booking, claims) {
    const items: TransactItems = [];
    const idempotencyIndex = claims.idempotency ? 0 : -1;
    if (claims.idempotency) {
      const claim = claims.idempotency;
      items.push({
        Put: {
          TableName: tableName(),
          Item: {
            pk: idempotencyKeys.pk(claim.slug, claim.keyHash),
            sk: idempotencyKeys.sk(),
            type: 'IdempotencyClaim',
            bookingId: booking.id,
            fingerprint: claim.fingerprint,
            sealedToken: claim.sealedToken,
            expiresAt: claim.expiresAt,
            version: 1,
          },
          // An expired claim that TTL has not removed yet may be taken over.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(Date.parse(booking.createdAt) / 1000) },
        },
      });
    }
    items.push({ Put: { TableName: tableName(), Item: toItem(booking), ConditionExpression: 'attribute_not_exists(pk)' } });
    items.push({ Put: { TableName: tableName(), Item: indexItem(booking) } });
    if (claims.seat) {
      const seat = claims.seat;
      items.push({
        Update: {
          TableName: tableName(),
          Key: { pk: seatCounterKeys.pk(seat.eventTypeId), sk: seatCounterKeys.sk(seat.start) },
          // The counter also keeps every cell its seats locked, so the last seat out can free them all.
          UpdateExpression:
            'SET seatsTaken = if_not_exists(seatsTaken, :zero) + :one, seats = :seats, hostId = :hostId, holder = :holder, #type = :type, ' +
            '#version = if_not_exists(#version, :zero) + :one ADD cells :cells',
          ConditionExpression: 'attribute_not_exists(pk) OR seatsTaken < :seats',
          ExpressionAttributeNames: { '#type': 'type', '#version': 'version' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':seats': seat.seats,
            ':hostId': booking.hostId,
            ':holder': booking.holder,
            ':type': 'SeatCounter',
            ':cells': new Set(booking.cells),
          },
        },
      });
    }
    items.push(...booking.cells.map((cell) => claimCell(booking, cell)));
    if (items.length > MAX_TRANSACTION_ITEMS) throw new Error(`A booking needs ${items.length} items, more than one transaction holds`);
    try {
      await transact(items);
    } catch (error) {
      const failed = failedConditionIndexes(error);
      if (failed.includes(idempotencyIndex)) throw new IdempotencyKeyTaken();
      if (failed.length) throw new SlotTaken();
      throw error;
    }
  },

  async get(bookingId) {
    const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: bookingKeys.pk(bookingId), sk: bookingKeys.sk() }, ConsistentRead: true }));
    return result.Item ? fromItem(result.Item) : undefined;
  },

  async findIdempotency(slug, keyHash, nowSeconds) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: idempotencyKeys.pk(slug, keyHash), sk: idempotencyKeys.sk() }, ConsistentRead: true }),
    );
    const item = result.Item;
    if (!item || (item.expiresAt as number) < nowSeconds) return undefined;
    return { bookingId: item.bookingId, fingerprint: item.fingerprint, sealedToken: item.sealedToken, expiresAt: item.expiresAt } as IdempotencyRecord;
  },

  async listForHost(hostId, range) {
    // A booking's lock starts at most (buffer + a cell) before its start and ends at most (duration + buffer + a cell) after it.
    const items = await query({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: 'lockEnd > :rangeStart AND lockStart < :rangeEnd',
      ExpressionAttributeValues: {
        ':pk': bookingKeys.hostIndexPk(hostId),
        ':from': iso(range.start - MAX_LOCK_MINUTES * MINUTE_MS - CELL_MS),
        ':to': `${iso(range.end + MAX_BUFFER_MINUTES * MINUTE_MS + CELL_MS)}\uffff`,
        ':rangeStart': range.start,
        ':rangeEnd': range.end,
      },
      ConsistentRead: true,
    });
    return items.map(fromIndexItem);
  },

  async pageForHost(hostId, { from, to, limit, cursor }) {
    const values: Record<string, unknown> = { ':pk': bookingKeys.hostIndexPk(hostId), ':from': iso(from) };
    if (to !== undefined) values[':to'] = iso(to);
    const result = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: to !== undefined ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: values,
        // One more than asked tells whether another page exists.
        Limit: limit + 1,
        ...(cursor ? { ExclusiveStartKey: { pk: bookingKeys.hostIndexPk(hostId), sk: decodeCursor(cursor) } } : {}),
      }),
    );
    const items = result.Items ?? [];
    const page = items.slice(0, limit);
    const more = items.length > limit;
    return {
      items: page.map(fromIndexItem),
      ...(more ? { nextCursor: Buffer.from(JSON.stringify(page[page.length - 1].sk)).toString('base64url') } : {}),
    };
  },

  async seatsTaken(eventTypeId, range) {
    const items = await query({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': seatCounterKeys.pk(eventTypeId), ':from': iso(range.start), ':to': iso(range.end) },
      ProjectionExpression: 'sk, seatsTaken',
      ConsistentRead: true,
    });
    return new Map(items.map((item) => [Date.parse(item.sk as string), item.seatsTaken as number]));
  },

  async cancel(booking, change) {
    const next: Booking = { ...booking, status: 'cancelled', ...change, version: booking.version + 1 };
    const group = isGroupHolder(booking.holder);
    const start = Date.parse(booking.start);
    // A group seat reads the counter first and writes on condition that it did not move; a moved counter means another try.
    for (let attempt = 1; ; attempt++) {
      const items: TransactItems = [
        replaceConfirmed(booking, next),
        { Delete: { TableName: tableName(), Key: { pk: bookingKeys.hostIndexPk(booking.hostId), sk: bookingKeys.hostIndexSk(start, booking.id) } } },
      ];
      let laterCells: string[] = [];
      if (group) {
        const counter = await readSeatCounter(booking.eventTypeId, start);
        const counterKey = { pk: seatCounterKeys.pk(booking.eventTypeId), sk: seatCounterKeys.sk(start) };
        if (counter && counter.seatsTaken > 1) {
          items.push({
            Update: {
              TableName: tableName(),
              Key: counterKey,
              UpdateExpression: 'SET seatsTaken = seatsTaken - :one, #version = #version + :one',
              ConditionExpression: 'seatsTaken = :seen',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':one': 1, ':seen': counter.seatsTaken },
            },
          });
        } else {
          // The last seat: the slot's lock goes with the counter.
          const cells = [...new Set([...(counter?.cells ?? []), ...booking.cells])].sort();
          const room = MAX_TRANSACTION_ITEMS - items.length - 1;
          laterCells = cells.slice(room);
          items.push({
            Delete: {
              TableName: tableName(),
              Key: counterKey,
              ConditionExpression: 'attribute_not_exists(pk) OR seatsTaken <= :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          });
          items.push(...cells.slice(0, room).map((cell) => releaseCell(booking.hostId, cell, booking.holder)));
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
          const current = await this.get(booking.id);
          if (current?.status === 'cancelled') return current;
          throw new Conflict('conflict', 'The booking changed meanwhile; read it again and retry');
        }
        if (failed.length && group && attempt < RETRY_ATTEMPTS) continue;
        throw error;
      }
    }
  },
  async replace(booking, change) {
    const next: Booking = { ...booking, ...change, version: booking.version + 1 };
    const before = new Set(booking.cells);
    const after = new Set(next.cells);
    const moved = next.start !== booking.start || next.end !== booking.end || before.size !== after.size || booking.cells.some((cell) => !after.has(cell));
    if (booking.status !== 'confirmed') throw new Conflict('booking_cancelled', 'The booking is cancelled');
    if (moved && isGroupHolder(booking.holder)) throw new Error('A seat of a group slot does not move alone');
    const oldIndexSk = bookingKeys.hostIndexSk(Date.parse(booking.start), booking.id);
    const newIndexSk = bookingKeys.hostIndexSk(Date.parse(next.start), next.id);
    const items: TransactItems = [
      replaceConfirmed(booking, next),
      ...(oldIndexSk !== newIndexSk ? [{ Delete: { TableName: tableName(), Key: { pk: bookingKeys.hostIndexPk(booking.hostId), sk: oldIndexSk } } }] : []),
      { Put: { TableName: tableName(), Item: indexItem(next) } },
      // Cells both times cover stay as they are; the rest are given back or claimed, all in this one transaction.
      ...booking.cells.filter((cell) => !after.has(cell)).map((cell) => releaseCell(booking.hostId, cell, booking.holder)),
      ...next.cells.filter((cell) => !before.has(cell)).map((cell) => claimCell(next, cell)),
    ];
    if (items.length > MAX_TRANSACTION_ITEMS) throw new BookingMoveTooLarge(items.length);
    try {
      await transact(items);
    } catch (error) {
      const failed = failedConditionIndexes(error);
      if (failed.includes(0)) throw new Conflict('conflict', 'The booking changed meanwhile; read it again and retry');
      if (failed.length) throw new SlotTaken();
      throw error;
    }
    return next;
  },
};
