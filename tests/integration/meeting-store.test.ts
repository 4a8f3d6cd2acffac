// The meeting store against DynamoDB Local: range reads touch only the range, series live in a small set.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { Conflict } from '../../lib/domain/errors';
import type { Meeting } from '../../lib/meetings/meeting';
import { dynamo, tableName } from '../../lib/store/client';
import { MAX_LISTED_BYTES, meetingKeys, meetingStore } from '../../lib/store/meeting-store';
import { countDynamoReads } from '../support/dynamo-reads';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

const DAY = 86_400_000;

function aMeeting(organizerId: string, startMs: number, extra: Partial<Meeting> = {}): Meeting {
  const now = new Date().toISOString();
  return {
    id: ulid(), title: 'M', start: new Date(startMs).toISOString(), end: new Date(startMs + 3_600_000).toISOString(), timeZone: 'UTC',
    organizerId, attendees: [{ userId: organizerId, status: 'organizer' }], visibility: 'public', createdAt: now, updatedAt: now, version: 1, ...extra,
  };
}

it('reads only the single events near the range, not the whole calendar', async () => {
  const userId = ulid();
  const base = Date.parse('2040-01-01T10:00:00Z');
  const meetings = Array.from({ length: 60 }, (_, i) => aMeeting(userId, base + i * 7 * DAY));
  for (const meeting of meetings) await meetingStore.create(meeting);
  const weekTen = { start: base + 70 * DAY - DAY, end: base + 70 * DAY + DAY };
  const found = await meetingStore.listForParticipant(userId, weekTen);
  expect(found.map((m) => m.id)).toEqual([meetings[10].id]);

  // The key condition itself bounds the read: at most the range plus the 14-day look-back.
  const read = await dynamo().send(new QueryCommand({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': meetingKeys.singleIndexPk(userId), ':from': new Date(weekTen.start - 14 * DAY).toISOString(), ':to': `${new Date(weekTen.end).toISOString()}\uffff` },
  }));
  expect(read.ScannedCount).toBeLessThanOrEqual(3);
});

it('keeps series in the per-user set, open-ended ones without an end', async () => {
  const userId = ulid();
  const open = aMeeting(userId, Date.parse('2040-01-01T09:00:00Z'), { rrule: 'FREQ=DAILY' });
  const ended = aMeeting(userId, Date.parse('2040-01-01T09:00:00Z'), { rrule: 'FREQ=DAILY;COUNT=3' });
  await meetingStore.create(open);
  await meetingStore.create(ended);
  const set = await dynamo().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': meetingKeys.seriesIndexPk(userId) } }));
  const byId = Object.fromEntries((set.Items ?? []).map((item) => [item.eventId, item]));
  expect(byId[open.id].end).toBeUndefined();
  expect(byId[ended.id].end).toBe(Date.parse('2040-01-03T10:00:00Z'));
  const inMarch = await meetingStore.listForParticipant(userId, { start: Date.parse('2040-03-01T00:00:00Z'), end: Date.parse('2040-03-02T00:00:00Z') });
  expect(inMarch.map((m) => m.id)).toEqual([open.id]);
});

it('moves index items when the time and the invitees change, and refuses a stale version', async () => {
  const organizer = ulid();
  const guest = ulid();
  const meeting = aMeeting(organizer, Date.parse('2041-05-05T10:00:00Z'));
  await meetingStore.create(meeting);
  const moved: Meeting = { ...meeting, start: '2041-06-05T10:00:00.000Z', end: '2041-06-05T11:00:00.000Z', attendees: [...meeting.attendees, { userId: guest, status: 'pending' }], version: 2 };
  await meetingStore.replace(meeting, moved);
  const may = { start: Date.parse('2041-05-01T00:00:00Z'), end: Date.parse('2041-05-31T00:00:00Z') };
  const june = { start: Date.parse('2041-06-01T00:00:00Z'), end: Date.parse('2041-06-30T00:00:00Z') };
  expect(await meetingStore.listForParticipant(organizer, may)).toEqual([]);
  expect((await meetingStore.listForParticipant(guest, june)).map((m) => m.id)).toEqual([meeting.id]);
  await expect(meetingStore.replace(meeting, { ...moved, title: 'stale' })).rejects.toBeInstanceOf(Conflict);
  await meetingStore.delete(moved);
  expect(await meetingStore.listForParticipant(guest, june)).toEqual([]);
  expect(await meetingStore.get(meeting.id)).toBeUndefined();
});

const meetingItem = async (meetingId: string) =>
  (await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: meetingKeys.pk(meetingId), sk: meetingKeys.sk() }, ConsistentRead: true }))).Item!;

describe('listing copies on the index items', () => {
  const indexItem = async (pk: string, sk: string) =>
    (await dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: true }))).Item;
  /** An index item as a release before the listing copies wrote it. */
  const dropCopy = (pk: string, sk: string) =>
    dynamo().send(new UpdateCommand({ TableName: tableName(), Key: { pk, sk }, UpdateExpression: 'REMOVE listed' }));

  it('lists single events and series with the two range queries alone, no read of the masters', async () => {
    const organizer = ulid();
    const guest = ulid();
    const start = Date.parse('2042-03-02T09:00:00Z');
    const single = aMeeting(organizer, start, { title: 'Plan', description: 'not listed', attendees: [{ userId: organizer, status: 'organizer' }, { userId: guest, status: 'pending' }] });
    const series = aMeeting(organizer, start + DAY, { title: 'Weekly', rrule: 'FREQ=WEEKLY;COUNT=10', overrides: [{ originalStart: new Date(start + 8 * DAY).toISOString(), start: new Date(start + 9 * DAY).toISOString(), end: new Date(start + 9 * DAY + 3_600_000).toISOString(), title: 'Moved', description: 'not listed' }] });
    await meetingStore.create(single);
    await meetingStore.create(series);
    const counter = countDynamoReads();
    const found = await meetingStore.listForParticipant(organizer, { start, end: start + 30 * DAY });
    counter.stop();
    expect(counter.counts.byCommand).toEqual({ QueryCommand: 2 });
    const byId = Object.fromEntries(found.map((meeting) => [meeting.id, meeting]));
    expect(byId[single.id]).toEqual({ id: single.id, title: 'Plan', start: single.start, end: single.end, timeZone: 'UTC', organizerId: organizer, attendees: single.attendees, visibility: 'public' });
    expect(byId[series.id].overrides).toEqual([{ originalStart: series.overrides![0].originalStart, start: series.overrides![0].start, end: series.overrides![0].end, title: 'Moved' }]);
    // The invitee's copy follows a change of the meeting, in the same transaction.
    await meetingStore.replace(single, { ...single, title: 'Plan B', attendees: [single.attendees[0], { userId: guest, status: 'accepted' }], version: 2 });
    const [seenByGuest] = await meetingStore.listForParticipant(guest, { start, end: start + DAY });
    expect(seenByGuest).toMatchObject({ title: 'Plan B', attendees: [{ userId: organizer, status: 'organizer' }, { userId: guest, status: 'accepted' }] });
  });

  it('lists an index item written without a copy from its master, and completes it once', async () => {
    const organizer = ulid();
    const start = Date.parse('2042-04-06T09:00:00Z');
    const meeting = aMeeting(organizer, start, { title: 'Old' });
    await meetingStore.create(meeting);
    const key = { pk: meetingKeys.singleIndexPk(organizer), sk: meetingKeys.singleIndexSk(start, meeting.id) };
    await dropCopy(key.pk, key.sk);
    const range = { start, end: start + DAY };
    const first = countDynamoReads();
    expect((await meetingStore.listForParticipant(organizer, range)).map((m) => m.title)).toEqual(['Old']);
    first.stop();
    expect(first.counts.byCommand).toMatchObject({ QueryCommand: 2, BatchGetItemCommand: 1, TransactWriteItemsCommand: 1 });
    expect((await indexItem(key.pk, key.sk))?.listed).toMatchObject({ id: meeting.id, title: 'Old' });
    const second = countDynamoReads();
    expect((await meetingStore.listForParticipant(organizer, range)).map((m) => m.title)).toEqual(['Old']);
    second.stop();
    expect(second.counts.byCommand).toEqual({ QueryCommand: 2 });
  });

  it('never completes an index item with a master that changed after it was read', async () => {
    const organizer = ulid();
    const start = Date.parse('2042-05-04T09:00:00Z');
    const meeting = aMeeting(organizer, start, { title: 'Before' });
    await meetingStore.create(meeting);
    const key = { pk: meetingKeys.singleIndexPk(organizer), sk: meetingKeys.singleIndexSk(start, meeting.id) };
    await dropCopy(key.pk, key.sk);
    // Between the read of the master and the completion, an older release renames the meeting (its index item
    // keeps no copy): the completion must not write the title it read.
    const name = 'changeBeforeBackfill';
    dynamo().middlewareStack.add(
      (next, context) => async (args) => {
        if ((context as { commandName?: string }).commandName === 'TransactWriteItemsCommand') {
          dynamo().middlewareStack.remove(name);
          await dynamo().send(new PutCommand({ TableName: tableName(), Item: { ...(await meetingItem(meeting.id)), title: 'After', version: 2 } }));
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      expect((await meetingStore.listForParticipant(organizer, { start, end: start + DAY })).map((m) => m.title)).toEqual(['Before']);
    } finally {
      dynamo().middlewareStack.remove(name);
    }
    expect((await indexItem(key.pk, key.sk))?.listed).toBeUndefined();
    expect((await meetingStore.listForParticipant(organizer, { start, end: start + DAY })).map((m) => m.title)).toEqual(['After']);
    expect((await indexItem(key.pk, key.sk))?.listed).toMatchObject({ title: 'After' });
  });

  it('keeps no copy of a meeting too large to copy onto every index item, and lists it from its master', async () => {
    const organizer = ulid();
    const start = Date.parse('2042-06-01T09:00:00Z');
    const overrides = Array.from({ length: 30 }, (_, week) => ({
      originalStart: new Date(start + week * 7 * DAY).toISOString(),
      start: new Date(start + week * 7 * DAY + 3_600_000).toISOString(),
      end: new Date(start + week * 7 * DAY + 7_200_000).toISOString(),
      title: `Moved ${week} `.padEnd(120, '.'),
    }));
    const series = aMeeting(organizer, start, { rrule: 'FREQ=WEEKLY;COUNT=52', overrides });
    expect(Buffer.byteLength(JSON.stringify(overrides))).toBeGreaterThan(MAX_LISTED_BYTES);
    await meetingStore.create(series);
    const key = { pk: meetingKeys.seriesIndexPk(organizer), sk: meetingKeys.seriesIndexSk(series.id) };
    expect((await indexItem(key.pk, key.sk))?.listed).toBeUndefined();
    const counter = countDynamoReads();
    const [found] = await meetingStore.listForParticipant(organizer, { start, end: start + 60 * DAY });
    counter.stop();
    expect(found.overrides).toHaveLength(30);
    // Read from the master, and not written back: it would not fit either.
    expect(counter.counts.byCommand).toEqual({ QueryCommand: 2, BatchGetItemCommand: 1 });
  });
});
