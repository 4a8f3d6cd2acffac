// Reads that page on their own: a Query followed through LastEvaluatedKey, and a BatchGet that asks
// again for unprocessed keys. Every store module uses these instead of its own loops.
import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
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
 * Every item of `keys` that exists, 100 keys per call, unprocessed keys retried with a short backoff.
 * `consistent` reads what a write just before wrote (the sync reads its previous page's records).
 */
export async function batchGetAll(keys: Array<{ pk: string; sk: string }>, options: { consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = unique.slice(i, i + 100);
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt >= 8) throw new Error('DynamoDB kept keys unprocessed after 8 attempts');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
      const result: BatchGetCommandOutput = await dynamo().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }));
      found.push(...(result.Responses?.[tableName()] ?? []));
      pending = result.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return found;
}
