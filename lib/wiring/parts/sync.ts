// The Google sync wired: the ports the worker, the dispatcher and the company use cases (which sync on demand) share.
import { getConfig } from '../../config';
import { lazyCalendarApi, lazyCipher } from '../../google/clients';
import { systemClock } from '../../kernel/clock';
import { MINUTE_MS } from '../../kernel/time-units';
import { queueChannel } from '../../queue/sqs-queue';
import { calendarEnablementStore } from '../../store/calendar-enablement-store';
import { connectionStore } from '../../store/connection-store';
import { pendingSyncStore } from '../../store/pending-sync-store';
import { syncLeaseStore } from '../../store/sync-lease-store';
import { syncLogStore } from '../../store/sync-log-store';
import { syncStateStore } from '../../store/sync-state-store';
import { syncedEventStore } from '../../store/synced-event-store';
import type { GoogleCalendarSourceDeps } from '../../sync/calendar-sources';
import { coalescingQueueChannel } from '../../sync/coalesce-syncs';
import type { DispatchDeps } from '../../sync/dispatch-syncs';
import type { QueueChannel } from '../../sync/queue';
import type { SyncDeps } from '../../sync/ports';
import type { SyncLagDeps } from '../../sync/sync-lag';
import { inboundChanges } from './write-back';

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

/** Requests, SYNC_AFTER_CREATE, notifications, the dispatcher and the worker's deferrals: one queued sync per company at most. */
export function syncRequests(): QueueChannel {
  return coalescingQueueChannel({ pending: pendingSyncStore, queue: queueChannel, clock: systemClock });
}

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

export function syncDeps(): SyncDeps {
  return { ...syncPorts(), lease: syncLeaseStore, pending: pendingSyncStore, settings: syncSettingsFromConfig(), inbound: inboundChanges() };
}

/** What the calendar views read of the synced Google events (busy time, occurrences). */
export function googleCalendarSources(): GoogleCalendarSourceDeps {
  return { connections: connectionStore, calendars: calendarEnablementStore, events: syncedEventStore };
}

export function dispatchDeps(): DispatchDeps {
  return { calendars: calendarEnablementStore, queue: syncRequests() };
}

export function syncLagDeps(): SyncLagDeps {
  return { syncStates: syncStateStore, now: () => systemClock.now().getTime() };
}
