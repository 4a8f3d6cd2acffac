// Wiring of the sync-worker function (SQS): company syncs and write-backs to Google.
import { getConfig } from '../config';
import { loadSecrets } from '../load-secrets';
import { syncDeps } from './parts/sync';
import { writeBackDeps } from './parts/write-back';

export const config = getConfig();
// AUTH_SECRET keys the ids of our copies in Google (lib/write-back/write-back.ts googleEventIdFor).
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);

export const sync = syncDeps();
export const writeBack = writeBackDeps();
