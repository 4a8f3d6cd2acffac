// No loops: two companies share one Google account (each with one of its calendars); the host writes meetings
// back to the calendar of the first. Our own write coming back through the sync changes nothing; a person's move
// in Google wins, and the exchange settles after one round: no write back to Google, nothing more on a second round.
import { meetingStore } from '../../lib/store/meeting-store';
import { writeBackStore } from '../../lib/store/write-back-store';
import { syncDeps } from '../../lib/wiring/parts/sync';
import { syncCompany } from '../../lib/sync/sync-company';
import { eventIdFor } from '../../lib/wiring/parts/write-back';
import { berlin, connectGoogle, control, createCompany, enableCalendar, encode, requestLog, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';
import { eventually } from '../support/eventually';

beforeAll(assertLocalEndpoints);
jest.setTimeout(120_000);

/** One sync of the company, waiting out a run the push-triggered worker may hold at the same moment. */
async function syncRound(companyId: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const result = await syncCompany(syncDeps(), companyId, { deadline: Date.now() + 60_000, trigger: 'manual' });
    if (result.outcome !== 'busy' && result.outcome !== 'deferred') return result;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the company stayed busy');
}

const googleEvent = (calendarId: string, eventId: string) => control<Record<string, any>>('GET', `/calendars/${encode(calendarId)}/events/${eventId}`);
const writesTo = async (calendarId: string) =>
  (await requestLog(`/calendar/v3/calendars/${calendarId}/events`)).filter((call) => ['POST', 'PATCH', 'PUT', 'DELETE'].includes(call.method));

it('ignores its own echo, takes over a move made in Google, and settles after one round', async () => {
  const account = await seedAccount('shared', [{ key: 'hall', primary: true }, { key: 'studio' }]);
  const host = await signUpUser({ timeZone: 'Europe/Berlin' });
  const colleague = await signUpUser();
  const hostConnection = (await connectGoogle(host.token, account.email, { access: 'write' })).connectionId;
  const colleagueConnection = (await connectGoogle(colleague.token, account.email)).connectionId;
  const companyA = await createCompany(host.token, 'A');
  const companyB = await createCompany(colleague.token, 'B');
  expect((await enableCalendar(host.token, companyA, account.ids.hall, hostConnection)).status).toBe(200);
  expect((await enableCalendar(colleague.token, companyB, account.ids.studio, colleagueConnection)).status).toBe(200);
  expect((await api('PATCH', '/users/me', { token: host.token, body: { destinationCalendar: { connectionId: hostConnection, calendarId: account.ids.hall } } })).status).toBe(200);

  // Our write: the meeting goes to Google; the sync sees it come back with our marker and etag.
  const created = await api('POST', '/events', { token: host.token, body: { title: 'Planning', start: '2035-01-08T10:00:00+01:00', end: '2035-01-08T11:00:00+01:00' } });
  const meetingId = created.body.id as string;
  const eventId = eventIdFor('meeting', meetingId);
  const written = await eventually(() => writeBackStore.get('meeting', meetingId), (record) => Boolean(record), 'the write-back');
  await syncRound(companyA);
  await syncRound(companyB);
  expect((await meetingStore.get(meetingId))?.version).toBe(1);
  expect((await writeBackStore.get('meeting', meetingId))?.etag).toBe(written!.etag);

  // A person moves it in Google.
  const moved = await control<Record<string, any>>('PATCH', `/calendars/${encode(account.ids.hall)}/events/${eventId}`, {
    start: berlin('2035-01-08T15:00'),
    end: berlin('2035-01-08T16:30'),
  });
  const writesBefore = (await writesTo(account.ids.hall)).length;

  // One round: the change wins here.
  await syncRound(companyA);
  await syncRound(companyB);
  const meeting = await meetingStore.get(meetingId);
  expect(Date.parse(meeting!.start)).toBe(Date.parse('2035-01-08T15:00:00+01:00'));
  expect(Date.parse(meeting!.end)).toBe(Date.parse('2035-01-08T16:30:00+01:00'));
  expect((await writeBackStore.get('meeting', meetingId))?.etag).toBe(moved.etag);
  const event = await api('GET', `/events/${meetingId}`, { token: host.token });
  expect(event.body.start).toBe('2035-01-08T15:00:00+01:00');

  // Settled: a second round changes nothing on either side, and we never wrote the move back to Google.
  const version = meeting!.version;
  const second = [await syncRound(companyA), await syncRound(companyB)];
  expect(second.flatMap((result) => result.calendars).map((calendar) => [calendar.inserted, calendar.updated, calendar.deleted])).toEqual([[0, 0, 0], [0, 0, 0]]);
  expect((await meetingStore.get(meetingId))?.version).toBe(version);
  expect((await googleEvent(account.ids.hall, eventId)).etag).toBe(moved.etag);
  expect((await writesTo(account.ids.hall)).length).toBe(writesBefore);
});

describe("a person's change in Google wins", () => {
  const ALWAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));
  let host: Awaited<ReturnType<typeof signUpUser>>;
  let calendarId: string;
  let companyId: string;
  let slug: string;

  beforeAll(async () => {
    const account = await seedAccount('takeover', [{ key: 'main', primary: true }]);
    calendarId = account.ids.main;
    host = await signUpUser({ timeZone: 'Europe/Berlin' });
    const connectionId = (await connectGoogle(host.token, account.email, { access: 'write' })).connectionId;
    companyId = await createCompany(host.token, 'Takeover');
    expect((await enableCalendar(host.token, companyId, calendarId, connectionId)).status).toBe(200);
    expect((await api('PATCH', '/users/me', { token: host.token, body: { destinationCalendar: { connectionId, calendarId } } })).status).toBe(200);
    const type = await api('POST', '/event-types', {
      token: host.token,
      body: { name: 'Consult', kind: 'one_on_one', durationMinutes: 30, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: ALWAYS } },
    });
    slug = type.body.slug;
  });

  /** Books `start`, waits for its copy in Google and lets the sync see our own write once. */
  async function bookWithCopy(start: string, name = 'Gina Guest') {
    const booked = await api('POST', `/book/${slug}/bookings`, { body: { start, name, email: 'gina@example.com' } });
    expect(booked.status).toBe(201);
    await eventually(() => writeBackStore.get('booking', booked.body.id), (record) => Boolean(record), 'the booking written back');
    await syncRound(companyId);
    return { id: booked.body.id as string, cancelToken: booked.body.cancelToken as string, eventId: eventIdFor('booking', booked.body.id) };
  }
  const hostBookings = async (from: string) => (await api('GET', `/bookings?from=${encodeURIComponent(from)}&limit=100`, { token: host.token })).body.items as Array<Record<string, any>>;
  const moveInGoogle = (eventId: string, start: string, end: string) =>
    control<Record<string, any>>('PATCH', `/calendars/${encode(calendarId)}/events/${eventId}`, { start: { dateTime: start }, end: { dateTime: end } });

  it('moves a booking moved in Google: its cells follow, the old time is free, the new one taken, and nothing is written back', async () => {
    const booking = await bookWithCopy('2035-02-05T09:00:00Z');
    // Writes that name this copy (patches and deletes; inserts of other bookings do not).
    const writesOfCopy = async () => (await writesTo(calendarId)).filter((call) => call.path.includes(booking.eventId)).length;
    const writesBefore = await writesOfCopy();

    const moved = await moveInGoogle(booking.eventId, '2035-02-05T13:00:00Z', '2035-02-05T13:30:00Z');
    await syncRound(companyId);

    const listed = (await hostBookings('2035-02-05T00:00:00Z')).find((item) => item.id === booking.id);
    expect(Date.parse(listed!.start)).toBe(Date.parse('2035-02-05T13:00:00Z'));
    expect(Date.parse(listed!.end)).toBe(Date.parse('2035-02-05T13:30:00Z'));
    expect(listed!.googleConflict).toBeUndefined();
    // The cells moved with it: the old time books, the new one does not.
    expect((await api('POST', `/book/${slug}/bookings`, { body: { start: '2035-02-05T09:00:00Z', name: 'Next', email: 'next@example.com' } })).status).toBe(201);
    expect((await api('POST', `/book/${slug}/bookings`, { body: { start: '2035-02-05T13:00:00Z', name: 'Late', email: 'late@example.com' } })).status).toBe(409);
    // The guest's invitation carries the new time with a higher SEQUENCE.
    const ics = await api('GET', `/bookings/${booking.id}/invite.ics?token=${encodeURIComponent(booking.cancelToken)}`);
    // In the event type's zone (Berlin, UTC+1 in February): 13:00 UTC is 14:00 there.
    expect(ics.text).toContain('DTSTART;TZID=Europe/Berlin:20350205T140000');
    expect(ics.text).toMatch(/SEQUENCE:1\r?\n/);
    // Settled: the record holds Google's etag, and a second round writes nothing to Google.
    expect((await writeBackStore.get('booking', booking.id))?.etag).toBe(moved.etag);
    await syncRound(companyId);
    expect((await googleEvent(calendarId, booking.eventId)).etag).toBe(moved.etag);
    expect(await writesOfCopy()).toBe(writesBefore);
  });

  it('keeps a booking moved in Google onto another booking, flags it for the host, and clears the flag when moved back', async () => {
    const first = await bookWithCopy('2035-02-06T09:00:00Z');
    await bookWithCopy('2035-02-06T11:00:00Z', 'Other Guest');

    await moveInGoogle(first.eventId, '2035-02-06T11:15:00Z', '2035-02-06T11:45:00Z');
    await syncRound(companyId);
    let listed = (await hostBookings('2035-02-06T00:00:00Z')).find((item) => item.id === first.id);
    expect(Date.parse(listed!.start)).toBe(Date.parse('2035-02-06T09:00:00Z'));
    expect(listed!.googleConflict).toMatchObject({ reason: 'Another booking holds that time' });
    expect(Date.parse(listed!.googleConflict.start)).toBe(Date.parse('2035-02-06T11:15:00Z'));
    // Its own time stays locked.
    expect((await api('POST', `/book/${slug}/bookings`, { body: { start: '2035-02-06T09:00:00Z', name: 'Taker', email: 't@example.com' } })).status).toBe(409);

    await moveInGoogle(first.eventId, '2035-02-06T09:00:00Z', '2035-02-06T09:30:00Z');
    await syncRound(companyId);
    listed = (await hostBookings('2035-02-06T00:00:00Z')).find((item) => item.id === first.id);
    expect(listed!.googleConflict).toBeUndefined();
    expect(Date.parse(listed!.start)).toBe(Date.parse('2035-02-06T09:00:00Z'));
  });

  it('cancels a booking and deletes a meeting whose copies a person deleted in Google', async () => {
    const booking = await bookWithCopy('2035-02-07T09:00:00Z');
    const created = await api('POST', '/events', { token: host.token, body: { title: 'Dropped', start: '2035-02-07T15:00:00+01:00', end: '2035-02-07T16:00:00+01:00' } });
    const meetingId = created.body.id as string;
    await eventually(() => writeBackStore.get('meeting', meetingId), (record) => Boolean(record), 'the meeting written back');
    await syncRound(companyId);

    await control('DELETE', `/calendars/${encode(calendarId)}/events/${booking.eventId}`);
    await control('DELETE', `/calendars/${encode(calendarId)}/events/${eventIdFor('meeting', meetingId)}`);
    const round = await syncRound(companyId);

    expect((await api('GET', `/events/${meetingId}`, { token: host.token })).status).toBe(404);
    expect((await hostBookings('2035-02-07T00:00:00Z')).map((item) => item.id)).not.toContain(booking.id);
    const ics = await api('GET', `/bookings/${booking.id}/invite.ics?token=${encodeURIComponent(booking.cancelToken)}`);
    expect(ics.text).toContain('METHOD:CANCEL');
    expect((await api('POST', `/book/${slug}/bookings`, { body: { start: '2035-02-07T09:00:00Z', name: 'Next', email: 'next@example.com' } })).status).toBe(201);
    expect(await writeBackStore.get('meeting', meetingId)).toBeUndefined();
    expect(JSON.stringify(round)).toContain('was deleted in Google');
  });

  it('turns an occurrence moved in Google into an exception of the series, and one deleted there into a cancelled one', async () => {
    const created = await api('POST', '/events', {
      token: host.token,
      body: { title: 'Weekly', start: '2035-03-05T10:00:00+01:00', end: '2035-03-05T10:30:00+01:00', recurrence: { rrule: 'FREQ=WEEKLY;COUNT=6' } },
    });
    const meetingId = created.body.id as string;
    const masterId = eventIdFor('meeting', meetingId);
    await eventually(() => writeBackStore.get('meeting', meetingId), (record) => Boolean(record), 'the series written back');
    await syncRound(companyId);

    // 12 and 19 March, 10:00 in Berlin (09:00 UTC).
    await moveInGoogle(`${masterId}_20350312T090000Z`, '2035-03-12T16:00:00+01:00', '2035-03-12T16:30:00+01:00');
    await control('DELETE', `/calendars/${encode(calendarId)}/events/${masterId}_20350319T090000Z`);
    await syncRound(companyId);
    await syncRound(companyId);

    const event = (await api('GET', `/events/${meetingId}`, { token: host.token })).body;
    expect(event.exceptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ originalStart: '2035-03-12T10:00:00+01:00', start: '2035-03-12T16:00:00+01:00', end: '2035-03-12T16:30:00+01:00' }),
        { originalStart: '2035-03-19T10:00:00+01:00', cancelled: true },
      ]),
    );
    expect(event.exceptions).toHaveLength(2);
  });
});
