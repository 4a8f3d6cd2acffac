// Users and their email uniqueness items. Keys: USER#<id> / PROFILE, and EMAIL#<lower-case email> / EMAIL.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, EmailTaken, NotFound } from '../domain/errors';
import type { DestinationReset, UserRepo } from '../users/ports';
import type { User } from '../users/user';
import { dynamo, tableName } from './client';
import { failedConditionIndexes, isConditionalCheckFailed } from './errors';
import { batchGetAll } from './reads';
import { transactWrite } from './retry';

export const userKeys = {
  pk: (userId: string) => `USER#${userId}`,
  sk: () => 'PROFILE',
};

export const emailKeys = {
  pk: (email: string) => `EMAIL#${email.trim().toLowerCase()}`,
  sk: () => 'EMAIL',
};

function toItem(user: User) {
  return { pk: userKeys.pk(user.id), sk: userKeys.sk(), type: 'User', ...user };
}

function fromItem(item: Record<string, unknown> | undefined): User | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...user } = item;
  return user as User;
}

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
        { Put: { TableName: tableName(), Item: toItem(user), ConditionExpression: 'attribute_not_exists(pk)' } },
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
