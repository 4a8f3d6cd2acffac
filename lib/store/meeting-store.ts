// Meetings: the master item EVENT#<id>/EVENT, and per participant one index item, in
// USER#<id>#EVENTS (single events, sorted by UTC start) or USER#<id>#SERIES (series, a small set).
import { GetCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors';
import { seriesEnd } from '../domain/recurrence';
import { type Meeting, toSeries } from '../meetings/meeting';
import type { MeetingRepo } from '../meetings/ports';
import type { UpcomingMeetings } from '../reminders/ports';
import { MAX_EVENT_MINUTES } from '../meetings/schemas';
import { dynamo, tableName } from './client';
import { failedConditionIndexes } from './errors';
import { batchGetAll, queryAll } from './toolkit';
import { transactWrite, type TransactItems } from './retry';

const MAX_EVENT_MS = MAX_EVENT_MINUTES * 60_000;

export const meetingKeys = {
  pk: (meetingId: string) => `EVENT#${meetingId}`,
  sk: () => 'EVENT',
  singleIndexPk: (userId: string) => `USER#${userId}#EVENTS`,
  singleIndexSk: (startMs: number, meetingId: string) => `${new Date(startMs).toISOString()}#${meetingId}`,
  seriesIndexPk: (userId: string) => `USER#${userId}#SERIES`,
  seriesIndexSk: (meetingId: string) => meetingId,
};

type IndexItem = { pk: string; sk: string; type: 'EventIndex'; eventId: string; start: number; end?: number; version: number };

/** The index items a meeting needs: one per participant, in the single-event or the series partition. */
function indexItems(meeting: Meeting): IndexItem[] {
  const start = Date.parse(meeting.start);
  const end = meeting.rrule ? seriesEnd(toSeries(meeting)) : Date.parse(meeting.end);
  return meeting.attendees.map(({ userId }) => ({
    pk: meeting.rrule ? meetingKeys.seriesIndexPk(userId) : meetingKeys.singleIndexPk(userId),
    sk: meeting.rrule ? meetingKeys.seriesIndexSk(meeting.id) : meetingKeys.singleIndexSk(start, meeting.id),
    type: 'EventIndex',
    eventId: meeting.id,
    start,
    // Open-ended series have no end: the attribute is left out and the listing keeps them.
    ...(end !== null ? { end } : {}),
    version: 1,
  }));
}

function toItem(meeting: Meeting) {
  return { pk: meetingKeys.pk(meeting.id), sk: meetingKeys.sk(), type: 'Meeting', ...meeting };
}

function fromItem(item: Record<string, unknown>): Meeting {
  const { pk: _pk, sk: _sk, type: _type, ...meeting } = item;
  return meeting as Meeting;
}

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
  return (await batchGetAll(meetingIds.map((id) => ({ pk: meetingKeys.pk(id), sk: meetingKeys.sk() })))).map(fromItem);
}

/** Where a listing of upcoming meetings resumes: in the series set or the single events, after a sort key or from the start. */
type UpcomingPosition = { part: 'series' | 'singles'; after?: string };

/** `S<sk>`: in the series set after that sort key (`S`: from its start); `E<sk>`: in the single events after it (`E`: from `from`). */
function decodeUpcomingCursor(cursor: string | undefined): UpcomingPosition {
  if (!cursor) return { part: 'series' };
  return { part: cursor.startsWith('E') ? 'singles' : 'series', ...(cursor.length > 1 ? { after: cursor.slice(1) } : {}) };
}

export const meetingStore: MeetingRepo & UpcomingMeetings = {
  async create(meeting) {
    await transact([
      { Put: { TableName: tableName(), Item: toItem(meeting), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...indexItems(meeting).map((item) => ({ Put: { TableName: tableName(), Item: item } })),
    ]);
  },

  async get(meetingId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: meetingKeys.pk(meetingId), sk: meetingKeys.sk() }, ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  },

  async replace(previous, next) {
    const nextIndex = indexItems(next);
    const nextKeys = new Set(nextIndex.map(keyOf));
    const stale = indexItems(previous).filter((item) => !nextKeys.has(keyOf(item)));
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: toItem(next),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
        },
      },
      ...stale.map((item) => ({ Delete: { TableName: tableName(), Key: { pk: item.pk, sk: item.sk } } })),
      ...nextIndex.map((item) => ({ Put: { TableName: tableName(), Item: item } })),
    ]);
  },

  async delete(meeting) {
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
    ]);
  },

  async listForParticipant(userId, range) {
    // Both index queries at once. Single events: a range query on the start; an event starting up to
    // MAX_EVENT_MS before the range may still run into it.
    const [singles, series] = await Promise.all([
      queryAll({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        FilterExpression: '#end > :rangeStart',
        ExpressionAttributeNames: { '#end': 'end' },
        ExpressionAttributeValues: {
          ':pk': meetingKeys.singleIndexPk(userId),
          ':from': new Date(range.start - MAX_EVENT_MS).toISOString(),
          ':to': `${new Date(range.end).toISOString()}\uffff`,
          ':rangeStart': range.start,
        },
        ProjectionExpression: 'eventId',
      }),
      // Series: the user's small set, minus those that ended before or start after the range.
      queryAll({
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#start < :rangeEnd AND (attribute_not_exists(#end) OR #end > :rangeStart)',
        ExpressionAttributeNames: { '#start': 'start', '#end': 'end' },
        ExpressionAttributeValues: { ':pk': meetingKeys.seriesIndexPk(userId), ':rangeStart': range.start, ':rangeEnd': range.end },
        ProjectionExpression: 'eventId',
      }),
    ]);
    return getMany([...singles, ...series].map((item) => item.eventId as string));
  },

  async listUpcomingForParticipant(userId, from, page) {
    // Series set first (small, unordered), then the single events by start. At most `limit` index items are read per
    // call (filtered ones count), so the work per page is bounded whatever the user's calendar holds.
    let cursor: UpcomingPosition | undefined = decodeUpcomingCursor(page.cursor);
    let budget = page.limit;
    const ids: string[] = [];
    while (cursor && budget > 0) {
      const series: boolean = cursor.part === 'series';
      const pk = series ? meetingKeys.seriesIndexPk(userId) : meetingKeys.singleIndexPk(userId);
      const result: QueryCommandOutput = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          ...(series
            ? {
                KeyConditionExpression: 'pk = :pk',
                FilterExpression: 'attribute_not_exists(#end) OR #end > :from',
                ExpressionAttributeNames: { '#end': 'end' },
                ExpressionAttributeValues: { ':pk': pk, ':from': from },
              }
            : { KeyConditionExpression: 'pk = :pk AND sk >= :from', ExpressionAttributeValues: { ':pk': pk, ':from': new Date(from).toISOString() } }),
          ProjectionExpression: 'eventId',
          Limit: budget,
          ...(cursor.after ? { ExclusiveStartKey: { pk, sk: cursor.after } } : {}),
        }),
      );
      ids.push(...(result.Items ?? []).map((item) => item.eventId as string));
      budget -= result.ScannedCount ?? result.Items?.length ?? 0;
      const last = result.LastEvaluatedKey?.sk as string | undefined;
      cursor = last ? { part: cursor.part, after: last } : series ? { part: 'singles' } : undefined;
    }
    const meetings = await getMany(ids);
    return { meetings, ...(cursor ? { nextCursor: `${cursor.part === 'series' ? 'S' : 'E'}${cursor.after ?? ''}` } : {}) };
  },
};
