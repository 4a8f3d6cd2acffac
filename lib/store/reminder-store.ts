// The reminder schedule (one partition per UTC fire minute), the delivery keys that admit one delivery per
// reminder, and the job cursor. Keys: REMINDERS#<YYYY-MM-DDTHH:MM> / <eventId>#<occurrenceStart>#<minutes>#<userId>,
// NOTIFY#<eventId>#<occurrenceStart>#<minutes>#<userId> / DELIVERY, JOB#<name> / CURSOR, and the job's pending reschedules
// JOB#<name> / PENDING#EVENT#<eventId> | PENDING#USER#<userId>.
import { BatchWriteCommand, type BatchWriteCommandOutput, DeleteCommand, GetCommand, QueryCommand, type QueryCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { JobCursor, PendingReschedule, PendingReschedules, ReminderScheduleRepo, ScheduleBasis, ScheduledReminder } from '../reminders/ports';
import { dynamo, tableName } from './client';
import { failedConditionIndexes, isConditionalCheckFailed } from './errors';
import { notificationItem } from './notification-store';
import { transactWrite } from './retry';

/** Schedule entries and delivery keys outlive their fire time by this much (TTL), long past any re-run. */
export const REMINDER_RETENTION_DAYS = 14;

const iso = (epochMs: number) => new Date(epochMs).toISOString();
/** `2030-01-14T09:50`: the UTC minute, sortable as text. */
const minuteText = (epochMs: number) => iso(epochMs).slice(0, 16);
const reminderId = (r: Pick<ScheduledReminder, 'eventId' | 'occurrenceStart' | 'minutes' | 'userId'>) =>
  `${r.eventId}#${iso(r.occurrenceStart)}#${r.minutes}#${r.userId}`;

export const reminderKeys = {
  minutePk: (minute: number) => `REMINDERS#${minuteText(minute)}`,
  entrySk: reminderId,
  deliveryPk: (reminder: Pick<ScheduledReminder, 'eventId' | 'occurrenceStart' | 'minutes' | 'userId'>) => `NOTIFY#${reminderId(reminder)}`,
  deliverySk: () => 'DELIVERY',
  cursorPk: (jobName: string) => `JOB#${jobName}`,
  cursorSk: () => 'CURSOR',
  /** Pending reschedules share the job's partition: JOB#<name> / PENDING#EVENT#<eventId> or PENDING#USER#<userId>. */
  pendingSk: (item: { kind: 'meeting'; eventId: string } | { kind: 'user'; userId: string }) =>
    item.kind === 'meeting' ? `PENDING#EVENT#${item.eventId}` : `PENDING#USER#${item.userId}`,
  pendingSkPrefix: () => 'PENDING#',
};

const expiresAt = (fireAt: number) => Math.floor(fireAt / 1000) + REMINDER_RETENTION_DAYS * 86_400;

function entryKey(entry: ScheduledReminder) {
  return { pk: reminderKeys.minutePk(entry.fireAt), sk: reminderKeys.entrySk(entry) };
}

function toItem(entry: ScheduledReminder) {
  return {
    ...entryKey(entry),
    type: 'ReminderEntry',
    eventId: entry.eventId,
    userId: entry.userId,
    minutes: entry.minutes,
    occurrenceStart: iso(entry.occurrenceStart),
    fireAt: iso(entry.fireAt),
    expiresAt: expiresAt(entry.fireAt),
    version: 1,
  };
}

/** The entry an item holds, or null for an item that is not a whole entry (written behind the API, half-written). */
function fromItem(item: Record<string, unknown>): ScheduledReminder | null {
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
}

type WriteRequest = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string][number];

/** BatchWriteItem in chunks of 25, asking again for unprocessed items (DynamoDB returns them under load). */
async function batchWrite(requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt >= 8) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
      const result: BatchWriteCommandOutput = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = result.UnprocessedItems?.[tableName()];
    }
  }
}

/** One batch may not name the same key twice. */
function distinct(entries: ScheduledReminder[]): ScheduledReminder[] {
  return [...new Map(entries.map((entry) => [`${entryKey(entry).pk}#${entryKey(entry).sk}`, entry])).values()];
}

function fromPendingItem(item: Record<string, unknown>): PendingReschedule {
  const common = { keptAt: Date.parse(item.keptAt as string), version: item.version as number };
  if (item.kind === 'user') {
    return {
      kind: 'user',
      userId: item.userId as string,
      previousMinutes: [...((item.previousMinutes as Set<number> | undefined) ?? [])].sort((a, b) => a - b),
      ...(item.cursor ? { cursor: item.cursor as string } : {}),
      ...common,
    };
  }
  return {
    kind: 'meeting',
    eventId: item.eventId as string,
    previous: ((item.previous as string[] | undefined) ?? []).map((text) => JSON.parse(text) as ScheduleBasis),
    ...common,
  };
}

/** Pending reschedules of the job `jobName` (see PendingReschedules). Each keep is one UpdateItem; nothing here scans. */
function pendingReschedules(jobName: string): PendingReschedules {
  const pk = reminderKeys.cursorPk(jobName);
  const keyOf = (item: Parameters<typeof reminderKeys.pendingSk>[0]) => ({ pk, sk: reminderKeys.pendingSk(item) });

  /** One UpdateItem: sets the kind and the first keptAt, bumps the version, and adds or sets what this keep brings. */
  async function keep(key: Record<string, string>, update: { set?: string[]; add?: string[]; remove?: string[] }, names: Record<string, string>, values: Record<string, unknown>, keptAt: number) {
    const sets = ['#type = :type', '#keptAt = if_not_exists(#keptAt, :keptAt)', ...(update.set ?? [])];
    const adds = ['#version :one', ...(update.add ?? [])];
    const expression = `SET ${sets.join(', ')} ADD ${adds.join(', ')}${update.remove?.length ? ` REMOVE ${update.remove.join(', ')}` : ''}`;
    // Callers pass only the names and values their parts use: DynamoDB refuses unused ones.
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: expression,
        ExpressionAttributeNames: { '#type': 'type', '#version': 'version', '#keptAt': 'keptAt', ...names },
        ExpressionAttributeValues: { ':type': 'PendingReschedule', ':keptAt': new Date(keptAt).toISOString(), ':one': 1, ...values },
      }),
    );
  }

  /** A conditional write on the version read; a lost condition means it was kept again meanwhile, which is fine. */
  async function ifUnchanged(write: () => Promise<unknown>) {
    try {
      await write();
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  return {
    async keepMeeting(eventId, previous, keptAt) {
      // Several failed saves of one meeting before a repair: each leaves its previous state in the list.
      const set = ['#kind = :kind', '#eventId = :eventId', ...(previous ? ['#previous = list_append(if_not_exists(#previous, :noStates), :previous)'] : [])];
      const values = { ':kind': 'meeting', ':eventId': eventId, ...(previous ? { ':noStates': [], ':previous': [JSON.stringify(previous)] } : {}) };
      await keep(keyOf({ kind: 'meeting', eventId }), { set }, { '#kind': 'kind', '#eventId': 'eventId', ...(previous ? { '#previous': 'previous' } : {}) }, values, keptAt);
    },

    async keepUser(userId, kept, keptAt) {
      const set = ['#kind = :kind', '#userId = :userId', ...(kept.cursor ? ['#cursor = :cursor'] : [])];
      const values: Record<string, unknown> = { ':kind': 'user', ':userId': userId, ...(kept.cursor ? { ':cursor': kept.cursor } : {}) };
      const add = kept.previousMinutes.length ? ['#previousMinutes :previousMinutes'] : [];
      if (kept.previousMinutes.length) values[':previousMinutes'] = new Set(kept.previousMinutes);
      await keep(
        keyOf({ kind: 'user', userId }),
        { set, add, remove: kept.cursor ? [] : ['#cursor'] },
        { '#kind': 'kind', '#userId': 'userId', '#cursor': 'cursor', ...(kept.previousMinutes.length ? { '#previousMinutes': 'previousMinutes' } : {}) },
        values,
        keptAt,
      );
    },

    async getUser(userId) {
      const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: keyOf({ kind: 'user', userId }), ConsistentRead: true }));
      return result.Item ? (fromPendingItem(result.Item) as Extract<PendingReschedule, { kind: 'user' }>) : undefined;
    },

    async list(limit) {
      const result = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': reminderKeys.pendingSkPrefix() },
          ConsistentRead: true,
          Limit: limit,
        }),
      );
      return (result.Items ?? []).map(fromPendingItem);
    },

    async remove(item) {
      await ifUnchanged(() =>
        dynamo().send(
          new DeleteCommand({
            TableName: tableName(),
            Key: keyOf(item),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': item.version },
          }),
        ),
      );
    },

    async advance(item, cursor) {
      await ifUnchanged(() =>
        dynamo().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: keyOf(item),
            UpdateExpression: 'SET #cursor = :cursor',
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#cursor': 'cursor', '#version': 'version' },
            ExpressionAttributeValues: { ':cursor': cursor, ':version': item.version },
          }),
        ),
      );
    },
  };
}

export const reminderStore: ReminderScheduleRepo & { cursor(jobName: string): JobCursor; pending(jobName: string): PendingReschedules } = {
  async put(entries) {
    await batchWrite(distinct(entries).map((entry) => ({ PutRequest: { Item: toItem(entry) } })));
  },

  async remove(entries) {
    await batchWrite(distinct(entries).map((entry) => ({ DeleteRequest: { Key: entryKey(entry) } })));
  },

  async listMinute(minute) {
    const entries: ScheduledReminder[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await dynamo().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': reminderKeys.minutePk(minute) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      // Not an entry: left out (it expires with the bucket's TTL, or stays inert) rather than failing the whole job.
      entries.push(...(page.Items ?? []).flatMap((item) => fromItem(item) ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
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
        { Put: { TableName: tableName(), Item: notificationItem(notification), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Delete: { TableName: tableName(), Key: entryKey(entry) } },
      ]);
      return true;
    } catch (error) {
      if (failedConditionIndexes(error).includes(0)) return false;
      throw error;
    }
  },

  pending: pendingReschedules,

  cursor(jobName) {
    const key = { pk: reminderKeys.cursorPk(jobName), sk: reminderKeys.cursorSk() };
    return {
      async read() {
        const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
        const next = result.Item?.nextMinute as string | undefined;
        return next ? Date.parse(`${next}:00Z`) : undefined;
      },
      async advance(minute) {
        try {
          await dynamo().send(
            new UpdateCommand({
              TableName: tableName(),
              Key: key,
              UpdateExpression: 'SET nextMinute = :next, #type = :type, #version = if_not_exists(#version, :zero) + :one',
              ConditionExpression: 'attribute_not_exists(pk) OR nextMinute < :next',
              ExpressionAttributeNames: { '#type': 'type', '#version': 'version' },
              ExpressionAttributeValues: { ':next': minuteText(minute), ':type': 'JobCursor', ':zero': 0, ':one': 1 },
            }),
          );
        } catch (error) {
          // Another run has already moved it as far or further.
          if (!isConditionalCheckFailed(error)) throw error;
        }
      },
    };
  },
};
