// Checks a destination calendar a host chooses (PATCH /users/me): one of their own connections, granted the
// events write scope, and a calendar that account may write to (accessRole owner or writer).
import { callGoogle, type CredentialDeps } from '../connections/credentials';
import { GoogleCalendarNotFound, GoogleWriteAccessRequired, NeedsReconsent } from '../connections/errors';
import type { ConnectionRepo, GoogleCalendarApi } from '../connections/ports';
import { canWriteEvents } from '../connections/scopes';
import { InvalidInput } from '../domain/errors';
import type { DestinationCheck } from '../users/ports';

const WRITABLE = new Set(['owner', 'writer']);

export function destinationCheck(deps: CredentialDeps & { connections: Pick<ConnectionRepo, 'get' | 'markNeedsReconsent' | 'ownerContact'>; google: Pick<GoogleCalendarApi, 'getCalendar'> }): DestinationCheck {
  return async (userId, destination) => {
    const connection = await deps.connections.get(destination.connectionId);
    if (!connection || connection.userId !== userId) {
      throw new InvalidInput('Invalid destinationCalendar', [{ field: 'destinationCalendar.connectionId', message: 'Not one of your Google connections' }]);
    }
    // Consent for sync asks for read access only; writing back needs the events scope, granted on request.
    if (!canWriteEvents(connection.scopes)) throw new GoogleWriteAccessRequired();
    let accessRole: string;
    try {
      accessRole = (await callGoogle(deps, connection, (credentials) => deps.google.getCalendar(credentials, destination.calendarId))).accessRole;
    } catch (error) {
      if (error instanceof GoogleCalendarNotFound) {
        throw new InvalidInput('Invalid destinationCalendar', [{ field: 'destinationCalendar.calendarId', message: 'The Google account cannot see this calendar' }]);
      }
      if (error instanceof NeedsReconsent) {
        throw new InvalidInput('Invalid destinationCalendar', [{ field: 'destinationCalendar.connectionId', message: 'This connection needs a new consent' }]);
      }
      throw error;
    }
    if (!WRITABLE.has(accessRole)) {
      throw new InvalidInput('Invalid destinationCalendar', [{ field: 'destinationCalendar.calendarId', message: `Read-only for this account (accessRole ${accessRole}); choose one it owns or can write` }]);
    }
  };
}
