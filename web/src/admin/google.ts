// The Google OAuth round trip from the console: ask the API for the consent URL, remember where to come
// back to, and finish on /app/google/callback by handing Google's code and state to the API.
import { query } from '../shared/api';
import type { Api } from './session';

export type Connection = { id: string; email: string; status: 'active' | 'needs_reconsent'; statusReason?: string; scopes: string[] };
export type RemoteCalendar = { id: string; summary: string; accessRole: string; timeZone: string; primary?: boolean; companyId?: string };
export type ConnectedReply = { connectionId: string; email: string; status: string; calendars: RemoteCalendar[] };

const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';
/** Whether the connection may write events (needed for a destination calendar): the events scope, or the older full one. */
export const canWriteEvents = (connection: Connection) => connection.scopes.includes(`${CALENDAR_SCOPE}.events`) || connection.scopes.includes(CALENDAR_SCOPE);

const RETURN_KEY = 'calendarHub.oauthReturn';

/**
 * Leaves for Google's consent page. A page cannot read the Location of a 302 it fetched, so it asks for the
 * JSON form of the start route ({authorizeUrl}) and navigates itself; the bearer token never enters a URL.
 */
export async function connectGoogle(api: Api, loginHint?: string, access?: 'read' | 'write'): Promise<void> {
  const reply = await api.call<{ authorizeUrl: string }>('GET', `/oauth/google/start${query({ loginHint, access })}`, {
    headers: { accept: 'application/json' },
    redirect: 'manual',
  });
  try {
    sessionStorage.setItem(RETURN_KEY, location.pathname);
  } catch {
    // no storage: come back to the Google page
  }
  location.assign(reply.authorizeUrl);
}

/**
 * Google came back to /app/google/callback: the API checks the state, exchanges the code, stores the connection.
 * The signed-in user's bearer token (sent by api.call) is what binds the callback to the user who started the
 * consent; the console sends no cookies, so the start's binding cookie plays no part here.
 */
export async function finishGoogleConnect(api: Api, search: URLSearchParams): Promise<{ reply: ConnectedReply; returnTo: string }> {
  let returnTo = '/app/google';
  try {
    returnTo = sessionStorage.getItem(RETURN_KEY) ?? returnTo;
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    // keep the default
  }
  const params = { state: search.get('state') ?? '', code: search.get('code') ?? undefined, error: search.get('error') ?? undefined };
  const reply = await api.call<ConnectedReply>('GET', `/oauth/google/callback${query(params)}`);
  return { reply, returnTo: returnTo.startsWith('/app/') && !returnTo.startsWith('/app/google/callback') ? returnTo : '/app/google' };
}

/** A message the next screen shows once (after the OAuth round trip). */
let flash: string | null = null;
export function setFlash(message: string): void {
  flash = message;
}
export function takeFlash(): string | null {
  const message = flash;
  flash = null;
  return message;
}
