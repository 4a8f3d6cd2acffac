// The Google sync's ports as the worker, the company use cases (which sync on demand) and the calendar views share
// them; the worker's full set (with the inbound check of our own copies) is in sync.ts.
import { getConfig } from '../../config';
import { lazyCalendarApi, lazyCipher } from '../../google/clients';
import { systemClock } from '../../kernel/clock';
import { MINUTE_MS } from '../../kernel/time-units';
import { calendarEnablementStore } from '../../store/calendar-enablement-store';
import { connectionStore } from '../../store/connection-store';
import { syncLogStore } from '../../store/sync-log-store';
import { syncStateStore } from '../../store/sync-state-store';
import { syncedEventStore } from '../../store/synced-event-store';
import type { GoogleCalendarSourceDeps } from '../../sync/calendar-sources';
import type { SyncDeps } from '../../sync/ports';
import { syncRequests } from './requests';

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

/** The ports the sync worker and the company use cases both wire the same way. */
export function syncPorts() {
  return {
    calendars: calendarEnablementStore,
    connections: connectionStore,
    cipher: lazyCipher,
    google: lazyCalendarApi,
    events: syncedEventStore,
    states: syncStateStore,
    log: syncLogStore,
    queue: syncRequests(),
    clock: systemClock,
  };
}

export function syncSettingsFromConfig(): SyncDeps['settings'] {
  return { maxParallel: getConfig().MAX_PARALLEL_COMPANY_SYNC, pageSize: SYNC_PAGE_SIZE, leaseMarginMs: MINUTE_MS, deferSeconds: 15, maxDeferrals: MAX_DEFERRALS };
}

/** What the calendar views read of the synced Google events (busy time, occurrences). */
export function googleCalendarSources(): GoogleCalendarSourceDeps {
  return { connections: connectionStore, calendars: calendarEnablementStore, events: syncedEventStore };
}
