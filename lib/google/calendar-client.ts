// The Calendar API v3 through @googleapis/calendar, rooted at GOOGLE_API_BASE_URL. One OAuth2Client per
// connection is kept per container, so access tokens are refreshed on expiry and reused between invocations.
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { NeedsReconsent } from '../connections/errors';
import type { GoogleCalendarApi, GoogleCredentials, RemoteCalendar, RemoteEvent } from '../connections/ports';
import { newOAuth2Client, type GoogleClientConfig } from './oauth-client';
import { DEFAULT_RETRY, withGoogleRetry, type RetryOptions } from './retry';

/**
 * @googleapis/calendar types `auth` with its own nested copy of google-auth-library, so the top-level
 * OAuth2Client needs a cast; at run time they are the same class of object.
 */
type CalendarAuth = NonNullable<calendar_v3.Options['auth']>;

const MAX_CACHED_SESSIONS = 200;
// Our own retry loop (withGoogleRetry) decides; gaxios retrying underneath would multiply the attempts.
const NO_GAXIOS_RETRY = { retry: false } as const;

function toRemoteCalendar(entry: calendar_v3.Schema$CalendarListEntry): RemoteCalendar {
  return {
    id: entry.id ?? '',
    summary: entry.summaryOverride ?? entry.summary ?? entry.id ?? '',
    accessRole: entry.accessRole ?? 'none',
    timeZone: entry.timeZone ?? 'UTC',
    ...(entry.primary ? { primary: true } : {}),
  };
}

export function createGoogleCalendarApi(config: GoogleClientConfig, options: { retry?: RetryOptions } = {}): GoogleCalendarApi {
  const sessions = new Map<string, calendar_v3.Calendar>();
  const retry = options.retry ?? DEFAULT_RETRY;

  const session = (credentials: GoogleCredentials): calendar_v3.Calendar => {
    const cached = sessions.get(credentials.cacheKey);
    if (cached) return cached;
    const auth = newOAuth2Client(config);
    auth.setCredentials({
      refresh_token: credentials.refreshToken,
      ...(credentials.accessToken ? { access_token: credentials.accessToken, expiry_date: credentials.expiryDate } : {}),
    });
    const api = calendar({ version: 'v3', auth: auth as unknown as CalendarAuth, rootUrl: config.GOOGLE_API_BASE_URL });
    if (sessions.size >= MAX_CACHED_SESSIONS) sessions.delete(sessions.keys().next().value!);
    sessions.set(credentials.cacheKey, api);
    return api;
  };

  const call = async <T>(credentials: GoogleCredentials, run: (api: calendar_v3.Calendar) => Promise<T>): Promise<T> => {
    try {
      return await withGoogleRetry(() => run(session(credentials)), retry);
    } catch (error) {
      if (error instanceof NeedsReconsent) sessions.delete(credentials.cacheKey);
      throw error;
    }
  };

  return {
    async listCalendars(credentials) {
      const calendars: RemoteCalendar[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await call(credentials, (api) => api.calendarList.list({ maxResults: 250, pageToken }, NO_GAXIOS_RETRY));
        calendars.push(...(data.items ?? []).map(toRemoteCalendar));
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return calendars;
    },

    async getCalendar(credentials, calendarId) {
      const { data } = await call(credentials, (api) => api.calendarList.get({ calendarId }, NO_GAXIOS_RETRY));
      return toRemoteCalendar(data);
    },

    async listEventsPage(credentials, calendarId, { syncToken, pageToken, maxResults }) {
      const { data } = await call(credentials, (api) =>
        api.events.list({ calendarId, maxResults, singleEvents: false, ...(syncToken ? { syncToken } : {}), ...(pageToken ? { pageToken } : {}) }, NO_GAXIOS_RETRY),
      );
      return {
        items: (data.items ?? []) as RemoteEvent[],
        nextPageToken: data.nextPageToken ?? undefined,
        nextSyncToken: data.nextSyncToken ?? undefined,
        timeZone: data.timeZone ?? undefined,
      };
    },

    async listExpandedEvents(credentials, calendarId, { timeMin, timeMax, limit }) {
      const items: RemoteEvent[] = [];
      let pageToken: string | undefined;
      let timeZone: string | undefined;
      do {
        const { data } = await call(credentials, (api) =>
          api.events.list(
            { calendarId, timeMin, timeMax, singleEvents: true, orderBy: 'startTime', maxResults: Math.min(2500, limit - items.length), pageToken },
            NO_GAXIOS_RETRY,
          ),
        );
        items.push(...((data.items ?? []) as RemoteEvent[]));
        timeZone ??= data.timeZone ?? undefined;
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken && items.length < limit);
      return { items: items.slice(0, limit), timeZone, truncated: Boolean(pageToken) };
    },
  };
}
