// Wiring of the sync-dispatcher job: one sync request per company, pending write-backs queued again, the sync lag.
import { getConfig } from '../config';
import { systemClock } from '../kernel/clock';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { syncStateStore } from '../store/sync-state-store';
import type { DispatchDeps } from '../sync/dispatch-syncs';
import type { SyncLagDeps } from '../sync/sync-lag';
import { syncRequests, writeBackRequestDeps } from './parts/requests';

getConfig();

export const dispatch: DispatchDeps = { calendars: calendarEnablementStore, queue: syncRequests() };
export const writeBacks = writeBackRequestDeps();
export const syncLag: SyncLagDeps = { syncStates: syncStateStore, now: () => systemClock.now().getTime() };
