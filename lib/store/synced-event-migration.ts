// One-off move of the synced events to one item per event (synced-event-store.ts). The layout before kept, beside
// each record, a listing copy (type SyncedEventIndex in COMPANY#<id>#GEVENTS, SyncedEventSet in COMPANY#<id>#GSET)
// and no gsi1 keys on the record. This adds the gsi1 keys to every such record and deletes the copies. It is
// idempotent (run it again and it finds nothing) and safe beside running syncs: a record a sync has written since
// already carries its keys (the condition leaves it alone), and the keys are only added while the record's start
// and end are still those they were computed from. scripts/migrate-synced-events.ts runs it; deploy runs that.
import { ScanCommand, type ScanCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';
import { syncedEventListingAttributes, syncedEventRecordOf } from './synced-event-store';
import { batchWriteAll, type Item, type Key } from './toolkit';

const LEGACY_COPY_TYPES = ['SyncedEventIndex', 'SyncedEventSet'];

export type SyncedEventMigration = { recordsIndexed: number; recordsSkipped: number; copiesDeleted: number };

async function indexRecord(item: Item): Promise<boolean> {
  const record = syncedEventRecordOf(item);
  const listing = syncedEventListingAttributes(record);
  // A placeholder (exceptions waiting for their series) has no place in the listing.
  if (!Object.keys(listing).length) return false;
  const names = Object.keys(listing);
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
        ConditionExpression: 'attribute_not_exists(gsi1pk) AND #start = :start AND #end = :end',
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((name) => [`#${name}`, name])), '#start': 'start', '#end': 'end' },
        ExpressionAttributeValues: { ...Object.fromEntries(names.map((name) => [`:${name}`, listing[name]])), ':start': record.start, ':end': record.end },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Scans the table once: records without gsi1 keys get them, legacy listing copies are deleted. */
export async function migrateSyncedEventListing(log: (line: string) => void = () => undefined): Promise<SyncedEventMigration> {
  const result: SyncedEventMigration = { recordsIndexed: 0, recordsSkipped: 0, copiesDeleted: 0 };
  let startKey: Item | undefined;
  do {
    const page: ScanCommandOutput = await dynamo().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: '(#type = :record AND attribute_not_exists(gsi1pk)) OR #type IN (:index, :set)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':record': 'SyncedEvent', ':index': LEGACY_COPY_TYPES[0], ':set': LEGACY_COPY_TYPES[1] },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = page.Items ?? [];
    const copies = items.filter((item) => LEGACY_COPY_TYPES.includes(item.type as string));
    for (const item of items.filter((item) => item.type === 'SyncedEvent')) {
      if (await indexRecord(item)) result.recordsIndexed += 1;
      else result.recordsSkipped += 1;
    }
    await batchWriteAll(copies.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } as Key } })));
    result.copiesDeleted += copies.length;
    startKey = page.LastEvaluatedKey;
    if (items.length) log(`synced events: ${result.recordsIndexed} records indexed, ${result.copiesDeleted} listing copies deleted so far`);
  } while (startKey);
  return result;
}
