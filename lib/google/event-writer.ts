// Writing events to Google (two-way sync): insert with our own event id, patch, delete. A 404 on patch and a
// 409 on insert are answered so that the caller can switch between the two; a delete of a gone event is done.
import { GoogleCalendarNotFound, GoogleRequestFailed, SyncTokenExpired } from '../connections/errors';
import type { EventWriter, GoogleEventBody } from '../write-back/ports';
import type { GoogleClientConfig } from './oauth-client';
import { DEFAULT_RETRY, withGoogleRetry } from './retry';
import { calendarSessions, NO_GAXIOS_RETRY } from './sessions';

export function createGoogleEventWriter(config: GoogleClientConfig): EventWriter {
  const session = calendarSessions(config);
  const written = (data: { id?: string | null; etag?: string | null }) => ({ eventId: data.id ?? '', etag: data.etag ?? '' });
  return {
    async insert(credentials, calendarId, eventId, body) {
      try {
        const { data } = await withGoogleRetry(
          () => session(credentials).events.insert({ calendarId, requestBody: { ...body, id: eventId } as GoogleEventBody & { id: string } }, NO_GAXIOS_RETRY),
          DEFAULT_RETRY,
        );
        return written(data);
      } catch (error) {
        if (error instanceof GoogleRequestFailed && error.status === 409) return 'exists';
        throw error;
      }
    },
    async patch(credentials, calendarId, eventId, body) {
      try {
        const { data } = await withGoogleRetry(() => session(credentials).events.patch({ calendarId, eventId, requestBody: body }, NO_GAXIOS_RETRY), DEFAULT_RETRY);
        return written(data);
      } catch (error) {
        if (error instanceof GoogleCalendarNotFound) return 'missing';
        throw error;
      }
    },
    async delete(credentials, calendarId, eventId) {
      try {
        await withGoogleRetry(() => session(credentials).events.delete({ calendarId, eventId }, NO_GAXIOS_RETRY), DEFAULT_RETRY);
      } catch (error) {
        // Gone already (404), or deleted before (410, which the error mapping reports as SyncTokenExpired): what we wanted.
        if (error instanceof GoogleCalendarNotFound || error instanceof SyncTokenExpired) return;
        throw error;
      }
    },
  };
}
