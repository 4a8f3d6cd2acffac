// Google is an input, not an authority: an event carrying our marker and the id of one of our copies acts on a
// meeting or booking only when it comes from the calendar and the connection that copy was written to. Another
// user who forges such an event in her own calendar, or syncs the host's calendar through her own connection, moves,
// deletes and cancels nothing; beside each attack, the host's own change of the real copy in Google still wins.
import { ulid } from 'ulid';
import { meetingStore } from '../../lib/store/meeting-store';
import { writeBackStore } from '../../lib/store/write-back-store';
import { syncDeps } from '../../lib/wiring/parts/sync';
import { syncCompany } from '../../lib/sync/sync-company';
import type { WriteBackSource } from '../../lib/meetings/ports';
import { berlin, connectGoogle, control, createCompany, createEvents, enableCalendar, encode, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';
import { eventually } from '../support/eventually';

beforeAll(assertLocalEndpoints);
jest.setTimeout(120_000);

const ALWAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));

/** One sync of the company, waiting out a run the push-triggered worker may hold at the same moment. */
async function syncRound(companyId: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const result = await syncCompany(syncDeps(), companyId, { deadline: Date.now() + 60_000, trigger: 'manual' });
    if (result.outcome !== 'busy' && result.outcome !== 'deferred') return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the company stayed busy');
}

/** A user with a sandbox account (one primary calendar), connected, and a company of her own syncing that calendar. */
async function tenant(prefix: string) {
  const account = await seedAccount(prefix, [{ key: 'main', primary: true }]);
  const user = await signUpUser({ timeZone: 'Europe/Berlin' });
  // Write access: the tenant's meetings and bookings are written back to this calendar.
  const connectionId = (await connectGoogle(user.token, account.email, { access: 'write' })).connectionId;
  const companyId = await createCompany(user.token, prefix);
  const enabled = await enableCalendar(user.token, companyId, account.ids.main, connectionId);
  if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${enabled.text}`);
  return { user, email: account.email, calendarId: account.ids.main, connectionId, companyId };
}

async function chooseDestination(token: string, connectionId: string, calendarId: string) {
  const chosen = await api('PATCH', '/users/me', { token, body: { destinationCalendar: { connectionId, calendarId } } });
  if (chosen.status !== 200) throw new Error(`destination: ${chosen.status} ${chosen.text}`);
}

/** The copy's record once the write-back worker has written it to Google. */
const writtenCopy = (source: WriteBackSource, sourceId: string) =>
  eventually(() => writeBackStore.get(source, sourceId), (record) => Boolean(record), `the ${source} written back`).then((record) => record!);

/** What the attacker does: an event in her own calendar with our marker and the id of the host's copy. */
async function forgeCopy(calendarId: string, copy: { googleEventId: string; source: WriteBackSource; sourceId: string }, start: string, end: string) {
  await createEvents(calendarId, [
    {
      id: copy.googleEventId,
      summary: 'Forged',
      start: { dateTime: start },
      end: { dateTime: end },
      extendedProperties: { private: { calendarHubSource: copy.source, calendarHubId: copy.sourceId } },
    },
  ]);
}

const googleEvent = (calendarId: string, eventId: string) => control<Record<string, any>>('GET', `/calendars/${encode(calendarId)}/events/${eventId}`);
const moveInGoogle = (calendarId: string, eventId: string, start: string, end: string) =>
  control<Record<string, any>>('PATCH', `/calendars/${encode(calendarId)}/events/${eventId}`, { start: { dateTime: start }, end: { dateTime: end } });
const deleteInGoogle = (calendarId: string, eventId: string) => control('DELETE', `/calendars/${encode(calendarId)}/events/${eventId}`);

describe("a forged copy in another user's own calendar", () => {
  let ada: Awaited<ReturnType<typeof tenant>>;
  let bea: Awaited<ReturnType<typeof tenant>>;
  let slug: string;

  beforeAll(async () => {
    ada = await tenant('ada');
    bea = await tenant('bea');
    await chooseDestination(ada.user.token, ada.connectionId, ada.calendarId);
    const type = await api('POST', '/event-types', {
      token: ada.user.token,
      body: { name: 'Consult', kind: 'one_on_one', durationMinutes: 30, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: ALWAYS } },
    });
    slug = type.body.slug;
  });

  async function meetingWithCopy(title: string, start: string, end: string) {
    const created = await api('POST', '/events', { token: ada.user.token, body: { title, start, end } });
    expect(created.status).toBe(201);
    const record = await writtenCopy('meeting', created.body.id);
    await syncRound(ada.companyId);
    return { id: created.body.id as string, record };
  }

  async function bookingWithCopy(start: string) {
    const booked = await api('POST', `/book/${slug}/bookings`, { body: { start, name: 'Gina Guest', email: 'gina@example.com' } });
    expect(booked.status).toBe(201);
    const record = await writtenCopy('booking', booked.body.id);
    await syncRound(ada.companyId);
    return { id: booked.body.id as string, record };
  }

  const adaBookings = async (from: string) =>
    (await api('GET', `/bookings?from=${encodeURIComponent(from)}&limit=100`, { token: ada.user.token })).body.items as Array<Record<string, any>>;

  it("does not move a meeting from another user's calendar; the host's own move of the real copy still wins", async () => {
    const meeting = await meetingWithCopy('Planning', '2036-01-08T10:00:00+01:00', '2036-01-08T11:00:00+01:00');
    const before = await meetingStore.get(meeting.id);

    await forgeCopy(bea.calendarId, meeting.record, '2036-01-08T15:00:00+01:00', '2036-01-08T16:00:00+01:00');
    await syncRound(bea.companyId);
    await syncRound(bea.companyId);

    const after = await meetingStore.get(meeting.id);
    expect(after?.version).toBe(before!.version);
    expect(Date.parse(after!.start)).toBe(Date.parse('2036-01-08T10:00:00+01:00'));
    expect(await writeBackStore.get('meeting', meeting.id)).toEqual(meeting.record);

    // The rightful path: the host moves the real copy in her own calendar.
    const moved = await control<Record<string, any>>('PATCH', `/calendars/${encode(ada.calendarId)}/events/${meeting.record.googleEventId}`, {
      start: berlin('2036-01-08T13:00'),
      end: berlin('2036-01-08T14:00'),
    });
    await syncRound(ada.companyId);
    const rightful = await meetingStore.get(meeting.id);
    expect(Date.parse(rightful!.start)).toBe(Date.parse('2036-01-08T13:00:00+01:00'));
    expect(Date.parse(rightful!.end)).toBe(Date.parse('2036-01-08T14:00:00+01:00'));
    expect((await writeBackStore.get('meeting', meeting.id))?.etag).toBe(moved.etag);
  });

  it("does not delete a meeting whose forged copy is deleted in another user's calendar; the host's own deletion still does", async () => {
    const meeting = await meetingWithCopy('Review', '2036-01-09T10:00:00+01:00', '2036-01-09T11:00:00+01:00');

    // The same time as the meeting, so that only the deletion could act.
    await forgeCopy(bea.calendarId, meeting.record, '2036-01-09T10:00:00+01:00', '2036-01-09T11:00:00+01:00');
    await syncRound(bea.companyId);
    await deleteInGoogle(bea.calendarId, meeting.record.googleEventId);
    await syncRound(bea.companyId);

    expect((await api('GET', `/events/${meeting.id}`, { token: ada.user.token })).status).toBe(200);
    expect(await writeBackStore.get('meeting', meeting.id)).toEqual(meeting.record);
    expect((await googleEvent(ada.calendarId, meeting.record.googleEventId)).status).toBe('confirmed');

    // The rightful path: the host deletes the real copy.
    await deleteInGoogle(ada.calendarId, meeting.record.googleEventId);
    await syncRound(ada.companyId);
    expect((await api('GET', `/events/${meeting.id}`, { token: ada.user.token })).status).toBe(404);
  });

  it("neither moves nor cancels a booking from another user's calendar; the host's own move and deletion still win", async () => {
    const first = await bookingWithCopy('2036-02-05T09:00:00Z');
    const second = await bookingWithCopy('2036-02-05T11:00:00Z');

    await forgeCopy(bea.calendarId, first.record, '2036-02-05T13:00:00Z', '2036-02-05T13:30:00Z');
    await forgeCopy(bea.calendarId, second.record, '2036-02-05T11:00:00Z', '2036-02-05T11:30:00Z');
    await syncRound(bea.companyId);
    await deleteInGoogle(bea.calendarId, second.record.googleEventId);
    await syncRound(bea.companyId);

    let listed = await adaBookings('2036-02-05T00:00:00Z');
    const firstListed = listed.find((item) => item.id === first.id);
    expect(Date.parse(firstListed!.start)).toBe(Date.parse('2036-02-05T09:00:00Z'));
    expect(firstListed!.googleConflict).toBeUndefined();
    expect(listed.map((item) => item.id)).toContain(second.id);
    expect(await writeBackStore.get('booking', first.id)).toEqual(first.record);
    expect(await writeBackStore.get('booking', second.id)).toEqual(second.record);
    // The booking's own time is still held, and the time the forged move named still free.
    expect((await api('POST', `/book/${slug}/bookings`, { body: { start: '2036-02-05T09:00:00Z', name: 'Taker', email: 't@example.com' } })).status).toBe(409);
    expect((await api('POST', `/book/${slug}/bookings`, { body: { start: '2036-02-05T13:00:00Z', name: 'Taker', email: 't@example.com' } })).status).toBe(201);

    // The rightful path: the host moves one copy and deletes the other in her own calendar.
    await moveInGoogle(ada.calendarId, first.record.googleEventId, '2036-02-05T14:00:00Z', '2036-02-05T14:30:00Z');
    await deleteInGoogle(ada.calendarId, second.record.googleEventId);
    await syncRound(ada.companyId);
    listed = await adaBookings('2036-02-05T00:00:00Z');
    expect(Date.parse(listed.find((item) => item.id === first.id)!.start)).toBe(Date.parse('2036-02-05T14:00:00Z'));
    expect(listed.map((item) => item.id)).not.toContain(second.id);
  });
});

describe("the host's own calendar synced through another user's connection", () => {
  it('acts on nothing there; synced through the connection the copy was written with, the change wins', async () => {
    // Cleo owns the calendar and writes her meetings to it; Dan's account may write to it too, and Dan's company
    // syncs it through Dan's connection.
    const cleoAccount = await seedAccount('cleo', [{ key: 'main', primary: true }]);
    const calendarId = cleoAccount.ids.main;
    const danEmail = `dan.${ulid().toLowerCase()}@sandbox.test`;
    await control('POST', '/accounts', { email: danEmail, name: 'dan', calendars: [{ id: calendarId, summary: 'Cleo', timeZone: 'Europe/Berlin', accessRole: 'writer' }] });
    const cleo = await signUpUser({ timeZone: 'Europe/Berlin' });
    const dan = await signUpUser({ timeZone: 'Europe/Berlin' });
    const cleoConnection = (await connectGoogle(cleo.token, cleoAccount.email, { access: 'write' })).connectionId;
    const danConnection = (await connectGoogle(dan.token, danEmail)).connectionId;
    await chooseDestination(cleo.token, cleoConnection, calendarId);
    const danCompany = await createCompany(dan.token, 'Dan');
    expect((await enableCalendar(dan.token, danCompany, calendarId, danConnection)).status).toBe(200);

    const created = await api('POST', '/events', { token: cleo.token, body: { title: 'Sync', start: '2036-03-04T10:00:00+01:00', end: '2036-03-04T11:00:00+01:00' } });
    const meetingId = created.body.id as string;
    const record = await writtenCopy('meeting', meetingId);
    await syncRound(danCompany);

    await moveInGoogle(calendarId, record.googleEventId, '2036-03-04T16:00:00+01:00', '2036-03-04T17:00:00+01:00');
    await syncRound(danCompany);
    expect(Date.parse((await meetingStore.get(meetingId))!.start)).toBe(Date.parse('2036-03-04T10:00:00+01:00'));
    expect(await writeBackStore.get('meeting', meetingId)).toEqual(record);

    // The rightful path: the calendar synced through Cleo's own connection, and Cleo moves the copy.
    expect((await api('DELETE', `/companies/${danCompany}/calendars/${encode(calendarId)}`, { token: dan.token })).status).toBeLessThan(300);
    const cleoCompany = await createCompany(cleo.token, 'Cleo');
    expect((await enableCalendar(cleo.token, cleoCompany, calendarId, cleoConnection)).status).toBe(200);
    await moveInGoogle(calendarId, record.googleEventId, '2036-03-04T13:00:00+01:00', '2036-03-04T14:00:00+01:00');
    await syncRound(cleoCompany);
    expect(Date.parse((await meetingStore.get(meetingId))!.start)).toBe(Date.parse('2036-03-04T13:00:00+01:00'));
  });
});
