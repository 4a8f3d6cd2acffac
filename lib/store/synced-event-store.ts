// The companies' copies of Google events. Per event one record, CCAL#<companyId>#<calendarId>/EV#<eventId>
// (read by id during a sync, listed for the sweep and for purging a calendar), and one listing copy: single
// events of up to 14 days in the company's start-time index COMPANY#<companyId>#GEVENTS/<UTC start>#<calendarId>#<eventId>,
// series and longer events in the company's set COMPANY#<companyId>#GSET/<calendarId>#<eventId> (read whole,
// like meeting-store.ts's series set). Writes are batch writes: a sync page is idempotent and is simply
// written again if a run stops half-way.
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { EventWrite } from '../sync/plan-changes';
import type { SyncedEventRepo } from '../sync/ports';
import { lastEndOf, MAX_INDEXED_EVENT_MS, placementOf, type SyncedEvent } from '../sync/synced-event';
import { dynamo, tableName } from './client';
import { batchGetAll, queryAll } from './toolkit';

export const syncedEventKeys = {
  recordPk: (companyId: string, calendarId: string) => `CCAL#${companyId}#${calendarId}`,
  recordSk: (eventId: string) => `EV#${eventId}`,
  indexPk: (companyId: string) => `COMPANY#${companyId}#GEVENTS`,
  indexSk: (startMs: number, calendarId: string, eventId: string) => `${new Date(startMs).toISOString()}#${calendarId}#${eventId}`,
  setPk: (companyId: string) => `COMPANY#${companyId}#GSET`,
  setSk: (calendarId: string, eventId: string) => `${calendarId}#${eventId}`,
};

type Key = { pk: string; sk: string };
type WriteRequest = { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Key } };

const keyString = (key: Key) => `${key.pk}\u0000${key.sk}`;

function recordKey(event: SyncedEvent): Key {
  return { pk: syncedEventKeys.recordPk(event.companyId, event.calendarId), sk: syncedEventKeys.recordSk(event.eventId) };
}

function listingKey(event: SyncedEvent): Key | undefined {
  switch (placementOf(event)) {
    case 'index':
      return { pk: syncedEventKeys.indexPk(event.companyId), sk: syncedEventKeys.indexSk(Date.parse(event.start), event.calendarId, event.eventId) };
    case 'set':
      return { pk: syncedEventKeys.setPk(event.companyId), sk: syncedEventKeys.setSk(event.calendarId, event.eventId) };
    case 'none':
      return undefined;
  }
}

function listingItem(event: SyncedEvent, key: Key): Record<string, unknown> {
  const lastEnd = lastEndOf(event);
  return {
    ...key,
    type: placementOf(event) === 'index' ? 'SyncedEventIndex' : 'SyncedEventSet',
    ...event,
    startMs: Date.parse(event.start),
    // Open-ended series have no end: the attribute is left out and range reads keep them.
    ...(lastEnd !== null ? { endMs: lastEnd } : {}),
    version: 1,
  };
}

function fromItem(item: Record<string, unknown>): SyncedEvent {
  const { pk: _pk, sk: _sk, type: _type, startMs: _start, endMs: _end, version: _version, ...event } = item;
  return event as SyncedEvent;
}

/** BatchWriteItem, 25 requests per call, a few calls at once, unprocessed items retried with backoff. */
export async function batchWriteAll(requests: WriteRequest[], parallel = 4): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  const writeChunk = async (chunk: WriteRequest[]) => {
    let pending: WriteRequest[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt >= 10) throw new Error('DynamoDB kept writes unprocessed after 10 attempts');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      const result: BatchWriteCommandOutput = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = result.UnprocessedItems?.[tableName()] as WriteRequest[] | undefined;
    }
  };
  for (let i = 0; i < chunks.length; i += parallel) await Promise.all(chunks.slice(i, i + parallel).map(writeChunk));
}

/** The requests for a set of writes: records put or deleted, listing copies moved when their key changes. */
function writeRequests(writes: EventWrite[]): WriteRequest[] {
  const byKey = new Map<string, WriteRequest>();
  const put = (item: Record<string, unknown>) => byKey.set(keyString(item as Key), { PutRequest: { Item: item } });
  const remove = (key: Key) => {
    if (!byKey.has(keyString(key))) byKey.set(keyString(key), { DeleteRequest: { Key: key } });
  };
  for (const { before, after, listing } of writes) {
    const subject = after ?? before;
    if (!subject) continue;
    if (after) put({ ...recordKey(after), type: 'SyncedEvent', ...after, version: 1 });
    else remove(recordKey(subject));
    if (!listing) continue;
    const oldKey = before ? listingKey(before) : undefined;
    const newKey = after ? listingKey(after) : undefined;
    if (newKey) put(listingItem(after!, newKey));
    if (oldKey && (!newKey || keyString(oldKey) !== keyString(newKey))) remove(oldKey);
  }
  return [...byKey.values()];
}

export const syncedEventStore: SyncedEventRepo = {
  async getMany(companyId, calendarId, eventIds) {
    const keys = [...new Set(eventIds)].map((eventId) => ({ pk: syncedEventKeys.recordPk(companyId, calendarId), sk: syncedEventKeys.recordSk(eventId) }));
    const items = await batchGetAll(keys, { consistent: true });
    return new Map(items.map((item) => [item.eventId as string, fromItem(item)]));
  },

  async listRecords(companyId, calendarId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': syncedEventKeys.recordPk(companyId, calendarId) },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  },

  async write(writes) {
    await batchWriteAll(writeRequests(writes));
  },

  async purgeCalendar(companyId, calendarId) {
    const records = await this.listRecords(companyId, calendarId);
    await this.write(records.map((record) => ({ before: record, after: undefined, listing: true })));
    return records.filter((record) => record.hasMaster).length;
  },

  async listInRange(companyId, range) {
    // Indexed events last at most MAX_INDEXED_EVENT_MS, so one starting that much before the range may still reach into it.
    const singles = await queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression: 'endMs > :rangeStart',
      ExpressionAttributeValues: {
        ':pk': syncedEventKeys.indexPk(companyId),
        ':from': new Date(range.start - MAX_INDEXED_EVENT_MS).toISOString(),
        ':to': `${new Date(range.end).toISOString()}\uffff`,
        ':rangeStart': range.start,
      },
    });
    const set = await queryAll({
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'startMs < :rangeEnd AND (attribute_not_exists(endMs) OR endMs > :rangeStart)',
      ExpressionAttributeValues: { ':pk': syncedEventKeys.setPk(companyId), ':rangeStart': range.start, ':rangeEnd': range.end },
    });
    return [...singles, ...set].map(fromItem);
  },
};
