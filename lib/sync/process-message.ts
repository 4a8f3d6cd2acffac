// The queue worker's use case: each received message is parsed once, dispatched on its `kind` (a company sync or a
// write-back to Google), and judged done or failed; a failed one is hidden for its retry delay and reported back
// (partial batch response), so that SQS delivers it again and, after MAX_RECEIVES, moves it to the dead-letter queue.
import { parseQueueMessage } from './queue-messages';
import type { MessageVisibility, SyncMessage, WriteBackMessage } from './queue';
import type { WriteBackDeps } from '../write-back/ports';
import { writeBack } from '../write-back/write-back';
import { keepForRetry } from './coalesce-syncs';
import type { SyncDeps } from './ports';
import { delayRetry, type FailedRecord } from './retry-backoff';
import { syncCompany, type CompanySyncResult } from './sync-company';
import type { Log } from '../kernel/log';

/** Time kept back from the Lambda timeout for writing the log and giving back the lease. */
export const SAFETY_MS = 15_000;
/** The sync queue's maxReceiveCount (infra/resources/queues.yml): a message failing this often goes to the dead-letter queue. */
export const MAX_RECEIVES = 5;

/** The fields of a received SQS record the worker reads (the Lambda event's shape). */
export type QueueRecord = FailedRecord & { body: string };


export type ProcessMessageDeps = {
  sync: SyncDeps;
  writeBack: WriteBackDeps;
  /** Hides a failed message for its retry delay (the queue's ChangeMessageVisibility). */
  visibility: MessageVisibility;
  log: Pick<Log, 'info' | 'warn' | 'error'>;
  /** Counts a company sync in the metrics. */
  recordSync(outcome: CompanySyncResult['outcome'], durationMs: number, calendars: CompanySyncResult['calendars']): void;
  /** SYNC_TIMEOUT: how long one company's sync may start new pages. */
  syncTimeoutMs: number;
};

/** Handles the records one after the other; answers the ids of those that failed and should come back. */
export async function processQueueRecords(deps: ProcessMessageDeps, records: QueueRecord[], remainingMs: () => number): Promise<string[]> {
  const failed: string[] = [];
  for (const record of records) {
    if (await processQueueRecord(deps, record, remainingMs())) continue;
    // Best effort: without it the message still comes back, after the queue's visibility timeout.
    await delayRetry(deps.visibility, record, deps.log);
    failed.push(record.messageId);
  }
  return failed;
}

/** Handles one message; false when it failed and should come back. */
export async function processQueueRecord(deps: ProcessMessageDeps, record: QueueRecord, remainingMs: number): Promise<boolean> {
  const now = deps.sync.clock.now().getTime();
  const deadline = Math.min(now + deps.syncTimeoutMs, now + remainingMs - SAFETY_MS);
  const parsed = parseQueueMessage(record.body);
  if (!parsed.ok) {
    // Failed, not dropped: after MAX_RECEIVES the body waits in the dead-letter queue, where it can be read.
    deps.log.error('queue message refused', { messageId: record.messageId, reason: parsed.reason });
    return false;
  }
  try {
    switch (parsed.message.kind) {
      case 'sync':
        return await processSync(deps, record, parsed.message, deadline);
      case 'write_back':
        return await processWriteBack(deps, record, parsed.message);
    }
  } catch (error) {
    deps.log.error('sync failed', { messageId: record.messageId, kind: parsed.message.kind, error: error as Error });
    return false;
  }
}

/**
 * A run stopped at its deadline (a large calendar's first full sync) is queued again at once: the next run goes on
 * from the stored page token instead of waiting up to UPDATE_FREQUENCY for the schedule. Each run writes at least
 * one page, so this ends. Best effort: if the send fails, the schedule still picks the company up.
 */
async function continueSync(deps: ProcessMessageDeps, message: SyncMessage): Promise<void> {
  try {
    await deps.sync.queue.send([{ kind: 'sync', companyId: message.companyId, trigger: message.trigger }]);
    deps.log.info('sync stopped at its deadline: queued again to continue', { companyId: message.companyId });
  } catch (error) {
    deps.log.warn('sync stopped at its deadline and could not be queued again; the next schedule continues it', { companyId: message.companyId, error: error as Error });
  }
}

async function processWriteBack(deps: ProcessMessageDeps, record: QueueRecord, message: WriteBackMessage): Promise<boolean> {
  const outcome = await writeBack(deps.writeBack, message);
  deps.log.info('written back', { messageId: record.messageId, source: message.source, sourceId: message.sourceId, outcome });
  return true;
}

async function processSync(deps: ProcessMessageDeps, record: QueueRecord, message: SyncMessage, deadline: number): Promise<boolean> {
  const startedAt = deps.sync.clock.now().getTime();
  const result = await syncCompany(deps.sync, message.companyId, { deadline, trigger: message.trigger, deferrals: message.deferrals });
  deps.recordSync(result.outcome, deps.sync.clock.now().getTime() - startedAt, result.calendars);
  deps.log.info('company synced', { messageId: record.messageId, companyId: message.companyId, outcome: result.outcome, calendars: result.calendars });
  if (result.outcome === 'dropped') deps.log.warn('sync put off too often, dropped; the next schedule syncs the company', { companyId: message.companyId, deferrals: message.deferrals });
  if (result.outcome === 'partial') await continueSync(deps, message);
  // A retry stands for the company's queued sync again, unless a request queued a newer one meanwhile (after the
  // last receive the message goes to the dead-letter queue instead: no flag is left behind for it).
  const lastReceive = Number(record.attributes?.ApproximateReceiveCount ?? 1) >= MAX_RECEIVES;
  if (result.retry && !lastReceive && (await keepForRetry(deps.sync, message.companyId)) === 'covered') {
    deps.log.info('failed sync not retried: a newer one is queued', { messageId: record.messageId, companyId: message.companyId });
    return true;
  }
  return !result.retry;
}
