// The Google Calendar sandbox, driven by the real clients the service uses (google-auth-library's
// OAuth2Client and @googleapis/calendar), so that what passes here passes against Google's wire format.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { calendar_v3, calendar } from '@googleapis/calendar';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { DateTime } from 'luxon';
import { DEMO_EMAIL, DEMO_MAIN_HALL_ID, GoogleSandbox, startGoogleSandbox } from '../../infra/local/google-sandbox';

const REDIRECT_URI = 'http://127.0.0.1:9/oauth/google/callback';
const SCOPES = ['openid', 'email', 'https://www.googleapis.com/auth/calendar'];
const VENUE_EMAIL = 'venue@sandbox.test';
const VENUE_BULK_ID = 'venue-bulk@group.calendar.google.com';
const VENUE_ZONE = 'Europe/Berlin';
/**
 * @googleapis/calendar types its `auth` with its own nested copy of google-auth-library (10.5 under
 * googleapis-common), so the top-level OAuth2Client (10.9) needs a cast; at run time they interoperate.
 */
type CalendarAuth = NonNullable<calendar_v3.Options['auth']>;

let sandbox: GoogleSandbox;

beforeAll(async () => {
  sandbox = await startGoogleSandbox({ port: 0, seedDemo: true });
  sandbox.control.seedAccount({
    email: VENUE_EMAIL,
    name: 'Venue',
    calendars: [
      { summary: 'Venue', timeZone: VENUE_ZONE, primary: true },
      { id: VENUE_BULK_ID, summary: 'Bulk', timeZone: VENUE_ZONE },
      // The demo studio, shared read-only with the venue account.
      { id: 'demo-studio@group.calendar.google.com', summary: 'Studio', accessRole: 'reader' },
    ],
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

function newOAuthClient(target: GoogleSandbox = sandbox, options: { eagerRefreshThresholdMillis?: number } = {}): OAuth2Client {
  return new OAuth2Client({
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: {
      oauth2AuthBaseUrl: target.authorizeUrl,
      oauth2TokenUrl: target.tokenUrl,
      oauth2RevokeUrl: target.revokeUrl,
      tokenInfoUrl: target.tokenInfoUrl,
      oauth2FederatedSignonPemCertsUrl: `${target.url}/oauth2/v1/certs`,
    },
    // gaxios would import node-fetch (ESM only) dynamically, which jest's CommonJS mode cannot do.
    transporterOptions: { fetchImplementation: fetch },
    ...options,
  });
}

/** Runs the consent step like a browser would (login_hint makes the sandbox consent at once). */
async function authorize(
  client: OAuth2Client,
  email: string,
  options: { scope?: string[]; includeGrantedScopes?: boolean } = {},
): Promise<{ code: string; codeVerifier: string; state: string | null }> {
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: options.scope ?? SCOPES,
    ...(options.includeGrantedScopes ? { include_granted_scopes: true } : {}),
    state: 'state-123',
    login_hint: email,
    code_challenge_method: CodeChallengeMethod.S256,
    code_challenge: codeChallenge,
  });
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return { code: location.searchParams.get('code')!, codeVerifier, state: location.searchParams.get('state') };
}

async function connect(email: string, target: GoogleSandbox = sandbox, options: { eagerRefreshThresholdMillis?: number } = {}) {
  const client = newOAuthClient(target, options);
  const { code, codeVerifier } = await authorize(client, email);
  const { tokens } = await client.getToken({ code, codeVerifier });
  client.setCredentials(tokens);
  return { client, tokens, api: calendar({ version: 'v3', auth: client as unknown as CalendarAuth, rootUrl: target.apiBaseUrl }) };
}

/** The error a googleapis call rejected with (fails the test when it resolved). */
async function failure(promise: Promise<unknown>): Promise<{ code?: number | string; status?: number; message: string; response?: { data?: any } }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: number; status?: number; message: string; response?: { data?: any } };
  }
  throw new Error('expected the call to fail');
}

async function listAll(api: calendar_v3.Calendar, params: calendar_v3.Params$Resource$Events$List) {
  const pages: calendar_v3.Schema$Events[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await api.events.list({ ...params, pageToken });
    pages.push(data);
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return { pages, items: pages.flatMap((page) => page.items ?? []), nextSyncToken: pages[pages.length - 1].nextSyncToken };
}

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: VENUE_ZONE });
const timed = (iso: string) => ({ dateTime: berlin(iso).toISO()!, timeZone: VENUE_ZONE });

describe('OAuth 2.0', () => {
  it('exchanges a PKCE code for tokens and a signed id_token naming the account', async () => {
    const client = newOAuthClient();
    const { code, codeVerifier, state } = await authorize(client, VENUE_EMAIL);
    expect(state).toBe('state-123');

    const { tokens } = await client.getToken({ code, codeVerifier });

    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toContain('https://www.googleapis.com/auth/calendar');
    expect(tokens.expiry_date).toBeGreaterThan(Date.now() + 3500 * 1000);
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token!, audience: sandbox.clientId });
    expect(ticket.getPayload()).toMatchObject({ email: VENUE_EMAIL, email_verified: true, aud: sandbox.clientId, iss: 'https://accounts.google.com' });
    client.setCredentials(tokens);
    const { data: userinfo } = await client.request<{ sub: string; email: string }>({ url: sandbox.userinfoUrl });
    expect(userinfo).toEqual(expect.objectContaining({ email: VENUE_EMAIL, sub: ticket.getUserId() }));
  });

  it('grants the scopes asked for: read-only tokens cannot write (403 insufficientPermissions); a later consent adds to the grant', async () => {
    const email = 'scoped@sandbox.test';
    sandbox.control.seedAccount({ email, name: 'Scoped', calendars: [{ summary: 'Scoped', timeZone: VENUE_ZONE, primary: true }] });
    const readOnlyScopes = ['openid', 'email', 'https://www.googleapis.com/auth/calendar.readonly'];
    const eventsScope = 'https://www.googleapis.com/auth/calendar.events';
    const event = { summary: 'x', start: timed('2030-01-01T10:00'), end: timed('2030-01-01T11:00') };
    const reader = newOAuthClient();
    const first = await authorize(reader, email, { scope: readOnlyScopes, includeGrantedScopes: true });
    reader.setCredentials((await reader.getToken(first)).tokens);
    const readerApi = calendar({ version: 'v3', auth: reader as unknown as CalendarAuth, rootUrl: sandbox.apiBaseUrl });

    const listed = await readerApi.events.list({ calendarId: email });
    const watched = await readerApi.events.watch({ calendarId: email, requestBody: { id: 'scoped-channel', type: 'web_hook', address: 'http://127.0.0.1:9/hook' } });
    const refused = await failure(readerApi.events.insert({ calendarId: email, requestBody: event }));
    const writer = newOAuthClient();
    const second = await authorize(writer, email, { scope: ['openid', 'email', eventsScope], includeGrantedScopes: true });
    const { tokens } = await writer.getToken(second);
    writer.setCredentials(tokens);
    const inserted = await calendar({ version: 'v3', auth: writer as unknown as CalendarAuth, rootUrl: sandbox.apiBaseUrl }).events.insert({ calendarId: email, requestBody: event });
    const narrow = newOAuthClient();
    const third = await authorize(narrow, email, { scope: ['openid', 'email', eventsScope] });
    const narrowTokens = (await narrow.getToken(third)).tokens;

    expect(listed.status).toBe(200);
    expect(watched.status).toBe(200);
    expect(refused.code).toBe(403);
    expect(refused.response?.data.error.errors[0].reason).toBe('insufficientPermissions');
    expect(tokens.scope!.split(' ').sort()).toEqual([...readOnlyScopes, eventsScope].sort());
    expect(inserted.status).toBe(200);
    expect(narrowTokens.scope!.split(' ').sort()).toEqual(['email', eventsScope, 'openid'].sort());
    expect(sandbox.control.grants(email)).toEqual([{ clientId: sandbox.clientId, scopes: expect.arrayContaining([...readOnlyScopes, eventsScope]) }]);
    expect(sandbox.control.authorizationCode(first.code)).toEqual({ email, scopes: readOnlyScopes, used: true });
  });

  it('shows an account chooser without a hint, whose links redirect with a code', async () => {
    const client = newOAuthClient();
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({ scope: SCOPES, code_challenge_method: CodeChallengeMethod.S256, code_challenge: codeChallenge, state: 's' });

    const page = await fetch(url, { redirect: 'manual' });
    const body = await page.text();
    const link = /href="([^"]*sandbox_account=demo%40sandbox\.test[^"]*)"/.exec(body)?.[1].replace(/&#38;/g, '&');
    const followed = await fetch(link!, { redirect: 'manual' });

    expect(page.status).toBe(200);
    expect(followed.status).toBe(302);
    expect(new URL(followed.headers.get('location')!).searchParams.get('code')).toMatch(/^4\//);
  });

  it('refuses an authorization request without a PKCE challenge', async () => {
    const url = newOAuthClient().generateAuthUrl({ scope: SCOPES, login_hint: DEMO_EMAIL });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('code_challenge');
  });

  it('rejects a wrong code_verifier with invalid_grant', async () => {
    const client = newOAuthClient();
    const { code } = await authorize(client, VENUE_EMAIL);
    const { codeVerifier: otherVerifier } = await client.generateCodeVerifierAsync();

    const error = await failure(client.getToken({ code, codeVerifier: otherVerifier }));

    expect(error.status).toBe(400);
    expect(error.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid code verifier.' });
  });

  it('accepts an authorization code only once', async () => {
    const client = newOAuthClient();
    const { code, codeVerifier } = await authorize(client, VENUE_EMAIL);
    await client.getToken({ code, codeVerifier });

    const error = await failure(client.getToken({ code, codeVerifier }));

    expect(error.response?.data?.error).toBe('invalid_grant');
  });

  it('refreshes the access token automatically once it has expired', async () => {
    const shortLived = await startGoogleSandbox({ accessTokenTtlSeconds: 1 });
    try {
      shortLived.control.seedAccount({ email: VENUE_EMAIL });
      // A 1 ms threshold so the client refreshes because the token expired, not ahead of time.
      const { api, tokens } = await connect(VENUE_EMAIL, shortLived, { eagerRefreshThresholdMillis: 1 });
      await api.calendarList.list();
      await new Promise((resolve) => setTimeout(resolve, 1100));

      const stale = await fetch(`${shortLived.apiBaseUrl}calendar/v3/users/me/calendarList`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const { data } = await api.calendarList.list();

      expect(stale.status).toBe(401);
      expect(((await stale.json()) as { error: unknown }).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] });
      expect(data.items?.map((item) => item.id)).toEqual([VENUE_EMAIL]);
      const tokenCalls = shortLived.control.requestLog({ pathPrefix: '/token' });
      expect(tokenCalls.map((call) => call.status)).toEqual([200, 200]); // the code exchange, then one refresh
    } finally {
      await shortLived.stop();
    }
  });

  it('refreshes after a 401 when the client does not know the expiry, as after a restart', async () => {
    const { tokens } = await connect(VENUE_EMAIL);
    const client = newOAuthClient();
    client.setCredentials({ access_token: tokens.access_token, refresh_token: tokens.refresh_token });
    const api = calendar({ version: 'v3', auth: client as unknown as CalendarAuth, rootUrl: sandbox.apiBaseUrl });
    sandbox.control.expireAccessTokens(VENUE_EMAIL);
    sandbox.control.clearRequestLog();

    const { data } = await api.calendarList.list();

    expect(data.items?.length).toBe(3);
    expect(sandbox.control.requestLog().map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
      'GET /calendar/v3/users/me/calendarList 401',
      'POST /token 200',
      'GET /calendar/v3/users/me/calendarList 200',
    ]);
  });

  it('answers invalid_grant on refresh and 401 on calls once the account revoked access', async () => {
    const revoked = await startGoogleSandbox();
    try {
      revoked.control.seedAccount({ email: VENUE_EMAIL });
      const { client, api } = await connect(VENUE_EMAIL, revoked);
      await api.calendarList.list();

      revoked.control.revokeAccount(VENUE_EMAIL);

      const refresh = await failure(client.refreshAccessToken());
      expect(refresh.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      const call = await failure(api.calendarList.list());
      expect(call.status).toBe(401);
    } finally {
      await revoked.stop();
    }
  });
});

describe('Calendar API', () => {
  let venue: Awaited<ReturnType<typeof connect>>;
  let demo: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    venue = await connect(VENUE_EMAIL);
    demo = await connect(DEMO_EMAIL);
  });

  it("lists exactly the account's calendars with their access roles", async () => {
    const { data } = await venue.api.calendarList.list();

    expect(data.kind).toBe('calendar#calendarList');
    expect(data.items?.map(({ id, accessRole, primary, timeZone }) => ({ id, accessRole, primary, timeZone }))).toEqual([
      { id: VENUE_EMAIL, accessRole: 'owner', primary: true, timeZone: VENUE_ZONE },
      { id: VENUE_BULK_ID, accessRole: 'owner', primary: undefined, timeZone: VENUE_ZONE },
      { id: 'demo-studio@group.calendar.google.com', accessRole: 'reader', primary: undefined, timeZone: VENUE_ZONE },
    ]);
  });

  it("hides other accounts' calendars (404) and refuses writes to reader calendars (403)", async () => {
    const hidden = await failure(venue.api.events.list({ calendarId: DEMO_MAIN_HALL_ID }));
    const readOnly = await failure(
      venue.api.events.insert({
        calendarId: 'demo-studio@group.calendar.google.com',
        requestBody: { summary: 'x', start: timed('2030-01-01T10:00'), end: timed('2030-01-01T11:00') },
      }),
    );

    expect(hidden.code).toBe(404);
    expect(readOnly.code).toBe(403);
    expect(readOnly.response?.data.error.errors[0].reason).toBe('requiredAccessLevel');
  });

  it('pages through 600 events with maxResults and gives nextSyncToken only on the last page', async () => {
    const start = berlin('2030-03-02T08:00');
    sandbox.control.createEvents(
      VENUE_BULK_ID,
      Array.from({ length: 600 }, (_, index) => ({
        summary: `Bulk ${index}`,
        start: { dateTime: start.plus({ hours: index }).toISO() },
        end: { dateTime: start.plus({ hours: index, minutes: 30 }).toISO() },
      })),
    );

    const { pages, items, nextSyncToken } = await listAll(venue.api, { calendarId: VENUE_BULK_ID, maxResults: 250 });

    expect(pages.map((page) => page.items?.length)).toEqual([250, 250, 100]);
    expect(pages.slice(0, 2).every((page) => page.nextPageToken && !page.nextSyncToken)).toBe(true);
    expect(pages[2].nextPageToken).toBeUndefined();
    expect(nextSyncToken).toBeTruthy();
    expect(new Set(items.map((item) => item.id)).size).toBe(600);
  });

  it('returns exactly the changed and the deleted event on an incremental sync', async () => {
    const { nextSyncToken } = await listAll(venue.api, { calendarId: VENUE_BULK_ID, maxResults: 2500 });
    const [changed, deleted] = sandbox.control.listEvents(VENUE_BULK_ID).slice(0, 2) as Array<{ id: string; etag: string }>;
    sandbox.control.updateEvent(VENUE_BULK_ID, changed.id, { summary: 'Renamed in Google' });
    await venue.api.events.delete({ calendarId: VENUE_BULK_ID, eventId: deleted.id });

    const { data } = await venue.api.events.list({ calendarId: VENUE_BULK_ID, syncToken: nextSyncToken! });
    const { data: again } = await venue.api.events.list({ calendarId: VENUE_BULK_ID, syncToken: data.nextSyncToken! });

    expect(data.items).toEqual([
      expect.objectContaining({ id: changed.id, summary: 'Renamed in Google', status: 'confirmed' }),
      { kind: 'calendar#event', etag: expect.any(String), id: deleted.id, status: 'cancelled' },
    ]);
    expect(data.items?.[0].etag).not.toBe(changed.etag);
    expect(again.items).toEqual([]);
  });

  it('reports a cancelled and a moved occurrence of a series as instances on incremental sync', async () => {
    const series = sandbox.control.createEvent(VENUE_EMAIL, {
      summary: 'Yoga',
      start: timed('2030-03-04T18:00'),
      end: timed('2030-03-04T19:00'),
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=5'],
    }) as { id: string };
    const { nextSyncToken } = await listAll(venue.api, { calendarId: VENUE_EMAIL });
    // 2030-03-11 18:00 in Berlin is 17:00 UTC.
    const instanceId = `${series.id}_20300311T170000Z`;

    await venue.api.events.delete({ calendarId: VENUE_EMAIL, eventId: instanceId });
    sandbox.control.updateEvent(VENUE_EMAIL, `${series.id}_20300318T170000Z`, { start: timed('2030-03-18T20:00'), end: timed('2030-03-18T21:00') });
    const { data } = await venue.api.events.list({ calendarId: VENUE_EMAIL, syncToken: nextSyncToken! });

    expect(data.items).toEqual([
      expect.objectContaining({
        id: instanceId,
        status: 'cancelled',
        recurringEventId: series.id,
        originalStartTime: { dateTime: '2030-03-11T18:00:00+01:00', timeZone: VENUE_ZONE },
      }),
      expect.objectContaining({
        id: `${series.id}_20300318T170000Z`,
        status: 'confirmed',
        summary: 'Yoga',
        recurringEventId: series.id,
        originalStartTime: { dateTime: '2030-03-18T18:00:00+01:00', timeZone: VENUE_ZONE },
        start: { dateTime: '2030-03-18T20:00:00+01:00', timeZone: VENUE_ZONE },
      }),
    ]);
  });

  it('answers 410 fullSyncRequired for an invalidated sync token, and 400 for syncToken with timeMin', async () => {
    const { nextSyncToken } = await listAll(venue.api, { calendarId: VENUE_EMAIL });
    sandbox.control.invalidateSyncTokens(VENUE_EMAIL);

    const gone = await failure(venue.api.events.list({ calendarId: VENUE_EMAIL, syncToken: nextSyncToken! }));
    const invalid = await failure(venue.api.events.list({ calendarId: VENUE_EMAIL, syncToken: nextSyncToken!, timeMin: '2030-01-01T00:00:00Z' }));

    expect(gone.code).toBe(410);
    expect(gone.response?.data).toEqual({
      error: {
        code: 410,
        message: 'Sync token is no longer valid, a full sync is required.',
        errors: [{ domain: 'calendar', reason: 'fullSyncRequired', message: 'Sync token is no longer valid, a full sync is required.' }],
      },
    });
    expect(invalid.code).toBe(400);
  });

  it('returns the demo series with its rule and exception, and expands it with singleEvents', async () => {
    const monday = DateTime.now().setZone(VENUE_ZONE).startOf('week');
    const window = { timeMin: monday.toISO()!, timeMax: monday.plus({ weeks: 3 }).toISO()! };

    const series = await listAll(demo.api, { calendarId: 'primary', ...window });
    const single = await listAll(demo.api, { calendarId: 'primary', ...window, singleEvents: true, orderBy: 'startTime' });

    const master = series.items.find((item) => item.summary === 'Weekly team sync');
    expect(master?.recurrence).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10', expect.stringMatching(/^EXDATE;TZID=Europe\/Berlin:\d{8}T090000$/)]);
    expect(series.items.find((item) => item.recurringEventId === master?.id)).toMatchObject({ summary: 'Weekly team sync (moved)' });
    expect(series.items.find((item) => item.summary === 'Hall maintenance')?.start).toEqual({ date: monday.plus({ days: 3 }).toISODate() });
    expect(series.items.find((item) => item.summary === 'Load-in window (hold)')?.transparency).toBe('transparent');
    const instances = single.items.filter((item) => item.recurringEventId === master?.id);
    // Week 1 as planned, week 2 moved to 10:00, week 3 excluded by EXDATE.
    expect(instances.map((item) => item.start?.dateTime)).toEqual([
      monday.set({ hour: 9 }).toISO({ suppressMilliseconds: true }),
      monday.plus({ weeks: 1 }).set({ hour: 10 }).toISO({ suppressMilliseconds: true }),
    ]);
    expect(single.items.some((item) => item.recurrence)).toBe(false);
  });

  it('inserts, patches with If-Match, refuses a stale etag with 412, and deletes', async () => {
    const { data: created } = await venue.api.events.insert({
      calendarId: VENUE_EMAIL,
      requestBody: {
        summary: 'Booking',
        start: timed('2030-05-05T10:00'),
        end: timed('2030-05-05T11:00'),
        extendedProperties: { private: { origin: 'calendar-hub' } },
      },
    });
    const { data: patched } = await venue.api.events.patch(
      { calendarId: VENUE_EMAIL, eventId: created.id!, requestBody: { summary: 'Booking (confirmed)' } },
      { headers: { 'If-Match': created.etag! } },
    );
    const stale = await failure(
      venue.api.events.patch({ calendarId: VENUE_EMAIL, eventId: created.id!, requestBody: { summary: 'lost update' } }, { headers: { 'If-Match': created.etag! } }),
    );
    const removed = await venue.api.events.delete({ calendarId: VENUE_EMAIL, eventId: created.id! }, { headers: { 'If-Match': patched.etag! } });
    const { data: afterDelete } = await venue.api.events.get({ calendarId: VENUE_EMAIL, eventId: created.id! });

    expect(created).toMatchObject({ id: expect.stringMatching(/^[a-v0-9]+$/), status: 'confirmed', extendedProperties: { private: { origin: 'calendar-hub' } } });
    expect(patched.summary).toBe('Booking (confirmed)');
    expect(patched.etag).not.toBe(created.etag);
    expect(patched.extendedProperties).toEqual({ private: { origin: 'calendar-hub' } });
    expect(stale.code).toBe(412);
    expect(removed.status).toBe(204);
    expect(afterDelete.status).toBe('cancelled');
  });
});

describe('push notifications', () => {
  let receiver: http.Server;
  let receiverUrl: string;
  const received: http.IncomingHttpHeaders[] = [];
  let venue: Awaited<ReturnType<typeof connect>>;

  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      received.push(request.headers);
      request.resume();
      response.writeHead(200).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/google`;
    venue = await connect(VENUE_EMAIL);
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('sends sync on watch, exists on a change, and nothing after channels.stop', async () => {
    received.length = 0;
    const { data: channel } = await venue.api.events.watch({
      calendarId: VENUE_EMAIL,
      requestBody: { id: 'channel-1', type: 'web_hook', address: receiverUrl, token: 'secret-1' },
    });
    await sandbox.control.flushPushes();
    sandbox.control.createEvent(VENUE_EMAIL, { summary: 'Added in Google', start: timed('2030-06-01T10:00'), end: timed('2030-06-01T11:00') });
    await sandbox.control.flushPushes();

    expect(channel).toMatchObject({ kind: 'api#channel', id: 'channel-1', token: 'secret-1', resourceId: expect.any(String) });
    expect(Number(channel.expiration)).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    expect(received.map((headers) => [headers['x-goog-resource-state'], headers['x-goog-message-number']])).toEqual([
      ['sync', '1'],
      ['exists', '2'],
    ]);
    expect(received[1]).toMatchObject({
      'x-goog-channel-id': 'channel-1',
      'x-goog-channel-token': 'secret-1',
      'x-goog-resource-id': channel.resourceId,
      'x-goog-resource-uri': channel.resourceUri,
      'x-goog-channel-expiration': new Date(Number(channel.expiration)).toUTCString(),
      'content-length': '0',
    });

    await venue.api.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } });
    await venue.api.events.insert({ calendarId: VENUE_EMAIL, requestBody: { summary: 'After stop', start: timed('2030-06-02T10:00'), end: timed('2030-06-02T11:00') } });
    await sandbox.control.flushPushes();

    expect(received).toHaveLength(2);
    expect(sandbox.control.listChannels().find((item) => item.id === 'channel-1')?.stopped).toBe(true);
  });

  it('logs a failed delivery to an unreachable address and keeps serving', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadAddress = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => closed.close(resolve));

    await venue.api.events.watch({ calendarId: VENUE_EMAIL, requestBody: { id: 'channel-dead', type: 'web_hook', address: deadAddress } });
    await sandbox.control.flushPushes();
    const { data } = await venue.api.calendarList.list();

    expect(sandbox.control.pushLog().filter((entry) => entry.channelId === 'channel-dead')).toEqual([
      expect.objectContaining({ resourceState: 'sync', ok: false, error: expect.stringContaining('ECONNREFUSED') }),
    ]);
    expect(data.items?.length).toBe(3);
  });
});

describe('faults and the control API', () => {
  it('lets the client retry an injected 503 and records both calls', async () => {
    const { api } = await connect(VENUE_EMAIL);
    sandbox.control.injectFault({ status: 503, count: 1, pathPrefix: '/calendar/v3/users/me/calendarList' });
    sandbox.control.clearRequestLog();

    const { data } = await api.calendarList.list();

    expect(data.items?.length).toBe(3);
    expect(sandbox.control.requestLog().map((call) => call.status)).toEqual([503, 200]);
  });

  it("surfaces an injected 429 in Google's error shape when the client does not retry", async () => {
    const { api } = await connect(VENUE_EMAIL);
    sandbox.control.injectFault({ status: 429, count: 1 });

    const error = await failure(api.calendarList.list({}, { retry: false }));

    expect(error.code).toBe(429);
    expect(error.response?.data.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded' }] });
  });

  it('offers the control operations over HTTP too', async () => {
    const seeded = await fetch(`${sandbox.controlUrl}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'http@sandbox.test', calendars: [{ summary: 'Over HTTP', timeZone: 'America/New_York', primary: true }] }),
    });
    const created = await fetch(`${sandbox.controlUrl}/calendars/${encodeURIComponent('http@sandbox.test')}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ summary: 'Lunch', start: { date: '2030-07-01' }, end: { date: '2030-07-02' } }),
    });
    const { api } = await connect('http@sandbox.test');
    const { data } = await api.events.list({ calendarId: 'primary' });
    const log = (await (await fetch(`${sandbox.controlUrl}/request-log?pathPrefix=/calendar/v3/calendars/primary`)).json()) as { items: unknown[] };

    expect(seeded.status).toBe(200);
    expect(created.status).toBe(200);
    expect(data.items?.map((item) => [item.summary, item.start])).toEqual([['Lunch', { date: '2030-07-01' }]]);
    expect(log.items.at(-1)).toMatchObject({ method: 'GET', path: '/calendar/v3/calendars/primary/events', status: 200 });
  });
});
