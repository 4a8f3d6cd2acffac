// The sync log: one item per calendar per run, COMPANY#<companyId>#SYNCLOG/<finishedAt ISO>#<runId>#<calendarId>,
// read newest first; entries expire after 30 days (TTL), so the partition stays small.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInput } from '../domain/errors';
import type { SyncLogEntry, SyncLogRepo } from '../sync/ports';
import { dynamo, tableName } from './client';

const RETENTION_SECONDS = 30 * 24 * 3600;

export const syncLogKeys = {
  pk: (companyId: string) => `COMPANY#${companyId}#SYNCLOG`,
  sk: (entry: Pick<SyncLogEntry, 'finishedAt' | 'runId' | 'calendarId'>) => `${entry.finishedAt}#${entry.runId}#${entry.calendarId}`,
};

function decodeCursor(cursor: string): string {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{4}-\d{2}-\d{2}T/.test(sk)) throw new InvalidInput('The cursor is not one this API returned', [{ field: 'cursor', message: 'Pass back nextCursor unchanged' }]);
  return sk;
}

const FIELDS: Array<keyof SyncLogEntry> = [
  'companyId', 'calendarId', 'runId', 'trigger', 'mode', 'outcome', 'inserted', 'updated', 'deleted', 'pages', 'durationMs',
  'startedAt', 'finishedAt', 'error', 'notes',
];

/** The entry with its fields in a stable order (DynamoDB returns attributes in any order). */
function fromItem(item: Record<string, unknown>): SyncLogEntry {
  return Object.fromEntries(FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as SyncLogEntry;
}

export const syncLogStore: SyncLogRepo = {
  async append(entry) {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: syncLogKeys.pk(entry.companyId),
          sk: syncLogKeys.sk(entry),
          type: 'SyncLogEntry',
          ...entry,
          expiresAt: Math.floor(Date.parse(entry.finishedAt) / 1000) + RETENTION_SECONDS,
          version: 1,
        },
      }),
    );
  },

  async list(companyId, { limit, cursor }) {
    const pk = syncLogKeys.pk(companyId);
    const result = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: { pk, sk: decodeCursor(cursor) } } : {}),
      }),
    );
    const items = (result.Items ?? []).map(fromItem);
    const last = result.LastEvaluatedKey?.sk as string | undefined;
    return { items, ...(last ? { nextCursor: Buffer.from(last, 'utf8').toString('base64url') } : {}) };
  },
};
