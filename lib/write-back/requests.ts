// How meetings and bookings ask for a write-back after a successful change, and how none gets lost: a message on
// the queue, or, when the queue cannot take it, a pending item that the scheduled dispatcher queues again.
import type { QueueChannel } from '../sync/queue';
import type { UserRepo } from '../users/ports';
import type { PendingWriteBacks, WriteBackMessage } from './ports';
import type { WriteBackRequests } from '../meetings/ports';
import type { Log } from '../kernel/log';

export type WriteBackRequestDeps = {
  users: Pick<UserRepo, 'get'>;
  queue: QueueChannel;
  pending: PendingWriteBacks;
  log: Log;
};

/**
 * Queues a write-back for hosts who chose a destination calendar (one profile read; no message for everyone else).
 * Never throws: the user's change stands and the request succeeds. A message the queue refuses is kept as pending
 * (one small item) and queued again by the dispatcher; only a failure of both is lost, and logged.
 */
export function createWriteBackRequests(deps: WriteBackRequestDeps): WriteBackRequests {
  return {
    async request(source, sourceId, userId) {
      const message: WriteBackMessage = { kind: 'write_back', source, sourceId, userId };
      try {
        if (!(await deps.users.get(userId))?.destinationCalendar) return;
        await deps.queue.send([message]);
      } catch (error) {
        deps.log.warn('could not queue a write-back; kept as pending', { source, sourceId, reason: (error as Error).message });
        await deps.pending.add(message).catch((pendingError: Error) => deps.log.error('write-back lost: neither queued nor kept', { source, sourceId, error: pendingError }));
      }
    },
  };
}

/** Queues the pending write-backs again (oldest first, up to `limit`), and forgets those the queue took. */
export async function requeuePendingWriteBacks(deps: Pick<WriteBackRequestDeps, 'queue' | 'pending' | 'log'>, limit = 100): Promise<number> {
  const pending = await deps.pending.list(limit);
  if (!pending.length) return 0;
  await deps.queue.send(pending.map(({ kind, source, sourceId, userId }) => ({ kind, source, sourceId, userId })));
  await deps.pending.remove(pending);
  deps.log.info('pending write-backs queued again', { count: pending.length });
  return pending.length;
}
