// Synced Google time as seen by a user's own calendar: the events of the calendars their connections
// read and some company syncs. They block the user (free time, booking slots) unless marked free
// (`transparent`), and list in GET /users/{userId}/events with source `google`.
import type { CompanyCalendarRepo } from '../companies/ports';
import type { ConnectionRepo } from '../connections/ports';
import type { Interval } from '../domain/interval';
import type { BusySource, OccurrenceSource } from '../meetings/ports';
import type { SyncedEventRepo } from './ports';
import { occurrencesOf, type TimedOccurrence } from './synced-event';

export type GoogleCalendarSourceDeps = {
  connections: Pick<ConnectionRepo, 'listForUser'>;
  calendars: Pick<CompanyCalendarRepo, 'listForConnection'>;
  events: Pick<SyncedEventRepo, 'listInRange'>;
};

/** Occurrences of the synced calendars that the user's own Google connections read, in the range. */
async function userGoogleOccurrences(deps: GoogleCalendarSourceDeps, userId: string, range: Interval): Promise<Array<TimedOccurrence & { timeZone: string; companyId: string }>> {
  const connections = await deps.connections.listForUser(userId);
  const enabled = (await Promise.all(connections.map((connection) => deps.calendars.listForConnection(connection.id)))).flat();
  const calendarsByCompany = new Map<string, Set<string>>();
  for (const { companyId, calendarId } of enabled) {
    if (!calendarsByCompany.has(companyId)) calendarsByCompany.set(companyId, new Set());
    calendarsByCompany.get(companyId)!.add(calendarId);
  }
  const found: Array<TimedOccurrence & { timeZone: string; companyId: string }> = [];
  for (const [companyId, calendarIds] of calendarsByCompany) {
    for (const event of await deps.events.listInRange(companyId, range)) {
      // Our own meetings and bookings written back to Google are already in the calendar: not twice.
      if (!calendarIds.has(event.calendarId) || event.copyOf) continue;
      for (const occurrence of occurrencesOf(event, range)) found.push({ ...occurrence, timeZone: event.timeZone, companyId });
    }
  }
  return found;
}

export function googleBusySource(deps: GoogleCalendarSourceDeps): BusySource {
  return async (userId, range) =>
    (await userGoogleOccurrences(deps, userId, range))
      .filter((occurrence) => !occurrence.view.transparent)
      .map((occurrence) => ({ start: occurrence.start, end: occurrence.end }));
}

export function googleOccurrenceSource(deps: GoogleCalendarSourceDeps): OccurrenceSource {
  return async (userId, range) =>
    (await userGoogleOccurrences(deps, userId, range)).map((occurrence) => ({
      id: occurrence.view.eventId,
      start: occurrence.start,
      end: occurrence.end,
      timeZone: occurrence.timeZone,
      title: occurrence.view.title,
      source: 'google' as const,
      companyId: occurrence.companyId,
      ...(occurrence.view.transparent ? { status: 'free' } : {}),
    }));
}
