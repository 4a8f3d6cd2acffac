// Users and sign-in over HTTP against the local stack, as a client would call them.
import { SignJWT } from 'jose';
import { api, signUpUser, uniqueEmail } from '../support/http';

const PASSWORD = 'correct horse battery';

describe('sign up and log in', () => {
  it('signs up, logs in with any letter case of the email, and reads the profile', async () => {
    const email = uniqueEmail('Mixed');
    const signUp = await api('POST', '/users', {
      body: { name: 'Ada', email, password: PASSWORD, timeZone: 'Europe/Berlin', workingHours: { mon: [{ start: '08:00', end: '12:00' }] } },
    });
    expect(signUp.status).toBe(201);
    expect(signUp.body).toEqual({ id: expect.any(String), token: expect.any(String) });

    const login = await api('POST', '/auth/login', { body: { email: email.toUpperCase(), password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.userId).toBe(signUp.body.id);

    const me = await api('GET', '/users/me', { token: login.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: signUp.body.id, name: 'Ada', email: email.toLowerCase(), timeZone: 'Europe/Berlin', reminderMinutes: [10] });
    expect(me.body.workingHours).toEqual({ mon: [{ start: '08:00', end: '12:00' }] });
    expect(me.text).not.toMatch(/password/i);
  });

  it('defaults the time zone to UTC and the working hours to weekdays 09:00-17:00', async () => {
    const user = await signUpUser();
    const me = await api('GET', '/users/me', { token: user.token });
    expect(me.body.timeZone).toBe('UTC');
    expect(me.body.workingHours.fri).toEqual([{ start: '09:00', end: '17:00' }]);
    expect(me.body.workingHours.sat ?? []).toEqual([]);
  });

  it('rejects a second sign-up with the same email in another letter case with 409', async () => {
    const email = uniqueEmail();
    expect((await api('POST', '/users', { body: { name: 'A', email, password: PASSWORD } })).status).toBe(201);
    const again = await api('POST', '/users', { body: { name: 'B', email: email.toUpperCase(), password: PASSWORD } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('lets exactly one of two concurrent sign-ups with one email succeed', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => api('POST', '/users', { body: { name: `Racer ${n}`, email, password: PASSWORD } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!;
    const login = await api('POST', '/auth/login', { body: { email, password: PASSWORD } });
    expect(login.body.userId).toBe(winner.body.id);
  });

  it('answers 401 invalid_credentials for a wrong password and for an unknown email alike', async () => {
    const user = await signUpUser();
    const wrong = await api('POST', '/auth/login', { body: { email: user.email, password: 'not the password' } });
    const unknown = await api('POST', '/auth/login', { body: { email: uniqueEmail('nobody'), password: PASSWORD } });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });
});

describe('bad input writes nothing and names the field', () => {
  it.each([
    ['a missing name and a bad email', { email: 'not-an-email', password: PASSWORD }, ['email', 'name']],
    ['a short password', { name: 'A', email: 'x@example.test', password: 'short' }, ['password']],
    ['an unknown time zone', { name: 'A', email: 'x@example.test', password: PASSWORD, timeZone: 'Mars/Olympus' }, ['timeZone']],
    ['an unknown field', { name: 'A', email: 'x@example.test', password: PASSWORD, isAdmin: true }, ['isAdmin']],
    ['a number for the name', { name: 42, email: 'x@example.test', password: PASSWORD }, ['name']],
    ['working hours that end before they start', { name: 'A', email: 'x@example.test', password: PASSWORD, workingHours: { tue: [{ start: '17:00', end: '09:00' }] } }, ['workingHours.tue.0']],
    ['working hours not in HH:MM', { name: 'A', email: 'x@example.test', password: PASSWORD, workingHours: { tue: [{ start: '9am', end: '17:00' }] } }, ['workingHours.tue.0.start']],
    ['an unknown weekday', { name: 'A', email: 'x@example.test', password: PASSWORD, workingHours: { funday: [] } }, ['workingHours.funday']],
  ])('rejects %s with 400', async (_label, template, fields) => {
    // Each case claims its own email, so "nothing written" is checked for this case alone.
    const body: Record<string, unknown> = { ...template };
    if (body.email === 'x@example.test') body.email = uniqueEmail('bad');
    const response = await api('POST', '/users', { body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    const named = response.body.error.details.map((d: { field: string }) => d.field);
    for (const field of fields) expect(named.some((n: string) => n.startsWith(field))).toBe(true);
    if (typeof body.email === 'string' && body.email.includes('@')) {
      const login = await api('POST', '/auth/login', { body: { email: body.email, password: PASSWORD } });
      expect(login.status).toBe(401);
    }
  });

  it('rejects malformed JSON with 400 invalid_json', async () => {
    const response = await api('POST', '/users', { rawBody: '{"name": "A", ' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  it('rejects a missing body with 400 and a non-JSON content type with 415', async () => {
    expect((await api('POST', '/users', { headers: { 'content-type': 'application/json' } })).status).toBe(400);
    const form = await api('POST', '/users', { rawBody: 'name=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('unsupported_media_type');
  });

  it('rejects an oversize body with 413 and writes nothing', async () => {
    const email = uniqueEmail('big');
    const response = await api('POST', '/users', { body: { name: 'x'.repeat(70 * 1024), email, password: PASSWORD } });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
    expect((await api('POST', '/auth/login', { body: { email, password: PASSWORD } })).status).toBe(401);
  });
});

describe('tokens', () => {
  it('rejects a missing, a malformed, a forged and an expired token with 401', async () => {
    const user = await signUpUser();
    const missing = await api('GET', '/users/me');
    const malformed = await api('GET', '/users/me', { headers: { authorization: 'Token abc' } });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('calendar-hub')
      .setAudience('calendar-hub-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-different-secret-of-sufficient-length!!'));
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('calendar-hub')
      .setAudience('calendar-hub-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(process.env.AUTH_SECRET!));
    const forgedResponse = await api('GET', '/users/me', { token: forged });
    const expiredResponse = await api('GET', '/users/me', { token: expired });
    expect([missing.status, malformed.status, forgedResponse.status, expiredResponse.status]).toEqual([401, 401, 401, 401]);
    expect(missing.body.error.code).toBe('unauthorized');
    expect(forgedResponse.body.error.code).toBe('invalid_token');
    expect(expiredResponse.body.error.code).toBe('token_expired');
  });

  it('rejects a token with alg none', async () => {
    const user = await signUpUser();
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: user.id, iss: 'calendar-hub', aud: 'calendar-hub-api', exp: 9999999999 })).toString('base64url');
    const response = await api('GET', '/users/me', { token: `${header}.${payload}.` });
    expect(response.status).toBe(401);
  });
});

describe('profiles', () => {
  it('changes the own profile and keeps what was not sent', async () => {
    const user = await signUpUser({ timeZone: 'Europe/Berlin' });
    const patch = await api('PATCH', '/users/me', {
      token: user.token,
      body: { name: 'Grace', workingHours: { wed: [{ start: '10:00', end: '12:00' }, { start: '13:00', end: '18:00' }] }, reminderMinutes: [5, 30] },
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ name: 'Grace', timeZone: 'Europe/Berlin', reminderMinutes: [5, 30] });
    const me = await api('GET', '/users/me', { token: user.token });
    expect(me.body.workingHours).toEqual({ wed: [{ start: '10:00', end: '12:00' }, { start: '13:00', end: '18:00' }] });
    expect(me.body.name).toBe('Grace');
  });

  it('rejects a bad change with 400 and changes nothing', async () => {
    const user = await signUpUser();
    const response = await api('PATCH', '/users/me', { token: user.token, body: { name: 'New name', timeZone: 'Nowhere/Land' } });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'timeZone' })]);
    expect((await api('GET', '/users/me', { token: user.token })).body.name).toBe('Test User');
    expect((await api('PATCH', '/users/me', { token: user.token, body: {} })).status).toBe(400);
    expect((await api('PATCH', '/users/me', { token: user.token, body: { email: 'new@example.test' } })).status).toBe(400);
  });

  it("shows only the public profile of someone else, never their email or settings", async () => {
    const alice = await signUpUser({ name: 'Alice' });
    const bob = await signUpUser({ name: 'Bob' });
    const seen = await api('GET', `/users/${alice.id}`, { token: bob.token });
    expect(seen.status).toBe(200);
    expect(Object.keys(seen.body).sort()).toEqual(['id', 'name', 'timeZone', 'workingHours']);
    expect(seen.text).not.toContain(alice.email);
    expect((await api('GET', `/users/${alice.id}`)).status).toBe(401);
    expect((await api('GET', '/users/01NOSUCHUSER0000000000000', { token: bob.token })).status).toBe(404);
  });

  it("cannot change another user's profile: PATCH /users/me only ever touches the caller", async () => {
    const alice = await signUpUser({ name: 'Alice' });
    const bob = await signUpUser({ name: 'Bob' });
    await api('PATCH', '/users/me', { token: bob.token, body: { name: 'Mallory' } });
    expect((await api('GET', '/users/me', { token: alice.token })).body.name).toBe('Alice');
    expect((await api('PATCH', `/users/${alice.id}`, { token: bob.token, body: { name: 'Mallory' } })).status).toBe(404);
  });
});

describe('meta', () => {
  it('answers /health and an OpenAPI document built from the schemas', async () => {
    expect((await api('GET', '/health')).body.status).toBe('ok');
    const doc = await api('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const signUp = doc.body.paths['/users'].post;
    expect(signUp.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['name', 'email', 'password']));
    expect(signUp.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(doc.body.paths['/users/{userId}'].get.parameters[0]).toMatchObject({ name: 'userId', in: 'path', required: true });
  });
});
