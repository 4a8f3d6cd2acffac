// Bookings and the items that make double booking impossible: one transaction writes the booking, the
// host's index item, one lock item per 5-minute cell (buffers included), the seat counter of a group slot,
// the day's counter of an event type with a daily limit and the idempotency claim; cancelling removes them (or gives the seat back) in one transaction too
// (booking-changes.ts). The items and their keys are in booking-items.ts.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { CELL_MS } from '../domain/lock-cells';
import { BookingTooLarge, DailyLimitReached, IdempotencyKeyTaken, SlotTaken } from '../scheduling/errors';
import type { BookingRepo, IdempotencyRecord } from '../scheduling/ports';
import { MAX_BUFFER_MINUTES, MAX_LOCK_MINUTES } from '../scheduling/schemas';
import { cancelBooking, replaceBooking } from './booking-changes';
import {
  bookingEntity,
  bookingKeys,
  claimCell,
  countDay,
  fromHostIndexItem,
  hostBookingEntity,
  idempotencyKeys,
  iso,
  MAX_TRANSACTION_ITEMS,
  seatCounterKeys,
  transact,
} from './booking-items';
import { dynamo, tableName } from './client';
import { failedConditionIndexes } from './errors';
import { outboxPut } from './outbox-store';
import type { TransactItems } from './retry';
import { INSTANT_SORT_KEY, queryAll, queryPage } from './toolkit';

export { bookingKeys, dailyCountKeys, idempotencyKeys, lockCellKeys, seatCounterKeys } from './booking-items';

const MINUTE_MS = 60_000;

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
    items.push({ Put: { TableName: tableName(), Item: bookingEntity.toItem(booking), ConditionExpression: 'attribute_not_exists(pk)' } });
    items.push({ Put: { TableName: tableName(), Item: hostBookingEntity.toItem(booking) } });
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
    const dayIndex = claims.day ? items.length : -1;
    if (claims.day) items.push(countDay(booking.eventTypeId, claims.day));
    items.push(...booking.cells.map((cell) => claimCell(booking, cell)));
    // The mail of the booking comes with it: a replay or a lost race writes none.
    items.push(...(claims.mail ?? []).map(outboxPut));
    // Event types are checked for this when written (maxLockMinutesOf); one stored before that is refused here, not with a 500.
    if (items.length > MAX_TRANSACTION_ITEMS) throw new BookingTooLarge(items.length);
    try {
      await transact(items);
    } catch (error) {
      const failed = failedConditionIndexes(error);
      if (failed.includes(idempotencyIndex)) throw new IdempotencyKeyTaken();
      // The day is full: the limit's own answer, whatever else a concurrent booking took meanwhile.
      if (failed.includes(dayIndex)) throw new DailyLimitReached(claims.day!.limit!);
      if (failed.length) throw new SlotTaken();
      throw error;
    }
  },

  async get(bookingId) {
    const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: bookingKeys.pk(bookingId), sk: bookingKeys.sk() }, ConsistentRead: true }));
    return result.Item ? bookingEntity.fromItem(result.Item) : undefined;
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
    const items = await queryAll({
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
    return items.map(fromHostIndexItem);
  },

  async pageForHost(hostId, { from, to, limit, cursor }) {
    const values = { ':pk': bookingKeys.hostIndexPk(hostId), ':from': iso(from), ...(to !== undefined ? { ':to': iso(to) } : {}) };
    const page = await queryPage(
      { KeyConditionExpression: to !== undefined ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk AND sk >= :from', ExpressionAttributeValues: values },
      { limit, cursor, skPattern: INSTANT_SORT_KEY },
    );
    return { items: page.items.map(fromHostIndexItem), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  },

  async seatsTaken(eventTypeId, range) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': seatCounterKeys.pk(eventTypeId), ':from': iso(range.start), ':to': iso(range.end) },
      ProjectionExpression: 'sk, seatsTaken',
      ConsistentRead: true,
    });
    return new Map(items.map((item) => [Date.parse(item.sk as string), item.seatsTaken as number]));
  },

  cancel(booking, change, mail) {
    return cancelBooking(booking, change, (bookingId) => this.get(bookingId), mail);
  },

  replace(booking, change, mail, day) {
    return replaceBooking(booking, change, mail, day);
  },
};
