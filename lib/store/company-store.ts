// Companies: COMPANY#<id>/COMPANY, and one member item per user, COMPANY#<id>/MEMBER#<userId>, indexed in
// gsi1 under USER#<userId>#COMPANIES so a user's companies are one query (the company name is copied there).
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Company, CompanyRepo, Membership } from '../companies/ports';
import { dynamo, tableName } from './client';
import { queryAll } from './reads';
import { transactWrite } from './retry';

export const companyKeys = {
  pk: (companyId: string) => `COMPANY#${companyId}`,
  sk: () => 'COMPANY',
  memberSk: (userId: string) => `MEMBER#${userId}`,
  userCompaniesGsi1pk: (userId: string) => `USER#${userId}#COMPANIES`,
};

function memberItem(membership: Membership) {
  return {
    pk: companyKeys.pk(membership.companyId),
    sk: companyKeys.memberSk(membership.userId),
    gsi1pk: companyKeys.userCompaniesGsi1pk(membership.userId),
    gsi1sk: membership.companyId,
    type: 'CompanyMember',
    ...membership,
    version: 1,
  };
}

function toMembership(item: Record<string, unknown>): Membership {
  const { companyId, companyName, userId, role, addedAt } = item as Membership;
  return { companyId, companyName, userId, role, addedAt };
}

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
    await dynamo().send(new PutCommand({ TableName: tableName(), Item: memberItem(membership) }));
  },

  async removeMember(companyId, userId) {
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: { pk: companyKeys.pk(companyId), sk: companyKeys.memberSk(userId) } }));
  },
};
