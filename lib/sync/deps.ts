// The production wiring of the sync use cases' ports.
import { getConfig } from '../config';
import { lazyCalendarApi, lazyCipher } from '../google/clients';
import { syncQueue } from '../queue/sqs-queue';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { connectionStore } from '../store/connection-store';
import { syncedEventStore } from '../store/synced-event-store';
import { syncLeaseStore } from '../store/sync-lease-store';
import { syncLogStore } from '../store/sync-log-store';
import { syncStateStore } from '../store/sync-state-store';
import { systemClock } from '../users/ports';
import { inboundChanges } from '../write-back/deps';
import type { SyncDeps } from './ports';

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
    calendars: calendarEnablementStore,
    connections: connectionStore,
    cipher: lazyCipher,
    google: lazyCalendarApi,
    events: syncedEventStore,
    states: syncStateStore,
    log: syncLogStore,
    lease: syncLeaseStore,
    queue: syncQueue,
    clock: systemClock,
    settings: syncSettingsFromConfig(),
    inbound: inboundChanges(),
  };
}
