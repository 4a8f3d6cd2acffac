// The OAuth scopes a Google connection asks for, least first: reading for sync, writing events only for a
// destination calendar; and whether a granted set allows writing.
import type { GoogleAccess } from './ports';

const CALENDAR = 'https://www.googleapis.com/auth/calendar';
/** The account's email through the id token, and reading calendars and events: all that sync (calendarList, events.list, watch) needs. */
export const GOOGLE_READ_SCOPES = ['openid', 'email', `${CALENDAR}.readonly`];
/** Writing events (write-back inserts, patches, deletes them in the destination calendar). */
export const GOOGLE_EVENTS_WRITE_SCOPE = `${CALENDAR}.events`;

export function scopesFor(access: GoogleAccess): string[] {
  return access === 'write' ? [...GOOGLE_READ_SCOPES, GOOGLE_EVENTS_WRITE_SCOPE] : GOOGLE_READ_SCOPES;
}

/** The full calendar scope counts too: connections made before read-only became the default hold it. */
export function canWriteEvents(grantedScopes: string[]): boolean {
  return grantedScopes.includes(GOOGLE_EVENTS_WRITE_SCOPE) || grantedScopes.includes(CALENDAR);
}
