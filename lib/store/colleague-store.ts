// Company membership as the visibility rules read it: a user's companies, one gsi1 query of their member items
// (USER#<userId>#COMPANIES, the access pattern "A user's companies"), only the company ids projected.
import type { ColleagueLookup } from '../meetings/colleagues';
import { companyKeys } from './company-store';
import { queryAll } from './toolkit';

export const colleagueStore: ColleagueLookup = {
  async companiesOf(userId) {
    const items = await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': companyKeys.userCompaniesGsi1pk(userId) },
      ProjectionExpression: 'companyId',
    });
    return items.map((item) => String(item.companyId));
  },
};
