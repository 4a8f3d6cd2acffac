// Driving the Google Calendar sandbox of the local stack over HTTP (its control API under /__control/), and
// connecting a Google account through the service's own OAuth routes, as a browser would.
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import { api } from './http';

export function sandboxUrl(): string {
  const url = process.env.GOOGLE_SANDBOX_URL;
  if (!url || !/^http:\/\/(localhost|127\.0\.0\.1)/.test(url)) throw new Error('GOOGLE_SANDBOX_URL must point at the local Google sandbox');
  return url;
}

export async function control<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandboxUrl()}/__control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox control ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export const encode = encodeURIComponent;

/** A fresh sandbox account with the given calendars (ids made unique per call), Europe/Berlin by default. */
export async function seedAccount(
  prefix: string,
  calendars: Array<{ key: string; summary?: string; timeZone?: string; primary?: boolean; accessRole?: 'owner' | 'writer' | 'reader' | 'freeBusyReader' }>,
) {
  const tag = ulid().toLowerCase();
  const email = `${prefix}.${tag}@sandbox.test`;
  const ids: Record<string, string> = {};
  const seeded = calendars.map((calendar) => {
    const id = calendar.primary ? email : `${prefix}-${calendar.key}-${tag}@group.calendar.google.com`;
    ids[calendar.key] = id;
    return {
      id,
      summary: calendar.summary ?? calendar.key,
      timeZone: calendar.timeZone ?? 'Europe/Berlin',
      ...(calendar.primary ? { primary: true } : {}),
      ...(calendar.accessRole ? { accessRole: calendar.accessRole } : {}),
    };
  });
  await control('POST', '/accounts', { email, name: prefix, calendars: seeded });
  return { email, ids };
}

export async function createEvents(calendarId: string, events: Array<Record<string, unknown>>): Promise<Array<Record<string, any>>> {
  return (await control<{ items: Array<Record<string, any>> }>('POST', `/calendars/${encode(calendarId)}/events`, events)).items;
}

/** Calls the service made to the sandbox (paths decoded, e.g. /calendar/v3/calendars/x@y/events), oldest first. */
export async function requestLog(pathPrefix: string): Promise<Array<{ method: string; path: string; query: Record<string, string>; status: number }>> {
  const { items } = await control<{ items: Array<{ method: string; path: string; query: string; status: number }> }>('GET', `/request-log?pathPrefix=${encode(pathPrefix)}`);
  return items.map((item) => ({ ...item, query: Object.fromEntries(new URLSearchParams(item.query)) }));
}

/** The binding cookie a response sets (`name=value`, attributes dropped), as a cookie jar would keep it. */
export function bindingCookieOf(headers: Headers): string | undefined {
  return headers.getSetCookie().find((cookie) => cookie.startsWith('oauth_binding='))?.split(';')[0];
}

export type Consent = { authorizeUrl: string; callbackUrl: string; cookie: string | undefined };

/**
 * GET /oauth/google/start with the user's token, then the sandbox's consent page (which consents at once thanks
 * to loginHint). Returns the callback URL and the cookie the start set, which binds the consent to this client.
 */
export async function consent(token: string, email: string, options: { access?: 'read' | 'write' } = {}): Promise<Consent> {
  const start = await api('GET', `/oauth/google/start?loginHint=${encode(email)}${options.access ? `&access=${options.access}` : ''}`, { token });
  if (start.status !== 302) throw new Error(`start: ${start.status} ${start.text}`);
  const cookie = bindingCookieOf(start.headers);
  const authorizeUrl = start.headers.get('location')!;
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  if (authorize.status !== 302) throw new Error(`sandbox authorize: ${authorize.status} ${await authorize.text()}`);
  return { authorizeUrl, callbackUrl: authorize.headers.get('location')!, cookie };
}

/** Follows a callback URL of our API (what the browser does after consent), with the start's cookie and/or a bearer token. */
export async function followCallback(callbackUrl: string, binding: { cookie?: string; token?: string } = {}) {
  const url = new URL(callbackUrl);
  return api('GET', `${url.pathname}${url.search}`, { token: binding.token, headers: binding.cookie ? { cookie: binding.cookie } : {} });
}

/** The whole consent: a connection for the user to the sandbox account (read-only unless write access is asked for). */
export async function connectGoogle(token: string, email: string, options: { access?: 'read' | 'write' } = {}): Promise<{ connectionId: string; calendars: any[] }> {
  const { callbackUrl, cookie } = await consent(token, email, options);
  const callback = await followCallback(callbackUrl, { cookie });
  if (callback.status !== 200) throw new Error(`callback: ${callback.status} ${callback.text}`);
  return callback.body;
}

export async function createCompany(token: string, name = 'Venue'): Promise<string> {
  const created = await api('POST', '/companies', { token, body: { name } });
  if (created.status !== 201) throw new Error(`create company: ${created.status} ${created.text}`);
  return created.body.id;
}

export async function enableCalendar(token: string, companyId: string, calendarId: string, connectionId: string) {
  return api('PUT', `/companies/${companyId}/calendars/${encode(calendarId)}`, { token, body: { connectionId } });
}

/** Berlin wall-clock time (`2030-03-04T10:00`) as Google's {dateTime, timeZone}. */
export function berlin(local: string): { dateTime: string; timeZone: string } {
  return { dateTime: DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toISO({ suppressMilliseconds: true })!, timeZone: 'Europe/Berlin' };
}

/**
 * Calls the webhook once so that serverless-offline has its worker running: the sandbox gives up on a push
 * delivery after 5 s (as Google does after a few seconds), and a cold start on a busy CI machine takes longer.
 */
export async function warmUpWebhook(): Promise<void> {
  const response = await api('POST', '/webhooks/google');
  if (response.status !== 400) throw new Error(`webhook warm-up: ${response.status} ${response.text}`);
}
