// Companies: COMPANY#<id>/COMPANY, and one member item per user, COMPANY#<id>/MEMBER#<userId>, indexed in
// gsi1 under USER#<userId>#COMPANIES so a user's companies are one query (the company name is copied there).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { OwnerRequired } from '../companies/errors';
import type { Company, CompanyRepo, Membership } from '../companies/ports';
import { Conflict } from '../domain/errors';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';
import { transactWrite } from './retry';
import { entity, queryAll } from './toolkit';

export const companyKeys = {
  pk: (companyId: string) => `COMPANY#${companyId}`,
  sk: () => 'COMPANY',
  memberSk: (userId: string) => `MEMBER#${userId}`,
  userCompaniesGsi1pk: (userId: string) => `USER#${userId}#COMPANIES`,
};

/** Roles that may enable, disable and sync calendars and manage members (a condition in other stores' writes). */
export const MANAGER_ROLES = ['owner', 'admin'] as const;

const changedMeanwhile = () => new Conflict('conflict', 'The membership changed meanwhile; read the company again and retry');

/** A member item, indexed in gsi1 under the user for "a user's companies". */
const memberEntity = entity<Membership>({
  type: 'CompanyMember',
  key: (membership) => ({ pk: companyKeys.pk(membership.companyId), sk: companyKeys.memberSk(membership.userId) }),
  attributes: (membership) => ({ gsi1pk: companyKeys.userCompaniesGsi1pk(membership.userId), gsi1sk: membership.companyId, ...membership, version: 1 }),
  parse: (item) => {
    const { companyId, companyName, userId, role, addedAt } = item as Membership;
    // Every member item has carried its role since companies exist (the creator's is 'owner'); a missing one is the least.
    return { companyId, companyName, userId, role: role ?? 'member', addedAt };
  },
});
const memberItem = memberEntity.toItem;
const toMembership = memberEntity.fromItem;

export const companyStore: CompanyRepo = {
  async create(company) {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: { pk: companyKeys.pk(company.id), sk: companyKeys.sk(), type: 'Company', ...company },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: memberItem({ companyId: company.id, companyName: company.name, userId: company.ownerId, role: 'owner', addedAt: company.createdAt }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  },

  async get(companyId) {
    const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: companyKeys.pk(companyId), sk: companyKeys.sk() } }));
    if (!result.Item) return undefined;
    const { id, name, ownerId, createdAt, version } = result.Item as Company;
    return { id, name, ownerId, createdAt, version };
  },

  async getMembership(companyId, userId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: companyKeys.pk(companyId), sk: companyKeys.memberSk(userId) }, ConsistentRead: true }),
    );
    return result.Item ? toMembership(result.Item) : undefined;
  },

  async listMembers(companyId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': companyKeys.pk(companyId), ':prefix': 'MEMBER#' },
    });
    return items.map(toMembership);
  },

  async listForUser(userId) {
    const items = await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': companyKeys.userCompaniesGsi1pk(userId) },
    });
    return items.map(toMembership);
  },

  async addMember(membership) {
    try {
      await dynamo().send(new PutCommand({ TableName: tableName(), Item: memberItem(membership), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw changedMeanwhile();
      throw error;
    }
  },

  async changeRole(membership, expected) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: companyKeys.pk(membership.companyId), sk: companyKeys.memberSk(membership.userId) },
          UpdateExpression: 'SET #role = :role',
          ConditionExpression: '#role = :expected',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':role': membership.role, ':expected': expected },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw changedMeanwhile();
      throw error;
    }
  },

  async removeMember(companyId, userId) {
    try {
      await dynamo().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: { pk: companyKeys.pk(companyId), sk: companyKeys.memberSk(userId) },
          // The owner's item is never deleted, whoever asks: a company always has its owner.
          ConditionExpression: 'attribute_not_exists(pk) OR #role <> :owner',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':owner': 'owner' },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new OwnerRequired();
      throw error;
    }
  },
};
