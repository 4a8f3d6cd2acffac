// Calendar API clients per connection (keyed by its credentials' cacheKey), kept per container, for the adapters
// that write to Google (push channels, write-back); each refreshes its access token on expiry.
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import type { GoogleCredentials } from '../connections/ports';
import { newOAuth2Client, type GoogleClientConfig } from './oauth-client';

type CalendarAuth = NonNullable<calendar_v3.Options['auth']>;
const MAX_CACHED_SESSIONS = 200;

/** Our own retry loop (withGoogleRetry) decides; gaxios retrying underneath would multiply the attempts. */
export const NO_GAXIOS_RETRY = { retry: false } as const;

export function calendarSessions(config: GoogleClientConfig): (credentials: GoogleCredentials) => calendar_v3.Calendar {
  const sessions = new Map<string, calendar_v3.Calendar>();
  return (credentials) => {
    const cached = sessions.get(credentials.cacheKey);
    if (cached) return cached;
    const auth = newOAuth2Client(config);
    auth.setCredentials({ refresh_token: credentials.refreshToken });
    const api = calendar({ version: 'v3', auth: auth as unknown as CalendarAuth, rootUrl: config.GOOGLE_API_BASE_URL });
    if (sessions.size >= MAX_CACHED_SESSIONS) sessions.delete(sessions.keys().next().value!);
    sessions.set(credentials.cacheKey, api);
    return api;
  };
}
