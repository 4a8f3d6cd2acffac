// The production wiring of the Google connection use cases' ports.
import { verifyToken } from '../auth/bearer';
import { lazyCalendarApi, lazyCipher, lazyOAuth } from '../google/clients';
import { calendarChannels } from '../push/channels';
import { createChannelDeps } from '../push/deps';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { connectionStore } from '../store/connection-store';
import { oauthStateStore } from '../store/oauth-state-store';
import { syncedEventStore } from '../store/synced-event-store';
import { syncStateStore } from '../store/sync-state-store';
import { destinationStore } from '../store/user-store';
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
  // Built on first use: the channel wiring reads the configuration.
  push: { stopFor: (companyId, calendarId) => calendarChannels(createChannelDeps()).stopFor(companyId, calendarId) },
  destinations: destinationStore,
  verifyBearer: verifyToken,
  clock: systemClock,
};
