// Synced Google time of a user's own connections reaches their calendar: it lists with source `google`,
// blocks free time and booking slots, and a free (transparent) Google event blocks nothing.
import { berlin, connectGoogle, createCompany, createEvents, enableCalendar, encode, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';

jest.setTimeout(90_000);

let host: Awaited<ReturnType<typeof signUpUser>>;
let other: Awaited<ReturnType<typeof signUpUser>>;
let colleague: Awaited<ReturnType<typeof signUpUser>>;

beforeAll(async () => {
  [host, other, colleague] = await Promise.all([signUpUser({ name: 'Gita Host', timeZone: 'Europe/Berlin' }), signUpUser(), signUpUser({ name: 'Colleague' })]);
  const account = await seedAccount('busy', [{ key: 'main', summary: 'Main' }]);
  // Monday 2034-01-02, Berlin: busy 09:00-10:00, a free (transparent) event 10:00-11:00.
  await createEvents(account.ids.main, [
    { summary: 'Dentist', start: berlin('2034-01-02T09:00'), end: berlin('2034-01-02T10:00') },
    { summary: 'Focus (free)', start: berlin('2034-01-02T10:00'), end: berlin('2034-01-02T11:00'), transparency: 'transparent' },
  ]);
  const { connectionId } = await connectGoogle(host.token, account.email);
  const companyId = await createCompany(host.token, 'Busy venue');
  const added = await api('PUT', `/companies/${companyId}/members/${colleague.id}`, { token: host.token });
  if (added.status !== 200) throw new Error(`member: ${added.status} ${added.text}`);
  const enabled = await enableCalendar(host.token, companyId, account.ids.main, connectionId);
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${enabled.text}`);
  await api('POST', `/companies/${companyId}/sync`, { token: host.token });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const state = await api('GET', `/companies/${companyId}/sync`, { token: host.token });
    if (state.body.items?.some((entry: { outcome: string }) => entry.outcome === 'complete')) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error('the sync did not complete');
});

const day = `from=${encode('2034-01-02T00:00:00+01:00')}&to=${encode('2034-01-03T00:00:00+01:00')}`;

it('lists the synced events in the owner calendar and only busy time to others', async () => {
  const own = await api('GET', `/users/${host.id}/events?${day}`, { token: host.token });
  expect(own.body.items.map((o: any) => [o.title, o.start, o.source])).toEqual([
    ['Dentist', '2034-01-02T09:00:00+01:00', 'google'],
    ['Focus (free)', '2034-01-02T10:00:00+01:00', 'google'],
  ]);
  const seen = await api('GET', `/users/${host.id}/events?${day}`, { token: other.token });
  expect(seen.text).not.toContain('Dentist');
  expect(seen.body.items[0]).toMatchObject({ busy: true, source: 'google' });
});

it('shows the titles to members of the company that syncs the calendar, as its company view does', async () => {
  const seen = await api('GET', `/users/${host.id}/events?${day}`, { token: colleague.token });
  expect(seen.body.items.map((o: any) => [o.title, o.start, o.source])).toEqual([
    ['Dentist', '2034-01-02T09:00:00+01:00', 'google'],
    ['Focus (free)', '2034-01-02T10:00:00+01:00', 'google'],
  ]);
});

it('blocks the free-time search with busy Google time, not with free time', async () => {
  const free = await api('GET', `/free-time?userIds=${host.id}&duration=1h&after=${encode('2034-01-02T09:00:00+01:00')}`, { token: host.token });
  expect(free.status).toBe(200);
  expect(Date.parse(free.body.start)).toBe(Date.parse('2034-01-02T10:00:00+01:00'));
});

it('leaves busy Google time out of the booking slots', async () => {
  const type = await api('POST', '/event-types', {
    token: host.token,
    body: { name: 'Chat', kind: 'one_on_one', durationMinutes: 60, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end: '12:00' }] } } },
  });
  expect(type.status).toBe(201);
  const slots = await api('GET', `/book/${type.body.slug}/slots?${day}&timeZone=Europe/Berlin`);
  expect(slots.body.items.map((s: { start: string }) => s.start)).toEqual(['2034-01-02T10:00:00+01:00', '2034-01-02T11:00:00+01:00']);
  const onBusy = await api('POST', `/book/${type.body.slug}/bookings`, { body: { start: '2034-01-02T09:00:00+01:00', name: 'Guest', email: 'guest@example.test' } });
  expect(onBusy.status).toBeGreaterThanOrEqual(409);
});
