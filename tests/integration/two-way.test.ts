// No loops: two companies share one Google account (each with one of its calendars); the host writes meetings
// back to the calendar of the first. Our own write coming back through the sync changes nothing; a person's move
// in Google wins, and the exchange settles after one round: no write back to Google, nothing more on a second round.
import { meetingStore } from '../../lib/store/meeting-store';
import { writeBackStore } from '../../lib/store/write-back-store';
import { createSyncDeps } from '../../lib/sync/deps';
import { syncCompany } from '../../lib/sync/sync-company';
import { googleEventIdFor } from '../../lib/write-back/write-back';
import { berlin, connectGoogle, control, createCompany, enableCalendar, encode, requestLog, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';
import { eventually } from '../support/eventually';

beforeAll(assertLocalEndpoints);
jest.setTimeout(120_000);

/** One sync of the company, waiting out a run the push-triggered worker may hold at the same moment. */
async function syncRound(companyId: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const result = await syncCompany(createSyncDeps(), companyId, { deadline: Date.now() + 60_000, trigger: 'manual' });
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
  const hostConnection = (await connectGoogle(host.token, account.email)).connectionId;
  const colleagueConnection = (await connectGoogle(colleague.token, account.email)).connectionId;
  const companyA = await createCompany(host.token, 'A');
  const companyB = await createCompany(colleague.token, 'B');
  expect((await enableCalendar(host.token, companyA, account.ids.hall, hostConnection)).status).toBe(200);
  expect((await enableCalendar(colleague.token, companyB, account.ids.studio, colleagueConnection)).status).toBe(200);
  expect((await api('PATCH', '/users/me', { token: host.token, body: { destinationCalendar: { connectionId: hostConnection, calendarId: account.ids.hall } } })).status).toBe(200);

  // Our write: the meeting goes to Google; the sync sees it come back with our marker and etag.
  const created = await api('POST', '/events', { token: host.token, body: { title: 'Planning', start: '2035-01-08T10:00:00+01:00', end: '2035-01-08T11:00:00+01:00' } });
  const meetingId = created.body.id as string;
  const eventId = googleEventIdFor('meeting', meetingId);
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
