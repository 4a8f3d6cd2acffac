// The rate limits through the real handlers and use cases, in-process, against DynamoDB Local, from client
// addresses an HTTP client on this machine could not choose (API Gateway's requestContext.http.sourceIp). Each
// limit is hit: 429 rate_limited with Retry-After and the error body, nothing of the refused request written; and
// the rightful client (another account, address, link, company or channel) still passes.
import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as authHandler } from '../../functions/http/auth';
import { handler as bookHandler } from '../../functions/http/book';
import { handler as companiesHandler } from '../../functions/http/companies';
import { handler as usersHandler } from '../../functions/http/users';
import { handler as webhookHandler } from '../../functions/webhooks/google';
import { requestSync } from '../../lib/companies/calendars';
import { companyDeps } from '../../lib/wiring/parts/companies';
import { resetConfigForTests } from '../../lib/config';
import { hashChannelToken } from '../../lib/push/channels';
import { webhookDeps } from '../../lib/wiring/parts/push';
import { receiveNotification } from '../../lib/push/receive-notification';
import { bookingKeys } from '../../lib/store/booking-store';
import { channelStore } from '../../lib/store/channel-store';
import { dynamo, tableName } from '../../lib/store/client';
import { userStore } from '../../lib/store/user-store';
import type { SyncMessage } from '../../lib/sync/ports';
import { createCompany } from '../support/google';
import { api, signUpUser, uniqueEmail } from '../support/http';
import { invoke, type InvokeResult } from '../support/lambda-event';
import { assertLocalEndpoints } from '../support/local-env';

jest.setTimeout(60_000);

// Windows of a day: a test of a few seconds never straddles a window's end (and with it a reset count).
const DAY = 86_400;
const LIMITS = {
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT: `3/${DAY}`,
  RATE_LIMIT_SIGN_IN_FAILURES_PER_ADDRESS: `6/${DAY}`,
  RATE_LIMIT_SIGN_UPS_PER_ADDRESS: `3/${DAY}`,
  RATE_LIMIT_BOOKINGS_PER_ADDRESS: `2/${DAY}`,
  RATE_LIMIT_BOOKINGS_PER_LINK: `5/${DAY}`,
  RATE_LIMIT_SYNC_REQUESTS_PER_COMPANY: `2/${DAY}`,
  RATE_LIMIT_NOTIFICATIONS_PER_CHANNEL: `2/${DAY}`,
};

beforeAll(assertLocalEndpoints);
beforeAll(() => {
  Object.assign(process.env, LIMITS);
  resetConfigForTests();
});
afterAll(() => {
  for (const name of Object.keys(LIMITS)) delete process.env[name];
  resetConfigForTests();
});

// Addresses of a network of this run only (the table outlives one test file), one fresh address per call.
const network = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
let hosts = 0;
const newAddress = () => `${network}.${++hosts}`;

const PASSWORD = 'correct horse battery';
const signUp = (sourceIp: string, email = uniqueEmail('limits'), headers: Record<string, string> = {}) =>
  invoke(usersHandler, 'POST /users', '/users', { sourceIp, headers, body: { name: 'Limit Tester', email, password: PASSWORD } });
const logIn = (sourceIp: string, email: string, password: string, headers: Record<string, string> = {}) =>
  invoke(authHandler, 'POST /auth/login', '/auth/login', { sourceIp, headers, body: { email, password } });

/** 429 rate_limited, the contract's error body, and Retry-After: the seconds left of the day-long window. */
function expectRateLimited(response: InvokeResult, sentAt: number, answeredAt: number) {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  const windowEnd = (Math.floor(sentAt / (DAY * 1000)) + 1) * DAY * 1000;
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(Math.max(1, Math.floor((windowEnd - answeredAt) / 1000)));
  expect(retryAfter).toBeLessThanOrEqual(Math.ceil((windowEnd - sentAt) / 1000));
}

async function timedCall<T>(call: () => Promise<T>): Promise<{ response: T; sentAt: number; answeredAt: number }> {
  const sentAt = Date.now();
  const response = await call();
  return { response, sentAt, answeredAt: Date.now() };
}

describe('sign-in failures', () => {
  it('refuses an account over its failure limit with 429, the right password included, while another account signs in', async () => {
    const victim = uniqueEmail('victim');
    const bystander = uniqueEmail('bystander');
    expect((await signUp(newAddress(), victim)).status).toBe(201);
    expect((await signUp(newAddress(), bystander)).status).toBe(201);

    // Three guesses from three addresses: each address stays far below its own limit.
    for (let guess = 0; guess < 3; guess++) expect((await logIn(newAddress(), victim, `guess ${guess}`)).status).toBe(401);
    const locked = await timedCall(() => logIn(newAddress(), victim, PASSWORD));

    expectRateLimited(locked.response, locked.sentAt, locked.answeredAt);
    expect((await logIn(newAddress(), bystander, PASSWORD)).status).toBe(200);
  });

  it('refuses an address over its failure limit whatever the account and X-Forwarded-For; another address signs in', async () => {
    const account = uniqueEmail('shared');
    expect((await signUp(newAddress(), account)).status).toBe(201);
    const attacker = newAddress();

    for (let guess = 0; guess < 6; guess++) {
      const response = await logIn(attacker, uniqueEmail('nobody'), 'guess', { 'x-forwarded-for': `192.0.2.${guess}` });
      expect(response.status).toBe(401);
    }
    const refused = await timedCall(() => logIn(attacker, account, PASSWORD, { 'x-forwarded-for': '192.0.2.200' }));

    expectRateLimited(refused.response, refused.sentAt, refused.answeredAt);
    expect((await logIn(newAddress(), account, PASSWORD)).status).toBe(200);
  });

  it('counts only failures: right sign-ins, many more than either limit, all pass', async () => {
    const account = uniqueEmail('regular');
    expect((await signUp(newAddress(), account)).status).toBe(201);
    const office = newAddress();

    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await logIn(office, account, PASSWORD)).status);

    expect(statuses).toEqual(Array(8).fill(200));
  });
});

describe('sign-ups', () => {
  it('refuses an address over its sign-up limit with 429 and creates no user, whatever X-Forwarded-For says; another address signs up', async () => {
    const flooder = newAddress();
    for (let i = 0; i < 3; i++) expect((await signUp(flooder, uniqueEmail('flood'), { 'x-forwarded-for': `192.0.2.${i}` })).status).toBe(201);
    const refusedEmail = uniqueEmail('flood');

    const refused = await timedCall(() => signUp(flooder, refusedEmail, { 'x-forwarded-for': '192.0.2.99' }));

    expectRateLimited(refused.response, refused.sentAt, refused.answeredAt);
    expect(await userStore.findByEmail(refusedEmail)).toBeUndefined();
    expect((await signUp(newAddress())).status).toBe(201);
  });
});

describe('bookings', () => {
  const ALWAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));
  let slot = 0;
  // Every request asks for a slot of its own, so each one that is let through books.
  const nextStart = () => new Date(Date.UTC(2034, 0, 2, 0, 0) + slot++ * 3_600_000).toISOString();
  const book = (slug: string, sourceIp: string) =>
    invoke(bookHandler, 'POST /book/{slug}/bookings', `/book/${slug}/bookings`, {
      sourceIp,
      pathParameters: { slug },
      body: { start: nextStart(), name: 'Guest', email: 'guest@example.com' },
    });
  const bookingsOf = async (hostId: string) =>
    (await dynamo().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': bookingKeys.hostIndexPk(hostId) }, ConsistentRead: true }))).Items ?? [];

  async function bookingLink() {
    const host = await signUpUser({ name: 'Busy Host', timeZone: 'UTC' });
    const type = await api('POST', '/event-types', {
      token: host.token,
      body: { name: 'Call', kind: 'one_on_one', durationMinutes: 30, minNoticeMinutes: 0, availability: { timeZone: 'UTC', weekly: ALWAYS } },
    });
    if (type.status !== 201) throw new Error(`event type: ${type.status} ${type.text}`);
    return { host, slug: type.body.slug as string };
  }

  it('stops one address flooding a link at its own limit, while guests from other addresses still book it', async () => {
    const { host, slug } = await bookingLink();
    const flooder = newAddress();
    expect((await book(slug, flooder)).status).toBe(201);
    expect((await book(slug, flooder)).status).toBe(201);

    const refused = await timedCall(() => book(slug, flooder));
    const more = [await book(slug, flooder), await book(slug, flooder)];
    const guest = await book(slug, newAddress());

    expectRateLimited(refused.response, refused.sentAt, refused.answeredAt);
    expect(more.map((response) => response.status)).toEqual([429, 429]);
    expect(guest.status).toBe(201);
    // The two the flooder was allowed and the guest's: the refused requests wrote nothing.
    expect(await bookingsOf(host.id)).toHaveLength(3);
  });

  it('stops a link booked from many addresses at the link limit; the refused address, not counted, books elsewhere', async () => {
    const { host, slug } = await bookingLink();
    const other = await bookingLink();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await book(slug, newAddress())).status);
    const late = newAddress();

    const refused = await timedCall(() => book(slug, late));

    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expectRateLimited(refused.response, refused.sentAt, refused.answeredAt);
    expect(await bookingsOf(host.id)).toHaveLength(5);
    // Refused by the link, `late` got its own count back: both its requests to another link pass.
    expect([(await book(other.slug, late)).status, (await book(other.slug, late)).status]).toEqual([201, 201]);
  });
});

describe('sync requests', () => {
  it('refuses a company over its sync-request limit with 429 and queues nothing more; another company is queued', async () => {
    const owner = await signUpUser();
    const [busy, quiet] = [await createCompany(owner.token, 'Busy'), await createCompany(owner.token, 'Quiet')];
    const sent: SyncMessage[] = [];
    const deps = { ...companyDeps(), queue: { send: async (messages: SyncMessage[]) => void sent.push(...messages) } };

    await requestSync(deps, owner.id, busy);
    await requestSync(deps, owner.id, busy);
    const refused = await requestSync(deps, owner.id, busy).catch((error) => error);
    // Through the HTTP chain: the same refusal with Retry-After (and, refused, it sends nothing to the real queue).
    const overHttp = await timedCall(() =>
      invoke(companiesHandler, 'POST /companies/{companyId}/sync', `/companies/${busy}/sync`, {
        sourceIp: newAddress(),
        headers: { authorization: `Bearer ${owner.token}` },
        pathParameters: { companyId: busy },
      }),
    );
    await requestSync(deps, owner.id, quiet);

    expect(refused).toMatchObject({ code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    expectRateLimited(overHttp.response, overHttp.sentAt, overHttp.answeredAt);
    expect(sent).toEqual([
      { kind: 'sync', companyId: busy, trigger: 'manual' },
      { kind: 'sync', companyId: busy, trigger: 'manual' },
      { kind: 'sync', companyId: quiet, trigger: 'manual' },
    ]);
  });

  it('does not let an outsider use up a company\'s sync requests', async () => {
    const owner = await signUpUser();
    const outsider = await signUpUser();
    const companyId = await createCompany(owner.token);
    const sent: SyncMessage[] = [];
    const deps = { ...companyDeps(), queue: { send: async (messages: SyncMessage[]) => void sent.push(...messages) } };

    const outsiderAnswers = await Promise.all([1, 2, 3].map(() => requestSync(deps, outsider.id, companyId).catch((error) => error.code)));
    await requestSync(deps, owner.id, companyId);

    expect(outsiderAnswers).toEqual(['not_found', 'not_found', 'not_found']);
    expect(sent).toHaveLength(1);
  });
});

describe('push notifications', () => {
  async function storedChannel() {
    const id = `limits-${randomBytes(8).toString('hex')}`;
    const token = randomBytes(16).toString('base64url');
    const now = Date.now();
    await channelStore.create({
      id,
      companyId: `COMPANY-${id}`,
      calendarId: `${id}@sandbox.test`,
      connectionId: `GCONN-${id}`,
      resourceId: `resource-${id}`,
      tokenHash: hashChannelToken(token),
      expirationMs: now + 86_400_000,
      createdAt: new Date(now).toISOString(),
    });
    return { id, token };
  }
  const headers = (channel: { id: string; token: string }, number: number, token = channel.token) => ({
    'x-goog-channel-id': channel.id,
    'x-goog-channel-token': token,
    'x-goog-resource-state': 'exists',
    'x-goog-message-number': String(number),
  });

  it('refuses a channel over its limit with 429 and records and queues nothing more; forged ones never count; another channel is queued', async () => {
    const [busy, quiet] = [await storedChannel(), await storedChannel()];
    const sent: SyncMessage[] = [];
    const deps = { ...webhookDeps(), queue: { send: async (messages: SyncMessage[]) => void sent.push(...messages) } };

    const forged = await Promise.all([1, 2, 3].map((n) => receiveNotification(deps, headers(busy, n, 'guessed')).catch((error) => error.code)));
    const outcomes = [await receiveNotification(deps, headers(busy, 1)), await receiveNotification(deps, headers(busy, 2))];
    const refused = await receiveNotification(deps, headers(busy, 3)).catch((error) => error);
    const overHttp = await timedCall(() => invoke(webhookHandler, 'POST /webhooks/google', '/webhooks/google', { sourceIp: newAddress(), headers: headers(busy, 4) }));
    const quietOutcome = await receiveNotification(deps, headers(quiet, 1));

    expect(forged).toEqual(['unauthorized', 'unauthorized', 'unauthorized']);
    expect(outcomes).toEqual(['queued', 'queued']);
    expect(refused).toMatchObject({ code: 'rate_limited' });
    expectRateLimited(overHttp.response, overHttp.sentAt, overHttp.answeredAt);
    expect((await channelStore.get(busy.id))?.lastMessageNumber).toBe(2);
    expect(quietOutcome).toBe('queued');
    expect(sent.map((message) => message.companyId)).toEqual([`COMPANY-${busy.id}`, `COMPANY-${busy.id}`, `COMPANY-${quiet.id}`]);
  });
});
