// The store toolkit against DynamoDB Local: the Query loop over several pages, the cursor, the batch writer, entities.
import { ulid } from 'ulid';
import { InvalidInput } from '../../lib/domain/errors';
import {
  batchWriteAll,
  encodeCursor,
  entity,
  INSTANT_SORT_KEY,
  queryAll,
  queryItems,
  queryPage,
  queryPages,
  type WriteRequest,
} from '../../lib/store/toolkit';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

const MINUTE = 60_000;
const base = Date.parse('2035-05-01T00:00:00Z');

type Sample = { partition: string; at: number; label: string; padding?: string };

const sampleEntity = entity<Sample>({
  type: 'ToolkitSample',
  key: (sample) => ({ pk: `TOOLKIT#${sample.partition}`, sk: `${new Date(sample.at).toISOString()}#${sample.label}` }),
  attributes: (sample) => ({ ...sample, atMinute: Math.floor(sample.at / MINUTE), version: 1 }),
  derived: ['atMinute', 'version'],
});

/** `count` samples one minute apart, written with the batch writer; `paddingBytes` makes each item that large. */
async function writeSamples(count: number, paddingBytes = 0): Promise<Sample[]> {
  const partition = ulid();
  const padding = paddingBytes ? 'x'.repeat(paddingBytes) : undefined;
  const samples = Array.from({ length: count }, (_, i) => ({ partition, at: base + i * MINUTE, label: `s${i}`, ...(padding ? { padding } : {}) }));
  await batchWriteAll(samples.map((sample) => ({ PutRequest: { Item: sampleEntity.toItem(sample) } })));
  return samples;
}

const partitionQuery = (partition: string) => ({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `TOOLKIT#${partition}` }, ConsistentRead: true });

it('writes more than 25 items in one batch write, and deletes them the same way', async () => {
  const samples = await writeSamples(61);
  const query = partitionQuery(samples[0].partition);
  const stored = (await queryAll(query)).map(sampleEntity.fromItem);
  expect(stored).toEqual(samples);

  const deletes: WriteRequest[] = samples.map((sample) => ({ DeleteRequest: { Key: sampleEntity.key(sample) } }));
  await batchWriteAll(deletes, 2);
  expect(await queryAll(query)).toEqual([]);
});

it('follows LastEvaluatedKey over pages DynamoDB cuts at 1 MB, and gives back every item once, in order', async () => {
  // 60 items of about 30 KB: about 1.8 MB, so at least two pages.
  const samples = await writeSamples(60, 30_000);
  const query = partitionQuery(samples[0].partition);
  const pages: number[] = [];
  for await (const page of queryPages(query)) pages.push(page.items.length);
  expect(pages.length).toBeGreaterThan(1);
  expect(pages.reduce((sum, n) => sum + n, 0)).toBe(60);
  expect((await queryAll(query)).map((item) => sampleEntity.fromItem(item).label)).toEqual(samples.map((sample) => sample.label));
});

it('stops at an item cap or a read budget and resumes where it stopped', async () => {
  const samples = await writeSamples(30);
  const query = partitionQuery(samples[0].partition);

  const capped = await queryItems(query, { maxItems: 12 });
  expect(capped.items).toHaveLength(12);
  expect(capped.lastKey).toEqual(sampleEntity.key(samples[11]));

  // Only labels beginning with s1 pass the filter; the budget counts every item read, filtered or not.
  const evenOnly = {
    ...query,
    FilterExpression: 'begins_with(#label, :prefix)',
    ExpressionAttributeNames: { '#label': 'label' },
    ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':prefix': 's1' },
  };
  const first = await queryItems(evenOnly, { maxScanned: 15 });
  expect(first.scanned).toBe(15);
  expect(first.items.map((item) => item.label)).toEqual(['s1', 's10', 's11', 's12', 's13', 's14']);
  const rest = await queryItems(evenOnly, { startKey: first.lastKey });
  expect(rest.lastKey).toBeUndefined();
  expect(rest.items.map((item) => item.label)).toEqual(['s15', 's16', 's17', 's18', 's19']);
});

it('pages with an opaque cursor that round-trips, and refuses cursors it did not issue for this partition', async () => {
  const samples = await writeSamples(23);
  const query = partitionQuery(samples[0].partition);
  const labels: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await queryPage(query, { limit: 10, cursor, skPattern: INSTANT_SORT_KEY });
    labels.push(...page.items.map((item) => item.label as string));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  expect(pages).toBe(3);
  expect(labels).toEqual(samples.map((sample) => sample.label));

  const lastSk = sampleEntity.key(samples[9]).sk;
  const forged = [
    // A key of another partition: a cursor never leads elsewhere.
    encodeCursor({ pk: `TOOLKIT#${ulid()}`, sk: lastSk }),
    // The formats of before the toolkit: the raw sort key, and the sort key as a JSON string.
    Buffer.from(lastSk, 'utf8').toString('base64url'),
    Buffer.from(JSON.stringify(lastSk)).toString('base64url'),
    // A sort key that is not an instant, an extra attribute, no sort key, and noise.
    encodeCursor({ pk: `TOOLKIT#${samples[0].partition}`, sk: 'EVENT' }),
    Buffer.from(JSON.stringify({ pk: `TOOLKIT#${samples[0].partition}`, sk: lastSk, gsi1pk: 'x' })).toString('base64url'),
    encodeCursor({ pk: `TOOLKIT#${samples[0].partition}` }),
    'nonsense',
  ];
  for (const bad of forged) {
    await expect(queryPage(query, { limit: 10, cursor: bad, skPattern: INSTANT_SORT_KEY })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(queryPage(query, { limit: 10, cursor: bad, skPattern: INSTANT_SORT_KEY })).rejects.toBeInstanceOf(InvalidInput);
  }
  // The cursor the first page gave still works after the refusals.
  const second = await queryPage(query, { limit: 10, cursor: encodeCursor({ pk: `TOOLKIT#${samples[0].partition}`, sk: lastSk }), skPattern: INSTANT_SORT_KEY });
  expect(second.items.map((item) => item.label)).toEqual(samples.slice(10, 20).map((sample) => sample.label));
});
