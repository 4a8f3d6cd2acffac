// The Google copy of a meeting or booking written back to its host's destination calendar:
// WRITEBACK#<source>#<sourceId>/WRITEBACK (Google event id, etag of our last write, what we wrote).
// The sync reads it by the marker it finds in extendedProperties.private, and acts on a change only when the event
// was listed from the calendar and connection kept here (lib/write-back/inbound.ts).
// Write-backs the queue refused wait in one small partition, WRITEBACK#PENDING/<source>#<sourceId>, until the
// dispatcher queues them again.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WriteBackSource } from '../meetings/ports';
import type { PendingWriteBacks, WriteBackRepo, WrittenEvent } from '../write-back/ports';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';
import { entity, queryItems } from './toolkit';

export const writeBackKeys = {
  pk: (source: WriteBackSource, sourceId: string) => `WRITEBACK#${source}#${sourceId}`,
  sk: () => 'WRITEBACK',
};

const FIELDS: Array<keyof WrittenEvent> = ['source', 'sourceId', 'userId', 'connectionId', 'calendarId', 'googleEventId', 'etag', 'contentHash', 'start', 'end', 'updatedAt', 'deleting'];

const writtenEventEntity = entity<WrittenEvent>({
  type: 'WrittenEvent',
  key: (record) => ({ pk: writeBackKeys.pk(record.source, record.sourceId), sk: writeBackKeys.sk() }),
  attributes: (record) => ({ ...record, version: 1 }),
  fields: FIELDS,
});
const { fromItem, toItem } = writtenEventEntity;

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

export const pendingWriteBackKeys = {
  pk: () => 'WRITEBACK#PENDING',
  sk: (source: WriteBackSource, sourceId: string) => `${source}#${sourceId}`,
};

export const pendingWriteBackStore: PendingWriteBacks = {
  async add(message) {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: pendingWriteBackKeys.pk(), sk: pendingWriteBackKeys.sk(message.source, message.sourceId), type: 'PendingWriteBack', ...message, keptAt: new Date().toISOString(), version: 1 },
      }),
    );
  },

  async list(limit) {
    const result = await queryItems({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pendingWriteBackKeys.pk() }, ConsistentRead: true }, { maxItems: limit });
    return result.items.map((item) => ({
      kind: 'write_back' as const,
      source: item.source as WriteBackSource,
      sourceId: item.sourceId as string,
      userId: item.userId as string,
      keptAt: item.keptAt as string,
    }));
  },

  async remove(messages) {
    for (const message of messages) {
      try {
        await dynamo().send(
          new DeleteCommand({
            TableName: tableName(),
            Key: { pk: pendingWriteBackKeys.pk(), sk: pendingWriteBackKeys.sk(message.source, message.sourceId) },
            ConditionExpression: 'keptAt = :keptAt',
            ExpressionAttributeValues: { ':keptAt': message.keptAt },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  },
};
