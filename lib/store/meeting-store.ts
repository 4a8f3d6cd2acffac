// Meetings: the master item EVENT#<id>/EVENT, and per participant one index item, in
// USER#<id>#EVENTS (single events, sorted by UTC start) or USER#<id>#SERIES (series, a small set). Each index item
// carries the meeting as the calendar views read it (`listed`), so a listing needs no read of the masters.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors';
import { seriesEnd } from '../domain/recurrence';
import { type ListedMeeting, type Meeting, toListed, toSeries } from '../meetings/meeting';
import type { MeetingRepo } from '../meetings/ports';
import type { UpcomingMeetings } from '../reminders/ports';
import { MAX_EVENT_MINUTES } from '../meetings/schemas';
import { dynamo, tableName } from './client';
import { failedConditionIndexes } from './errors';
import { outboxPut } from './outbox-store';
import { transactWrite, type TransactItems } from './retry';
import { batchGetAll, decodeCursor, encodeCursor, entity, type Key, queryAll, queryItems } from './toolkit';

const MAX_EVENT_MS = MAX_EVENT_MINUTES * 60_000;

export const meetingKeys = {
  pk: (meetingId: string) => `EVENT#${meetingId}`,
  sk: () => 'EVENT',
  singleIndexPk: (userId: string) => `USER#${userId}#EVENTS`,
  singleIndexSk: (startMs: number, meetingId: string) => `${new Date(startMs).toISOString()}#${meetingId}`,
  seriesIndexPk: (userId: string) => `USER#${userId}#SERIES`,
  seriesIndexSk: (meetingId: string) => meetingId,
};

type IndexItem = { pk: string; sk: string; type: 'EventIndex'; eventId: string; start: number; end?: number; listed?: ListedMeeting; version: number };

/**
 * Above this size (UTF-8 JSON, about 4 WCU per copy) a meeting's listing copy is left off its index items and the
 * listing reads the master instead: a series with hundreds of changed occurrences and 40 attendees would otherwise
 * write 40 large copies in each of its transactions (at most 4 MB) and cost their WCU on every change.
 */
export const MAX_LISTED_BYTES = 4096;

/** The listing copy of a meeting, or undefined when it is too large to copy onto every participant's index item. */
function listedCopy(meeting: ListedMeeting): ListedMeeting | undefined {
  const listed = toListed(meeting);
  return Buffer.byteLength(JSON.stringify(listed)) <= MAX_LISTED_BYTES ? listed : undefined;
}

/** The index items a meeting needs: one per participant, in the single-event or the series partition. */
function indexItems(meeting: Meeting): IndexItem[] {
  const start = Date.parse(meeting.start);
  const end = meeting.rrule ? seriesEnd(toSeries(meeting)) : Date.parse(meeting.end);
  const listed = listedCopy(meeting);
  return meeting.attendees.map(({ userId }) => ({
    pk: meeting.rrule ? meetingKeys.seriesIndexPk(userId) : meetingKeys.singleIndexPk(userId),
    sk: meeting.rrule ? meetingKeys.seriesIndexSk(meeting.id) : meetingKeys.singleIndexSk(start, meeting.id),
    type: 'EventIndex',
    eventId: meeting.id,
    start,
    // Open-ended series have no end: the attribute is left out and the listing keeps them.
    ...(end !== null ? { end } : {}),
    ...(listed ? { listed } : {}),
    version: 1,
  }));
}

const meetingEntity = entity<Meeting>({ type: 'Meeting', key: (meeting) => ({ pk: meetingKeys.pk(meeting.id), sk: meetingKeys.sk() }) });

const keyOf = (item: { pk: string; sk: string }) => `${item.pk}\u0000${item.sk}`;

async function transact(items: TransactItems) {
  try {
    await transactWrite(items);
  } catch (error) {
    if (failedConditionIndexes(error).length) throw new Conflict('conflict', 'The event changed meanwhile; read it again and retry');
    throw error;
  }
}

async function getMany(meetingIds: string[]): Promise<Meeting[]> {
  return (await batchGetAll(meetingIds.map((id) => ({ pk: meetingKeys.pk(id), sk: meetingKeys.sk() })))).map(meetingEntity.fromItem);
}

/**
 * Where a listing of a user's upcoming meetings resumes, as a cursor: the key it stopped at in the series set or the
 * single events, or only the single events' partition (the series are done). A cursor this cannot read (one kept
 * from before the toolkit's cursor format) starts the listing over: the reschedule it drives is idempotent.
 */
function decodeUpcomingCursor(userId: string, cursor: string | undefined): Partial<Key> & { pk: string } {
  const series = { pk: meetingKeys.seriesIndexPk(userId) };
  if (!cursor) return series;
  try {
    return decodeCursor(cursor, { partitions: [series.pk, meetingKeys.singleIndexPk(userId)], skRequired: false });
  } catch {
    return series;
  }
}

/** How many index items one read completes with their listing copy at most (the rest on later reads). */
const MAX_BACKFILL_PER_READ = 50;

/**
 * Index items written before they carried a listing copy (or of a meeting too large for one) are listed from their
 * master; those whose copy fits get it written here, each in a transaction that checks the master still has the
 * version read, so a change made meanwhile (by any writer, one of an older release included) is never overwritten
 * with what was read before it. Best effort: a failure leaves the item as it was, for a later read to complete.
 */
async function backfillListedCopies(items: Array<Record<string, unknown>>, masters: Meeting[]): Promise<void> {
  const byId = new Map(masters.map((meeting) => [meeting.id, meeting]));
  const fills = items.flatMap((item) => {
    const meeting = byId.get(item.eventId as string);
    const listed = meeting && listedCopy(meeting);
    return meeting && listed ? [{ key: { pk: item.pk as string, sk: item.sk as string }, meeting, listed }] : [];
  });
  await Promise.allSettled(
    fills.slice(0, MAX_BACKFILL_PER_READ).map(({ key, meeting, listed }) =>
      transactWrite([
        {
          ConditionCheck: {
            TableName: tableName(),
            Key: { pk: meetingKeys.pk(meeting.id), sk: meetingKeys.sk() },
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': meeting.version },
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: key,
            UpdateExpression: 'SET listed = :listed',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(listed)',
            ExpressionAttributeValues: { ':listed': listed },
          },
        },
      ], 1),
    ),
  );
}

export const meetingStore: MeetingRepo & UpcomingMeetings = {
  async create(meeting, mail = []) {
    await transact([
      { Put: { TableName: tableName(), Item: meetingEntity.toItem(meeting), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...indexItems(meeting).map((item) => ({ Put: { TableName: tableName(), Item: item } })),
      ...mail.map(outboxPut),
    ]);
  },

  async get(meetingId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: meetingKeys.pk(meetingId), sk: meetingKeys.sk() }, ConsistentRead: true }),
    );
    return result.Item ? meetingEntity.fromItem(result.Item) : undefined;
  },

  async replace(previous, next, mail = []) {
    const nextIndex = indexItems(next);
    const nextKeys = new Set(nextIndex.map(keyOf));
    const stale = indexItems(previous).filter((item) => !nextKeys.has(keyOf(item)));
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: meetingEntity.toItem(next),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
        },
      },
      ...stale.map((item) => ({ Delete: { TableName: tableName(), Key: { pk: item.pk, sk: item.sk } } })),
      ...nextIndex.map((item) => ({ Put: { TableName: tableName(), Item: item } })),
      ...mail.map(outboxPut),
    ]);
  },

  async delete(meeting, mail = []) {
    await transact([
      {
        Delete: {
          TableName: tableName(),
          Key: { pk: meetingKeys.pk(meeting.id), sk: meetingKeys.sk() },
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': meeting.version },
        },
      },
      ...indexItems(meeting).map((item) => ({ Delete: { TableName: tableName(), Key: { pk: item.pk, sk: item.sk } } })),
      ...mail.map(outboxPut),
    ]);
  },

  async listForParticipant(userId, range, only) {
    // Both index queries at once, each returning the listing copies. Single events: a range query on the start; an
    // event starting up to MAX_EVENT_MS before the range may still run into it.
    const [singles, series] = await Promise.all([
      only === 'series'
        ? []
        : queryAll({
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            FilterExpression: '#end > :rangeStart',
            ExpressionAttributeNames: { '#end': 'end' },
            ExpressionAttributeValues: {
              ':pk': meetingKeys.singleIndexPk(userId),
              ':from': new Date(range.start - MAX_EVENT_MS).toISOString(),
              ':to': `${new Date(range.end).toISOString()}\uffff`,
              ':rangeStart': range.start,
            },
            ProjectionExpression: 'pk, sk, eventId, listed',
          }),
      // Series: the user's small set, minus those that ended before or start after the range.
      only === 'single'
        ? []
        : queryAll({
            KeyConditionExpression: 'pk = :pk',
            FilterExpression: '#start < :rangeEnd AND (attribute_not_exists(#end) OR #end > :rangeStart)',
            ExpressionAttributeNames: { '#start': 'start', '#end': 'end' },
            ExpressionAttributeValues: { ':pk': meetingKeys.seriesIndexPk(userId), ':rangeStart': range.start, ':rangeEnd': range.end },
            ProjectionExpression: 'pk, sk, eventId, listed',
          }),
    ]);
    const items = [...singles, ...series];
    const withoutCopy = items.filter((item) => !item.listed);
    const masters = withoutCopy.length ? await getMany(withoutCopy.map((item) => item.eventId as string)) : [];
    if (masters.length) await backfillListedCopies(withoutCopy, masters);
    const masterById = new Map(masters.map((meeting) => [meeting.id, toListed(meeting)]));
    // An index item whose master is gone meanwhile (a delete between the reads) lists nothing.
    return items.flatMap((item) => (item.listed ? [item.listed as ListedMeeting] : masterById.has(item.eventId as string) ? [masterById.get(item.eventId as string)!] : []));
  },

  async listUpcomingForParticipant(userId, from, page) {
    // Series set first (small, unordered), then the single events by start. At most `limit` index items are read per
    // call (filtered ones count), so the work per page is bounded whatever the user's calendar holds.
    let position: (Partial<Key> & { pk: string }) | undefined = decodeUpcomingCursor(userId, page.cursor);
    let budget = page.limit;
    const ids: string[] = [];
    while (position && budget > 0) {
      const pk: string = position.pk;
      const series = pk === meetingKeys.seriesIndexPk(userId);
      const result = await queryItems(
        series
          ? {
              KeyConditionExpression: 'pk = :pk',
              FilterExpression: 'attribute_not_exists(#end) OR #end > :from',
              ExpressionAttributeNames: { '#end': 'end' },
              ExpressionAttributeValues: { ':pk': pk, ':from': from },
              ProjectionExpression: 'eventId',
            }
          : { KeyConditionExpression: 'pk = :pk AND sk >= :from', ExpressionAttributeValues: { ':pk': pk, ':from': new Date(from).toISOString() }, ProjectionExpression: 'eventId' },
        { maxScanned: budget, ...(position.sk ? { startKey: { pk, sk: position.sk } } : {}) },
      );
      ids.push(...result.items.map((item) => item.eventId as string));
      budget -= result.scanned;
      const last = result.lastKey?.sk as string | undefined;
      position = last ? { pk, sk: last } : series ? { pk: meetingKeys.singleIndexPk(userId) } : undefined;
    }
    const meetings = await getMany(ids);
    return { meetings, ...(position ? { nextCursor: encodeCursor(position) } : {}) };
  },
};
