// Google calendars enabled for companies. Enabling writes, in one transaction: the uniqueness item
// GCAL#<calendarId>/GCAL (attribute_not_exists: a calendar belongs to at most one company), the enablement
// COMPANY#<companyId>/CAL#<calendarId> (indexed in gsi1 under SYNC#CALENDARS for the dispatcher), and
// GCONN#<connectionId>/CAL#<calendarId> (what a connection feeds, for deleting it), checking that the connection
// exists and belongs to the user who enables, and that this user is still an owner or admin of the company (so a
// member removed or demoted meanwhile cannot slip a calendar in after the check of the use case).
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ManagerRequired } from '../companies/errors';
import type { CompanyCalendar, CompanyCalendarRepo } from '../companies/ports';
import { Conflict, NotFound } from '../domain/errors';
import { dynamo, tableName } from './client';
import { companyKeys, MANAGER_ROLES } from './company-store';
import { connectionKeys } from './connection-store';
import { failedConditionIndexes } from './errors';
import { transactWrite, type TransactItems } from './retry';
import { batchGetAll, entity, queryAll, queryPages } from './toolkit';

export const calendarClaimKeys = {
  pk: (calendarId: string) => `GCAL#${calendarId}`,
  sk: () => 'GCAL',
};

export const enablementKeys = {
  pk: (companyId: string) => companyKeys.pk(companyId),
  sk: (calendarId: string) => `CAL#${calendarId}`,
  /** gsi1: every enabled calendar, sorted by company, so the dispatcher pages through companies in order. */
  syncGsi1pk: () => 'SYNC#CALENDARS',
  syncGsi1sk: (companyId: string, calendarId: string) => `${companyId}#${calendarId}`,
  connectionPk: (connectionId: string) => connectionKeys.pk(connectionId),
  connectionSk: (calendarId: string) => `CAL#${calendarId}`,
};


const taken = () => new Conflict('calendar_taken', 'This Google calendar already belongs to another company');

/** The enablement, indexed in gsi1 for the dispatcher; read back as exactly the calendar's fields. */
const enablementEntity = entity<CompanyCalendar>({
  type: 'CompanyCalendar',
  key: (calendar) => ({ pk: enablementKeys.pk(calendar.companyId), sk: enablementKeys.sk(calendar.calendarId) }),
  attributes: (calendar) => ({
    gsi1pk: enablementKeys.syncGsi1pk(),
    gsi1sk: enablementKeys.syncGsi1sk(calendar.companyId, calendar.calendarId),
    ...calendar,
    version: 1,
  }),
  parse: (item) => {
    const { companyId, calendarId, connectionId, summary, timeZone, accessRole, enabledAt, enabledBy } = item as CompanyCalendar;
    return { companyId, calendarId, connectionId, summary, timeZone, accessRole, enabledAt, enabledBy };
  },
});

/**
 * The enablement and the connection's index item, with the connection checked to still exist and be the
 * enabling user's (index 3), and that user checked to be an owner or admin of the company (index 4).
 */
function enablementWrites(calendar: CompanyCalendar): TransactItems {
  return [
    { Put: { TableName: tableName(), Item: enablementEntity.toItem(calendar) } },
    {
      Put: {
        TableName: tableName(),
        Item: {
          pk: enablementKeys.connectionPk(calendar.connectionId),
          sk: enablementKeys.connectionSk(calendar.calendarId),
          type: 'ConnectionCalendar',
          companyId: calendar.companyId,
          calendarId: calendar.calendarId,
          version: 1,
        },
      },
    },
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: { pk: connectionKeys.pk(calendar.connectionId), sk: connectionKeys.sk() },
        ConditionExpression: 'attribute_exists(pk) AND userId = :user',
        ExpressionAttributeValues: { ':user': calendar.enabledBy },
      },
    },
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: { pk: companyKeys.pk(calendar.companyId), sk: companyKeys.memberSk(calendar.enabledBy) },
        ConditionExpression: '#role IN (:owner, :admin)',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':owner': MANAGER_ROLES[0], ':admin': MANAGER_ROLES[1] },
      },
    },
  ];
}

/** A failed check of enablementWrites (at the same indexes in both enabling transactions) as a domain error. */
function enablementCheckFailure(failed: number[]): Error | undefined {
  if (failed.includes(4)) return new ManagerRequired();
  if (failed.includes(3)) return new NotFound('Connection');
  return undefined;
}

async function transact(items: TransactItems, onCondition: (failed: number[]) => Error | undefined): Promise<void> {
  try {
    await transactWrite(items);
  } catch (error) {
    const failed = failedConditionIndexes(error);
    const mapped = failed.length ? onCondition(failed) : undefined;
    throw mapped ?? error;
  }
}

export const calendarEnablementStore: CompanyCalendarRepo = {
  async enable(calendar) {
    try {
      await transact(
        [
          {
            Put: {
              TableName: tableName(),
              Item: {
                pk: calendarClaimKeys.pk(calendar.calendarId),
                sk: calendarClaimKeys.sk(),
                type: 'CalendarClaim',
                companyId: calendar.companyId,
                connectionId: calendar.connectionId,
                version: 1,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...enablementWrites(calendar),
        ],
        enablementCheckFailure,
      );
      return 'enabled';
    } catch (error) {
      if (!failedConditionIndexes(error).includes(0)) throw error;
    }
    // The calendar is claimed: by this company (enable again, possibly through another connection) or another.
    const previous = await this.get(calendar.companyId, calendar.calendarId);
    if (!previous) throw taken();
    if (previous.connectionId === calendar.connectionId) return 'already_enabled';
    await transact(
      [
        {
          Update: {
            TableName: tableName(),
            Key: { pk: calendarClaimKeys.pk(calendar.calendarId), sk: calendarClaimKeys.sk() },
            UpdateExpression: 'SET connectionId = :connection',
            ConditionExpression: 'companyId = :company',
            ExpressionAttributeValues: { ':connection': calendar.connectionId, ':company': calendar.companyId },
          },
        },
        ...enablementWrites({ ...calendar, enabledAt: previous.enabledAt }),
        {
          Delete: {
            TableName: tableName(),
            Key: { pk: enablementKeys.connectionPk(previous.connectionId), sk: enablementKeys.connectionSk(calendar.calendarId) },
          },
        },
      ],
      (failed) => (failed.includes(0) ? taken() : enablementCheckFailure(failed)),
    );
    return 'already_enabled';
  },

  async get(companyId, calendarId) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: { pk: enablementKeys.pk(companyId), sk: enablementKeys.sk(calendarId) }, ConsistentRead: true }),
    );
    return result.Item ? enablementEntity.fromItem(result.Item) : undefined;
  },

  async list(companyId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': enablementKeys.pk(companyId), ':prefix': 'CAL#' },
      ConsistentRead: true,
    });
    return items.map(enablementEntity.fromItem);
  },

  async disable(calendar) {
    await transact(
      [
        {
          Delete: {
            TableName: tableName(),
            Key: { pk: calendarClaimKeys.pk(calendar.calendarId), sk: calendarClaimKeys.sk() },
            ConditionExpression: 'companyId = :company',
            ExpressionAttributeValues: { ':company': calendar.companyId },
          },
        },
        { Delete: { TableName: tableName(), Key: { pk: enablementKeys.pk(calendar.companyId), sk: enablementKeys.sk(calendar.calendarId) } } },
        {
          Delete: {
            TableName: tableName(),
            Key: { pk: enablementKeys.connectionPk(calendar.connectionId), sk: enablementKeys.connectionSk(calendar.calendarId) },
          },
        },
      ],
      // The claim is gone or another company's: this company's enablement is stale; the deletes above did not run.
      () => new NotFound('Company calendar'),
    );
  },

  async ownersOf(calendarIds) {
    const claims = await batchGetAll(calendarIds.map((calendarId) => ({ pk: calendarClaimKeys.pk(calendarId), sk: calendarClaimKeys.sk() })));
    return new Map(claims.map((claim) => [(claim.pk as string).slice('GCAL#'.length), claim.companyId as string]));
  },

  async listForConnection(connectionId) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': enablementKeys.connectionPk(connectionId), ':prefix': 'CAL#' },
      ConsistentRead: true,
    });
    return items.map((item) => ({ companyId: item.companyId as string, calendarId: item.calendarId as string }));
  },

  async *pageAllEnabled() {
    const pages = queryPages({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': enablementKeys.syncGsi1pk() },
      ProjectionExpression: 'companyId, calendarId',
    });
    for await (const page of pages) yield page.items.map((item) => ({ companyId: item.companyId as string, calendarId: item.calendarId as string }));
  },
};
