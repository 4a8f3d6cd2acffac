// The production wiring of the company use cases' ports.
import { getConfig } from '../config';
import { lazyCalendarApi, lazyCipher } from '../google/clients';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { companyStore } from '../store/company-store';
import { connectionStore } from '../store/connection-store';
import { syncedEventStore } from '../store/synced-event-store';
import { syncLogStore } from '../store/sync-log-store';
import { syncStateStore } from '../store/sync-state-store';
import { calendarChannels } from '../push/channels';
import { createChannelDeps } from '../push/deps';
import { syncQueue } from '../queue/sqs-queue';
import { userStore } from '../store/user-store';
import { systemClock } from '../users/ports';
import type { CompanyCalendarDeps } from './calendars';
import type { CompanyEventsDeps } from './company-events';

export function createCompanyDeps(): CompanyCalendarDeps & CompanyEventsDeps {
  return {
    companies: companyStore,
    users: userStore,
    clock: systemClock,
    calendars: calendarEnablementStore,
    connections: connectionStore,
    cipher: lazyCipher,
    google: lazyCalendarApi,
    events: syncedEventStore,
    states: syncStateStore,
    log: syncLogStore,
    queue: syncQueue,
    push: calendarChannels(createChannelDeps()),
    syncAfterCreate: getConfig().SYNC_AFTER_CREATE,
  };
}
