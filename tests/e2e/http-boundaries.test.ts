// Small boundaries of the HTTP layer, each tried as an attacker would: malformed Google calendar ids in paths,
// an Idempotency-Key replayed with another body, and which origins CORS answers.
import { encode } from '../support/google';
import { api, baseUrl, signUpUser } from '../support/http';

jest.setTimeout(60_000);

describe('a Google calendar id in a path', () => {
  let token: string;
  let companyId: string;
  beforeAll(async () => {
    token = (await signUpUser()).token;
    companyId = (await api('POST', '/companies', { token, body: { name: 'Ids' } })).body.id;
  });

  // Broken percent-encoding in the id itself (sent encoded once more: the server decodes the path, the schema the id;
  // decodeURIComponent threw, 500), a control character, and one too long for a DynamoDB key.
  const malformed = [encode('%E0%A4%A'), encode('%ZZcal%C0@example.com'), encode('cal\u0000@example.com'), encode('é'.repeat(600))];

  it.each(malformed)('attack: %s is 400 naming calendarId, on every route that takes one', async (calendarId) => {
    const responses = await Promise.all([
      api('PUT', `/companies/${companyId}/calendars/${calendarId}`, { token, body: { connectionId: 'no-such-connection' } }),
      api('DELETE', `/companies/${companyId}/calendars/${calendarId}`, { token }),
      api('GET', `/google/connections/no-such-connection/calendars/${calendarId}/events?from=2031-01-01T00:00:00Z&to=2031-01-02T00:00:00Z`, { token }),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'path.calendarId' })]);
    }
  });

  it('a well-formed id (percent-encoded, with # as holiday calendars have) reaches the use case', async () => {
    const id = encode('en.german#holiday@group.v.calendar.google.com');
    expect((await api('DELETE', `/companies/${companyId}/calendars/${id}`, { token })).status).toBe(404);
    expect((await api('PUT', `/companies/${companyId}/calendars/${id}`, { token, body: { connectionId: 'no-such-connection' } })).status).toBe(404);
  });
});

describe('the Idempotency-Key of a booking', () => {
  let slug: string;
  beforeAll(async () => {
    const host = await signUpUser({ name: 'Idem Host', timeZone: 'UTC' });
    const type = await api('POST', '/event-types', {
      token: host.token,
      body: { name: 'Body check', kind: 'one_on_one', durationMinutes: 30, minNoticeMinutes: 0, availability: { timeZone: 'UTC', weekly: { wed: [{ start: '09:00', end: '12:00' }] } } },
    });
    slug = type.body.slug;
  });
  const book = (body: Record<string, unknown>, key: string) =>
    api('POST', `/book/${slug}/bookings`, { body: { name: 'Gina Guest', email: 'gina@example.com', start: '2031-03-05T09:00:00Z', ...body }, headers: { 'Idempotency-Key': key } });

  it('attack: the same key with other notes or another time zone is refused (422), not answered with the first booking', async () => {
    const key = `body-${Date.now()}`;
    const first = await book({ notes: 'first', timeZone: 'Europe/Berlin' }, key);
    expect(first.status).toBe(201);
    for (const changed of [{ notes: 'something else', timeZone: 'Europe/Berlin' }, { notes: 'first', timeZone: 'Asia/Tokyo' }, { timeZone: 'Europe/Berlin' }]) {
      const reused = await book(changed, key);
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('idempotency_key_reused');
      expect(reused.headers.get('idempotent-replayed')).toBeNull();
    }
  });

  it('the same body (the same instant and email written another way) is still answered with the first booking', async () => {
    const key = `same-${Date.now()}`;
    const first = await book({ start: '2031-03-05T10:00:00Z', notes: 'hello', timeZone: 'Europe/Berlin' }, key);
    const again = await book({ start: '2031-03-05T11:00:00+01:00', email: 'Gina@Example.com', notes: 'hello', timeZone: 'Europe/Berlin' }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});

describe('CORS', () => {
  const consoleOrigin = () => new URL(baseUrl()).origin;

  it('attack: a foreign origin gets neither * nor its own origin back, on a public route, an API route and an error', async () => {
    for (const path of ['/health', '/book/no-such-slug', '/users/me']) {
      const response = await api('GET', path, { headers: { origin: 'https://evil.example' } });
      const allowed = response.headers.get('access-control-allow-origin');
      expect(allowed).not.toBe('*');
      expect(allowed).not.toBe('https://evil.example');
    }
  });

  it("allows the console's own origin (PUBLIC_BASE_URL)", async () => {
    const response = await api('GET', '/health', { headers: { origin: consoleOrigin() } });
    expect(response.headers.get('access-control-allow-origin')).toBe(consoleOrigin());
  });
});
