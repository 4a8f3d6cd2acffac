// The synced events' one item per event against DynamoDB Local: the record carries its place in the company
// listing (gsi1), a move between the start-time index and the set is one put, a delete is one delete, and the
// one-off migration from the layout with listing copies indexes old records and removes the copies.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { dynamo, tableName } from '../../lib/store/client';
import { migrateSyncedEventListing } from '../../lib/store/synced-event-migration';
import { syncedEventKeys, syncedEventStore } from '../../lib/store/synced-event-store';
import { batchWriteAll, queryAll } from '../../lib/store/toolkit';
import type { SyncedEvent } from '../../lib/sync/synced-event';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

const YEAR_RANGE = { start: Date.parse('2041-01-01T00:00:00Z'), end: Date.parse('2042-01-01T00:00:00Z') };

function event(companyId: string, eventId: string, fields: Partial<SyncedEvent> = {}): SyncedEvent {
  return {
    companyId,
    calendarId: 'cal@example.test',
    eventId,
    hasMaster: true,
    title: eventId,
    start: '2041-03-01T10:00:00+01:00',
    end: '2041-03-01T11:00:00+01:00',
    timeZone: 'Europe/Berlin',
    generation: 1,
    ...fields,
  };
}

const itemsOf = (pk: string) => queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true });
const ids = async (companyId: string, range = YEAR_RANGE) => (await syncedEventStore.listInRange(companyId, range)).map((found) => found.eventId).sort();

it('writes one item per event and lists it through gsi1, moved between index and set and deleted with one request each', async () => {
  const companyId = ulid();
  const single = event(companyId, 'single');
  const series = event(companyId, 'series', { rrule: 'FREQ=WEEKLY;COUNT=3' });
  const placeholder = event(companyId, 'placeholder', { hasMaster: false });
  await syncedEventStore.write([{ after: single }, { after: series }, { after: placeholder }]);

  const records = await itemsOf(syncedEventKeys.recordPk(companyId, single.calendarId));
  expect(records).toHaveLength(3);
  expect(await itemsOf(`COMPANY#${companyId}#GEVENTS`)).toEqual([]);
  expect(await itemsOf(`COMPANY#${companyId}#GSET`)).toEqual([]);
  expect(records.find((item) => item.eventId === 'single')).toMatchObject({ gsi1pk: syncedEventKeys.indexGsi1pk(companyId) });
  expect(records.find((item) => item.eventId === 'series')).toMatchObject({ gsi1pk: syncedEventKeys.setGsi1pk(companyId) });
  expect(records.find((item) => item.eventId === 'placeholder')?.gsi1pk).toBeUndefined();
  expect(await ids(companyId)).toEqual(['series', 'single']);
  // What a read gives back is the event itself, without the listing attributes.
  expect((await syncedEventStore.getMany(companyId, single.calendarId, ['single'])).get('single')).toEqual(single);

  // The single event becomes 20 days long (the set); the series loses its rule and moves out of the range.
  const long = { ...single, end: '2041-03-21T11:00:00+01:00' };
  const moved = { ...series, rrule: undefined, start: '2043-01-01T10:00:00+01:00', end: '2043-01-01T11:00:00+01:00' };
  await syncedEventStore.write([{ before: single, after: long }, { before: series, after: moved }]);
  expect((await syncedEventStore.listInRange(companyId, YEAR_RANGE)).map((found) => [found.eventId, found.end])).toEqual([['single', long.end]]);
  expect(await ids(companyId, { start: Date.parse('2043-01-01T00:00:00Z'), end: Date.parse('2043-01-02T00:00:00Z') })).toEqual(['series']);

  await syncedEventStore.write([{ before: long, after: undefined }]);
  expect(await ids(companyId)).toEqual([]);
  expect(await syncedEventStore.purgeCalendar(companyId, single.calendarId)).toBe(1);
  expect(await itemsOf(syncedEventKeys.recordPk(companyId, single.calendarId))).toEqual([]);
});

it('keeps an open-ended series in every later range and a long event in ranges it reaches into', async () => {
  const companyId = ulid();
  await syncedEventStore.write([
    { after: event(companyId, 'forever', { rrule: 'FREQ=MONTHLY', start: '2040-06-05T10:00:00+02:00', end: '2040-06-05T11:00:00+02:00' }) },
    { after: event(companyId, 'long', { start: '2040-12-20T10:00:00+01:00', end: '2041-01-10T10:00:00+01:00' }) },
    { after: event(companyId, 'before', { start: '2040-12-20T10:00:00+01:00', end: '2040-12-20T11:00:00+01:00' }) },
  ]);
  expect(await ids(companyId, { start: Date.parse('2041-01-05T00:00:00Z'), end: Date.parse('2041-01-06T00:00:00Z') })).toEqual(['forever', 'long']);
  expect(await ids(companyId, { start: Date.parse('2050-01-01T00:00:00Z'), end: Date.parse('2050-02-01T00:00:00Z') })).toEqual(['forever']);
});

it('migrates the layout with listing copies: records get their gsi1 keys, copies are deleted, a second run finds nothing', async () => {
  const companyId = ulid();
  const calendarId = 'cal@example.test';
  const single = event(companyId, 'old-single');
  const series = event(companyId, 'old-series', { rrule: 'FREQ=DAILY;COUNT=2' });
  const rewritten = event(companyId, 'rewritten');
  const recordKey = (one: SyncedEvent) => ({ pk: syncedEventKeys.recordPk(companyId, calendarId), sk: syncedEventKeys.recordSk(one.eventId) });
  // As the code before this layout wrote them: a record without gsi1 keys and a listing copy beside it.
  const legacy = [
    { ...recordKey(single), type: 'SyncedEvent', ...single, version: 1 },
    { pk: `COMPANY#${companyId}#GEVENTS`, sk: `2041-03-01T09:00:00.000Z#${calendarId}#old-single`, type: 'SyncedEventIndex', ...single, startMs: Date.parse(single.start), endMs: Date.parse(single.end), version: 1 },
    { ...recordKey(series), type: 'SyncedEvent', ...series, version: 1 },
    { pk: `COMPANY#${companyId}#GSET`, sk: `${calendarId}#old-series`, type: 'SyncedEventSet', ...series, startMs: Date.parse(series.start), version: 1 },
    // The copy of an event a sync has rewritten (moved) since, in the new layout: the copy goes, the record stays.
    { pk: `COMPANY#${companyId}#GEVENTS`, sk: `2041-03-01T09:00:00.000Z#${calendarId}#rewritten`, type: 'SyncedEventIndex', ...rewritten, startMs: Date.parse(rewritten.start), endMs: Date.parse(rewritten.end), version: 1 },
  ];
  await batchWriteAll(legacy.map((item) => ({ PutRequest: { Item: item } })));
  const movedRewritten = { ...rewritten, start: '2041-04-01T10:00:00+02:00', end: '2041-04-01T11:00:00+02:00' };
  await syncedEventStore.write([{ after: movedRewritten }]);
  expect(await ids(companyId)).toEqual(['rewritten']);

  const first = await migrateSyncedEventListing();
  expect(first.recordsIndexed).toBeGreaterThanOrEqual(2);
  expect(first.copiesDeleted).toBeGreaterThanOrEqual(3);
  expect(await ids(companyId)).toEqual(['old-series', 'old-single', 'rewritten']);
  expect((await syncedEventStore.listInRange(companyId, YEAR_RANGE)).find((found) => found.eventId === 'rewritten')).toEqual(movedRewritten);
  expect(await itemsOf(`COMPANY#${companyId}#GEVENTS`)).toEqual([]);
  expect(await itemsOf(`COMPANY#${companyId}#GSET`)).toEqual([]);
  const stored = await dynamo().send(new GetCommand({ TableName: tableName(), Key: recordKey(single), ConsistentRead: true }));
  expect(stored.Item).toMatchObject({ gsi1pk: syncedEventKeys.indexGsi1pk(companyId), gsi1sk: syncedEventKeys.indexGsi1sk(Date.parse(single.start), calendarId, single.eventId) });

  // Idempotent: nothing of this company is touched again.
  const before = await itemsOf(syncedEventKeys.recordPk(companyId, calendarId));
  await migrateSyncedEventListing();
  expect(await itemsOf(syncedEventKeys.recordPk(companyId, calendarId))).toEqual(before);
});
