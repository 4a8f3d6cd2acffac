// The sync worker's use case against the real parts: DynamoDB Local, the Google sandbox over HTTP and the
// real Google clients. Accounts, companies and calendars come from the HTTP API (as users make them).
import type { Context, SQSEvent } from 'aws-lambda';
import { listCompanyEvents } from '../../lib/companies/company-events';
import { companyStore } from '../../lib/store/company-store';
import { connectionStore } from '../../lib/store/connection-store';
import { syncedEventStore } from '../../lib/store/synced-event-store';
import { syncLeaseStore } from '../../lib/store/sync-lease-store';
import { syncLogStore } from '../../lib/store/sync-log-store';
import { syncStateStore } from '../../lib/store/sync-state-store';
import { syncDeps } from '../../lib/wiring/parts/sync';
import type { SyncDeps } from '../../lib/sync/ports';
import { syncCompany } from '../../lib/sync/sync-company';
import { handler as syncWorker } from '../../functions/jobs/sync-worker';
import { berlin, connectGoogle, control, createCompany, createEvents, enableCalendar, encode, requestLog, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

// Real parts end to end (Google sandbox, DynamoDB Local, the offline API): slow when the machine is busy.
jest.setTimeout(120_000);

const deps = (overrides: Partial<SyncDeps> = {}): SyncDeps => ({
  ...syncDeps(),
  settings: { maxParallel: 64, pageSize: 250, leaseMarginMs: 60_000, deferSeconds: 15, maxDeferrals: 20 },
  ...overrides,
});

const sync = (companyId: string, options: { deadline?: number } = {}) =>
  syncCompany(deps(), companyId, { deadline: options.deadline ?? Date.now() + 60_000, trigger: 'manual' });

/** A user with a connected sandbox account whose calendars are all enabled for a new company. */
async function venue(prefix: string, calendars: Array<{ key: string; primary?: boolean }> = [{ key: 'main', primary: true }]) {
  const user = await signUpUser();
  const account = await seedAccount(prefix, calendars);
  const { connectionId } = await connectGoogle(user.token, account.email);
  const companyId = await createCompany(user.token, prefix);
  for (const calendarId of Object.values(account.ids)) {
    const enabled = await enableCalendar(user.token, companyId, calendarId, connectionId);
    if (enabled.status !== 200) throw new Error(`enable: ${enabled.status} ${enabled.text}`);
  }
  return { user, account, connectionId, companyId };
}

/** Every synced occurrence in the range, all pages read. */
async function companyEvents(venueOf: { user: { id: string }; companyId: string }, from: string, to: string) {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCompanyEvents({ companies: companyStore, events: syncedEventStore }, venueOf.user.id, venueOf.companyId, { from, to, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const hourly = (count: number, firstLocal: string, title = 'Bulk') => {
  const first = Date.parse(berlin(firstLocal).dateTime);
  return Array.from({ length: count }, (_, index) => ({
    summary: `${title} ${index}`,
    start: { dateTime: new Date(first + index * 3_600_000).toISOString() },
    end: { dateTime: new Date(first + index * 3_600_000 + 1_800_000).toISOString() },
  }));
};

const eventsPath = (calendarId: string) => `/calendar/v3/calendars/${calendarId}/events`;

describe('full and incremental sync', () => {
  let hall: Awaited<ReturnType<typeof venue>>;
  let calendarId: string;
  let created: Array<Record<string, any>>;
  const from = '2032-01-01T00:00:00Z';
  const to = '2032-03-01T00:00:00Z';

  beforeAll(async () => {
    hall = await venue('bulk');
    calendarId = hall.account.ids.main;
    created = await createEvents(calendarId, hourly(600, '2032-01-05T08:00'));
  });

  it('copies 600 events in three pages of 250 the first time', async () => {
    const result = await sync(hall.companyId);

    expect(result.outcome).toBe('synced');
    expect(result.calendars).toEqual([expect.objectContaining({ calendarId, mode: 'full', outcome: 'complete', inserted: 600, updated: 0, deleted: 0, pages: 3 })]);
    const events = await companyEvents(hall, from, to);
    expect(events).toHaveLength(600);
    expect(events[0]).toEqual({ eventId: created[0].id, start: '2032-01-05T08:00:00+01:00', end: '2032-01-05T08:30:00+01:00', title: 'Bulk 0', source: 'google', calendarId });
    expect((await syncStateStore.get(hall.companyId, calendarId))).toMatchObject({ status: 'ok', lastMode: 'full', syncToken: expect.any(String) });
    expect((await syncStateStore.get(hall.companyId, calendarId))?.pageToken).toBeUndefined();
  });

  it('then moves only what changed in Google, through the sync token', async () => {
    await createEvents(calendarId, [
      { summary: 'Added one', start: berlin('2032-02-20T10:00'), end: berlin('2032-02-20T11:00') },
      { summary: 'Added two', start: berlin('2032-02-21T10:00'), end: berlin('2032-02-21T11:00') },
    ]);
    await control('PATCH', `/calendars/${encode(calendarId)}/events/${created[1].id}`, { summary: 'Renamed in Google' });
    await control('DELETE', `/calendars/${encode(calendarId)}/events/${created[2].id}`);

    const result = await sync(hall.companyId);
    const calls = await requestLog(eventsPath(calendarId));

    expect(result.calendars).toEqual([expect.objectContaining({ mode: 'incremental', outcome: 'complete', inserted: 2, updated: 1, deleted: 1, pages: 1 })]);
    expect(calls.at(-1)?.query).toMatchObject({ syncToken: expect.any(String) });
    const events = await companyEvents(hall, from, to);
    expect(events).toHaveLength(601);
    expect(events.find((event) => event.eventId === created[1].id)?.title).toBe('Renamed in Google');
    expect(events.some((event) => event.eventId === created[2].id)).toBe(false);
    expect(events.filter((event) => event.title.startsWith('Added')).map((event) => event.start)).toEqual(['2032-02-20T10:00:00+01:00', '2032-02-21T10:00:00+01:00']);

    const quiet = await sync(hall.companyId);
    expect(quiet.calendars).toEqual([expect.objectContaining({ mode: 'incremental', inserted: 0, updated: 0, deleted: 0 })]);
  });

  it('starts a full sync again when Google answers 410 for the sync token, and removes what Google no longer has', async () => {
    await control('POST', `/calendars/${encode(calendarId)}/invalidate-sync-tokens`);
    await control('DELETE', `/calendars/${encode(calendarId)}/events/${created[3].id}`);

    const result = await sync(hall.companyId);

    expect(result.calendars).toEqual([
      expect.objectContaining({ mode: 'full', outcome: 'complete', inserted: 0, updated: 0, deleted: 1, pages: 3, notes: expect.arrayContaining(['sync token expired (410): full sync']) }),
    ]);
    const events = await companyEvents(hall, from, to);
    expect(events).toHaveLength(600);
    expect(events.some((event) => event.eventId === created[3].id)).toBe(false);
    const [latest] = (await syncLogStore.list(hall.companyId, { limit: 1 })).items;
    expect(latest).toMatchObject({ calendarId, mode: 'full', deleted: 1, trigger: 'manual' });
    expect((await sync(hall.companyId)).calendars[0].mode).toBe('incremental');
  });
});

describe('what is stored', () => {
  it('marks all-day and free (transparent) events, and never counts a free event as an overlap', async () => {
    const hall = await venue('marks');
    const calendarId = hall.account.ids.main;
    await createEvents(calendarId, [
      { summary: 'Holiday', start: { date: '2032-03-09' }, end: { date: '2032-03-10' } },
      { summary: 'Hold', start: berlin('2032-03-10T10:00'), end: berlin('2032-03-10T12:00'), transparency: 'transparent' },
      { summary: 'Show A', start: berlin('2032-03-10T11:00'), end: berlin('2032-03-10T13:00') },
      { summary: 'Show B', start: berlin('2032-03-10T12:30'), end: berlin('2032-03-10T14:00') },
    ]);
    await sync(hall.companyId);
    const range = `from=${encode('2032-03-09T00:00:00+01:00')}&to=${encode('2032-03-11T00:00:00+01:00')}`;

    const events = await api('GET', `/companies/${hall.companyId}/events?${range}`, { token: hall.user.token });
    const overlaps = await api('GET', `/companies/${hall.companyId}/overlaps?${range}`, { token: hall.user.token });

    expect(events.body.items.map(({ title, start, end, allDay, transparent }: any) => ({ title, start, end, allDay, transparent }))).toEqual([
      { title: 'Holiday', start: '2032-03-09T00:00:00+01:00', end: '2032-03-10T00:00:00+01:00', allDay: true, transparent: undefined },
      { title: 'Hold', start: '2032-03-10T10:00:00+01:00', end: '2032-03-10T12:00:00+01:00', allDay: undefined, transparent: true },
      { title: 'Show A', start: '2032-03-10T11:00:00+01:00', end: '2032-03-10T13:00:00+01:00', allDay: undefined, transparent: undefined },
      { title: 'Show B', start: '2032-03-10T12:30:00+01:00', end: '2032-03-10T14:00:00+01:00', allDay: undefined, transparent: undefined },
    ]);
    expect(overlaps.body.items.map((pair: any) => [pair.first.title, pair.second.title, pair.overlapStart, pair.overlapEnd])).toEqual([
      ['Show A', 'Show B', '2032-03-10T12:30:00+01:00', '2032-03-10T13:00:00+01:00'],
    ]);
  });

  it('stores a series as a series and expands it with its exception, cancellation and EXDATE across DST', async () => {
    const hall = await venue('series');
    const calendarId = hall.account.ids.main;
    // Mondays 09:00 in Berlin from 15 March 2032; summer time starts on 28 March.
    const [series] = await createEvents(calendarId, [
      {
        summary: 'Team sync',
        start: berlin('2032-03-15T09:00'),
        end: berlin('2032-03-15T09:30'),
        recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5', 'EXDATE;TZID=Europe/Berlin:20320412T090000'],
      },
    ]);
    await control('PATCH', `/calendars/${encode(calendarId)}/events/${series.id}_20320322T080000Z`, {
      summary: 'Team sync (moved)',
      start: berlin('2032-03-22T10:30'),
      end: berlin('2032-03-22T11:00'),
    });
    const range = ['2032-03-01T00:00:00Z', '2032-05-01T00:00:00Z'] as const;

    const full = await sync(hall.companyId);
    const before = await companyEvents(hall, ...range);
    await control('DELETE', `/calendars/${encode(calendarId)}/events/${series.id}_20320405T070000Z`);
    const incremental = await sync(hall.companyId);
    const after = await companyEvents(hall, ...range);

    expect(full.calendars[0]).toMatchObject({ inserted: 1, pages: 1 });
    expect(before.map(({ start, title, originalStart }) => [start, title, originalStart])).toEqual([
      ['2032-03-15T09:00:00+01:00', 'Team sync', '2032-03-15T09:00:00+01:00'],
      ['2032-03-22T10:30:00+01:00', 'Team sync (moved)', '2032-03-22T09:00:00+01:00'],
      ['2032-03-29T09:00:00+02:00', 'Team sync', '2032-03-29T09:00:00+02:00'],
      ['2032-04-05T09:00:00+02:00', 'Team sync', '2032-04-05T09:00:00+02:00'],
    ]);
    expect(before.every((event) => event.eventId === series.id)).toBe(true);
    expect(incremental.calendars[0]).toMatchObject({ mode: 'incremental', deleted: 1 });
    expect(after.map((event) => event.start)).toEqual(['2032-03-15T09:00:00+01:00', '2032-03-22T10:30:00+01:00', '2032-03-29T09:00:00+02:00']);
  });
});

describe('failures', () => {
  it('marks the connection as needing re-consent on invalid_grant, says so in the log, and stops its syncs until it is connected again', async () => {
    const hall = await venue('revoked');
    const calendarId = hall.account.ids.main;
    await sync(hall.companyId);
    await control('POST', `/accounts/${encode(hall.account.email)}/revoke`);

    const revoked = await sync(hall.companyId);
    const callsBefore = (await requestLog(eventsPath(calendarId))).length;
    const stopped = await sync(hall.companyId);
    const callsAfter = (await requestLog(eventsPath(calendarId))).length;

    expect(revoked.calendars).toEqual([expect.objectContaining({ outcome: 'failed', error: expect.stringMatching(/^needs_reconsent: .*invalid_grant/) })]);
    expect((await connectionStore.get(hall.connectionId))?.status).toBe('needs_reconsent');
    expect(await syncStateStore.get(hall.companyId, calendarId)).toMatchObject({ status: 'needs_reconsent' });
    expect((await api('GET', '/google/connections', { token: hall.user.token })).body.items[0]).toMatchObject({ status: 'needs_reconsent' });
    const log = (await api('GET', `/companies/${hall.companyId}/sync`, { token: hall.user.token })).body;
    expect(log.calendars[0].status).toBe('needs_reconsent');
    expect(log.items[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('needs_reconsent') });
    expect(stopped.calendars).toEqual([]);
    expect(callsAfter).toBe(callsBefore);
    expect(log.items).toHaveLength(2);

    await connectGoogle(hall.user.token, hall.account.email);
    const resumed = await sync(hall.companyId);
    expect(resumed.calendars).toEqual([expect.objectContaining({ outcome: 'complete' })]);
    expect((await connectionStore.get(hall.connectionId))?.status).toBe('active');
  });

  it('retries a burst of 503s from Google with backoff and completes', async () => {
    const hall = await venue('faults');
    const calendarId = hall.account.ids.main;
    await createEvents(calendarId, hourly(3, '2032-06-01T09:00'));
    await control('POST', '/faults', { status: 503, count: 3, pathPrefix: eventsPath(calendarId) });

    const result = await sync(hall.companyId);

    expect(result.calendars).toEqual([expect.objectContaining({ outcome: 'complete', inserted: 3 })]);
    expect((await requestLog(eventsPath(calendarId))).map((call) => call.status)).toEqual([503, 503, 503, 200]);
  });

  it('reports only the failed messages of a batch to SQS (partial batch response)', async () => {
    const hall = await venue('batch');
    const record = (messageId: string, body: string) => ({ messageId, receiptHandle: messageId, body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:local:0:q', awsRegion: 'eu-central-1' });
    const records = [
      record('good', JSON.stringify({ kind: 'sync', companyId: hall.companyId, trigger: 'manual' })),
      // The shape queued before messages had a `kind`: still a sync, so a deploy strands none in the queue.
      record('legacy', JSON.stringify({ companyId: hall.companyId, trigger: 'manual' })),
      record('poison', 'not json'),
      record('unknown', JSON.stringify({ kind: 'reindex', companyId: hall.companyId })),
    ];
    const event = { Records: records } as unknown as SQSEvent;
    const context = { getRemainingTimeInMillis: () => 150_000, awsRequestId: 'test', functionName: 'syncWorker' } as unknown as Context;

    const response = await syncWorker(event, context);

    // 'poison' was never received from the queue, so its retry delay cannot be set (ChangeMessageVisibility
    // fails): best effort, it is logged and the message is still reported as failed.
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }, { itemIdentifier: 'unknown' }] });
    // Both sync messages ran, one after the other: one log entry each for the company's calendar.
    expect((await syncLogStore.list(hall.companyId, { limit: 10 })).items.map((entry) => entry.outcome)).toEqual(['complete', 'complete']);
  });
});

describe('concurrency and time limits', () => {
  it('never syncs one company twice at the same time (the lease)', async () => {
    const hall = await venue('lease');
    await createEvents(hall.account.ids.main, hourly(20, '2032-07-01T09:00'));

    // The loser queues the company again for after the running sync: recorded here, not sent to the stack's worker.
    const queued: unknown[] = [];
    const recording = deps({ queue: { send: async (messages) => void queued.push(...messages) } });
    const manual = (companyId: string) => syncCompany(recording, companyId, { deadline: Date.now() + 60_000, trigger: 'manual' });
    const racing = await Promise.all([manual(hall.companyId), manual(hall.companyId)]);
    const now = Date.now();
    expect(await syncLeaseStore.acquireCompany(hall.companyId, 'another-worker', now + 60_000, now)).toBe(true);
    const blocked = await manual(hall.companyId);
    await syncLeaseStore.releaseCompany(hall.companyId, 'another-worker');
    const afterwards = await sync(hall.companyId);

    expect(racing.map((result) => result.outcome).sort()).toEqual(['busy', 'synced']);
    expect(blocked).toEqual({ outcome: 'busy', retry: false, calendars: [] });
    expect(queued).toEqual([{ kind: 'sync', companyId: hall.companyId, trigger: 'manual', deferrals: 1 }, { kind: 'sync', companyId: hall.companyId, trigger: 'manual', deferrals: 1 }]);
    expect(afterwards.outcome).toBe('synced');
    expect((await syncLogStore.list(hall.companyId, { limit: 10 })).items).toHaveLength(2);
  });

  it('stops after a page when past its deadline, and the next run continues from the stored page token', async () => {
    const hall = await venue('deadline');
    const calendarId = hall.account.ids.main;
    await createEvents(calendarId, hourly(300, '2032-08-01T08:00'));

    const first = await sync(hall.companyId, { deadline: Date.now() - 1 });
    const stored = await syncStateStore.get(hall.companyId, calendarId);
    const listed = await api('GET', `/companies/${hall.companyId}/calendars`, { token: hall.user.token });
    const second = await sync(hall.companyId);
    const calls = await requestLog(eventsPath(calendarId));

    expect(first.outcome).toBe('partial');
    expect(first.calendars).toEqual([expect.objectContaining({ mode: 'full', outcome: 'partial', inserted: 250, pages: 1 })]);
    expect(stored).toMatchObject({ status: 'syncing', pageMode: 'full', pageToken: expect.any(String) });
    expect(listed.body.items[0].sync).toMatchObject({ status: 'syncing', resumable: true });
    expect(second.calendars).toEqual([
      expect.objectContaining({ mode: 'full', outcome: 'complete', inserted: 50, deleted: 0, pages: 1, notes: ['resumed a full sync from the stored page token'] }),
    ]);
    expect(calls.map((call) => Boolean(call.query.pageToken))).toEqual([false, true]);
    expect(calls[1].query.pageToken).toBe(stored?.pageToken);
    expect(await companyEvents(hall, '2032-08-01T00:00:00Z', '2032-08-31T00:00:00Z')).toHaveLength(300);
    expect(await syncStateStore.get(hall.companyId, calendarId)).toMatchObject({ status: 'ok', syncToken: expect.any(String) });
  });
});
