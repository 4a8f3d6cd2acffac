// The production wiring of the dispatcher (kept apart from the worker's, so its bundle carries no Google client).
import { syncQueue } from '../queue/sqs-queue';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import type { DispatchDeps } from './dispatch-syncs';

export const dispatchDeps: DispatchDeps = { calendars: calendarEnablementStore, queue: syncQueue };
