// Write-back through the sandbox: a host's meetings and bookings are copied into the destination calendar they
// chose (insert, move, cancel), carrying our marker, with Google's id and etag stored; the destination is
// checked; a Google failure throws in the worker (so the queue retries) and never fails the user's request.
import { eventIdFor, writeBackDeps } from '../../lib/wiring/parts/write-back';
import { writeBack } from '../../lib/write-back/write-back';
import { pendingWriteBackStore, writeBackStore } from '../../lib/store/write-back-store';
import { connectGoogle, control, encode } from '../support/google';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';
import { ulid } from 'ulid';
import { createMeeting } from '../../lib/meetings/use-cases';
import type { CreateEventInput } from '../../lib/meetings/schemas';
import { meetingStore } from '../../lib/store/meeting-store';
import { userStore } from '../../lib/store/user-store';
import { recordingLog } from '../support/recording-log';
import { systemClock } from '../../lib/kernel/clock';
import { eventually } from '../support/eventually';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createQueueChannel, sqs } from '../../lib/queue/sqs-queue';
import { createWriteBackRequests, requeuePendingWriteBacks } from '../../lib/write-back/requests';
import type { User } from '../../lib/users/user';
import { FIRST_RETRY_DELAY_SECONDS } from '../../lib/sync/retry-backoff';

beforeAll(assertLocalEndpoints);
jest.setTimeout(120_000);

const ALWAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));

/** A host with a sandbox account holding a writable and a read-only calendar, connected. */
async function host(prefix: string) {
  const user = await signUpUser({ timeZone: 'Europe/Berlin' });
  const tag = ulid().toLowerCase();
  const email = `${prefix}.${tag}@sandbox.test`;
  const readOnly = `${prefix}-holidays-${tag}@group.calendar.google.com`;
  await control('POST', '/accounts', {
    email,
    name: prefix,
    calendars: [
      { id: email, summary: 'Main', timeZone: 'Europe/Berlin', primary: true },
      { id: readOnly, summary: 'Holidays', timeZone: 'Europe/Berlin', accessRole: 'reader' },
    ],
  });
  // Write access: a destination calendar needs the events scope, which a plain consent does not ask for.
  const { connectionId } = await connectGoogle(user.token, email, { access: 'write' });
  return { user, email, calendarId: email, readOnly, connectionId };
}

const googleEvent = (calendarId: string, eventId: string) =>
  control('GET', `/calendars/${encode(calendarId)}/events/${eventId}`).catch(() => undefined) as Promise<Record<string, any> | undefined>;

describe('choosing a destination calendar', () => {
  it('accepts a writable calendar of your own connection and refuses the rest, naming the field', async () => {
    const ada = await host('dest');
    const other = await signUpUser();

    const ok = await api('PATCH', '/users/me', { token: ada.user.token, body: { destinationCalendar: { connectionId: ada.connectionId, calendarId: ada.calendarId } } });
    const readOnly = await api('PATCH', '/users/me', { token: ada.user.token, body: { destinationCalendar: { connectionId: ada.connectionId, calendarId: ada.readOnly } } });
    const unknown = await api('PATCH', '/users/me', { token: ada.user.token, body: { destinationCalendar: { connectionId: ada.connectionId, calendarId: 'nobody@group.calendar.google.com' } } });
    const notYours = await api('PATCH', '/users/me', { token: other.token, body: { destinationCalendar: { connectionId: ada.connectionId, calendarId: ada.calendarId } } });

    expect(ok.status).toBe(200);
    expect(ok.body.destinationCalendar).toEqual({ connectionId: ada.connectionId, calendarId: ada.calendarId });
    expect([readOnly.status, unknown.status, notYours.status]).toEqual([400, 400, 400]);
    expect(readOnly.body.error.details).toEqual([expect.objectContaining({ field: 'destinationCalendar.calendarId' })]);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ field: 'destinationCalendar.calendarId' })]);
    expect(notYours.body.error.details).toEqual([expect.objectContaining({ field: 'destinationCalendar.connectionId' })]);
    expect((await api('GET', '/users/me', { token: ada.user.token })).body.destinationCalendar).toEqual({ connectionId: ada.connectionId, calendarId: ada.calendarId });
    expect((await api('GET', '/users/me', { token: other.token })).body.destinationCalendar).toBeUndefined();
  });
});

describe('meetings and bookings in Google', () => {
  let ada: Awaited<ReturnType<typeof host>>;

  beforeAll(async () => {
    ada = await host('wb');
    const chosen = await api('PATCH', '/users/me', { token: ada.user.token, body: { destinationCalendar: { connectionId: ada.connectionId, calendarId: ada.calendarId } } });
    if (chosen.status !== 200) throw new Error(`destination: ${chosen.status} ${chosen.text}`);
  });

  it('inserts a new meeting with our marker, moves it with the meeting and cancels it with the meeting', async () => {
    const created = await api('POST', '/events', { token: ada.user.token, body: { title: 'Board meeting', start: '2034-03-06T10:00:00+01:00', end: '2034-03-06T11:00:00+01:00' } });
    expect(created.status).toBe(201);
    const eventId = eventIdFor('meeting', created.body.id);

    const inserted = await eventually(() => googleEvent(ada.calendarId, eventId), (event) => Boolean(event), 'the meeting in Google');
    expect(inserted).toMatchObject({ summary: 'Board meeting', status: 'confirmed', extendedProperties: { private: { calendarHubSource: 'meeting', calendarHubId: created.body.id } } });
    expect(Date.parse(inserted!.start.dateTime)).toBe(Date.parse('2034-03-06T10:00:00+01:00'));
    expect(await writeBackStore.get('meeting', created.body.id)).toMatchObject({ googleEventId: eventId, calendarId: ada.calendarId, etag: inserted!.etag });

    const moved = await api('PATCH', `/events/${created.body.id}`, { token: ada.user.token, body: { start: '2034-03-06T14:00:00+01:00', end: '2034-03-06T15:30:00+01:00' } });
    expect(moved.status).toBe(200);
    const after = await eventually(() => googleEvent(ada.calendarId, eventId), (event) => Date.parse(event?.start.dateTime) === Date.parse('2034-03-06T14:00:00+01:00'), 'the move in Google');
    expect(Date.parse(after!.end.dateTime)).toBe(Date.parse('2034-03-06T15:30:00+01:00'));
    expect((await writeBackStore.get('meeting', created.body.id))?.etag).toBe(after!.etag);

    expect((await api('DELETE', `/events/${created.body.id}`, { token: ada.user.token })).status).toBe(204);
    await eventually(() => googleEvent(ada.calendarId, eventId), (event) => event?.status === 'cancelled', 'the cancellation in Google');
    await eventually(() => writeBackStore.get('meeting', created.body.id), (record) => record === undefined, 'the record to go');
  });

  it('moves the occurrence of a series in Google when it is moved here, and leaves the other occurrences alone', async () => {
    const created = await api('POST', '/events', {
      token: ada.user.token,
      body: { title: 'Weekly sync', start: '2034-03-07T09:00:00+01:00', end: '2034-03-07T09:30:00+01:00', recurrence: { rrule: 'FREQ=WEEKLY;COUNT=4' } },
    });
    const seriesId = eventIdFor('meeting', created.body.id);
    await eventually(() => googleEvent(ada.calendarId, seriesId), (event) => Boolean(event), 'the series in Google');

    const moved = await api('PATCH', `/events/${created.body.id}?occurrence=${encodeURIComponent('2034-03-14T09:00:00+01:00')}`, {
      token: ada.user.token,
      body: { start: '2034-03-14T15:00:00+01:00', end: '2034-03-14T15:30:00+01:00' },
    });
    expect(moved.status).toBe(200);

    // Google's instance of 14 March (08:00 UTC) moves; the next week's stays at 09:00.
    const instance = await eventually(() => googleEvent(ada.calendarId, `${seriesId}_20340314T080000Z`), (event) => Boolean(event && Date.parse(event.start.dateTime) === Date.parse('2034-03-14T15:00:00+01:00')), 'the moved occurrence in Google');
    expect(Date.parse(instance!.end.dateTime)).toBe(Date.parse('2034-03-14T15:30:00+01:00'));
    const next = await googleEvent(ada.calendarId, `${seriesId}_20340321T080000Z`);
    expect(Date.parse(next!.start.dateTime)).toBe(Date.parse('2034-03-21T09:00:00+01:00'));
  });

  it('inserts a booking into the host calendar and cancels it there when the guest cancels', async () => {
    const type = await api('POST', '/event-types', {
      token: ada.user.token,
      body: { name: 'Consult', kind: 'one_on_one', durationMinutes: 45, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: ALWAYS } },
    });
    const booked = await api('POST', `/book/${type.body.slug}/bookings`, { body: { start: '2034-04-03T07:00:00Z', name: 'Gina Guest', email: 'gina@example.com' } });
    expect(booked.status).toBe(201);
    const eventId = eventIdFor('booking', booked.body.id);

    const inserted = await eventually(() => googleEvent(ada.calendarId, eventId), (event) => Boolean(event), 'the booking in Google');
    expect(inserted).toMatchObject({ summary: 'Consult: Gina Guest', extendedProperties: { private: { calendarHubSource: 'booking', calendarHubId: booked.body.id } } });
    expect(Date.parse(inserted!.end.dateTime) - Date.parse(inserted!.start.dateTime)).toBe(45 * 60_000);

    const cancelled = await api('DELETE', `/bookings/${booked.body.id}?token=${encodeURIComponent(booked.body.cancelToken)}`);
    expect(cancelled.status).toBe(200);
    await eventually(() => googleEvent(ada.calendarId, eventId), (event) => event?.status === 'cancelled', 'the cancelled booking in Google');
  });

  it('throws in the worker when Google fails, so that the queue retries, and writes exactly once when Google is back', async () => {
    const bob = await host('wb-fail');
    await api('PATCH', '/users/me', { token: bob.user.token, body: { destinationCalendar: { connectionId: bob.connectionId, calendarId: bob.calendarId } } });
    // Created without the write-back port, so that only this test's calls write it.
    const created = { body: await createMeeting({ meetings: meetingStore, users: userStore, clock: systemClock }, bob.user.id, {
      title: 'Retried', start: '2034-05-01T09:00:00+02:00', end: '2034-05-01T10:00:00+02:00', visibility: 'public',
    } as CreateEventInput) };
    await control('POST', '/faults', { status: 400, count: 1, method: 'POST', pathPrefix: `/calendar/v3/calendars/${bob.calendarId}/events` });
    const message = { kind: 'write_back' as const, source: 'meeting' as const, sourceId: created.body.id, userId: bob.user.id };

    await expect(writeBack(writeBackDeps(), message)).rejects.toMatchObject({ code: 'google_request_failed' });
    expect(await writeBackStore.get('meeting', created.body.id)).toBeUndefined();
    // The retry (the same message delivered again) writes it, once.
    await expect(writeBack(writeBackDeps(), message)).resolves.toBe('inserted');
    await expect(writeBack(writeBackDeps(), message)).resolves.toBe('unchanged');
    const copies = (await control<{ items: Array<Record<string, any>> }>('GET', `/calendars/${encode(bob.calendarId)}/events`)).items;
    expect(copies.filter((event) => event.extendedProperties?.private?.calendarHubId === created.body.id)).toHaveLength(1);
  });
});

describe('a retried insert whose record was lost', () => {
  it("meets Google's 409 under the same keyed id and takes that copy over: one copy in Google, the record found again", async () => {
    const dora = await host('wb-lost');
    await api('PATCH', '/users/me', { token: dora.user.token, body: { destinationCalendar: { connectionId: dora.connectionId, calendarId: dora.calendarId } } });
    // Created without the write-back port, so that only this test's calls write it.
    const meeting = await createMeeting({ meetings: meetingStore, users: userStore, clock: systemClock }, dora.user.id, {
      title: 'Written twice', start: '2034-05-02T09:00:00+02:00', end: '2034-05-02T10:00:00+02:00', visibility: 'public',
    } as CreateEventInput);
    const message = { kind: 'write_back' as const, source: 'meeting' as const, sourceId: meeting.id, userId: dora.user.id };
    await expect(writeBack(writeBackDeps(), message)).resolves.toBe('inserted');
    const first = await writeBackStore.get('meeting', meeting.id);
    // The worker inserted at Google, then died before its record was saved; the message comes again.
    await writeBackStore.delete('meeting', meeting.id);

    await expect(writeBack(writeBackDeps(), message)).resolves.toBe('inserted');

    const inserts = await control<{ items: Array<{ status: number }> }>('GET', `/request-log?method=POST&pathPrefix=${encode(`/calendar/v3/calendars/${dora.calendarId}/events`)}`);
    expect(inserts.items.map((call) => call.status)).toEqual([200, 409]);
    const copies = (await control<{ items: Array<Record<string, any>> }>('GET', `/calendars/${encode(dora.calendarId)}/events`)).items;
    expect(copies.filter((event) => event.extendedProperties?.private?.calendarHubId === meeting.id).map((event) => event.id)).toEqual([first!.googleEventId]);
    expect((await writeBackStore.get('meeting', meeting.id))?.googleEventId).toBe(first!.googleEventId);
  });
});

describe('a write-back that failed in the worker', () => {
  it('comes back through the queue after the short retry delay, not after the 900 s visibility timeout', async () => {
    const carol = await host('wb-backoff');
    const chosen = await api('PATCH', '/users/me', { token: carol.user.token, body: { destinationCalendar: { connectionId: carol.connectionId, calendarId: carol.calendarId } } });
    expect(chosen.status).toBe(200);
    const insertPath = `/calendar/v3/calendars/${carol.calendarId}/events`;
    // Google unavailable for a moment: all five tries of the worker's insert get a 503, so the message fails.
    await control('POST', '/faults', { status: 503, count: 5, method: 'POST', pathPrefix: insertPath });

    // Queued by the request, received by the local poller (the stand-in for Lambda's SQS trigger), run by the worker.
    const created = await api('POST', '/events', { token: carol.user.token, body: { title: 'After a blip', start: '2034-06-05T09:00:00+02:00', end: '2034-06-05T10:00:00+02:00' } });
    expect(created.status).toBe(201);
    const eventId = eventIdFor('meeting', created.body.id);

    // Within two minutes: the queue's own visibility timeout (900 s) would hide the failed message far longer.
    const inserted = await eventually(() => googleEvent(carol.calendarId, eventId), (event) => Boolean(event), 'the retried write-back in Google', 120_000);
    expect(inserted).toMatchObject({ summary: 'After a blip', extendedProperties: { private: { calendarHubId: created.body.id } } });
    const inserts = (await control<{ items: Array<{ at: string; status: number }> }>('GET', `/request-log?method=POST&pathPrefix=${encode(insertPath)}`)).items;
    expect(inserts.map((call) => call.status)).toEqual([503, 503, 503, 503, 503, 200]);
    // Not retried at once either: after its last refusal the message stayed hidden for the first retry delay.
    expect(Date.parse(inserts[5].at) - Date.parse(inserts[4].at)).toBeGreaterThanOrEqual(FIRST_RETRY_DELAY_SECONDS * 1000);
    expect(await writeBackStore.get('meeting', created.body.id)).toMatchObject({ googleEventId: eventId, etag: inserted!.etag });
  });
});

describe('a write-back the queue refuses', () => {
  let queueUrl: string;
  beforeAll(async () => {
    queueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: `write-back-test-${ulid().toLowerCase()}` }))).QueueUrl!;
  });
  afterAll(async () => {
    await sqs().send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  });
  const withDestination = { get: async () => ({ destinationCalendar: { connectionId: 'c', calendarId: 'cal' } }) as unknown as User };
  const pendingFor = async (sourceId: string) => (await pendingWriteBackStore.list(1000)).filter((message) => message.sourceId === sourceId);

  it('is kept as pending without failing the request, then queued again by the dispatcher and forgotten', async () => {
    const sourceId = ulid();
    const refusing = createWriteBackRequests({ users: withDestination, queue: { send: async () => { throw new Error('SQS is unavailable'); } }, pending: pendingWriteBackStore, log: recordingLog() });

    await expect(refusing.request('meeting', sourceId, 'u1')).resolves.toBeUndefined();
    expect(await pendingFor(sourceId)).toEqual([expect.objectContaining({ kind: 'write_back', source: 'meeting', sourceId, userId: 'u1' })]);

    const requeued = await requeuePendingWriteBacks({ queue: createQueueChannel(queueUrl), pending: pendingWriteBackStore, log: recordingLog() }, 1000);
    expect(requeued).toBeGreaterThanOrEqual(1);
    const { Messages } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const bodies = (Messages ?? []).map((message) => JSON.parse(message.Body!));
    expect(bodies.filter((body) => body.sourceId === sourceId)).toEqual([{ kind: 'write_back', source: 'meeting', sourceId, userId: 'u1' }]);
    expect(await pendingFor(sourceId)).toEqual([]);
  });

  it('keeps one asked for again after it was listed, for the next round', async () => {
    const sourceId = ulid();
    await pendingWriteBackStore.add({ kind: 'write_back', source: 'booking', sourceId, userId: 'u2' });
    const listed = await pendingFor(sourceId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await pendingWriteBackStore.add({ kind: 'write_back', source: 'booking', sourceId, userId: 'u2' });

    await pendingWriteBackStore.remove(listed);

    const left = await pendingFor(sourceId);
    expect(left).toHaveLength(1);
    expect(left[0].keptAt).not.toBe(listed[0].keptAt);
    await pendingWriteBackStore.remove(left);
    expect(await pendingFor(sourceId)).toEqual([]);
  });
});
