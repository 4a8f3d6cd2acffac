// The light producers several functions share: coalesced sync requests and write-back requests, both onto the
// sync queue. No Google client and no use case beyond the request itself, so small functions stay small.
import { logger } from '../../http/logger';
import { systemClock } from '../../kernel/clock';
import type { WriteBackRequests } from '../../meetings/ports';
import { queueChannel } from '../../queue/sqs-queue';
import { pendingSyncStore } from '../../store/pending-sync-store';
import { userStore } from '../../store/user-store';
import { pendingWriteBackStore } from '../../store/write-back-store';
import { coalescingQueueChannel } from '../../sync/coalesce-syncs';
import type { QueueChannel } from '../../sync/queue';
import { createWriteBackRequests, type WriteBackRequestDeps } from '../../write-back/requests';

/** Requests, SYNC_AFTER_CREATE, notifications, the dispatcher and the worker's deferrals: one queued sync per company at most. */
export function syncRequests(): QueueChannel {
  return coalescingQueueChannel({ pending: pendingSyncStore, queue: queueChannel, clock: systemClock });
}

export function writeBackRequestDeps(): WriteBackRequestDeps {
  return { users: userStore, queue: queueChannel, pending: pendingWriteBackStore, log: logger };
}

export function writeBackRequests(): WriteBackRequests {
  return createWriteBackRequests(writeBackRequestDeps());
}
