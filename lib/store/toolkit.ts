// The store toolkit every entity module uses: the one paged Query loop, the one cursor format, the batch reader and
// writer, and the entity definition that maps a value to its item and back with its key builders.
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { InvalidInput } from '../domain/errors';
import { dynamo, tableName } from './client';

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>;

/** Where a query stops: at most `maxItems` items returned, or `maxScanned` items read (filtered ones count). */
export type QueryBounds = { maxItems?: number; maxScanned?: number; startKey?: Item };
export type QueryPage = { items: Item[]; scanned: number; lastKey?: Item };

const keyString = (key: Item) => `${key.pk}\u0000${key.sk}`;
const pause = (ceilingMs: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));

/**
 * The Query loop: follows LastEvaluatedKey page by page, from `startKey`, until the partition ends or a bound is
 * reached (each call asks with `Limit` = what is left of the bound). `lastKey` of the last page yielded is where a
 * later call resumes; absent, nothing is left.
 */
export async function* queryPages(input: QueryInput, bounds: QueryBounds = {}): AsyncGenerator<QueryPage> {
  let startKey = bounds.startKey;
  let items = 0;
  let scanned = 0;
  for (;;) {
    const left = Math.min(
      bounds.maxItems === undefined ? Infinity : bounds.maxItems - items,
      bounds.maxScanned === undefined ? Infinity : bounds.maxScanned - scanned,
    );
    if (left <= 0) return;
    const page: QueryCommandOutput = await dynamo().send(
      new QueryCommand({ ...input, TableName: tableName(), ...(startKey ? { ExclusiveStartKey: startKey } : {}), ...(left < Infinity ? { Limit: left } : {}) }),
    );
    const found = page.Items ?? [];
    items += found.length;
    scanned += page.ScannedCount ?? found.length;
    startKey = page.LastEvaluatedKey;
    yield { items: found, scanned: page.ScannedCount ?? found.length, ...(startKey ? { lastKey: startKey } : {}) };
    if (!startKey) return;
  }
}

/** Every page of `queryPages` gathered: the items, what was read, and where to resume (absent when the query ended). */
export async function queryItems(input: QueryInput, bounds: QueryBounds = {}): Promise<QueryPage> {
  const result: QueryPage = { items: [], scanned: 0 };
  for await (const page of queryPages(input, bounds)) {
    result.items.push(...page.items);
    result.scanned += page.scanned;
    result.lastKey = page.lastKey;
  }
  return result;
}

/** Every item a query matches. */
export async function queryAll(input: QueryInput): Promise<Item[]> {
  return (await queryItems(input)).items;
}

const notOurs = () => new InvalidInput('The cursor is not one this API returned', [{ field: 'cursor', message: 'Pass back nextCursor unchanged' }]);

/** The one cursor format: the key a page stopped at (its LastEvaluatedKey, or a key naming only a partition), base64url JSON. */
export function encodeCursor(key: Partial<Key>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The key a cursor names, refused (InvalidInput) unless it is one `encodeCursor` made for one of `partitions`: a cursor
 * never leads into another partition. `sk`, when given, must match `skPattern`; `skRequired: false` admits a cursor
 * naming only its partition (the start of it).
 */
export function decodeCursor(cursor: string, expected: { partitions: string[]; skPattern?: RegExp; skRequired?: boolean }): Partial<Key> & { pk: string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurs();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw notOurs();
  const { pk, sk, ...rest } = key as Record<string, unknown>;
  if (Object.keys(rest).length || typeof pk !== 'string' || !expected.partitions.includes(pk)) throw notOurs();
  if (sk === undefined && expected.skRequired !== false) throw notOurs();
  if (sk !== undefined && (typeof sk !== 'string' || (expected.skPattern && !expected.skPattern.test(sk)))) throw notOurs();
  return sk === undefined ? { pk } : { pk, sk };
}

/** Sort keys that begin with a UTC instant (time-ordered partitions). */
export const INSTANT_SORT_KEY = /^\d{4}-\d{2}-\d{2}T[^\u0000]{0,300}$/;

/**
 * One page of a partition: `limit + 1` items are read so that `nextCursor` is given only when there is more. The
 * cursor is the last returned item's key.
 */
export async function queryPage(
  input: QueryInput & { ExpressionAttributeValues: { ':pk': string } },
  page: { limit: number; cursor?: string; skPattern?: RegExp },
): Promise<{ items: Item[]; nextCursor?: string }> {
  const pk = input.ExpressionAttributeValues[':pk'];
  const startKey = page.cursor ? decodeCursor(page.cursor, { partitions: [pk], skPattern: page.skPattern }) : undefined;
  const { items: all } = await queryItems(input, { maxItems: page.limit + 1, startKey });
  const items = all.slice(0, page.limit);
  return all.length > page.limit ? { items, nextCursor: encodeCursor({ pk, sk: items[items.length - 1].sk as string }) } : { items };
}

/** One page of a partition, newest sort key first (sort keys beginning with an instant). */
export function queryNewestFirst(pk: string, page: { limit: number; cursor?: string }): Promise<{ items: Item[]; nextCursor?: string }> {
  return queryPage(
    { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false },
    { ...page, skPattern: INSTANT_SORT_KEY },
  );
}

/**
 * Every item of `keys` that exists, 100 keys per call (the calls for a long list go out together), unprocessed
 * keys retried with a short backoff. `consistent` reads what a write just before wrote (the sync reads its
 * previous page's records).
 */
export async function batchGetAll(keys: Key[], options: { consistent?: boolean } = {}): Promise<Item[]> {
  const unique = [...new Map(keys.map((key) => [keyString(key), key])).values()];
  const read = async (chunk: Item[]) => {
    const found: Item[] = [];
    let pending: Item[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt >= 8) throw new Error('DynamoDB kept keys unprocessed after 8 attempts');
      if (attempt > 0) await pause(25 * 2 ** attempt);
      const result: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }),
      );
      found.push(...(result.Responses?.[tableName()] ?? []));
      pending = result.UnprocessedKeys?.[tableName()]?.Keys;
    }
    return found;
  };
  return (await Promise.all(chunks(unique, 100).map(read))).flat();
}

export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/**
 * BatchWriteItem, 25 requests per call, a few calls at once, unprocessed items asked again with backoff (DynamoDB
 * returns them under load). A batch may not name one key twice: callers pass distinct keys.
 */
export async function batchWriteAll(requests: WriteRequest[], parallel = 4): Promise<void> {
  const writeChunk = async (chunk: WriteRequest[]) => {
    let pending: WriteRequest[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt >= 10) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after 10 attempts`);
      if (attempt > 0) await pause(25 * 2 ** attempt);
      const result: BatchWriteCommandOutput = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = result.UnprocessedItems?.[tableName()] as WriteRequest[] | undefined;
    }
  };
  const all = chunks(requests, 25);
  for (let i = 0; i < all.length; i += parallel) await Promise.all(all.slice(i, i + parallel).map(writeChunk));
}

function chunks<T>(list: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(list.length / size) }, (_, index) => list.slice(index * size, (index + 1) * size));
}

/**
 * One item type: its `type` attribute, the key of a value, and the mapping both ways. By default the item is the
 * value's own fields plus its key and type; `attributes` replaces that, and `derived` names attributes written only
 * for the keys or filters, dropped again on read. `fields` lists exactly what a read returns instead; `parse`
 * replaces the read altogether.
 */
export type EntityDefinition<T, Read = T> = {
  type: string;
  key: (value: T) => Key;
  attributes?: (value: T) => Item;
  derived?: string[];
  /** The value's fields: a read gives back exactly these (those present), in this order, whatever else the item holds. */
  fields?: readonly string[];
  parse?: (item: Item) => Read;
};

export type Entity<T, Read = T> = {
  type: string;
  key: (value: T) => Key;
  toItem: (value: T) => Item;
  fromItem: (item: Item) => Read;
};

export function entity<T, Read = T>(definition: EntityDefinition<T, Read>): Entity<T, Read> {
  const dropped = new Set(['pk', 'sk', 'type', ...(definition.derived ?? [])]);
  return {
    type: definition.type,
    key: definition.key,
    toItem: (value) => ({ ...definition.key(value), type: definition.type, ...(definition.attributes ? definition.attributes(value) : (value as Item)) }),
    fromItem:
      definition.parse ??
      (definition.fields
        ? (item) => Object.fromEntries(definition.fields!.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as Read
        : (item) => Object.fromEntries(Object.entries(item).filter(([name]) => !dropped.has(name))) as Read),
  };
}
