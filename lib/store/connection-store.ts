// Google connections: the master GCONN#<id>/GCONN (encrypted refresh token, status) and the claim
// USER#<userId>#GCONN/<email>, one per user and Google account, which makes a second consent update the
// existing connection instead of adding another; the claim partition also lists a user's connections.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Connection, ConnectionRepo } from '../connections/ports';
import { NotFound } from '../domain/errors';
import { dynamo, tableName } from './client';
import { failedConditionIndexes, isConditionalCheckFailed } from './errors';
import { outboxPut } from './outbox-store';
import { transactWrite } from './retry';
import { userStore } from './user-store';
import { batchGetAll, entity, queryAll } from './toolkit';

export const connectionKeys = {
  pk: (connectionId: string) => `GCONN#${connectionId}`,
  sk: () => 'GCONN',
};

export const accountClaimKeys = {
  pk: (userId: string) => `USER#${userId}#GCONN`,
  sk: (email: string) => email.trim().toLowerCase(),
};

const connectionEntity = entity<Connection>({ type: 'GoogleConnection', key: (connection) => ({ pk: connectionKeys.pk(connection.id), sk: connectionKeys.sk() }) });

const fromItem = (item: Record<string, unknown> | undefined): Connection | undefined => (item ? connectionEntity.fromItem(item) : undefined);

export const connectionStore: ConnectionRepo = {
  async create(connection) {
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName(),
            Item: {
              pk: accountClaimKeys.pk(connection.userId),
              sk: accountClaimKeys.sk(connection.email),
              type: 'GoogleAccountClaim',
              connectionId: connection.id,
              version: 1,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: connectionEntity.toItem(connection), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
      return true;
    } catch (error) {
      if (failedConditionIndexes(error).includes(0)) return false;
      throw error;
    }
  },

  async get(connectionId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: connectionKeys.pk(connectionId), sk: connectionKeys.sk() }, ConsistentRead: true }),
    );
    return fromItem(result.Item);
  },

  async findByAccount(userId, email) {
    const claim = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: accountClaimKeys.pk(userId), sk: accountClaimKeys.sk(email) }, ConsistentRead: true }),
    );
    const connectionId = claim.Item?.connectionId as string | undefined;
    return connectionId ? this.get(connectionId) : undefined;
  },

  async listForUser(userId) {
    const claims = await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': accountClaimKeys.pk(userId) },
      ProjectionExpression: 'connectionId',
      ConsistentRead: true,
    });
    const items = await batchGetAll(claims.map((claim) => ({ pk: connectionKeys.pk(claim.connectionId as string), sk: connectionKeys.sk() })));
    return items.map((item) => fromItem(item)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  },

  async updateGrant(connectionId, grant, now) {
    try {
      const result = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: connectionKeys.pk(connectionId), sk: connectionKeys.sk() },
          UpdateExpression:
            'SET encryptedRefreshToken = :token, scopes = :scopes, #status = :active, updatedAt = :now, #version = #version + :one' +
            (grant.subject ? ', subject = :subject' : '') +
            ' REMOVE statusReason',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: {
            ':token': grant.encryptedRefreshToken,
            ':scopes': grant.scopes,
            ':active': 'active',
            ':now': now,
            ':one': 1,
            ...(grant.subject ? { ':subject': grant.subject } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(result.Attributes)!;
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new NotFound('Connection');
      throw error;
    }
  },

  async markNeedsReconsent(connectionId, reason, now, mail = []) {
    try {
      // Only the transition writes (and mails): a second worker that met the same invalid_grant finds it marked.
      await transactWrite([
        {
          Update: {
            TableName: tableName(),
            Key: { pk: connectionKeys.pk(connectionId), sk: connectionKeys.sk() },
            UpdateExpression: 'SET #status = :status, statusReason = :reason, updatedAt = :now, #version = #version + :one',
            ConditionExpression: 'attribute_exists(pk) AND #status <> :status',
            ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
            ExpressionAttributeValues: { ':status': 'needs_reconsent', ':reason': reason, ':now': now, ':one': 1 },
          },
        },
        ...mail.map(outboxPut),
      ]);
    } catch (error) {
      // Deleted meanwhile, or marked already: nothing to mark, nobody to tell again.
      if (!failedConditionIndexes(error).includes(0)) throw error;
    }
  },

  async ownerContact(userId) {
    const owner = await userStore.get(userId);
    return owner ? { name: owner.name, email: owner.email, timeZone: owner.timeZone } : undefined;
  },

  async delete(connection) {
    await transactWrite([
      { Delete: { TableName: tableName(), Key: { pk: connectionKeys.pk(connection.id), sk: connectionKeys.sk() } } },
      { Delete: { TableName: tableName(), Key: { pk: accountClaimKeys.pk(connection.userId), sk: accountClaimKeys.sk(connection.email) } } },
    ]);
  },
};
