// The production wiring of the Google connection use cases' ports.
import { lazyCalendarApi, lazyCipher, lazyOAuth } from '../google/clients';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { connectionStore } from '../store/connection-store';
import { oauthStateStore } from '../store/oauth-state-store';
import { syncedEventStore } from '../store/synced-event-store';
import { syncStateStore } from '../store/sync-state-store';
import { systemClock } from '../users/ports';
import type { ConnectionDeps } from './use-cases';

export const connectionDeps: ConnectionDeps = {
  oauth: lazyOAuth,
  states: oauthStateStore,
  connections: connectionStore,
  cipher: lazyCipher,
  google: lazyCalendarApi,
  calendars: calendarEnablementStore,
  events: syncedEventStore,
  syncStates: syncStateStore,
  clock: systemClock,
};
