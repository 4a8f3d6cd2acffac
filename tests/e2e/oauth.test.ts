// The Google consent over HTTP: our /oauth/google/start, the sandbox's consent page, our callback (redirects
// followed by hand), what is stored (the refresh token only encrypted), the single-use state bound to the user
// agent that started it (its cookie, or the starting user's bearer), and the least scopes asked for.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createAesGcmCipher } from '../../lib/google/token-cipher';
import { dynamo, tableName } from '../../lib/store/client';
import { connectionKeys } from '../../lib/store/connection-store';
import { bindingCookieOf, consent, connectGoogle, control, encode, followCallback, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

// Real parts end to end (Google sandbox, DynamoDB Local, the offline API): slow when the machine is busy.
jest.setTimeout(60_000);

async function storedConnection(connectionId: string) {
  const result = await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: connectionKeys.pk(connectionId), sk: connectionKeys.sk() } }));
  return result.Item!;
}

/** The refresh token behind a stored ciphertext, and whether the sandbox's token endpoint accepts it. */
async function decryptAndTry(item: Record<string, any>) {
  const refreshToken = await createAesGcmCipher(process.env.TOKEN_ENCRYPTION_KEY!).decrypt(item.encryptedRefreshToken, item.id);
  const response = await fetch(process.env.GOOGLE_OAUTH_TOKEN_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: process.env.GOOGLE_CLIENT_ID!, client_secret: process.env.GOOGLE_CLIENT_SECRET! }),
  });
  return { refreshToken, accepted: response.status === 200 };
}

describe('connecting a Google account', () => {
  it('redirects to the consent page with PKCE, offline access and a state, and stores the connection with the token encrypted', async () => {
    const user = await signUpUser();
    const { email, ids } = await seedAccount('oauth', [{ key: 'main', primary: true }, { key: 'studio', summary: 'Studio' }]);

    const start = await api('GET', `/oauth/google/start?loginHint=${encodeURIComponent(email)}`, { token: user.token });
    const authorize = new URL(start.headers.get('location')!);
    const callbackUrl = await (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
    const callback = await followCallback(callbackUrl, { cookie: bindingCookieOf(start.headers) });

    expect(start.status).toBe(302);
    expect(start.body).toEqual({ authorizeUrl: authorize.toString() });
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      response_type: 'code',
      code_challenge_method: 'S256',
      login_hint: email,
      redirect_uri: process.env.OAUTH_REDIRECT_URI,
      state: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(authorize.searchParams.get('scope')).toBe('openid email https://www.googleapis.com/auth/calendar.readonly');
    expect(callback.status).toBe(200);
    expect(callback.body).toEqual({
      connectionId: expect.any(String),
      email,
      status: 'active',
      calendars: [
        { id: ids.main, summary: 'main', accessRole: 'owner', timeZone: 'Europe/Berlin', primary: true },
        { id: ids.studio, summary: 'Studio', accessRole: 'owner', timeZone: 'Europe/Berlin' },
      ],
    });

    const item = await storedConnection(callback.body.connectionId);
    const { refreshToken, accepted } = await decryptAndTry(item);
    expect(refreshToken).toMatch(/^1\/\//);
    expect(accepted).toBe(true);
    expect(JSON.stringify(item)).not.toContain(refreshToken);
    expect(item.encryptedRefreshToken).toMatch(/^aesgcm\.v1\./);
    const listed = await api('GET', '/google/connections', { token: user.token });
    expect(listed.body.items).toEqual([expect.objectContaining({ id: callback.body.connectionId, email, status: 'active' })]);
    expect(JSON.stringify(listed.body) + callback.text).not.toContain(refreshToken);
    expect(JSON.stringify(listed.body)).not.toMatch(/encrypted|ya29\./);
  });

  it('answers 400 to a replayed state and stores nothing more', async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('replay', [{ key: 'main', primary: true }]);
    const { callbackUrl, cookie } = await consent(user.token, email);
    const first = await followCallback(callbackUrl, { cookie });

    const replay = await followCallback(callbackUrl, { cookie });

    expect(first.status).toBe(200);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('invalid_state');
    expect((await api('GET', '/google/connections', { token: user.token })).body.items).toHaveLength(1);
  });

  it('answers 400 to a forged state (and to a code without any state) and stores nothing', async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('forged', [{ key: 'main', primary: true }]);
    const { callbackUrl, cookie } = await consent(user.token, email);
    const genuine = new URL(callbackUrl);
    const forged = new URL(genuine);
    forged.searchParams.set('state', `${genuine.searchParams.get('state')!.slice(0, -2)}xx`);

    const withForgedState = await followCallback(forged.toString(), { cookie, token: user.token });
    const withoutState = await api('GET', `/oauth/google/callback?code=${encodeURIComponent(genuine.searchParams.get('code')!)}`);

    expect(withForgedState.status).toBe(400);
    expect(withForgedState.body.error.code).toBe('invalid_state');
    expect(withoutState.status).toBe(400);
    expect(withoutState.body.error.details).toEqual([{ field: 'query.state', message: expect.any(String) }]);
    expect((await api('GET', '/google/connections', { token: user.token })).body.items).toEqual([]);
  });

  it('answers 400 when the user refused consent, and the state is used up', async () => {
    const user = await signUpUser();
    const start = await api('GET', '/oauth/google/start', { token: user.token });
    const denied = await fetch(`${start.headers.get('location')}&sandbox_deny=1`, { redirect: 'manual' });
    const callbackUrl = denied.headers.get('location')!;
    const cookie = bindingCookieOf(start.headers);

    const answer = await followCallback(callbackUrl, { cookie });
    const again = await followCallback(callbackUrl, { cookie });

    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('oauth_failed');
    expect(again.body.error.code).toBe('invalid_state');
  });

  it('updates the connection on a second consent for the same account instead of adding one', async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('again', [{ key: 'main', primary: true }]);
    const first = await connectGoogle(user.token, email);
    const before = await storedConnection(first.connectionId);

    const second = await connectGoogle(user.token, email);
    const after = await storedConnection(first.connectionId);

    expect(second.connectionId).toBe(first.connectionId);
    expect((await api('GET', '/google/connections', { token: user.token })).body.items).toHaveLength(1);
    expect(after.version).toBe(before.version + 1);
    expect(after.encryptedRefreshToken).not.toBe(before.encryptedRefreshToken);
    expect((await decryptAndTry(after)).accepted).toBe(true);
  });

  it('keeps connections to each user: another user neither sees nor deletes them', async () => {
    const [owner, stranger] = await Promise.all([signUpUser(), signUpUser()]);
    const { email } = await seedAccount('mine', [{ key: 'main', primary: true }]);
    const { connectionId } = await connectGoogle(owner.token, email);

    const strangerCalendars = await api('GET', `/google/connections/${connectionId}/calendars`, { token: stranger.token });
    const strangerDelete = await api('DELETE', `/google/connections/${connectionId}`, { token: stranger.token });
    const unauthenticated = await api('GET', '/oauth/google/start');

    expect(strangerCalendars.status).toBe(404);
    expect(strangerDelete.status).toBe(404);
    expect(unauthenticated.status).toBe(401);
    expect((await api('GET', '/google/connections', { token: stranger.token })).body.items).toEqual([]);
    expect((await api('DELETE', `/google/connections/${connectionId}`, { token: owner.token })).status).toBe(204);
    expect((await api('GET', '/google/connections', { token: owner.token })).body.items).toEqual([]);
  });

  it("serves pages too: the consent URL as JSON when asked for it, and a browser's return handed to the console page", async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('page', [{ key: 'main', primary: true }]);
    const asJson = await api('GET', `/oauth/google/start?loginHint=${encodeURIComponent(email)}`, { token: user.token, headers: { accept: 'application/json' } });
    const back = new URL((await fetch(asJson.body.authorizeUrl, { redirect: 'manual' })).headers.get('location')!);

    const navigation = await api('GET', `${back.pathname}${back.search}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    const forwarded = new URL(navigation.headers.get('location')!, 'http://console.invalid');
    // The console's page finishes with the signed-in user's bearer token (it sends no cookies).
    const finished = await api('GET', `/oauth/google/callback${forwarded.search}`, { token: user.token, headers: { accept: 'application/json' } });

    expect(asJson.status).toBe(200);
    expect(asJson.body.authorizeUrl).toContain(`login_hint=${encodeURIComponent(email)}`);
    expect(navigation.status).toBe(302);
    expect(forwarded.pathname).toBe('/app/google/callback');
    expect(Object.fromEntries(forwarded.searchParams)).toEqual({ state: back.searchParams.get('state'), code: back.searchParams.get('code') });
    expect(finished.status).toBe(200);
    expect(finished.body.email).toBe(email);
  });

  it('rejects a malformed login hint naming the field', async () => {
    const user = await signUpUser();
    const response = await api('GET', '/oauth/google/start?loginHint=not-an-email', { token: user.token });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'query.loginHint', message: expect.any(String) }]);
  });
});

describe('a consent finishes only for the user agent that started it (RFC 9700 section 4.7)', () => {
  /** Whether the sandbox's token endpoint has seen this authorization code redeemed. */
  const codeRedeemed = async (callbackUrl: string) =>
    (await control<{ used: boolean }>('GET', `/authorization-code?code=${encode(new URL(callbackUrl).searchParams.get('code')!)}`)).used;

  it("refuses a callback from another agent (no cookie, or another user's bearer) with 400, exchanges no code and stores nothing", async () => {
    const [starter, other] = await Promise.all([signUpUser(), signUpUser()]);
    // The starter hands the consent link to someone else, whose browser consents to their own Google account.
    const { email } = await seedAccount('elsewhere', [{ key: 'main', primary: true }]);
    const handedOver = await consent(starter.token, email);
    const alsoHandedOver = await consent(starter.token, email);

    const bare = await followCallback(handedOver.callbackUrl);
    const withOthersBearer = await followCallback(alsoHandedOver.callbackUrl, { token: other.token });
    // The state is used up by the refused callback: the starter cannot finish it afterwards either.
    const starterLater = await followCallback(handedOver.callbackUrl, { cookie: handedOver.cookie });

    expect(bare.status).toBe(400);
    expect(bare.body.error.code).toBe('oauth_state_unbound');
    expect(withOthersBearer.status).toBe(400);
    expect(withOthersBearer.body.error.code).toBe('oauth_state_unbound');
    expect(await codeRedeemed(handedOver.callbackUrl)).toBe(false);
    expect(await codeRedeemed(alsoHandedOver.callbackUrl)).toBe(false);
    expect(starterLater.body.error.code).toBe('invalid_state');
    expect((await api('GET', '/google/connections', { token: starter.token })).body.items).toEqual([]);
    expect((await api('GET', '/google/connections', { token: other.token })).body.items).toEqual([]);
  });

  it('refuses a cookie from another consent', async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('swapped', [{ key: 'main', primary: true }]);
    const mine = await consent(user.token, email);
    const another = await consent(user.token, email);

    const swapped = await followCallback(mine.callbackUrl, { cookie: another.cookie });

    expect(swapped.status).toBe(400);
    expect(swapped.body.error.code).toBe('oauth_state_unbound');
    expect(await codeRedeemed(mine.callbackUrl)).toBe(false);
  });

  it('finishes with the cookie set by the start (HttpOnly, SameSite=Lax, only for the callback path) and clears it', async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('cookie', [{ key: 'main', primary: true }]);
    const start = await api('GET', `/oauth/google/start?loginHint=${encode(email)}`, { token: user.token });
    const overHttps = await api('GET', '/oauth/google/start', { token: user.token, headers: { 'x-forwarded-proto': 'https' } });
    const setCookie = start.headers.getSetCookie().find((cookie) => cookie.startsWith('oauth_binding='))!;
    const callbackUrl = (await fetch(start.headers.get('location')!, { redirect: 'manual' })).headers.get('location')!;

    const callback = await followCallback(callbackUrl, { cookie: setCookie.split(';')[0] });

    expect(setCookie).toMatch(/^oauth_binding=[\w-]{43}; /);
    expect(setCookie.split('; ').slice(1).map((part) => part.toLowerCase())).toEqual(
      expect.arrayContaining(['path=/oauth/google/callback', 'httponly', 'samesite=lax', 'max-age=600']),
    );
    expect(setCookie.toLowerCase()).not.toContain('secure');
    expect(overHttps.headers.getSetCookie().find((cookie) => cookie.startsWith('oauth_binding='))).toMatch(/; Secure/i);
    expect(callback.status).toBe(200);
    expect(callback.body.email).toBe(email);
    expect(await codeRedeemed(callbackUrl)).toBe(true);
    expect(callback.headers.getSetCookie()).toEqual([expect.stringMatching(/^oauth_binding=; .*Max-Age=0/i)]);
  });

  it("finishes with the starting user's bearer token and no cookie", async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('bearer', [{ key: 'main', primary: true }]);
    const { callbackUrl } = await consent(user.token, email);

    const callback = await followCallback(callbackUrl, { token: user.token });

    expect(callback.status).toBe(200);
    expect((await api('GET', '/google/connections', { token: user.token })).body.items).toEqual([
      expect.objectContaining({ id: callback.body.connectionId, email }),
    ]);
  });
});

describe('the least scopes', () => {
  it('asks for read-only access by default, refuses a destination calendar on it, and adds event writing when asked (incrementally)', async () => {
    const user = await signUpUser();
    const { email, ids } = await seedAccount('scopes', [{ key: 'main', primary: true }]);
    const readOnly = await consent(user.token, email);
    const connected = await followCallback(readOnly.callbackUrl, { cookie: readOnly.cookie });
    const destination = { destinationCalendar: { connectionId: connected.body.connectionId, calendarId: ids.main } };

    const refused = await api('PATCH', '/users/me', { token: user.token, body: destination });
    const write = await consent(user.token, email, { access: 'write' });
    const upgraded = await followCallback(write.callbackUrl, { cookie: write.cookie });
    const accepted = await api('PATCH', '/users/me', { token: user.token, body: destination });

    const readScopes = new URL(readOnly.authorizeUrl).searchParams;
    expect(readScopes.get('scope')).toBe('openid email https://www.googleapis.com/auth/calendar.readonly');
    expect(readScopes.get('include_granted_scopes')).toBe('true');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('write_access_required');
    expect(refused.body.error.message).toContain('access=write');
    expect(refused.body.error.details).toEqual([{ field: 'destinationCalendar.connectionId', message: expect.any(String) }]);
    expect(new URL(write.authorizeUrl).searchParams.get('scope')).toBe(
      'openid email https://www.googleapis.com/auth/calendar.readonly https://www.googleapis.com/auth/calendar.events',
    );
    expect(new URL(write.authorizeUrl).searchParams.get('include_granted_scopes')).toBe('true');
    expect(upgraded.body.connectionId).toBe(connected.body.connectionId);
    expect(accepted.status).toBe(200);
    const [stored] = (await api('GET', '/google/connections', { token: user.token })).body.items;
    expect(stored.scopes).toEqual(expect.arrayContaining(['https://www.googleapis.com/auth/calendar.readonly', 'https://www.googleapis.com/auth/calendar.events']));
  });

  it('rejects an unknown access level naming the field', async () => {
    const user = await signUpUser();
    const response = await api('GET', '/oauth/google/start?access=admin', { token: user.token });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'query.access', message: expect.any(String) }]);
  });
});
