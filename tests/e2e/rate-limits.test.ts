// Rate limits over HTTP against the suite's stack, whose thresholds tests/support/global-setup.ts sets: a flood
// of failed sign-ins on one account and of sync requests on one company gets 429 rate_limited with Retry-After and
// the error body, while another account or company passes. Every test here comes from 127.0.0.1, whose
// per-address limits the suite raises: those are driven from chosen addresses in-process, through the same
// handlers, in tests/integration/rate-limits.test.ts.
import { api, signUpUser, type ApiResponse } from '../support/http';

jest.setTimeout(120_000);

// As global-setup sets them: windows of a day, so that a test of seconds never sees a window end.
const DAY = 86_400;
const FAILURES_PER_ACCOUNT = 5;
const SYNC_REQUESTS_PER_COMPANY = 5;

function expectRateLimited(response: ApiResponse) {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(DAY);
}

it('locks an account out after its failed sign-ins, the right password included, whatever X-Forwarded-For says; another account signs in', async () => {
  const [victim, bystander] = [await signUpUser(), await signUpUser()];
  const logIn = (email: string, password: string, forwardedFor: string) =>
    api('POST', '/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': forwardedFor } });

  const failures = [];
  for (let guess = 0; guess < FAILURES_PER_ACCOUNT; guess++) failures.push((await logIn(victim.email, `guess ${guess}`, `192.0.2.${guess}`)).status);
  const locked = await logIn(victim.email, 'correct horse battery', '192.0.2.200');

  expect(failures).toEqual(Array(FAILURES_PER_ACCOUNT).fill(401));
  expectRateLimited(locked);
  expect((await logIn(bystander.email, 'correct horse battery', '192.0.2.201')).status).toBe(200);
});

it('refuses a company\'s sync requests over its limit with 429; another company\'s are queued', async () => {
  const owner = await signUpUser();
  const company = async (name: string) => (await api('POST', '/companies', { token: owner.token, body: { name } })).body.id as string;
  const [busy, quiet] = [await company('Busy'), await company('Quiet')];
  const sync = (companyId: string) => api('POST', `/companies/${companyId}/sync`, { token: owner.token });

  const statuses = [];
  for (let i = 0; i < SYNC_REQUESTS_PER_COMPANY; i++) statuses.push((await sync(busy)).status);
  const refused = await sync(busy);

  expect(statuses).toEqual(Array(SYNC_REQUESTS_PER_COMPANY).fill(202));
  expectRateLimited(refused);
  expect((await sync(quiet)).status).toBe(202);
});
