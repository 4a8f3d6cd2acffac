// Sync state per company calendar, COMPANY#<companyId>/SYNCSTATE#<calendarId>: sync token, the page token of
// an unfinished listing, the full-sync generation and the last outcome.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CalendarSyncState, SyncStateRepo } from '../sync/ports';
import { dynamo, tableName } from './client';
import { companyKeys } from './company-store';
import { entity, queryAll } from './toolkit';

export const syncStateKeys = {
  pk: (companyId: string) => companyKeys.pk(companyId),
  sk: (calendarId: string) => `SYNCSTATE#${calendarId}`,
};

const syncStateEntity = entity<CalendarSyncState>({
  type: 'CalendarSyncState',
  key: (state) => ({ pk: syncStateKeys.pk(state.companyId), sk: syncStateKeys.sk(state.calendarId) }),
  attributes: (state) => ({ ...state, version: 1 }),
  derived: ['version'],
});

export const syncStateStore: SyncStateRepo = {
  async get(companyId, calendarId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: syncStateKeys.pk(companyId), sk: syncStateKeys.sk(calendarId) }, ConsistentRead: true }),
    );
    return result.Item ? syncStateEntity.fromItem(result.Item) : undefined;
  },

  async list(companyId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': syncStateKeys.pk(companyId), ':prefix': 'SYNCSTATE#' },
      ConsistentRead: true,
    });
    return items.map(syncStateEntity.fromItem);
  },

  // Only the holder of the company's sync lease writes here, so a plain put is enough.
  async put(state) {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: syncStateEntity.toItem(state),
      }),
    );
  },

  async delete(companyId, calendarId) {
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: { pk: syncStateKeys.pk(companyId), sk: syncStateKeys.sk(calendarId) } }));
  },
};
