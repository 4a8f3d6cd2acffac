// The companies' copies of Google events: one item per event, the record CCAL#<companyId>#<calendarId>/EV#<eventId>
// (read by id during a sync, listed for the sweep and for purging a calendar). The record carries its place in the
// company's listing as gsi1 keys: single events of up to 14 days in the company's start-time index
// gsi1 COMPANY#<companyId>#GEVENTS/<UTC start>#<calendarId>#<eventId>, series and longer events in the company's set
// gsi1 COMPANY#<companyId>#GSET/<calendarId>#<eventId> (read whole, like meeting-store.ts's series set); placeholders
// (exceptions waiting for their series) have none. So an event costs one write, a move between placements is the
// same put, and a delete is one delete. The listing reads gsi1, which is eventually consistent: a read right after
// a sync may briefly miss its last writes (the sync itself reads the records, consistently, by key).
// Writes are batch writes: a sync page is idempotent and is simply written again if a run stops half-way.
import type { EventWrite } from '../sync/plan-changes';
import type { SyncedEventRepo } from '../sync/ports';
import { lastEndOf, MAX_INDEXED_EVENT_MS, placementOf, type SyncedEvent } from '../sync/synced-event';
import { batchGetAll, batchWriteAll, entity, type Key, queryAll, type WriteRequest } from './toolkit';

export const syncedEventKeys = {
  recordPk: (companyId: string, calendarId: string) => `CCAL#${companyId}#${calendarId}`,
  recordSk: (eventId: string) => `EV#${eventId}`,
  indexGsi1pk: (companyId: string) => `COMPANY#${companyId}#GEVENTS`,
  indexGsi1sk: (startMs: number, calendarId: string, eventId: string) => `${new Date(startMs).toISOString()}#${calendarId}#${eventId}`,
  setGsi1pk: (companyId: string) => `COMPANY#${companyId}#GSET`,
  setGsi1sk: (calendarId: string, eventId: string) => `${calendarId}#${eventId}`,
};

const keyString = (key: Key) => `${key.pk}\u0000${key.sk}`;

/** The record's place in the company listing (gsi1), with its start and (unless open-ended) last end in epoch ms for the range filters. */
export function syncedEventListingAttributes(event: SyncedEvent): Record<string, unknown> {
  const placement = placementOf(event);
  if (placement === 'none') return {};
  const startMs = Date.parse(event.start);
  const lastEnd = lastEndOf(event);
  return {
    ...(placement === 'index'
      ? { gsi1pk: syncedEventKeys.indexGsi1pk(event.companyId), gsi1sk: syncedEventKeys.indexGsi1sk(startMs, event.calendarId, event.eventId) }
      : { gsi1pk: syncedEventKeys.setGsi1pk(event.companyId), gsi1sk: syncedEventKeys.setGsi1sk(event.calendarId, event.eventId) }),
    startMs,
    // Open-ended series have no end: the attribute is left out and range reads keep them.
    ...(lastEnd !== null ? { endMs: lastEnd } : {}),
  };
}

/** The one item of an event; a read gives back the event without its listing attributes. */
const recordEntity = entity<SyncedEvent>({
  type: 'SyncedEvent',
  key: (event) => ({ pk: syncedEventKeys.recordPk(event.companyId, event.calendarId), sk: syncedEventKeys.recordSk(event.eventId) }),
  attributes: (event) => ({ ...event, ...syncedEventListingAttributes(event), version: 1 }),
  derived: ['gsi1pk', 'gsi1sk', 'startMs', 'endMs', 'version'],
});

const fromItem = recordEntity.fromItem;

/** A stored record as the event it holds (for the one-off migration, synced-event-migration.ts). */
export const syncedEventRecordOf = fromItem;

/** The requests for a set of writes: each record put (with its listing keys) or deleted, once per key. */
function writeRequests(writes: EventWrite[]): WriteRequest[] {
  const byKey = new Map<string, WriteRequest>();
  for (const { before, after } of writes) {
    if (after) {
      const item = recordEntity.toItem(after);
      byKey.set(keyString(item as Key), { PutRequest: { Item: item } });
    } else if (before) {
      const key = recordEntity.key(before);
      if (!byKey.has(keyString(key))) byKey.set(keyString(key), { DeleteRequest: { Key: key } });
    }
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
    await this.write(records.map((record) => ({ before: record, after: undefined })));
    return records.filter((record) => record.hasMaster).length;
  },

  async listInRange(companyId, range) {
    // Indexed events last at most MAX_INDEXED_EVENT_MS, so one starting that much before the range may still reach into it.
    const singles = await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
      FilterExpression: 'endMs > :rangeStart',
      ExpressionAttributeValues: {
        ':pk': syncedEventKeys.indexGsi1pk(companyId),
        ':from': new Date(range.start - MAX_INDEXED_EVENT_MS).toISOString(),
        ':to': `${new Date(range.end).toISOString()}\uffff`,
        ':rangeStart': range.start,
      },
    });
    const set = await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: 'startMs < :rangeEnd AND (attribute_not_exists(endMs) OR endMs > :rangeStart)',
      ExpressionAttributeValues: { ':pk': syncedEventKeys.setGsi1pk(companyId), ':rangeStart': range.start, ':rangeEnd': range.end },
    });
    return [...singles, ...set].map(fromItem);
  },
};
