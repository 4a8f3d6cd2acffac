// Push channels (events.watch). CHANNEL#<channelId>/CHANNEL is the channel (uniqueness of the id; the webhook's
// one GetItem; gsi1 PUSH#CHANNELS/<expiration ISO>#<id> for the renewal job), and COMPANY#<companyId>/
// CHANNEL#<calendarId>#<channelId> indexes it under its company (two overlap while a channel is renewed).
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors';
import type { ChannelRepo, PushChannel } from '../push/ports';
import { dynamo, tableName } from './client';
import { companyKeys } from './company-store';
import { failedConditionIndexes, isConditionalCheckFailed } from './errors';
import { transactWrite } from './retry';
import { batchGetAll, entity, queryAll } from './toolkit';

export const channelKeys = {
  pk: (channelId: string) => `CHANNEL#${channelId}`,
  sk: () => 'CHANNEL',
  expiryGsi1pk: () => 'PUSH#CHANNELS',
  expiryGsi1sk: (expirationMs: number, channelId: string) => `${new Date(expirationMs).toISOString()}#${channelId}`,
  companyPk: (companyId: string) => companyKeys.pk(companyId),
  companySk: (calendarId: string, channelId: string) => `CHANNEL#${calendarId}#${channelId}`,
};

const FIELDS: Array<keyof PushChannel> = [
  'id', 'companyId', 'calendarId', 'connectionId', 'resourceId', 'tokenHash', 'expirationMs', 'createdAt', 'lastMessageNumber', 'lastNotificationAt',
];

/** The channel, indexed in gsi1 by expiry for the renewal job. */
const channelEntity = entity<PushChannel>({
  type: 'PushChannel',
  key: (channel) => ({ pk: channelKeys.pk(channel.id), sk: channelKeys.sk() }),
  attributes: (channel) => ({ gsi1pk: channelKeys.expiryGsi1pk(), gsi1sk: channelKeys.expiryGsi1sk(channel.expirationMs, channel.id), ...channel, version: 1 }),
  fields: FIELDS,
});
const fromItem = channelEntity.fromItem;

export const channelStore: ChannelRepo = {
  async create(channel) {
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName(),
            Item: channelEntity.toItem(channel),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: {
              pk: channelKeys.companyPk(channel.companyId),
              sk: channelKeys.companySk(channel.calendarId, channel.id),
              type: 'CompanyChannel',
              channelId: channel.id,
              calendarId: channel.calendarId,
              version: 1,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
    } catch (error) {
      if (failedConditionIndexes(error).length) throw new Conflict('channel_taken', 'A push channel with this id exists already');
      throw error;
    }
  },

  async confirm(channelId, opened) {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: channelKeys.pk(channelId), sk: channelKeys.sk() },
        UpdateExpression: 'SET resourceId = :resourceId, expirationMs = :expirationMs, gsi1sk = :gsi1sk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':resourceId': opened.resourceId,
          ':expirationMs': opened.expirationMs,
          ':gsi1sk': channelKeys.expiryGsi1sk(opened.expirationMs, channelId),
        },
      }),
    );
  },

  async get(channelId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: channelKeys.pk(channelId), sk: channelKeys.sk() }, ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  },

  async recordMessage(channelId, messageNumber, at) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: channelKeys.pk(channelId), sk: channelKeys.sk() },
          UpdateExpression: 'SET lastMessageNumber = :number, lastNotificationAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastMessageNumber) OR lastMessageNumber < :number)',
          ExpressionAttributeValues: { ':number': messageNumber, ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async listForCompany(companyId) {
    const index = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': channelKeys.companyPk(companyId), ':prefix': 'CHANNEL#' },
      ConsistentRead: true,
    });
    const items = await batchGetAll(index.map((item) => ({ pk: channelKeys.pk(item.channelId as string), sk: channelKeys.sk() })), { consistent: true });
    return items.map(fromItem).sort((a, b) => a.calendarId.localeCompare(b.calendarId) || a.expirationMs - b.expirationMs);
  },

  async listAll() {
    const items = await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': channelKeys.expiryGsi1pk() },
    });
    return items.map(fromItem);
  },

  async delete(channel) {
    await transactWrite([
      { Delete: { TableName: tableName(), Key: { pk: channelKeys.pk(channel.id), sk: channelKeys.sk() } } },
      { Delete: { TableName: tableName(), Key: { pk: channelKeys.companyPk(channel.companyId), sk: channelKeys.companySk(channel.calendarId, channel.id) } } },
    ]);
  },
};

