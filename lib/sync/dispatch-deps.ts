// The production wiring of the dispatcher (kept apart from the worker's, so its bundle carries no Google client).
import { queueChannel } from '../queue/sqs-queue';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { pendingSyncStore } from '../store/pending-sync-store';
import { syncStateStore } from '../store/sync-state-store';
import { systemClock } from '../users/ports';
import { coalescingQueueChannel } from './coalesce-syncs';
import type { DispatchDeps } from './dispatch-syncs';
import type { SyncLagDeps } from './sync-lag';

// A company whose sync is still queued (a slow queue, a long run) is not queued a second time.
export const dispatchDeps: DispatchDeps = { calendars: calendarEnablementStore, queue: coalescingQueueChannel({ pending: pendingSyncStore, queue: queueChannel, clock: systemClock }) };

export const syncLagDeps: SyncLagDeps = { syncStates: syncStateStore, now: () => systemClock.now().getTime() };
