// At most one queued sync per company. Every path that queues a company's sync (POST /companies/{id}/sync, the
// webhook, the dispatcher, SYNC_AFTER_CREATE, a deferred or retried message) goes through coalescingQueueChannel: a
// message is sent only for a company whose pending flag this call set, so a burst of twenty requests or push
// notifications costs one sync. The worker clears the flag as it starts (syncCompany), before it lists anything,
// so a request arriving while it runs queues the sync after it.
import type { Clock } from '../kernel/clock';
import { MINUTE_MS } from '../kernel/time-units';
import type { QueueChannel, QueueMessage, SyncMessage } from './queue';
import type { PendingSyncRepo } from './ports';

/**
 * How long a flag holds without a worker clearing it. Longer than a message normally waits (the 15 s deferral, a
 * busy queue); it only matters when a message is lost after its flag was set: requests and the schedule coalesce
 * into nothing for at most this long.
 */
export const PENDING_SYNC_TTL_MS = 10 * MINUTE_MS;
/** Conditional puts sent at once for one batch of messages (the dispatcher sends many companies). */
const MARKS_AT_ONCE = 10;

export type CoalescingDeps = { pending: PendingSyncRepo; queue: QueueChannel; clock: Clock; ttlMs?: number };

/** The queue channel, sending sync messages only for companies that had no sync queued yet (other kinds pass as they are). */
export function coalescingQueueChannel(deps: CoalescingDeps): QueueChannel {
  return {
    async send(messages, options = {}) {
      const nowMs = deps.clock.now().getTime();
      // A delayed message waits its delay on top of the usual time in the queue.
      const untilMs = nowMs + (deps.ttlMs ?? PENDING_SYNC_TTL_MS) + (options.delaySeconds ?? 0) * 1000;
      const syncs = messages.filter((message): message is SyncMessage => message.kind === 'sync');
      const fresh = new Set<QueueMessage>();
      for (let i = 0; i < syncs.length; i += MARKS_AT_ONCE) {
        const chunk = syncs.slice(i, i + MARKS_AT_ONCE);
        const marked = await Promise.all(chunk.map((message) => deps.pending.mark(message.companyId, untilMs, nowMs)));
        chunk.filter((_, index) => marked[index]).forEach((message) => fresh.add(message));
      }
      const outgoing = messages.filter((message) => message.kind !== 'sync' || fresh.has(message));
      if (!outgoing.length) return;
      try {
        await deps.queue.send(outgoing, options);
      } catch (error) {
        // Nothing was queued for them: leave no flag that would swallow the next requests until it lapses.
        await Promise.allSettled(syncs.filter((message) => fresh.has(message)).map((message) => deps.pending.clear(message.companyId)));
        throw error;
      }
    },
  };
}

/**
 * A company sync failed and SQS will deliver its message again: that message is the company's queued sync once
 * more (flag set again), unless another request queued one meanwhile; then 'covered', and this one can go.
 */
export async function keepForRetry(deps: Pick<CoalescingDeps, 'pending' | 'clock' | 'ttlMs'>, companyId: string): Promise<'retry' | 'covered'> {
  const nowMs = deps.clock.now().getTime();
  return (await deps.pending.mark(companyId, nowMs + (deps.ttlMs ?? PENDING_SYNC_TTL_MS), nowMs)) ? 'retry' : 'covered';
}
