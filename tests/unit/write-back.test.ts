// Write-back's pure parts and the inbound rules, with small in-memory fakes (no I/O).
import { reconcileInbound } from '../../lib/write-back/inbound';
import type { WriteBackRepo, WrittenEvent } from '../../lib/write-back/ports';
import { contentHash, googleEventIdFor, meetingBody } from '../../lib/write-back/write-back';
import type { Meeting } from '../../lib/meetings/meeting';
import type { MeetingDeps } from '../../lib/meetings/use-cases';

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

function fakeMeetings(stored: Meeting[]): MeetingDeps & { replaced: Meeting[] } {
  const byId = new Map(stored.map((m) => [m.id, m]));
  const replaced: Meeting[] = [];
  return {
    replaced,
    clock: { now: () => new Date('2030-03-01T00:00:00Z') },
    users: { get: async () => undefined, getMany: async () => [], create: async () => undefined, findByEmail: async () => undefined, update: async () => { throw new Error('no'); } },
    meetings: {
      get: async (id) => byId.get(id),
      replace: async (_previous, next) => {
        byId.set(next.id, next);
        replaced.push(next);
      },
      create: async () => undefined,
      delete: async () => undefined,
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
  googleEventId: googleEventIdFor('meeting', meeting.id),
  etag: '"ours"',
  contentHash: contentHash(meetingBody(meeting)),
  start: meeting.start,
  end: meeting.end,
  updatedAt: '2030-03-01T00:00:00Z',
  ...overrides,
});

const listed = (overrides: Record<string, unknown> = {}) => ({
  id: googleEventIdFor('meeting', meeting.id),
  etag: '"ours"',
  status: 'confirmed',
  start: { dateTime: meeting.start },
  end: { dateTime: meeting.end },
  extendedProperties: { private: { calendarHubSource: 'meeting', calendarHubId: meeting.id } },
  ...overrides,
});

describe('what we write', () => {
  it('derives a Google event id in base32hex, the same for the same meeting and different for a booking', () => {
    const id = googleEventIdFor('meeting', meeting.id);
    expect(id).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(googleEventIdFor('meeting', meeting.id)).toBe(id);
    expect(googleEventIdFor('booking', meeting.id)).not.toBe(id);
  });

  it('writes a series with its rule and its excluded and cancelled starts as one UTC EXDATE line, with our marker', () => {
    const body = meetingBody({ ...meeting, rrule: 'FREQ=WEEKLY;COUNT=5', exdates: ['2030-03-11T08:00:00Z'], cancelled: ['2030-03-18T08:00:00.000Z'] });
    expect(body.recurrence).toEqual(['RRULE:FREQ=WEEKLY;COUNT=5', 'EXDATE:20300311T080000Z,20300318T080000Z']);
    expect(body.extendedProperties.private).toEqual({ calendarHubSource: 'meeting', calendarHubId: meeting.id });
    expect(body.start).toEqual({ dateTime: meeting.start, timeZone: 'Europe/Berlin' });
  });
});

describe('reconcileInbound', () => {
  it('does nothing for our own write coming back (our marker and our etag)', async () => {
    const { repo, records } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);

    const notes = await reconcileInbound({ records: repo, meetings }, [listed()]);

    expect(notes).toEqual([]);
    expect(meetings.replaced).toEqual([]);
    expect(records.get(`meeting#${meeting.id}`)?.etag).toBe('"ours"');
  });

  it("takes over a person's move: the meeting gets the new times, the record Google's etag and the body we would now write", async () => {
    const { repo, records } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);

    await reconcileInbound({ records: repo, meetings }, [listed({ etag: '"theirs"', start: { dateTime: '2030-03-04T11:00:00+01:00' }, end: { dateTime: '2030-03-04T11:30:00+01:00' } })]);
    const again = await reconcileInbound({ records: repo, meetings }, [listed({ etag: '"theirs"', start: { dateTime: '2030-03-04T11:00:00+01:00' }, end: { dateTime: '2030-03-04T11:30:00+01:00' } })]);

    expect(meetings.replaced).toHaveLength(1);
    expect(meetings.replaced[0]).toMatchObject({ start: '2030-03-04T11:00:00+01:00', end: '2030-03-04T11:30:00+01:00', version: 2 });
    expect(records.get(`meeting#${meeting.id}`)).toMatchObject({ etag: '"theirs"', contentHash: contentHash(meetingBody(meetings.replaced[0])) });
    expect(again).toEqual([]);
  });

  it('flags a booking moved in Google without moving it, and forgets a copy deleted in Google', async () => {
    const booking = record({ source: 'booking', sourceId: 'b1', googleEventId: googleEventIdFor('booking', 'b1') });
    const { repo, records } = fakeRecords([booking, record()]);
    const meetings = fakeMeetings([meeting]);

    const notes = await reconcileInbound({ records: repo, meetings }, [
      listed({ id: booking.googleEventId, etag: '"moved"', start: { dateTime: '2030-03-05T09:00:00+01:00' }, end: { dateTime: '2030-03-05T09:15:00+01:00' }, extendedProperties: { private: { calendarHubSource: 'booking', calendarHubId: 'b1' } } }),
      listed({ etag: '"gone"', status: 'cancelled' }),
    ]);

    expect(notes).toEqual([expect.stringContaining('booking b1 was moved in Google'), expect.stringContaining(`meeting ${meeting.id} was deleted in Google`)]);
    expect(records.get('booking#b1')).toMatchObject({ etag: '"moved"', start: booking.start });
    expect(records.has(`meeting#${meeting.id}`)).toBe(false);
    expect(meetings.replaced).toEqual([]);
  });

  it('ignores events without our marker and copies that are not the recorded one', async () => {
    const { repo } = fakeRecords([record()]);
    const meetings = fakeMeetings([meeting]);

    const notes = await reconcileInbound({ records: repo, meetings }, [
      { id: 'plain', etag: '"x"', start: { dateTime: meeting.start }, end: { dateTime: meeting.end } },
      listed({ id: 'anothercopy', etag: '"x"', start: { dateTime: '2030-03-04T12:00:00+01:00' } }),
    ]);

    expect(notes).toEqual([]);
    expect(meetings.replaced).toEqual([]);
  });
});
