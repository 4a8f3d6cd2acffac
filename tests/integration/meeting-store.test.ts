// The meeting store against DynamoDB Local: range reads touch only the range, series live in a small set.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { Conflict } from '../../lib/domain/errors';
import type { Meeting } from '../../lib/meetings/meeting';
import { dynamo, tableName } from '../../lib/store/client';
import { meetingKeys, meetingStore } from '../../lib/store/meeting-store';
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
