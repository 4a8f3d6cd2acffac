// The ports the sync worker and the company use cases (which sync on demand) both wire the same way.
import { lazyCalendarApi, lazyCipher } from '../google/clients';
import { queueChannel } from '../queue/sqs-queue';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { connectionStore } from '../store/connection-store';
import { pendingSyncStore } from '../store/pending-sync-store';
import { syncedEventStore } from '../store/synced-event-store';
import { syncLogStore } from '../store/sync-log-store';
import { syncStateStore } from '../store/sync-state-store';
import { systemClock } from '../users/ports';
import { coalescingQueueChannel } from './coalesce-syncs';

export const sharedSyncPorts = {
  calendars: calendarEnablementStore,
  connections: connectionStore,
  cipher: lazyCipher,
  google: lazyCalendarApi,
  events: syncedEventStore,
  states: syncStateStore,
  log: syncLogStore,
  // Requests, SYNC_AFTER_CREATE and the worker's deferrals: one queued sync per company at most.
  queue: coalescingQueueChannel({ pending: pendingSyncStore, queue: queueChannel, clock: systemClock }),
  clock: systemClock,
};
