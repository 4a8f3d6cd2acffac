// The companies' copies of Google events. Per event one record, CCAL#<companyId>#<calendarId>/EV#<eventId>
// (read by id during a sync, listed for the sweep and for purging a calendar), and one listing copy: single
// events of up to 14 days in the company's start-time index COMPANY#<companyId>#GEVENTS/<UTC start>#<calendarId>#<eventId>,
// series and longer events in the company's set COMPANY#<companyId>#GSET/<calendarId>#<eventId> (read whole,
// like meeting-store.ts's series set). Writes are batch writes: a sync page is idempotent and is simply
// written again if a run stops half-way.
import type { EventWrite } from '../sync/plan-changes';
import type { SyncedEventRepo } from '../sync/ports';
import { lastEndOf, MAX_INDEXED_EVENT_MS, placementOf, type SyncedEvent } from '../sync/synced-event';
import { batchGetAll, batchWriteAll, entity, type Key, queryAll, type WriteRequest } from './toolkit';

export const syncedEventKeys = {
  recordPk: (companyId: string, calendarId: string) => `CCAL#${companyId}#${calendarId}`,
  recordSk: (eventId: string) => `EV#${eventId}`,
  indexPk: (companyId: string) => `COMPANY#${companyId}#GEVENTS`,
  indexSk: (startMs: number, calendarId: string, eventId: string) => `${new Date(startMs).toISOString()}#${calendarId}#${eventId}`,
  setPk: (companyId: string) => `COMPANY#${companyId}#GSET`,
  setSk: (calendarId: string, eventId: string) => `${calendarId}#${eventId}`,
};

const keyString = (key: Key) => `${key.pk}\u0000${key.sk}`;

/** Attributes kept on the items for range reads only; a read gives back the event without them. */
const RANGE_ATTRIBUTES = ['startMs', 'endMs', 'version'];

/** The record of an event, read by id while syncing and listed for the sweep. */
const recordEntity = entity<SyncedEvent>({
  type: 'SyncedEvent',
  key: (event) => ({ pk: syncedEventKeys.recordPk(event.companyId, event.calendarId), sk: syncedEventKeys.recordSk(event.eventId) }),
  attributes: (event) => ({ ...event, version: 1 }),
  derived: RANGE_ATTRIBUTES,
});

/** The listing copy: the event plus its start and (unless open-ended) last end in epoch ms, for the range filters. */
function listingEntity(type: string, key: (event: SyncedEvent) => Key) {
  return entity<SyncedEvent>({
    type,
    key,
    attributes: (event) => {
      const lastEnd = lastEndOf(event);
      // Open-ended series have no end: the attribute is left out and range reads keep them.
      return { ...event, startMs: Date.parse(event.start), ...(lastEnd !== null ? { endMs: lastEnd } : {}), version: 1 };
    },
    derived: RANGE_ATTRIBUTES,
  });
}

const listingEntities = {
  index: listingEntity('SyncedEventIndex', (event) => ({
    pk: syncedEventKeys.indexPk(event.companyId),
    sk: syncedEventKeys.indexSk(Date.parse(event.start), event.calendarId, event.eventId),
  })),
  set: listingEntity('SyncedEventSet', (event) => ({ pk: syncedEventKeys.setPk(event.companyId), sk: syncedEventKeys.setSk(event.calendarId, event.eventId) })),
};

function listingOf(event: SyncedEvent) {
  const placement = placementOf(event);
  return placement === 'none' ? undefined : listingEntities[placement];
}

const fromItem = recordEntity.fromItem;

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
    if (after) put(recordEntity.toItem(after));
    else remove(recordEntity.key(subject));
    if (!listing) continue;
    const oldKey = before ? listingOf(before)?.key(before) : undefined;
    const newListing = after ? listingOf(after) : undefined;
    const newKey = after && newListing ? newListing.key(after) : undefined;
    if (after && newListing) put(newListing.toItem(after));
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
