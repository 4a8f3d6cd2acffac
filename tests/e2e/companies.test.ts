// Companies over HTTP: members, enabling Google calendars (one company per calendar, also under a race),
// a sync through the queue and the worker function, synced events, and disabling.
import { berlin, connectGoogle, createCompany, createEvents, enableCalendar, encode, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';

// Real parts end to end (Google sandbox, DynamoDB Local, the offline API): slow when the machine is busy.
jest.setTimeout(90_000);

type Person = Awaited<ReturnType<typeof signUpUser>>;

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('companies and members', () => {
  let owner: Person;
  let member: Person;
  let stranger: Person;
  let companyId: string;

  beforeAll(async () => {
    [owner, member, stranger] = await Promise.all([signUpUser(), signUpUser(), signUpUser()]);
    companyId = await createCompany(owner.token, 'Concert hall');
  });

  it('lets the owner add members, and only members read the company', async () => {
    const added = await api('PUT', `/companies/${companyId}/members/${member.id}`, { token: owner.token });
    const byMember = await api('GET', `/companies/${companyId}`, { token: member.token });
    const byStranger = await api('GET', `/companies/${companyId}`, { token: stranger.token });
    const memberAdds = await api('PUT', `/companies/${companyId}/members/${stranger.id}`, { token: member.token });

    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ userId: member.id, role: 'member' });
    expect(byMember.status).toBe(200);
    expect(byMember.body).toMatchObject({ id: companyId, name: 'Concert hall', ownerId: owner.id, role: 'member' });
    expect(byMember.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([[owner.id, 'owner'], [member.id, 'member']]);
    expect(byStranger.status).toBe(404);
    expect(memberAdds.status).toBe(403);
    expect((await api('GET', '/companies', { token: member.token })).body.items).toEqual([{ id: companyId, name: 'Concert hall', role: 'member' }]);
    expect((await api('GET', '/companies', { token: stranger.token })).body.items).toEqual([]);
  });

  it('validates the body naming the field', async () => {
    const response = await api('POST', '/companies', { token: owner.token, body: { name: ' ', extra: 1 } });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'name']);
  });

  it('lets the owner remove a member, who then no longer sees the company', async () => {
    const other = await signUpUser();
    await api('PUT', `/companies/${companyId}/members/${other.id}`, { token: owner.token });
    expect((await api('DELETE', `/companies/${companyId}/members/${other.id}`, { token: owner.token })).status).toBe(204);
    expect((await api('GET', `/companies/${companyId}`, { token: other.token })).status).toBe(404);
    expect((await api('DELETE', `/companies/${companyId}/members/${owner.id}`, { token: owner.token })).status).toBe(422);
  });
});

describe('enabling Google calendars', () => {
  let owner: Person;
  let account: Awaited<ReturnType<typeof seedAccount>>;
  let connectionId: string;

  beforeAll(async () => {
    owner = await signUpUser();
    account = await seedAccount('enable', [{ key: 'main', primary: true }, { key: 'raced' }, { key: 'bulk' }]);
    ({ connectionId } = await connectGoogle(owner.token, account.email));
  });

  it('gives a calendar to one company only: a second company gets 409', async () => {
    const [first, second] = [await createCompany(owner.token, 'First'), await createCompany(owner.token, 'Second')];

    const enabled = await enableCalendar(owner.token, first, account.ids.main, connectionId);
    const again = await enableCalendar(owner.token, first, account.ids.main, connectionId);
    const taken = await enableCalendar(owner.token, second, account.ids.main, connectionId);
    const calendars = await api('GET', `/google/connections/${connectionId}/calendars`, { token: owner.token });

    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ companyId: first, calendarId: account.ids.main, connectionId, summary: 'main', timeZone: 'Europe/Berlin', sync: { status: 'never_synced' } });
    expect(again.status).toBe(200);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('calendar_taken');
    expect(calendars.body.items.find((c: { id: string }) => c.id === account.ids.main).companyId).toBe(first);
    expect(calendars.body.items.find((c: { id: string }) => c.id === account.ids.raced).companyId).toBeUndefined();
    expect((await api('GET', `/companies/${second}/calendars`, { token: owner.token })).body.items).toEqual([]);
  });

  it('lets exactly one of two racing companies have the calendar', async () => {
    const companies = await Promise.all([createCompany(owner.token, 'A'), createCompany(owner.token, 'B')]);

    const results = await Promise.all(companies.map((companyId) => enableCalendar(owner.token, companyId, account.ids.raced, connectionId)));

    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const winner = companies[results.findIndex((result) => result.status === 200)];
    const listed = await Promise.all(companies.map((companyId) => api('GET', `/companies/${companyId}/calendars`, { token: owner.token })));
    expect(listed.map((list) => list.body.items.map((item: { companyId: string }) => item.companyId))).toEqual(
      companies.map((companyId) => (companyId === winner ? [winner] : [])),
    );
  });

  it("refuses someone else's connection, a company one does not belong to, and a calendar the account cannot see", async () => {
    const [other, stranger] = await Promise.all([signUpUser(), signUpUser()]);
    const othersCompany = await createCompany(other.token, 'Other');
    const ownCompany = await createCompany(owner.token, 'Own');
    await api('PUT', `/companies/${othersCompany}/members/${owner.id}`, { token: other.token, body: { role: 'admin' } });

    const foreignConnection = await enableCalendar(other.token, othersCompany, account.ids.bulk, connectionId);
    const notMember = await enableCalendar(stranger.token, ownCompany, account.ids.bulk, connectionId);
    const invisible = await enableCalendar(owner.token, ownCompany, 'nobody@group.calendar.google.com', connectionId);
    const missingBody = await api('PUT', `/companies/${ownCompany}/calendars/${encode(account.ids.bulk)}`, { token: owner.token, body: {} });

    expect(foreignConnection.status).toBe(404);
    expect(notMember.status).toBe(404);
    expect(invisible.status).toBe(404);
    expect(invisible.body.error.code).toBe('google_calendar_not_found');
    expect(missingBody.status).toBe(400);
    expect(missingBody.body.error.details).toEqual([{ field: 'connectionId', message: expect.any(String) }]);
    // As an admin of the other company, the owner may enable their own calendar there.
    expect((await enableCalendar(owner.token, othersCompany, account.ids.bulk, connectionId)).status).toBe(200);
  });
});

describe('a sync through the queue', () => {
  let owner: Person;
  let account: Awaited<ReturnType<typeof seedAccount>>;
  let connectionId: string;
  let companyId: string;

  beforeAll(async () => {
    owner = await signUpUser();
    account = await seedAccount('queued', [{ key: 'hall', primary: true }, { key: 'studio' }]);
    await createEvents(account.ids.hall, [
      { summary: 'Rehearsal', start: berlin('2031-02-03T10:00'), end: berlin('2031-02-03T12:00') },
      { summary: 'Concert', start: berlin('2031-02-03T11:30'), end: berlin('2031-02-03T14:00') },
    ]);
    await createEvents(account.ids.studio, [{ summary: 'Recording', start: berlin('2031-02-04T09:00'), end: berlin('2031-02-04T10:00') }]);
    ({ connectionId } = await connectGoogle(owner.token, account.email));
    companyId = await createCompany(owner.token, 'Queued venue');
    await enableCalendar(owner.token, companyId, account.ids.hall, connectionId);
    await enableCalendar(owner.token, companyId, account.ids.studio, connectionId);
  });

  const range = `from=${encode('2031-02-01T00:00:00+01:00')}&to=${encode('2031-02-08T00:00:00+01:00')}`;

  it('answers 202, and the worker function syncs every calendar of the company and logs each', async () => {
    const queued = await api('POST', `/companies/${companyId}/sync`, { token: owner.token });
    const status = await waitFor(
      () => api('GET', `/companies/${companyId}/sync`, { token: owner.token }),
      (reply) => reply.body.items?.length >= 2,
    );
    const events = await api('GET', `/companies/${companyId}/events?${range}`, { token: owner.token });
    const overlaps = await api('GET', `/companies/${companyId}/overlaps?${range}`, { token: owner.token });

    expect(queued.status).toBe(202);
    expect(queued.body).toEqual({ companyId, queued: true });
    expect(status.body.calendars).toEqual(
      expect.arrayContaining([expect.objectContaining({ calendarId: account.ids.hall, status: 'ok', lastMode: 'full', resumable: false })]),
    );
    expect(status.body.items.map((entry: any) => [entry.calendarId, entry.mode, entry.outcome, entry.inserted, entry.trigger]).sort()).toEqual(
      [[account.ids.hall, 'full', 'complete', 2, 'manual'], [account.ids.studio, 'full', 'complete', 1, 'manual']].sort(),
    );
    expect(events.body.items.map((item: any) => [item.title, item.start, item.source, item.calendarId])).toEqual([
      ['Rehearsal', '2031-02-03T10:00:00+01:00', 'google', account.ids.hall],
      ['Concert', '2031-02-03T11:30:00+01:00', 'google', account.ids.hall],
      ['Recording', '2031-02-04T09:00:00+01:00', 'google', account.ids.studio],
    ]);
    expect(overlaps.body.items).toEqual([
      expect.objectContaining({ first: expect.objectContaining({ title: 'Rehearsal' }), second: expect.objectContaining({ title: 'Concert' }), overlapStart: '2031-02-03T11:30:00+01:00', overlapEnd: '2031-02-03T12:00:00+01:00' }),
    ]);
  });

  it('removes the company copy of a calendar it disables, and frees the calendar', async () => {
    const disabled = await api('DELETE', `/companies/${companyId}/calendars/${encode(account.ids.hall)}`, { token: owner.token });
    const events = await api('GET', `/companies/${companyId}/events?${range}`, { token: owner.token });
    const elsewhere = await enableCalendar(owner.token, await createCompany(owner.token, 'Next'), account.ids.hall, connectionId);

    expect(disabled.status).toBe(204);
    expect(events.body.items.map((item: any) => item.title)).toEqual(['Recording']);
    expect(elsewhere.status).toBe(200);
    expect((await api('DELETE', `/companies/${companyId}/calendars/${encode(account.ids.hall)}`, { token: owner.token })).status).toBe(404);
  });

  it('shows the events read live from Google before any sync, series expanded', async () => {
    await createEvents(account.ids.studio, [
      { summary: 'Weekly class', start: berlin('2031-03-03T18:00'), end: berlin('2031-03-03T19:00'), recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'] },
    ]);
    const live = await api(
      'GET',
      `/google/connections/${connectionId}/calendars/${encode(account.ids.studio)}/events?from=${encode('2031-03-01T00:00:00Z')}&to=${encode('2031-04-01T00:00:00Z')}`,
      { token: owner.token },
    );
    expect(live.status).toBe(200);
    expect(live.body.items.map((item: any) => [item.title, item.start])).toEqual([
      ['Weekly class', '2031-03-03T18:00:00+01:00'],
      ['Weekly class', '2031-03-10T18:00:00+01:00'],
      ['Weekly class', '2031-03-17T18:00:00+01:00'],
    ]);
  });

  it('keeps the company, its events and its log to members', async () => {
    const stranger = await signUpUser();
    for (const path of ['', '/calendars', '/sync', `/events?${range}`, `/overlaps?${range}`]) {
      expect((await api('GET', `/companies/${companyId}${path}`, { token: stranger.token })).status).toBe(404);
    }
    expect((await api('POST', `/companies/${companyId}/sync`, { token: stranger.token })).status).toBe(404);
  });

  it('checks the range of an events query', async () => {
    const response = await api('GET', `/companies/${companyId}/events?from=${encode('2031-02-08T00:00:00Z')}&to=${encode('2031-02-01T00:00:00Z')}`, { token: owner.token });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'query.to', message: 'Must be after from' }]);
  });

  it('disables the calendars of a deleted connection', async () => {
    expect((await api('DELETE', `/google/connections/${connectionId}`, { token: owner.token })).status).toBe(204);
    expect((await api('GET', `/companies/${companyId}/calendars`, { token: owner.token })).body.items).toEqual([]);
    expect((await api('GET', `/companies/${companyId}/events?${range}`, { token: owner.token })).body.items).toEqual([]);
  });
});
