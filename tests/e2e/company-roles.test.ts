// Company roles over HTTP (trust boundaries): only owners and admins enable, disable and sync calendars and
// manage members; the owner stays; removing a member disables the calendars that came through their
// connections; a calendar is claimed only through a connection that can read its events.
import { berlin, connectGoogle, createCompany, createEvents, enableCalendar, encode, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';

// Real parts end to end (Google sandbox, DynamoDB Local, the offline API): slow when the machine is busy.
jest.setTimeout(120_000);

type Person = Awaited<ReturnType<typeof signUpUser>>;

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const range = `from=${encode('2031-05-01T00:00:00+02:00')}&to=${encode('2031-05-08T00:00:00+02:00')}`;
const calendarIdsOf = (reply: { body: { items: Array<{ calendarId: string }> } }) => reply.body.items.map((item) => item.calendarId).sort();

describe('company roles', () => {
  let owner: Person;
  let admin: Person;
  let member: Person;
  let companyId: string;
  let ownerAccount: Awaited<ReturnType<typeof seedAccount>>;
  let ownerConnection: string;

  beforeAll(async () => {
    [owner, admin, member] = await Promise.all([signUpUser(), signUpUser(), signUpUser()]);
    ownerAccount = await seedAccount('roles', [{ key: 'hall', primary: true }, { key: 'foyer' }]);
    ({ connectionId: ownerConnection } = await connectGoogle(owner.token, ownerAccount.email));
    companyId = await createCompany(owner.token, 'Roles venue');
    expect((await api('PUT', `/companies/${companyId}/members/${admin.id}`, { token: owner.token, body: { role: 'admin' } })).status).toBe(200);
    expect((await api('PUT', `/companies/${companyId}/members/${member.id}`, { token: owner.token })).status).toBe(200);
    expect((await enableCalendar(owner.token, companyId, ownerAccount.ids.hall, ownerConnection)).status).toBe(200);
  });

  it("shows each member's role; a PUT without a role adds a member", async () => {
    const company = await api('GET', `/companies/${companyId}`, { token: member.token });

    expect(company.status).toBe(200);
    expect(company.body.role).toBe('member');
    expect(company.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      [owner.id, 'owner'],
      [admin.id, 'admin'],
      [member.id, 'member'],
    ]);
    expect((await api('GET', '/companies', { token: admin.token })).body.items).toEqual([{ id: companyId, name: 'Roles venue', role: 'admin' }]);
  });

  it("refuses a member who disables the owner's calendar, syncs, or manages members (403)", async () => {
    const stranger = await signUpUser();

    const disable = await api('DELETE', `/companies/${companyId}/calendars/${encode(ownerAccount.ids.hall)}`, { token: member.token });
    const sync = await api('POST', `/companies/${companyId}/sync`, { token: member.token });
    const add = await api('PUT', `/companies/${companyId}/members/${stranger.id}`, { token: member.token });
    const promoteSelf = await api('PUT', `/companies/${companyId}/members/${member.id}`, { token: member.token, body: { role: 'admin' } });
    const removeAdmin = await api('DELETE', `/companies/${companyId}/members/${admin.id}`, { token: member.token });
    const removeOwner = await api('DELETE', `/companies/${companyId}/members/${owner.id}`, { token: member.token });

    for (const reply of [disable, sync, add, promoteSelf, removeAdmin, removeOwner]) {
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('forbidden');
    }
    expect(calendarIdsOf(await api('GET', `/companies/${companyId}/calendars`, { token: member.token }))).toEqual([ownerAccount.ids.hall]);
    const roles = (await api('GET', `/companies/${companyId}`, { token: owner.token })).body.members.map((m: { role: string }) => m.role);
    expect(roles).toEqual(['owner', 'admin', 'member']);
  });

  it('refuses a member who enables a calendar, even of their own connection', async () => {
    const account = await seedAccount('roles-member', [{ key: 'own', primary: true }]);
    const { connectionId } = await connectGoogle(member.token, account.email);

    const enabled = await enableCalendar(member.token, companyId, account.ids.own, connectionId);

    expect(enabled.status).toBe(403);
    expect(enabled.body.error.code).toBe('forbidden');
  });

  it('lets an admin manage members, disable and enable calendars and sync, but never remove or demote the owner', async () => {
    const newcomer = await signUpUser();

    const added = await api('PUT', `/companies/${companyId}/members/${newcomer.id}`, { token: admin.token, body: { role: 'member' } });
    const promoted = await api('PUT', `/companies/${companyId}/members/${newcomer.id}`, { token: admin.token, body: { role: 'admin' } });
    const demoteOwner = await api('PUT', `/companies/${companyId}/members/${owner.id}`, { token: admin.token, body: { role: 'member' } });
    const removeOwner = await api('DELETE', `/companies/${companyId}/members/${owner.id}`, { token: admin.token });
    const ownerLeaves = await api('DELETE', `/companies/${companyId}/members/${owner.id}`, { token: owner.token });
    const badRole = await api('PUT', `/companies/${companyId}/members/${newcomer.id}`, { token: admin.token, body: { role: 'owner' } });
    const removed = await api('DELETE', `/companies/${companyId}/members/${newcomer.id}`, { token: admin.token });
    const disabled = await api('DELETE', `/companies/${companyId}/calendars/${encode(ownerAccount.ids.hall)}`, { token: admin.token });
    const sync = await api('POST', `/companies/${companyId}/sync`, { token: admin.token });

    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ userId: newcomer.id, role: 'member' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ userId: newcomer.id, role: 'admin', addedAt: added.body.addedAt });
    for (const reply of [demoteOwner, removeOwner, ownerLeaves]) {
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('owner_required');
    }
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.details).toEqual([{ field: 'role', message: expect.any(String) }]);
    expect(removed.status).toBe(204);
    expect(disabled.status).toBe(204);
    expect(sync.status).toBe(202);
    expect((await api('GET', `/companies/${companyId}`, { token: owner.token })).body.members.map((m: { userId: string }) => m.userId)).toEqual([
      owner.id,
      admin.id,
      member.id,
    ]);
    // The owner enables the hall again for the next tests.
    expect((await enableCalendar(owner.token, companyId, ownerAccount.ids.hall, ownerConnection)).status).toBe(200);
  });

  it('disables the calendars that came through a removed member’s connections: no longer listed, shown or synced', async () => {
    const colleague = await signUpUser();
    const account = await seedAccount('roles-leaver', [{ key: 'desk', primary: true }]);
    await createEvents(account.ids.desk, [{ summary: 'Desk time', start: berlin('2031-05-05T10:00'), end: berlin('2031-05-05T11:00') }]);
    await createEvents(ownerAccount.ids.hall, [{ summary: 'Hall time', start: berlin('2031-05-06T10:00'), end: berlin('2031-05-06T11:00') }]);
    const { connectionId } = await connectGoogle(colleague.token, account.email);
    await api('PUT', `/companies/${companyId}/members/${colleague.id}`, { token: owner.token, body: { role: 'admin' } });
    expect((await enableCalendar(colleague.token, companyId, account.ids.desk, connectionId)).status).toBe(200);
    // Demoted to member first: the calendar stays while they belong to the company.
    await api('PUT', `/companies/${companyId}/members/${colleague.id}`, { token: owner.token, body: { role: 'member' } });
    await api('POST', `/companies/${companyId}/sync`, { token: owner.token });
    const synced = await waitFor(
      () => api('GET', `/companies/${companyId}/events?${range}`, { token: owner.token }),
      (reply) => reply.body.items?.length >= 2,
    );
    expect(synced.body.items.map((item: { title: string }) => item.title)).toEqual(['Desk time', 'Hall time']);

    const removedAt = new Date().toISOString();
    const removed = await api('DELETE', `/companies/${companyId}/members/${colleague.id}`, { token: owner.token });
    await api('POST', `/companies/${companyId}/sync`, { token: owner.token });
    const log = await waitFor(
      () => api('GET', `/companies/${companyId}/sync`, { token: owner.token }),
      (reply) => reply.body.items?.some((entry: { calendarId: string; startedAt: string }) => entry.calendarId === ownerAccount.ids.hall && entry.startedAt > removedAt),
    );

    expect(removed.status).toBe(204);
    expect(calendarIdsOf(await api('GET', `/companies/${companyId}/calendars`, { token: owner.token }))).toEqual([ownerAccount.ids.hall]);
    expect((await api('GET', `/companies/${companyId}/events?${range}`, { token: owner.token })).body.items.map((item: { title: string }) => item.title)).toEqual([
      'Hall time',
    ]);
    const runsAfter = log.body.items.filter((entry: { startedAt: string }) => entry.startedAt > removedAt);
    expect(runsAfter.map((entry: { calendarId: string }) => entry.calendarId)).toContain(ownerAccount.ids.hall);
    expect(runsAfter.map((entry: { calendarId: string }) => entry.calendarId)).not.toContain(account.ids.desk);
    expect(log.body.calendars.map((calendar: { calendarId: string }) => calendar.calendarId)).toEqual([ownerAccount.ids.hall]);
    // The calendar is free again: its owner may give it to another company.
    expect((await enableCalendar(colleague.token, await createCompany(colleague.token, 'Own desk'), account.ids.desk, connectionId)).status).toBe(200);
  });
});

describe('claiming a calendar', () => {
  it('refuses a calendar the connection sees only as free/busy, naming calendarId; a reader calendar is claimed', async () => {
    const owner = await signUpUser();
    const account = await seedAccount('freebusy', [{ key: 'main', primary: true }, { key: 'busyonly', accessRole: 'freeBusyReader' }, { key: 'shared', accessRole: 'reader' }]);
    const { connectionId } = await connectGoogle(owner.token, account.email);
    const companyId = await createCompany(owner.token, 'Free/busy venue');

    const busyOnly = await enableCalendar(owner.token, companyId, account.ids.busyonly, connectionId);
    const reader = await enableCalendar(owner.token, companyId, account.ids.shared, connectionId);

    expect(busyOnly.status).toBe(403);
    expect(busyOnly.body.error.code).toBe('calendar_not_readable');
    expect(busyOnly.body.error.details).toEqual([{ field: 'calendarId', message: expect.stringContaining(account.ids.busyonly) }]);
    expect(reader.status).toBe(200);
    expect(reader.body).toMatchObject({ calendarId: account.ids.shared, accessRole: 'reader' });
    expect(calendarIdsOf(await api('GET', `/companies/${companyId}/calendars`, { token: owner.token }))).toEqual([account.ids.shared]);
  });
});
