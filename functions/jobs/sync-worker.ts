// SQS worker: syncs the company of each message (or writes a meeting or booking back to Google) and reports failed messages only (partial batch response).
// A failed message is first hidden for a growing retry delay (30 s, 60 s, 120 s, 240 s, 300 s by receive count,
// lib/sync/retry-backoff.ts) instead of the queue's 900 s visibility timeout; after five receives it goes to the dead-letter queue.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { secretsReady } from '../../lib/secrets';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { metrics, recordSync } from '../../lib/http/metrics';
import { syncQueueVisibility } from '../../lib/queue/sqs-queue';
import { createSyncDeps } from '../../lib/sync/deps';
import { processQueueRecords, type ProcessMessageDeps } from '../../lib/sync/process-message';
import { createWriteBackDeps } from '../../lib/write-back/deps';

const config = getConfig();
// AUTH_SECRET keys the ids of our copies in Google (lib/write-back/write-back.ts googleEventIdFor).
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);
const deps: ProcessMessageDeps = {
  sync: createSyncDeps(),
  writeBack: createWriteBackDeps(),
  visibility: syncQueueVisibility,
  log: logger,
  recordSync,
  syncTimeoutMs: config.SYNC_TIMEOUT * 1000,
};

export const handler = jobHandler(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  await secretsReady();
  const failed = await processQueueRecords(deps, event.Records, () => context.getRemainingTimeInMillis());
  metrics.publishStoredMetrics();
  return { batchItemFailures: failed.map((messageId) => ({ itemIdentifier: messageId })) };
});
