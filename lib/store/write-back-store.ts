// The Google copy of a meeting or booking written back to its host's destination calendar:
// WRITEBACK#<source>#<sourceId>/WRITEBACK (Google event id, etag of our last write, what we wrote).
// The sync reads it by the marker it finds in extendedProperties.private.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WriteBackRepo, WriteBackSource, WrittenEvent } from '../write-back/ports';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';

export const writeBackKeys = {
  pk: (source: WriteBackSource, sourceId: string) => `WRITEBACK#${source}#${sourceId}`,
  sk: () => 'WRITEBACK',
};

const FIELDS: Array<keyof WrittenEvent> = ['source', 'sourceId', 'userId', 'connectionId', 'calendarId', 'googleEventId', 'etag', 'contentHash', 'start', 'end', 'updatedAt', 'deleting'];

function fromItem(item: Record<string, unknown>): WrittenEvent {
  return Object.fromEntries(FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as WrittenEvent;
}

const toItem = (record: WrittenEvent) => ({ pk: writeBackKeys.pk(record.source, record.sourceId), sk: writeBackKeys.sk(), type: 'WrittenEvent', ...record, version: 1 });

export const writeBackStore: WriteBackRepo = {
  async get(source, sourceId) {
    const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: writeBackKeys.pk(source, sourceId), sk: writeBackKeys.sk() }, ConsistentRead: true }));
    return result.Item ? fromItem(result.Item) : undefined;
  },

  async put(record) {
    await dynamo().send(new PutCommand({ TableName: tableName(), Item: toItem(record) }));
  },

  async replaceIfEtag(record, expectedEtag) {
    try {
      await dynamo().send(
        new PutCommand({ TableName: tableName(), Item: toItem(record), ConditionExpression: 'etag = :expected', ExpressionAttributeValues: { ':expected': expectedEtag } }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async delete(source, sourceId) {
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: { pk: writeBackKeys.pk(source, sourceId), sk: writeBackKeys.sk() } }));
  },
};
