// Wiring of the sync-worker function (SQS): company syncs and write-backs to Google, with the queue's retry delay.
import { getConfig } from '../config';
import { logger } from '../http/logger';
import { recordSync } from '../http/metrics';
import { loadSecrets } from '../load-secrets';
import { syncQueueVisibility } from '../queue/sqs-queue';
import type { ProcessMessageDeps } from '../sync/process-message';
import { syncDeps } from './parts/sync';
import { writeBackDeps } from './parts/write-back';

const config = getConfig();
// AUTH_SECRET keys the ids of our copies in Google (lib/write-back/write-back.ts googleEventIdFor).
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);

export const worker: ProcessMessageDeps = {
  sync: syncDeps(),
  writeBack: writeBackDeps(),
  visibility: syncQueueVisibility,
  log: logger,
  recordSync,
  syncTimeoutMs: config.SYNC_TIMEOUT * 1000,
};
