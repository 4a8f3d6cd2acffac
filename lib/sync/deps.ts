// The production wiring of the sync use cases' ports.
import { getConfig } from '../config';
import { pendingSyncStore } from '../store/pending-sync-store';
import { syncLeaseStore } from '../store/sync-lease-store';
import { inboundChanges } from '../write-back/deps';
import type { SyncDeps } from './ports';
import { sharedSyncPorts } from './shared-deps';

/**
 * events.list page size: Google's maximum. `npm run bench -- google-sync` measured 40 list calls for 10,000
 * events at 250 a page; at 2,500 it is 4, with 4 sync-state saves instead of 40. A page is ~6 s of writes,
 * well inside SYNC_TIMEOUT, so a run stopped at its deadline loses little.
 */
export const SYNC_PAGE_SIZE = 2500;

/**
 * A message put off this often (15 s each: 5 minutes, longer than a sync holds its company: SYNC_TIMEOUT plus the
 * lease margin) is dropped with a log line instead of circling in the queue; the next schedule syncs the company.
 */
export const MAX_DEFERRALS = 20;

export function syncSettingsFromConfig(): SyncDeps['settings'] {
  return { maxParallel: getConfig().MAX_PARALLEL_COMPANY_SYNC, pageSize: SYNC_PAGE_SIZE, leaseMarginMs: 60_000, deferSeconds: 15, maxDeferrals: MAX_DEFERRALS };
}

export function createSyncDeps(): SyncDeps {
  return {
    ...sharedSyncPorts,
    lease: syncLeaseStore,
    pending: pendingSyncStore,
    settings: syncSettingsFromConfig(),
    inbound: inboundChanges(),
  };
}
