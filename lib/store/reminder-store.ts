// The reminder schedule (one partition per UTC fire minute) and the delivery keys that admit one delivery per
// reminder; the job's cursor and pending reschedules are in reminder-cursor-store.ts and reminder-pending-store.ts,
// all keys in reminder-keys.ts.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { JobCursor, PendingReschedules, ReminderScheduleRepo, ScheduledReminder } from '../reminders/ports';
import { dynamo, tableName } from './client';
import { failedConditionIndexes, isConditionalCheckFailed } from './errors';
import { notificationEntity } from './notification-store';
import { jobCursor } from './reminder-cursor-store';
import { iso, REMINDER_RETENTION_DAYS, reminderKeys } from './reminder-keys';
import { pendingReschedules } from './reminder-pending-store';
import { transactWrite } from './retry';
import { batchWriteAll, entity, queryPages } from './toolkit';

export { REMINDER_RETENTION_DAYS, reminderKeys } from './reminder-keys';

const expiresAt = (fireAt: number) => Math.floor(fireAt / 1000) + REMINDER_RETENTION_DAYS * 86_400;

/** A schedule entry; reading gives null for an item that is not a whole entry (written behind the API, half-written). */
const entryEntity = entity<ScheduledReminder, ScheduledReminder | null>({
  type: 'ReminderEntry',
  key: (entry) => ({ pk: reminderKeys.minutePk(entry.fireAt), sk: reminderKeys.entrySk(entry) }),
  attributes: (entry) => ({
    eventId: entry.eventId,
    userId: entry.userId,
    minutes: entry.minutes,
    occurrenceStart: iso(entry.occurrenceStart),
    fireAt: iso(entry.fireAt),
    expiresAt: expiresAt(entry.fireAt),
    version: 1,
  }),
  parse: (item) => {
    const entry = {
      eventId: item.eventId as string,
      userId: item.userId as string,
      minutes: item.minutes as number,
      occurrenceStart: Date.parse(item.occurrenceStart as string),
      fireAt: Date.parse(item.fireAt as string),
    };
    const whole =
      typeof entry.eventId === 'string' && typeof entry.userId === 'string' && Number.isSafeInteger(entry.minutes) &&
      Number.isFinite(entry.occurrenceStart) && Number.isFinite(entry.fireAt);
    return whole ? entry : null;
  },
});

const entryKey = entryEntity.key;

/** One batch may not name the same key twice. */
function distinct(entries: ScheduledReminder[]): ScheduledReminder[] {
  return [...new Map(entries.map((entry) => [`${entryKey(entry).pk}#${entryKey(entry).sk}`, entry])).values()];
}

export const reminderStore: ReminderScheduleRepo & { cursor(jobName: string): JobCursor; pending(jobName: string): PendingReschedules } = {
  async put(entries) {
    await batchWriteAll(distinct(entries).map((entry) => ({ PutRequest: { Item: entryEntity.toItem(entry) } })));
  },

  async remove(entries) {
    await batchWriteAll(distinct(entries).map((entry) => ({ DeleteRequest: { Key: entryKey(entry) } })));
  },

  async listMinute(minute) {
    const entries: ScheduledReminder[] = [];
    const pages = queryPages({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': reminderKeys.minutePk(minute) }, ConsistentRead: true });
    // Not an entry: left out (it expires with the bucket's TTL, or stays inert) rather than failing the whole job.
    for await (const page of pages) entries.push(...page.items.flatMap((item) => entryEntity.fromItem(item) ?? []));
    return entries;
  },

  async recordFailure(entry) {
    try {
      const result = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: entryKey(entry),
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return result.Attributes?.attempts as number;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 0;
      throw error;
    }
  },

  async deliver(entry, notification) {
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName(),
            Item: {
              pk: reminderKeys.deliveryPk(entry),
              sk: reminderKeys.deliverySk(),
              type: 'ReminderDelivery',
              notificationId: notification.id,
              deliveredAt: notification.deliveredAt,
              expiresAt: expiresAt(entry.fireAt),
              version: 1,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: notificationEntity.toItem(notification), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Delete: { TableName: tableName(), Key: entryKey(entry) } },
      ]);
      return true;
    } catch (error) {
      if (failedConditionIndexes(error).includes(0)) return false;
      throw error;
    }
  },

  pending: pendingReschedules,
  cursor: jobCursor,
};
