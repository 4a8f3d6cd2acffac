// Users and their email uniqueness items. Keys: USER#<id> / PROFILE, and EMAIL#<lower-case email> / EMAIL.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, EmailTaken, NotFound } from '../domain/errors';
import type { SessionGenerations } from '../auth/sessions';
import type { CredentialRepo, DestinationReset, UserRepo } from '../users/ports';
import type { User } from '../users/user';
import { dynamo, tableName } from './client';
import { failedConditionIndexes, isConditionalCheckFailed } from './errors';
import { transactWrite } from './retry';
import { batchGetAll, entity } from './toolkit';

export const userKeys = {
  pk: (userId: string) => `USER#${userId}`,
  sk: () => 'PROFILE',
};

export const emailKeys = {
  pk: (email: string) => `EMAIL#${email.trim().toLowerCase()}`,
  sk: () => 'EMAIL',
};

const userEntity = entity<User>({ type: 'User', key: (user) => ({ pk: userKeys.pk(user.id), sk: userKeys.sk() }) });

const fromItem = (item: Record<string, unknown> | undefined): User | undefined => (item ? userEntity.fromItem(item) : undefined);

export const userStore: UserRepo = {
  async create(user) {
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName(),
            Item: { pk: emailKeys.pk(user.email), sk: emailKeys.sk(), type: 'EmailClaim', userId: user.id, version: 1 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: userEntity.toItem(user), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    } catch (error) {
      if (failedConditionIndexes(error).includes(0)) throw new EmailTaken();
      throw error;
    }
  },

  async get(userId) {
    const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: userKeys.pk(userId), sk: userKeys.sk() } }));
    return fromItem(result.Item);
  },

  async getMany(userIds) {
    const items = await batchGetAll(userIds.map((id) => ({ pk: userKeys.pk(id), sk: userKeys.sk() })));
    return items.map((item) => fromItem(item)!);
  },

  async findByEmail(email) {
    const claim = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: emailKeys.pk(email), sk: emailKeys.sk() }, ConsistentRead: true }),
    );
    const userId = claim.Item?.userId as string | undefined;
    return userId ? this.get(userId) : undefined;
  },

  async update(userId, changes, expectedVersion) {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1 };
    const sets: string[] = ['#version = #version + :one'];
    const removes: string[] = [];
    Object.entries(changes).forEach(([field, value], index) => {
      if (value === undefined) return;
      names[`#f${index}`] = field;
      // null clears an optional field (for instance the destination calendar).
      if (value === null) removes.push(`#f${index}`);
      else {
        values[`:v${index}`] = value;
        sets.push(`#f${index} = :v${index}`);
      }
    });
    try {
      const result = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: userKeys.pk(userId), sk: userKeys.sk() },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(result.Attributes)!;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.get(userId);
      if (!current) throw new NotFound('User');
      throw new Conflict('conflict', 'The profile changed meanwhile; read it again and retry');
    }
  },
};

/** The password hash and session generation of a user (UpdateItem on the user item; the profile's version is untouched). */
export const credentialStore: CredentialRepo = {
  async endSessions(userId) {
    try {
      const result = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: userKeys.pk(userId), sk: userKeys.sk() },
          UpdateExpression: 'ADD sessionGeneration :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.sessionGeneration);
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new NotFound('User');
      throw error;
    }
  },

  async changePassword(userId, passwordHash, expectedHash) {
    try {
      const result = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: userKeys.pk(userId), sk: userKeys.sk() },
          UpdateExpression: 'SET passwordHash = :hash ADD sessionGeneration :one',
          // Two changes racing with the same current password: only the first one stands.
          ConditionExpression: 'passwordHash = :expected',
          ExpressionAttributeValues: { ':hash': passwordHash, ':expected': expectedHash, ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.sessionGeneration);
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new Conflict('conflict', 'The password changed meanwhile; sign in again');
      throw error;
    }
  },

  async rehashPassword(userId, passwordHash, expectedHash) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: userKeys.pk(userId), sk: userKeys.sk() },
          UpdateExpression: 'SET passwordHash = :hash',
          ConditionExpression: 'passwordHash = :expected',
          ExpressionAttributeValues: { ':hash': passwordHash, ':expected': expectedHash },
        }),
      );
    } catch (error) {
      // Changed meanwhile (a password change): that hash is newer, keep it.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },
};

/** The session generation of a user (one small consistent read; bearer.ts caches it per container). */
export const userSessionStore: SessionGenerations = {
  async current(userId) {
    const result = await dynamo().send(
      new GetCommand({
        TableName: tableName(),
        Key: { pk: userKeys.pk(userId), sk: userKeys.sk() },
        ProjectionExpression: 'pk, sessionGeneration',
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    return Number(result.Item.sessionGeneration ?? 0);
  },
};

/** The destination calendar when its connection is deleted: cleared only if it is still on that connection. */
export const destinationStore: DestinationReset = {
  async clearIfOn(userId, connectionId, now) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: userKeys.pk(userId), sk: userKeys.sk() },
          UpdateExpression: 'REMOVE destinationCalendar SET updatedAt = :now, #version = #version + :one',
          ConditionExpression: 'destinationCalendar.connectionId = :connectionId',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':connectionId': connectionId, ':now': now, ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      // No destination, another connection's, or no such user: nothing to clear.
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },
};
