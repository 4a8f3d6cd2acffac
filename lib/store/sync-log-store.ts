// The sync log: one item per calendar per run, COMPANY#<companyId>#SYNCLOG/<finishedAt ISO>#<runId>#<calendarId>,
// read newest first; entries expire after 30 days (TTL), so the partition stays small.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SyncLogEntry, SyncLogRepo } from '../sync/ports';
import { dynamo, tableName } from './client';
import { entity, queryNewestFirst } from './toolkit';

const RETENTION_SECONDS = 30 * 24 * 3600;

export const syncLogKeys = {
  pk: (companyId: string) => `COMPANY#${companyId}#SYNCLOG`,
  sk: (entry: Pick<SyncLogEntry, 'finishedAt' | 'runId' | 'calendarId'>) => `${entry.finishedAt}#${entry.runId}#${entry.calendarId}`,
};

const FIELDS: Array<keyof SyncLogEntry> = [
  'companyId', 'calendarId', 'runId', 'trigger', 'mode', 'outcome', 'inserted', 'updated', 'deleted', 'pages', 'durationMs',
  'startedAt', 'finishedAt', 'error', 'notes',
];

/** Read back with its fields in a stable order (DynamoDB returns attributes in any order). */
const syncLogEntity = entity<SyncLogEntry>({
  type: 'SyncLogEntry',
  key: (entry) => ({ pk: syncLogKeys.pk(entry.companyId), sk: syncLogKeys.sk(entry) }),
  attributes: (entry) => ({ ...entry, expiresAt: Math.floor(Date.parse(entry.finishedAt) / 1000) + RETENTION_SECONDS, version: 1 }),
  fields: FIELDS,
});

export const syncLogStore: SyncLogRepo = {
  async append(entry) {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: syncLogEntity.toItem(entry),
      }),
    );
  },

  async list(companyId, page) {
    const { items, nextCursor } = await queryNewestFirst(syncLogKeys.pk(companyId), page);
    return { items: items.map(syncLogEntity.fromItem), ...(nextCursor ? { nextCursor } : {}) };
  },
};
