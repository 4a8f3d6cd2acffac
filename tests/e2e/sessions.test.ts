// Ending sessions over HTTP: a logout or a password change makes every earlier token of the account useless. The
// test stack sets SESSION_CACHE_SECONDS=0, so each request reads the user's session generation (the real check,
// without the up-to-60-s cache a Lambda container keeps; tests/unit/auth-sessions.test.ts covers the cache).
import { SignJWT } from 'jose';
import { api, signUpUser } from '../support/http';

// Several requests per test, each a DynamoDB read more than before, on a loaded machine.
jest.setTimeout(90_000);

const PASSWORD = 'correct horse battery';
const me = (token: string) => api('GET', '/users/me', { token });
const logIn = (email: string, password = PASSWORD) => api('POST', '/auth/login', { body: { email, password } });

/** A token as the service issued them before sessions had generations (no `gen` claim). */
const legacyToken = (userId: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer('calendar-hub')
    .setAudience('calendar-hub-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(process.env.AUTH_SECRET!));

describe('logout', () => {
  it('refuses the token it was called with and every other earlier token of the account with 401', async () => {
    const user = await signUpUser();
    const second = (await logIn(user.email)).body.token as string;
    const legacy = await legacyToken(user.id);
    const before = await Promise.all([me(user.token), me(second), me(legacy)]);

    const logout = await api('POST', '/auth/logout', { token: user.token });
    const after = await Promise.all([me(user.token), me(second), me(legacy)]);

    expect(before.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(logout.status).toBe(204);
    expect(after.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(after.map((response) => response.body.error.code)).toEqual(['token_revoked', 'token_revoked', 'token_revoked']);
    // The ended session cannot end another one, nor reach any other authenticated route.
    expect((await api('POST', '/auth/logout', { token: second })).status).toBe(401);
    expect((await api('GET', '/companies', { token: second })).status).toBe(401);
  });

  it('lets the user sign in again afterwards with a token that works', async () => {
    const user = await signUpUser();
    await api('POST', '/auth/logout', { token: user.token });

    const again = await logIn(user.email);

    expect(again.status).toBe(200);
    expect((await me(again.body.token)).status).toBe(200);
  });

  it('needs a bearer token', async () => {
    const response = await api('POST', '/auth/logout');
    expect(response.status).toBe(401);
  });
});

describe('password change', () => {
  it('refuses earlier tokens, answers a token that works, and signs in with the new password only', async () => {
    const user = await signUpUser();
    const second = (await logIn(user.email)).body.token as string;

    const changed = await api('POST', '/users/me/password', { token: user.token, body: { currentPassword: PASSWORD, newPassword: 'a new long passphrase' } });

    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ token: expect.any(String) });
    expect((await me(changed.body.token)).status).toBe(200);
    expect((await me(user.token)).status).toBe(401);
    expect((await me(second)).status).toBe(401);
    const withOld = await logIn(user.email);
    const withNew = await logIn(user.email, 'a new long passphrase');
    expect(withOld.status).toBe(401);
    expect(withNew.status).toBe(200);
    expect((await me(withNew.body.token)).status).toBe(200);
  });

  it('refuses a wrong current password with 403 and a weak new one with 400 naming newPassword, changing nothing', async () => {
    const user = await signUpUser();

    const wrong = await api('POST', '/users/me/password', { token: user.token, body: { currentPassword: 'not my password', newPassword: 'a new long passphrase' } });
    const weak = await api('POST', '/users/me/password', { token: user.token, body: { currentPassword: PASSWORD, newPassword: 'short' } });

    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('wrong_password');
    expect(weak.status).toBe(400);
    expect(weak.body.error.details).toEqual([expect.objectContaining({ field: 'newPassword' })]);
    expect((await me(user.token)).status).toBe(200);
    expect((await logIn(user.email)).status).toBe(200);
    expect((await logIn(user.email, 'a new long passphrase')).status).toBe(401);
  });
});
