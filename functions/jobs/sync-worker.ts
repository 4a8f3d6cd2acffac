// SQS worker: syncs the company of each message (or writes a meeting or booking back to Google) and reports failed messages only (partial batch response).
// A failed message is first hidden for a growing retry delay (30 s, 60 s, 120 s, 240 s, 300 s by receive count,
// lib/sync/retry-backoff.ts) instead of the queue's 900 s visibility timeout; after five receives it goes to the dead-letter queue.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { secretsReady } from '../../lib/secrets';
import { jobHandler } from '../../lib/http/job';
import { metrics } from '../../lib/http/metrics';
import { processQueueRecords } from '../../lib/sync/process-message';
import { worker } from '../../lib/wiring/sync-worker';

export const handler = jobHandler(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  await secretsReady();
  const failed = await processQueueRecords(worker, event.Records, () => context.getRemainingTimeInMillis());
  metrics.publishStoredMetrics();
  return { batchItemFailures: failed.map((messageId) => ({ itemIdentifier: messageId })) };
});
