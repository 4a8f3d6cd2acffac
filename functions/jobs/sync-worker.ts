// SQS worker: syncs the company of each message (or writes a meeting or booking back to Google) and reports failed messages only (partial batch response).
// A failed message is first hidden for a growing retry delay (30 s, 60 s, 120 s, 240 s, 300 s by receive count,
// lib/sync/retry-backoff.ts) instead of the queue's 900 s visibility timeout; after five receives it goes to the dead-letter queue.
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { secretsReady } from '../../lib/secrets';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { metrics, recordSync } from '../../lib/http/metrics';
import { syncQueueVisibility } from '../../lib/queue/sqs-queue';
import { keepForRetry } from '../../lib/sync/coalesce-syncs';
import { delayRetry } from '../../lib/sync/retry-backoff';
import { parseQueueMessage } from '../../lib/sync/messages';
import { syncCompany } from '../../lib/sync/sync-company';
import { writeBack } from '../../lib/write-back/write-back';
import { config, sync as deps, writeBack as writeBackDeps } from '../../lib/wiring/sync-worker';

// Time kept back from the Lambda timeout for writing the log and giving back the lease.
const SAFETY_MS = 15_000;
// The sync queue's maxReceiveCount (infra/resources/queues.yml): a message failing this often goes to the dead-letter queue.
const MAX_RECEIVES = 5;

/** Handles one message; false when it failed and should come back. */
async function processRecord(record: SQSRecord, context: Context): Promise<boolean> {
  const deadline = Math.min(Date.now() + config.SYNC_TIMEOUT * 1000, Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS);
  try {
    const message = parseQueueMessage(record.body);
    if ('kind' in message) {
      const outcome = await writeBack(writeBackDeps, message);
      logger.info('written back', { messageId: record.messageId, source: message.source, sourceId: message.sourceId, outcome });
      return true;
    }
    const startedAt = Date.now();
    const result = await syncCompany(deps, message.companyId, { deadline, trigger: message.trigger, deferrals: message.deferrals });
    recordSync(result.outcome, Date.now() - startedAt, result.calendars);
    logger.info('company synced', { messageId: record.messageId, companyId: message.companyId, outcome: result.outcome, calendars: result.calendars });
    if (result.outcome === 'dropped') logger.warn('sync put off too often, dropped; the next schedule syncs the company', { companyId: message.companyId, deferrals: message.deferrals });
    // A retry stands for the company's queued sync again, unless a request queued a newer one meanwhile (after the
    // last receive the message goes to the dead-letter queue instead: no flag is left behind for it).
    const lastReceive = Number(record.attributes?.ApproximateReceiveCount ?? 1) >= MAX_RECEIVES;
    if (result.retry && !lastReceive && (await keepForRetry(deps, message.companyId)) === 'covered') {
      logger.info('failed sync not retried: a newer one is queued', { messageId: record.messageId, companyId: message.companyId });
      return true;
    }
    return !result.retry;
  } catch (error) {
    logger.error('sync failed', { messageId: record.messageId, error: error as Error });
    return false;
  }
}

export const handler = jobHandler(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  await secretsReady();
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    if (await processRecord(record, context)) continue;
    // Best effort: without it the message still comes back, after the queue's visibility timeout.
    await delayRetry(syncQueueVisibility, record);
    failures.push({ itemIdentifier: record.messageId });
  }
  metrics.publishStoredMetrics();
  return { batchItemFailures: failures };
});
