// Push channels through @googleapis/calendar: events.watch opens one, channels.stop closes it. Rooted at
// GOOGLE_API_BASE_URL like the calendar client; one OAuth2Client per connection is cached per container.
import type { ChannelApi } from '../push/ports';
import type { GoogleClientConfig } from './oauth-client';
import { DEFAULT_RETRY, withGoogleRetry } from './retry';
import { calendarSessions, NO_GAXIOS_RETRY } from './sessions';

export function createGoogleChannelApi(config: GoogleClientConfig): ChannelApi {
  const session = calendarSessions(config);
  return {
    async watch(credentials, calendarId, request) {
      const { data } = await withGoogleRetry(
        () =>
          session(credentials).events.watch(
            {
              calendarId,
              requestBody: {
                id: request.id,
                type: 'web_hook',
                address: request.address,
                token: request.token,
                ...(request.expirationMs ? { expiration: String(request.expirationMs) } : {}),
              },
            },
            NO_GAXIOS_RETRY,
          ),
        DEFAULT_RETRY,
      );
      return { resourceId: data.resourceId ?? '', expirationMs: Number(data.expiration ?? 0) };
    },

    async stop(credentials, channel) {
      await withGoogleRetry(
        () => session(credentials).channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } }, NO_GAXIOS_RETRY),
        DEFAULT_RETRY,
      );
    },
  };
}
