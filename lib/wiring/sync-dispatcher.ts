// Wiring of the sync-dispatcher job: one sync request per company, pending write-backs queued again, the sync lag.
import { getConfig } from '../config';
import { dispatchDeps, syncLagDeps } from './parts/sync';
import { writeBackRequestDeps } from './parts/write-back';

getConfig();

export const dispatch = dispatchDeps();
export const writeBacks = writeBackRequestDeps();
export const syncLag = syncLagDeps();
