// Write-back's pure parts and the inbound rules, with small in-memory fakes (no I/O).
import { recordingLog } from '../support/recording-log';
import { createHash } from 'node:crypto';
import type { RemoteEvent } from '../../lib/connections/ports';
import type { BookingRepo } from '../../lib/scheduling/ports';
import type { UserRepo } from '../../lib/users/ports';
import type { ListedFrom } from '../../lib/sync/ports';
import type { SyncedEvent } from '../../lib/sync/synced-event';
import { reconcileInbound, type InboundDeps } from '../../lib/write-back/inbound';
import type { WriteBackRepo, WrittenEvent } from '../../lib/write-back/ports';
import { copyHash, googleEventIdFor, instanceIdFor, meetingBody, meetingCopy } from '../../lib/write-back/write-back';
import type { Meeting } from '../../lib/meetings/meeting';
import type { MeetingDeps } from '../../lib/meetings/use-cases';

/** A server secret as AUTH_SECRET would be (the id key is derived from it). */
const SECRET = 'test-secret-of-at-least-32-characters-0123456789';

const meeting: Meeting = {
  id: '01JMEETING',
  title: 'Standup',
  start: '2030-03-04T09:00:00+01:00',
  end: '2030-03-04T09:15:00+01:00',
  timeZone: 'Europe/Berlin',
  organizerId: 'u1',
  attendees: [{ userId: 'u1', status: 'organizer' }],
  visibility: 'public',
  createdAt: '2030-01-01T00:00:00Z',
  updatedAt: '2030-01-01T00:00:00Z',
  version: 1,
};

function fakeRecords(initial: WrittenEvent[]) {
  const records = new Map(initial.map((record) => [`${record.source}#${record.sourceId}`, record]));
  const repo: Pick<WriteBackRepo, 'get' | 'delete' | 'replaceIfEtag'> = {
    get: async (source, sourceId) => records.get(`${source}#${sourceId}`),
    delete: async (source, sourceId) => void records.delete(`${source}#${sourceId}`),
    replaceIfEtag: async (record, expected) => {
      const key = `${record.source}#${record.sourceId}`;
      if (records.get(key)?.etag !== expected) return false;
      records.set(key, record);
      return true;
    },
  };
  return { repo, records };
}

function fakeMeetings(stored: Meeting[]): MeetingDeps & { replaced: Meeting[]; deleted: string[] } {
  const byId = new Map(stored.map((m) => [m.id, m]));
  const replaced: Meeting[] = [];
  const deleted: string[] = [];
  return {
    replaced,
    deleted,
    clock: { now: () => new Date('2030-03-01T00:00:00Z') },
    users: { get: async () => undefined, getMany: async () => [], create: async () => undefined, findByEmail: async () => undefined, update: async () => { throw new Error('no'); } },
    meetings: {
      get: async (id) => byId.get(id),
      replace: async (_previous, next) => {
        byId.set(next.id, next);
        replaced.push(next);
      },
      create: async () => undefined,
      delete: async (gone) => {
        byId.delete(gone.id);
        deleted.push(gone.id);
      },
      listForParticipant: async () => [],
    },
  };
}

const record = (overrides: Partial<WrittenEvent> = {}): WrittenEvent => ({
  source: 'meeting',
  sourceId: meeting.id,
  userId: 'u1',
  connectionId: 'c1',
  calendarId: 'cal',
  googleEventId: googleEventIdFor(SECRET, 'meeting', meeting.id),
  etag: '"ours"',
  contentHash: copyHash(meetingCopy(meeting)),
  start: meeting.start,
  end: meeting.end,
  updatedAt: '2030-03-01T00:00:00Z',
  ...overrides,
});

const listed = (overrides: Record<string, unknown> = {}) => ({
  id: googleEventIdFor(SECRET, 'meeting', meeting.id),
  etag: '"ours"',
  status: 'confirmed',
  start: { dateTime: meeting.start },
  end: { dateTime: meeting.end },
  extendedProperties: { private: { calendarHubSource: 'meeting', calendarHubId: meeting.id } },
  ...overrides,
});

describe('what we write', () => {
  it('derives a Google event id in base32hex, the same for the same meeting and secret, different for a booking', () => {
    const id = googleEventIdFor(SECRET, 'meeting', meeting.id);
    expect(id).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(googleEventIdFor(SECRET, 'meeting', meeting.id)).toBe(id);
    expect(googleEventIdFor(SECRET, 'booking', meeting.id)).not.toBe(id);
  });

  it('cannot be derived from the meeting id without the secret: another secret gives another id, and no plain hash of the id matches', () => {
    const id = googleEventIdFor(SECRET, 'meeting', meeting.id);
    const others = [`${SECRET}x`, SECRET.slice(1), 'another-secret-of-at-least-32-characters-xyz'].map((secret) => googleEventIdFor(secret, 'meeting', meeting.id));

    expect(new Set([id, ...others]).size).toBe(4);
    // What an attacker could compute from the meeting id alone (the unkeyed derivation this replaced, and plain digests).
    const unkeyed = [`meeting:${meeting.id}`, meeting.id].flatMap((input) => ['sha256', 'sha1', 'md5'].map((algorithm) => createHash(algorithm).update(input).digest('hex')));
    for (const digest of unkeyed) expect(id).not.toContain(digest.slice(0, 16));
  });

  it('writes a series with its rule and its excluded and cancelled starts as one UTC EXDATE line, with our marker', () => {
    const body = meetingBody({ ...meeting, rrule: 'FREQ=WEEKLY;COUNT=5', exdates: ['2030-03-11T08:00:00Z'], cancelled: ['2030-03-18T08:00:00.000Z'] });
    expect(body.recurrence).toEqual(['RRULE:FREQ=WEEKLY;COUNT=5', 'EXDATE:20300311T080000Z,20300318T080000Z']);
    expect(body.extendedProperties.private).toEqual({ calendarHubSource: 'meeting', calendarHubId: meeting.id });
    expect(body.start).toEqual({ dateTime: meeting.start, timeZone: 'Europe/Berlin' });
  });
});

describe('the copy of a series with moved occurrences', () => {
  it("carries each moved occurrence as a single event for Google's instance, and hashes differently once one moves", () => {
    const series: Meeting = { ...meeting, rrule: 'FREQ=WEEKLY;COUNT=5' };
    const moved: Meeting = { ...series, overrides: [{ originalStart: '2030-03-11T08:00:00.000Z', start: '2030-03-11T15:00:00+01:00', end: '2030-03-11T15:15:00+01:00', title: 'Late standup' }] };

    const copy = meetingCopy(moved);

    expect(copy.exceptions).toEqual([
      {
        originalStart: '2030-03-11T08:00:00.000Z',
        body: expect.objectContaining({ summary: 'Late standup', start: { dateTime: '2030-03-11T15:00:00+01:00', timeZone: 'Europe/Berlin' } }),
      },
    ]);
    expect(copy.exceptions[0].body.recurrence).toBeUndefined();
    expect(instanceIdFor(googleEventIdFor(SECRET, 'meeting', meeting.id), copy.exceptions[0].originalStart)).toBe(`${googleEventIdFor(SECRET, 'meeting', meeting.id)}_20300311T080000Z`);
    expect(copyHash(copy)).not.toBe(copyHash(meetingCopy(series)));
    expect(meetingCopy(meeting).exceptions).toEqual([]);
  });
});

describe('reconcileInbound', () => {
  // No booking in these: bookings are taken over through the real store (tests/integration/two-way.test.ts).
  const scheduling = {
    bookings: { get: async () => undefined } as unknown as BookingRepo,
    clock: { now: () => new Date('2030-03-01T00:00:00Z') },
    users: { get: async () => undefined } as unknown as UserRepo,
  };
  /** The calendar and connection the record says the copy was written to. */
  const WRITTEN_THERE: ListedFrom = { companyId: 'c', calendarId: 'cal', connectionId: 'c1' };
  const reconcile = (records: InboundDeps['records'], meetings: MeetingDeps, items: RemoteEvent[], previous: Map<string, SyncedEvent> = new Map(), from = WRITTEN_THERE) =>
    reconcileInbound({ records, meetings, scheduling, log: recordingLog() }, items, previous, from);
  const storedCopy = (eventId: string, copyOf: string): SyncedEvent => ({
    companyId: 'c', calendarId: 'cal', eventId, hasMaster: true, title: 'Standup', start: meeting.start, end: meeting.end, timeZone: 'Europe/Berlin', generation: 1, copyOf,
  });

  it('does nothing for our own write coming back (our marker and our etag)', async () => {
    const { repo, records } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);

    const notes = await reconcile(repo, meetings, [listed()]);

    expect(notes).toEqual([]);
    expect(meetings.replaced).toEqual([]);
    expect(records.get(`meeting#${meeting.id}`)?.etag).toBe('"ours"');
  });

  it("takes over a person's move: the meeting gets the new times, the record Google's etag and the body we would now write", async () => {
    const { repo, records } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);
    const moved = listed({ etag: '"theirs"', start: { dateTime: '2030-03-04T11:00:00+01:00' }, end: { dateTime: '2030-03-04T11:30:00+01:00' } });

    await reconcile(repo, meetings, [moved]);
    const again = await reconcile(repo, meetings, [moved]);

    expect(meetings.replaced).toHaveLength(1);
    expect(meetings.replaced[0]).toMatchObject({ start: '2030-03-04T11:00:00+01:00', end: '2030-03-04T11:30:00+01:00', version: 2 });
    expect(records.get(`meeting#${meeting.id}`)).toMatchObject({ etag: '"theirs"', contentHash: copyHash(meetingCopy(meetings.replaced[0])) });
    expect(again).toEqual([]);
  });

  it('deletes the meeting whose copy a person deleted in Google, knowing it by the marker stored with the copy', async () => {
    const { repo, records } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);
    const eventId = googleEventIdFor(SECRET, 'meeting', meeting.id);
    // Google lists a deleted event with its id, etag and status only.
    const notes = await reconcile(repo, meetings, [{ id: eventId, etag: '"gone"', status: 'cancelled' }], new Map([[eventId, storedCopy(eventId, `meeting:${meeting.id}`)]]));

    expect(notes).toEqual([`meeting ${meeting.id} was deleted in Google; deleted here too`]);
    expect(meetings.deleted).toEqual([meeting.id]);
    expect(records.has(`meeting#${meeting.id}`)).toBe(false);
  });

  it('leaves alone a deletion we are making ourselves (the record says deleting)', async () => {
    const { repo, records } = fakeRecords([record({ deleting: true })]);
    const meetings = fakeMeetings([meeting]);
    const eventId = googleEventIdFor(SECRET, 'meeting', meeting.id);

    const notes = await reconcile(repo, meetings, [{ id: eventId, etag: '"gone"', status: 'cancelled' }], new Map([[eventId, storedCopy(eventId, `meeting:${meeting.id}`)]]));

    expect(notes).toEqual([]);
    expect(meetings.deleted).toEqual([]);
    expect(records.get(`meeting#${meeting.id}`)?.deleting).toBe(true);
  });

  it('turns an occurrence moved or deleted in Google into an exception of the series, once', async () => {
    const series: Meeting = { ...meeting, rrule: 'FREQ=WEEKLY;COUNT=5' };
    const { repo } = fakeRecords([record()]);
    const meetings = fakeMeetings([series]);
    const masterId = googleEventIdFor(SECRET, 'meeting', meeting.id);
    const previous = new Map([[masterId, storedCopy(masterId, `meeting:${meeting.id}`)]]);
    const moved = listed({
      id: `${masterId}_20300311T080000Z`, etag: '"x1"', recurringEventId: masterId, originalStartTime: { dateTime: '2030-03-11T09:00:00+01:00' },
      start: { dateTime: '2030-03-11T14:00:00+01:00' }, end: { dateTime: '2030-03-11T14:15:00+01:00' },
    });
    const deleted = { id: `${masterId}_20300318T080000Z`, etag: '"x2"', status: 'cancelled', recurringEventId: masterId, originalStartTime: { dateTime: '2030-03-18T09:00:00+01:00' } };

    const notes = await reconcile(repo, meetings, [moved, deleted], previous);
    const again = await reconcile(repo, meetings, [moved, deleted], previous);

    expect(notes).toEqual([expect.stringContaining('was moved in Google'), expect.stringContaining('was deleted in Google')]);
    expect(again).toEqual([]);
    const latest = meetings.replaced[meetings.replaced.length - 1];
    expect(latest.overrides).toEqual([expect.objectContaining({ originalStart: '2030-03-11T08:00:00.000Z', start: '2030-03-11T14:00:00+01:00', end: '2030-03-11T14:15:00+01:00' })]);
    expect(latest.cancelled).toEqual(['2030-03-18T08:00:00.000Z']);
    expect(meetings.replaced).toHaveLength(2);
  });

  it("takes over a series' new rule from Google, not our own rule given back in another order, and notes a rule it refuses", async () => {
    const series: Meeting = { ...meeting, rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=5' };
    const { repo, records } = fakeRecords([record()]);
    const meetings = fakeMeetings([series]);

    const reordered = await reconcile(repo, meetings, [listed({ etag: '"t1"', recurrence: ['RRULE:COUNT=5;BYDAY=MO;FREQ=WEEKLY'] })]);
    expect(reordered).toEqual([]);
    expect(meetings.replaced).toEqual([]);

    const changed = await reconcile(repo, meetings, [listed({ etag: '"t2"', recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3'] })]);
    expect(changed).toEqual([`series ${meeting.id} was given a rule in Google: RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3`]);
    expect(meetings.replaced[0].rrule).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=3');

    const refused = await reconcile(repo, meetings, [listed({ etag: '"t3"', recurrence: ['RRULE:FREQ=HOURLY;COUNT=3'] })]);
    expect(refused).toEqual([expect.stringContaining('in a way not taken over here')]);
    expect(meetings.replaced).toHaveLength(1);
    // Remembered by its etag: the next run does not try again.
    expect(records.get(`meeting#${meeting.id}`)?.etag).toBe('"t3"');
    expect(await reconcile(repo, meetings, [listed({ etag: '"t3"', recurrence: ['RRULE:FREQ=HOURLY;COUNT=3'] })])).toEqual([]);
  });

  it('acts on nothing listed from another calendar or through another connection than the copy was written to', async () => {
    const { repo, records } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);
    const eventId = googleEventIdFor(SECRET, 'meeting', meeting.id);
    const moved = listed({ etag: '"forged"', start: { dateTime: '2030-03-04T15:00:00+01:00' }, end: { dateTime: '2030-03-04T16:00:00+01:00' } });
    const deleted = { id: eventId, etag: '"gone"', status: 'cancelled' };
    const elsewhere: ListedFrom[] = [
      { companyId: 'other', calendarId: 'mallory@example.com', connectionId: 'c9' },
      { companyId: 'other', calendarId: 'cal', connectionId: 'c9' },
      { companyId: 'c', calendarId: 'another-calendar', connectionId: 'c1' },
    ];

    for (const from of elsewhere) {
      const previous = new Map([[eventId, { ...storedCopy(eventId, `meeting:${meeting.id}`), companyId: from.companyId, calendarId: from.calendarId }]]);
      expect(await reconcile(repo, meetings, [moved], previous, from)).toEqual([]);
      expect(await reconcile(repo, meetings, [deleted], previous, from)).toEqual([]);
    }

    expect(meetings.replaced).toEqual([]);
    expect(meetings.deleted).toEqual([]);
    expect(records.get(`meeting#${meeting.id}`)).toEqual(record());
    // The same move listed from where the copy was written is taken over.
    expect(await reconcile(repo, meetings, [moved])).toEqual([expect.stringContaining('was moved in Google')]);
  });

  it('ignores events without our marker and copies that are not the recorded one', async () => {
    const { repo } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);

    const notes = await reconcile(repo, meetings, [
      { id: 'plain', etag: '"x"', start: { dateTime: meeting.start }, end: { dateTime: meeting.end } },
      listed({ id: 'anothercopy', etag: '"x"', start: { dateTime: '2030-03-04T12:00:00+01:00' } }),
    ]);

    expect(notes).toEqual([]);
    expect(meetings.replaced).toEqual([]);
  });
});
