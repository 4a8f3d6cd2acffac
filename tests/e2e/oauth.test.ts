// The Google consent over HTTP: our /oauth/google/start, the sandbox's consent page, our callback (redirects
// followed by hand), what is stored (the refresh token only encrypted) and the single-use, user-bound state.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createAesGcmCipher } from '../../lib/google/token-cipher';
import { dynamo, tableName } from '../../lib/store/client';
import { connectionKeys } from '../../lib/store/connection-store';
import { consent, connectGoogle, followCallback, seedAccount } from '../support/google';
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
    const callback = await followCallback(callbackUrl);

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
    expect(authorize.searchParams.get('scope')).toContain('https://www.googleapis.com/auth/calendar');
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
    const callbackUrl = await consent(user.token, email);
    const first = await followCallback(callbackUrl);

    const replay = await followCallback(callbackUrl);

    expect(first.status).toBe(200);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('invalid_state');
    expect((await api('GET', '/google/connections', { token: user.token })).body.items).toHaveLength(1);
  });

  it('answers 400 to a forged state (and to a code without any state) and stores nothing', async () => {
    const user = await signUpUser();
    const { email } = await seedAccount('forged', [{ key: 'main', primary: true }]);
    const genuine = new URL(await consent(user.token, email));
    const forged = new URL(genuine);
    forged.searchParams.set('state', `${genuine.searchParams.get('state')!.slice(0, -2)}xx`);

    const withForgedState = await followCallback(forged.toString());
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

    const answer = await followCallback(callbackUrl);
    const again = await followCallback(callbackUrl);

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
    const finished = await api('GET', `/oauth/google/callback${forwarded.search}`, { headers: { accept: 'application/json' } });

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
