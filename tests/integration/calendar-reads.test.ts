// What the calendar views read from DynamoDB, counted in this process with the production wiring (a count of
// requests and items, never a time; the figures are in `npm run bench -- listing` and `-- free-time`).
import { findFreeTime, listOccurrences } from '../../lib/meetings/calendar-view';
import { calendarDeps } from '../../lib/wiring/parts/calendar';
import { countDynamoReads } from '../support/dynamo-reads';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';

jest.setTimeout(60_000);
beforeAll(assertLocalEndpoints);

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function createMeeting(token: string, body: Record<string, unknown>) {
  const created = await api('POST', '/events', { token, body: { title: 'Meeting', timeZone: 'UTC', ...body } });
  if (created.status !== 201) throw new Error(`meeting: ${created.status} ${created.text}`);
  return created.body as { id: string };
}

it("lists a user's meetings with the range queries alone: no read of the meetings themselves", async () => {
  const [owner, guest] = await Promise.all([signUpUser({ name: 'Owner' }), signUpUser({ name: 'Guest' })]);
  const from = Date.parse('2043-03-02T00:00:00Z');
  for (let index = 0; index < 12; index += 1) {
    await createMeeting(owner.token, { start: iso(from + index * DAY + 9 * 3_600_000), durationMinutes: 30, attendeeIds: index % 2 ? [guest.id] : [] });
  }
  await createMeeting(owner.token, { start: iso(from + 10 * 3_600_000), durationMinutes: 30, recurrence: { frequency: 'daily', count: 20 } });
  const counter = countDynamoReads();
  const listed = await listOccurrences(calendarDeps(), owner.id, owner.id, { from: iso(from), to: iso(from + 30 * DAY), limit: 500 });
  counter.stop();
  expect(listed.items).toHaveLength(12 + 20);
  // The owner (GetItem), single events and series (a Query each), bookings and Google connections (a Query each),
  // all at once; nothing per meeting.
  expect(counter.counts.byCommand).toEqual({ GetItemCommand: 1, QueryCommand: 4 });
});

it('reads no single events beyond the window in which the free time search finds its slot', async () => {
  const [a, b] = await Promise.all([signUpUser({ name: 'A', timeZone: 'UTC' }), signUpUser({ name: 'B', timeZone: 'UTC' })]);
  const after = Date.parse('2043-06-01T00:00:00Z');
  // Both busy the first morning; then 40 meetings each from the third month on.
  await createMeeting(a.token, { start: iso(after), durationMinutes: 240, attendeeIds: [b.id] });
  for (let index = 0; index < 40; index += 1) {
    const start = iso(after + (60 + index) * DAY);
    await Promise.all([createMeeting(a.token, { start, durationMinutes: 60 }), createMeeting(b.token, { start, durationMinutes: 60 })]);
  }
  const query = { userIds: [a.id, b.id], duration: 60, after: iso(after), before: iso(after + 300 * DAY), workingHoursOnly: false };
  const counter = countDynamoReads();
  const slot = await findFreeTime(calendarDeps(), query);
  counter.stop();
  expect(Date.parse(slot.start)).toBe(after + 4 * 3_600_000);
  // The users (one BatchGet); per user: series set, single events of the first window, bookings, Google connections;
  // and B's companies (does A's unanswered invitation keep B busy? B is in none: no more).
  expect(counter.counts.byCommand).toEqual({ BatchGetItemCommand: 1, QueryCommand: 9 });
  // Two users, the shared meeting on each index (B's pending copy too), nothing of the 80 later meetings.
  expect(counter.counts.items).toBe(2 + 2);
});
