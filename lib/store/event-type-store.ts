// Event types, kept in their host's partition (HOST#<hostId>#EVENTTYPES / EVENTTYPE#<id>), and the slug
// claims that make booking links unique (SLUG#<slug> / SLUG), written together in one transaction; the claim
// carries a copy of the event type (`eventType`, rewritten with every change) so that a booking link reads it once. Deleting an
// event type keeps its claim as a tombstone (`deletedAt`): a slug once used is never given to anyone again, so
// an old public link can never lead to another host.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors';
import { SlugTaken } from '../scheduling/errors';
import type { EventType } from '../scheduling/event-type';
import type { EventTypeRepo } from '../scheduling/ports';
import { dynamo, tableName } from './client';
import { failedConditionIndexes } from './errors';
import { transactWrite } from './retry';
import { entity, queryAll } from './toolkit';

export const eventTypeKeys = {
  pk: (hostId: string) => `HOST#${hostId}#EVENTTYPES`,
  sk: (eventTypeId: string) => `EVENTTYPE#${eventTypeId}`,
};

export const slugKeys = {
  pk: (slug: string) => `SLUG#${slug}`,
  sk: () => 'SLUG',
};

const eventTypeEntity = entity<EventType>({ type: 'EventType', key: (eventType) => ({ pk: eventTypeKeys.pk(eventType.hostId), sk: eventTypeKeys.sk(eventType.id) }) });

const versionMatches = (version: number) => ({
  ConditionExpression: '#version = :expected',
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: { ':expected': version },
});

export const eventTypeStore: EventTypeRepo = {
  async create(eventType) {
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName(),
            Item: { pk: slugKeys.pk(eventType.slug), sk: slugKeys.sk(), type: 'SlugClaim', hostId: eventType.hostId, eventTypeId: eventType.id, eventType, version: 1 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: eventTypeEntity.toItem(eventType), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    } catch (error) {
      if (failedConditionIndexes(error).includes(0)) throw new SlugTaken();
      throw error;
    }
  },

  async get(hostId, eventTypeId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: eventTypeKeys.pk(hostId), sk: eventTypeKeys.sk(eventTypeId) }, ConsistentRead: true }),
    );
    return result.Item ? eventTypeEntity.fromItem(result.Item) : undefined;
  },

  async findBySlug(slug) {
    // One read: the claim carries the event type as last written (a claim from before that copy reads it too).
    const claim = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: slugKeys.pk(slug), sk: slugKeys.sk() }, ConsistentRead: true }));
    if (!claim.Item || claim.Item.deletedAt) return undefined;
    if (claim.Item.eventType) return claim.Item.eventType as EventType;
    return this.get(claim.Item.hostId as string, claim.Item.eventTypeId as string);
  },

  async listForHost(hostId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': eventTypeKeys.pk(hostId), ':prefix': 'EVENTTYPE#' },
    });
    return items.map(eventTypeEntity.fromItem);
  },

  async replace(previous, next) {
    try {
      await transactWrite([
        { Put: { TableName: tableName(), Item: eventTypeEntity.toItem(next), ...versionMatches(previous.version) } },
        {
          // The booking link's copy changes with it, while the claim is this event type's and not deleted.
          Update: {
            TableName: tableName(),
            Key: { pk: slugKeys.pk(next.slug), sk: slugKeys.sk() },
            UpdateExpression: 'SET eventType = :copy ADD #version :one',
            ConditionExpression: 'eventTypeId = :id AND attribute_not_exists(deletedAt)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':copy': next, ':id': next.id, ':one': 1 },
          },
        },
      ]);
    } catch (error) {
      if (failedConditionIndexes(error).length) throw new Conflict('conflict', 'The event type changed meanwhile; read it again and retry');
      throw error;
    }
  },

  async delete(eventType) {
    try {
      await transactWrite([
        { Delete: { TableName: tableName(), Key: { pk: eventTypeKeys.pk(eventType.hostId), sk: eventTypeKeys.sk(eventType.id) }, ...versionMatches(eventType.version) } },
        {
          // The claim stays, marked deleted, with its host and event type: the slug is never free again.
          Update: {
            TableName: tableName(),
            Key: { pk: slugKeys.pk(eventType.slug), sk: slugKeys.sk() },
            UpdateExpression: 'SET deletedAt = :now REMOVE eventType ADD #version :one',
            ConditionExpression: 'eventTypeId = :id',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':id': eventType.id, ':now': new Date().toISOString(), ':one': 1 },
          },
        },
      ]);
    } catch (error) {
      if (failedConditionIndexes(error).length) throw new Conflict('conflict', 'The event type changed meanwhile; read it again and retry');
      throw error;
    }
  },
};
