// The mail outbox: one item per mail to send, written in the same transaction as the change that causes it, then
// claimed, sent and marked by the mail sender. Keys: OUTBOX#<outboxId> / OUTBOX; while the item waits, gsi1
// OUTBOX#DUE / <when it is next due ISO>#<outboxId>; once dead, gsi1 OUTBOX#DEAD / <died at ISO>#<outboxId>.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { MailMessage } from '../domain/mail-messages';
import type { ClaimedOutboxItem, NewOutboxItem, OutboxRepo, OutboxStatus } from '../mail-outbox/ports';
import { dynamo, tableName } from './client';
import { isConditionalCheckFailed } from './errors';
import type { TransactItems } from './retry';
import { queryItems } from './toolkit';

/** Sent and dead items stay this long (TTL) for the record; a sent one keeps no content. */
export const OUTBOX_RETENTION_DAYS = 14;

/** Child items written at once when a `meeting_mail` item is expanded. */
const EXPAND_CONCURRENCY = 10;

const iso = (epochMs: number) => new Date(epochMs).toISOString();

export const outboxKeys = {
  pk: (outboxId: string) => `OUTBOX#${outboxId}`,
  sk: () => 'OUTBOX',
  duePk: () => 'OUTBOX#DUE',
  dueSk: (dueAt: number, outboxId: string) => `${iso(dueAt)}#${outboxId}`,
  deadPk: () => 'OUTBOX#DEAD',
  deadSk: (diedAt: number, outboxId: string) => `${iso(diedAt)}#${outboxId}`,
};

const key = (outboxId: string) => ({ pk: outboxKeys.pk(outboxId), sk: outboxKeys.sk() });
const expiresAt = (now: number) => Math.floor(now / 1000) + OUTBOX_RETENTION_DAYS * 86_400;

function toItem(entry: NewOutboxItem) {
  const status: OutboxStatus = 'pending';
  return {
    ...key(entry.id),
    type: 'MailOutbox',
    version: 1,
    outboxId: entry.id,
    kind: entry.message.kind,
    // The whole message as JSON: the facts it renders from, the guest's cancel token among them (dropped when sent).
    message: JSON.stringify(entry.message),
    status,
    attempts: 0,
    nextAttemptAt: entry.createdAt,
    createdAt: iso(entry.createdAt),
    gsi1pk: outboxKeys.duePk(),
    gsi1sk: outboxKeys.dueSk(entry.createdAt, entry.id),
  };
}

/** The stored message, or undefined for one that is not JSON of an object with a kind (damaged, or written by hand). */
function readMessage(stored: unknown): MailMessage | undefined {
  try {
    const message = typeof stored === 'string' ? JSON.parse(stored) : undefined;
    return message && typeof message === 'object' && typeof message.kind === 'string' ? (message as MailMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** The `Put` of a new outbox item, for the TransactWriteItems of the change that causes the mail. */
export function outboxPut(entry: NewOutboxItem): TransactItems[number] {
  return { Put: { TableName: tableName(), Item: toItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/**
 * A claimed item done: sent (or expanded into its children), if this claim still holds it. The content goes (it may
 * hold a guest's cancel token), and with the index keys it leaves the due index. False when another claim took it.
 */
async function finishSent(item: ClaimedOutboxItem, now: number, fields: Record<string, string | number>): Promise<boolean> {
  const names = Object.keys(fields);
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(item.id),
        UpdateExpression:
          `SET #status = :sent, sentAt = :sentAt, expiresAt = :expiresAt${names.map((name) => `, #${name} = :${name}`).join('')} ` +
          'REMOVE message, claimToken, leaseUntil, gsi1pk, gsi1sk ADD version :one',
        ConditionExpression: '#status = :sending AND claimToken = :token',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':sending': 'sending',
          ':token': item.claimToken,
          ':sentAt': iso(now),
          ':expiresAt': expiresAt(now),
          ':one': 1,
          ...Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

export const outboxStore: OutboxRepo & {
  /** A new item on its own (tests, and changes that write nothing else). */
  write(entry: NewOutboxItem): Promise<void>;
  /** The item as stored (tests, operators): its status, attempts, SES message id and last error. */
  get(outboxId: string): Promise<Record<string, unknown> | null>;
  /** Dead items, newest first. */
  listDead(limit: number): Promise<string[]>;
} = {
  async write(entry) {
    await dynamo().send(new PutCommand(outboxPut(entry).Put!));
  },

  async get(outboxId) {
    const { Item } = await dynamo().send(new GetCommand({ TableName: tableName(), Key: key(outboxId), ConsistentRead: true }));
    return Item ?? null;
  },

  async listDue(now, limit, since = 0) {
    // `~` sorts after every id character: everything due from `since` up to and including `now`.
    const { items } = await queryItems(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :due AND gsi1sk BETWEEN :since AND :now',
        ExpressionAttributeValues: { ':due': outboxKeys.duePk(), ':since': iso(since), ':now': `${iso(now)}~` },
        ProjectionExpression: 'outboxId',
      },
      { maxItems: limit },
    );
    return items.map((item) => item.outboxId as string);
  },

  async listDead(limit) {
    const { items } = await queryItems(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :dead', ExpressionAttributeValues: { ':dead': outboxKeys.deadPk() }, ProjectionExpression: 'outboxId', ScanIndexForward: false },
      { maxItems: limit },
    );
    return items.map((item) => item.outboxId as string);
  },

  async claim(outboxId, now, leaseMs) {
    const claimToken = randomUUID();
    const leaseUntil = now + leaseMs;
    try {
      const { Attributes } = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key(outboxId),
          // The index key moves to the lease's end: if this sender dies, the sweep finds the item again then.
          UpdateExpression:
            'SET #status = :sending, leaseUntil = :leaseUntil, claimToken = :token, gsi1sk = :dueSk ADD attempts :one, version :one',
          ConditionExpression:
            'attribute_exists(pk) AND ((#status = :pending AND nextAttemptAt <= :now) OR (#status = :sending AND leaseUntil <= :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':now': now,
            ':leaseUntil': leaseUntil,
            ':token': claimToken,
            ':dueSk': outboxKeys.dueSk(leaseUntil, outboxId),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return {
        id: outboxId,
        message: readMessage(Attributes!.message),
        attempts: Attributes!.attempts as number,
        claimToken,
      };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return null;
      throw error;
    }
  },

  markSent: (item: ClaimedOutboxItem, transportMessageId, now) =>
    // What was sent, when and as which SES message stays.
    finishSent(item, now, { sesMessageId: transportMessageId }),

  async expand(item, children, now) {
    // One conditional Put each (a few at once), not a transaction: a retry after a crash finds some written and
    // leaves them be, whatever they became since.
    const putOnce = async (child: NewOutboxItem) => {
      try {
        await dynamo().send(new PutCommand(outboxPut(child).Put!));
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    };
    for (let index = 0; index < children.length; index += EXPAND_CONCURRENCY) await Promise.all(children.slice(index, index + EXPAND_CONCURRENCY).map(putOnce));
    return finishSent(item, now, { expandedInto: children.length });
  },

  async markFailed(item, reason, now, retryAt) {
    const dead = retryAt === null;
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key(item.id),
          UpdateExpression: dead
            ? 'SET #status = :dead, lastError = :reason, diedAt = :at, expiresAt = :expiresAt, gsi1pk = :deadPk, gsi1sk = :deadSk REMOVE claimToken, leaseUntil ADD version :one'
            : 'SET #status = :pending, lastError = :reason, nextAttemptAt = :retryAt, gsi1sk = :dueSk REMOVE claimToken, leaseUntil ADD version :one',
          ConditionExpression: '#status = :sending AND claimToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':token': item.claimToken,
            ':reason': reason,
            ':one': 1,
            ...(dead
              ? { ':dead': 'dead', ':at': iso(now), ':expiresAt': expiresAt(now), ':deadPk': outboxKeys.deadPk(), ':deadSk': outboxKeys.deadSk(now, item.id) }
              : { ':pending': 'pending', ':retryAt': retryAt, ':dueSk': outboxKeys.dueSk(retryAt, item.id) }),
          },
        }),
      );
    } catch (error) {
      // The lease ran out and another sender holds the item now: its outcome is the one that counts.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },
};
