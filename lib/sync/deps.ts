// The production wiring of the sync use cases' ports.
import { getConfig } from '../config';
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

export function syncSettingsFromConfig(): SyncDeps['settings'] {
  return { maxParallel: getConfig().MAX_PARALLEL_COMPANY_SYNC, pageSize: SYNC_PAGE_SIZE, leaseMarginMs: 60_000, deferSeconds: 15 };
}

export function createSyncDeps(): SyncDeps {
  return {
    ...sharedSyncPorts,
    lease: syncLeaseStore,
    settings: syncSettingsFromConfig(),
    inbound: inboundChanges(),
  };
}
