// Concurrency of syncs. The company lease COMPANY#<companyId>/SYNCLEASE makes sure one company never syncs
// twice at once; the slots SYNC#SLOTS/SLOT#<n> (n < MAX_PARALLEL_COMPANY_SYNC) bound how many companies sync
// at once. Each is taken with a conditional put (free, lapsed, or already ours) and given back with a
// conditional delete; expiresAt (TTL) clears the items a crashed worker left behind.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SyncLeaseRepo } from '../sync/ports';
import { dynamo, tableName } from './client';
import { companyKeys } from './company-store';
import { isConditionalCheckFailed } from './errors';

export const syncLeaseKeys = {
  companyPk: (companyId: string) => companyKeys.pk(companyId),
  companySk: () => 'SYNCLEASE',
  slotPk: () => 'SYNC#SLOTS',
  slotSk: (slot: number) => `SLOT#${slot}`,
};

async function take(key: { pk: string; sk: string }, owner: string, untilMs: number, nowMs: number): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, type: 'SyncLease', owner, leaseUntil: untilMs, expiresAt: Math.ceil(untilMs / 1000) + 3600, version: 1 },
        ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': nowMs, ':owner': owner },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

async function give(key: { pk: string; sk: string }, owner: string): Promise<void> {
  try {
    await dynamo().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: key,
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (error) {
    // Lapsed and taken over by another worker: it is theirs now.
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

export const syncLeaseStore: SyncLeaseRepo = {
  acquireCompany: (companyId, owner, untilMs, nowMs) =>
    take({ pk: syncLeaseKeys.companyPk(companyId), sk: syncLeaseKeys.companySk() }, owner, untilMs, nowMs),

  releaseCompany: (companyId, owner) => give({ pk: syncLeaseKeys.companyPk(companyId), sk: syncLeaseKeys.companySk() }, owner),

  async acquireSlot(owner, slots, untilMs, nowMs) {
    // Start at a random slot so that workers do not all contend for slot 0.
    const first = Math.floor(Math.random() * slots);
    for (let i = 0; i < slots; i++) {
      const slot = (first + i) % slots;
      if (await take({ pk: syncLeaseKeys.slotPk(), sk: syncLeaseKeys.slotSk(slot) }, owner, untilMs, nowMs)) return slot;
    }
    return undefined;
  },

  releaseSlot: (slot, owner) => give({ pk: syncLeaseKeys.slotPk(), sk: syncLeaseKeys.slotSk(slot) }, owner),
};
