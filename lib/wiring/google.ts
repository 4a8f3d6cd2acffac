// Wiring of the google function: the OAuth consent (start, callback) and the user's connections.
import { verifyToken } from './parts/bearer';
import { getConfig } from '../config';
import type { ConnectionDeps } from '../connections/use-cases';
import { lazyCalendarApi, lazyCipher, lazyOAuth } from '../google/clients';
import { systemClock } from '../kernel/clock';
import { loadSecrets } from '../load-secrets';
import { calendarEnablementStore } from '../store/calendar-enablement-store';
import { connectionStore } from '../store/connection-store';
import { oauthStateStore } from '../store/oauth-state-store';
import { syncStateStore } from '../store/sync-state-store';
import { syncedEventStore } from '../store/synced-event-store';
import { destinationStore } from '../store/user-store';
import { channels } from './parts/push';

getConfig();
loadSecrets(['AUTH_SECRET', 'GOOGLE_CLIENT_SECRET']);

export const connections: ConnectionDeps = {
  oauth: lazyOAuth,
  states: oauthStateStore,
  connections: connectionStore,
  cipher: lazyCipher,
  google: lazyCalendarApi,
  calendars: calendarEnablementStore,
  events: syncedEventStore,
  syncStates: syncStateStore,
  push: channels(),
  destinations: destinationStore,
  verifyBearer: verifyToken,
  clock: systemClock,
};
export const verifyBearer = verifyToken;
