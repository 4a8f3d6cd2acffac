// The reminder job's pending reschedules, JOB#<name> / PENDING#EVENT#<eventId> | PENDING#USER#<userId>: a reschedule
// that failed after its change was saved, kept for the job to redo from the current state.
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingReschedule, PendingReschedules, ScheduleBasis } from '../reminders/ports';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';
import { reminderKeys } from './reminder-keys';
import { queryItems } from './toolkit';

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
export function pendingReschedules(jobName: string): PendingReschedules {
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
      const result = await queryItems(
        { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': reminderKeys.pendingSkPrefix() }, ConsistentRead: true },
        { maxItems: limit },
      );
      return result.items.map(fromPendingItem);
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

