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
import type { SyncDeps } from './ports';

/** events.list page size: Google's default and a good balance of calls against write batches. */
export const SYNC_PAGE_SIZE = 250;


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
  };
}
