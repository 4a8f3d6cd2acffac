// Reads that page on their own: a Query followed through LastEvaluatedKey, and a BatchGet that asks
// again for unprocessed keys. Every store module uses these instead of its own loops.
import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { InvalidInput } from '../domain/errors';
import { dynamo, tableName } from './client';

export async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await dynamo().send(new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Every item of `keys` that exists, 100 keys per call (the calls for a long list go out together), unprocessed
 * keys retried with a short backoff. `consistent` reads what a write just before wrote (the sync reads its
 * previous page's records).
 */
export async function batchGetAll(keys: Array<{ pk: string; sk: string }>, options: { consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const chunks = Array.from({ length: Math.ceil(unique.length / 100) }, (_, index) => unique.slice(index * 100, (index + 1) * 100));
  const read = async (chunk: Record<string, unknown>[]) => {
    const found: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt >= 8) throw new Error('DynamoDB kept keys unprocessed after 8 attempts');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      const result: BatchGetCommandOutput = await dynamo().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }));
      found.push(...(result.Responses?.[tableName()] ?? []));
      pending = result.UnprocessedKeys?.[tableName()]?.Keys;
    }
    return found;
  };
  return (await Promise.all(chunks.map(read))).flat();
}

/**
 * One page of a partition, newest sort key first: `limit + 1` items are read so that `nextCursor` (the last
 * returned sort key, base64url) is given only when there is more. The cursor never names another partition.
 */
export async function queryNewestFirst(pk: string, page: { limit: number; cursor?: string }): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> {
  const result = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
      Limit: page.limit + 1,
      ...(page.cursor ? { ExclusiveStartKey: { pk, sk: decodeSortKeyCursor(page.cursor) } } : {}),
    }),
  );
  const all = result.Items ?? [];
  const items = all.slice(0, page.limit);
  return all.length > page.limit ? { items, nextCursor: Buffer.from(String(items[items.length - 1].sk), 'utf8').toString('base64url') } : { items };
}

function decodeSortKeyCursor(cursor: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  // Both newest-first partitions sort by an ISO instant first; anything else was not issued by this API.
  if (!/^\d{4}-\d{2}-\d{2}T[^\u0000]{0,300}$/.test(sk)) {
    throw new InvalidInput('The cursor is not one this API returned', [{ field: 'cursor', message: 'Pass back nextCursor unchanged' }]);
  }
  return sk;
}
