// Bursts of concurrent bookings over HTTP against the local stack: exactly the right number win, the rest
// get 409 slot_taken, nothing answers 5xx, and the table holds exactly the winners and their lock cells.
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../../lib/store/client';
import { bookingKeys, lockCellKeys, seatCounterKeys } from '../../lib/store/booking-store';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';

jest.setTimeout(120_000);
beforeAll(assertLocalEndpoints);

const MONDAY = '2032-03-01';

async function createEventType(token: string, body: Record<string, unknown>) {
  const response = await api('POST', '/event-types', { token, body: { kind: 'one_on_one', minNoticeMinutes: 0, ...body } });
  if (response.status !== 201) throw new Error(`event type: ${response.status} ${response.text}`);
  return response.body as { id: string; slug: string };
}

/**
 * Starts as many handler workers as the burst will need (serverless-offline keeps idle ones for a minute),
 * so the burst measures the race for the slot, not 100 cold starts on two cores.
 */
async function warmUp(slug: string, concurrency: number) {
  await Promise.all(Array.from({ length: concurrency }, () => api('GET', `/book/${slug}`)));
}

// Each guest sends an Idempotency-Key, as a careful client would: a request retried after a connection reset
// then gets its own first answer back instead of booking twice or losing to itself.
const bookingRequest = (slug: string, start: string, guest: number) =>
  api('POST', `/book/${slug}/bookings`, {
    body: { start, name: `Guest ${guest}`, email: `guest${guest}@example.com` },
    headers: { 'idempotency-key': `${slug}-${start}-guest-${guest}` },
  });

async function itemsOf(pk: string) {
  const result = await dynamo().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }));
  return result.Items ?? [];
}

/** Every booking item of the host (a test-only scan of DynamoDB Local). */
async function bookingItemsOf(hostId: string) {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({ TableName: tableName(), FilterExpression: '#type = :type AND hostId = :host', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':type': 'Booking', ':host': hostId }, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function tally(responses: Array<{ status: number; body: any; text: string }>) {
  return {
    created: responses.filter((r) => r.status === 201).length,
    taken: responses.filter((r) => r.status === 409 && r.body?.error?.code === 'slot_taken').length,
    serverErrors: responses.filter((r) => r.status >= 500).length,
    // Anything else, by status and code, so a failure says what happened.
    other: responses.filter((r) => r.status !== 201 && r.status !== 409 && r.status < 500).map((r) => `${r.status} ${r.body?.error?.code ?? r.text.slice(0, 200)}`),
  };
}

it('gives one slot to exactly one of 100 concurrent guests', async () => {
  const host = await signUpUser({ name: 'Contended Host', timeZone: 'UTC' });
  const type = await createEventType(host.token, { name: 'Hot slot', durationMinutes: 30, bufferBeforeMinutes: 5, availability: { timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '17:00' }] } } });

  await warmUp(type.slug, 100);
  const responses = await Promise.all(Array.from({ length: 100 }, (_, guest) => bookingRequest(type.slug, `${MONDAY}T10:00:00Z`, guest)));

  expect(tally(responses)).toEqual({ created: 1, taken: 99, serverErrors: 0, other: [] });
  const winner = responses.find((r) => r.status === 201)!.body;
  const bookings = await bookingItemsOf(host.id);
  expect(bookings.map((item) => item.id)).toEqual([winner.id]);
  expect((await itemsOf(bookingKeys.hostIndexPk(host.id))).map((item) => item.bookingId)).toEqual([winner.id]);
  const cells = await itemsOf(lockCellKeys.pk(host.id));
  // 09:55-10:30 with the 5-minute buffer before: 7 cells, all held by the winner.
  expect(cells.map((cell) => cell.sk)).toEqual(['09:55', '10:00', '10:05', '10:10', '10:15', '10:20', '10:25'].map((time) => `${MONDAY}T${time}:00.000Z`));
  expect(new Set(cells.map((cell) => cell.holder))).toEqual(new Set([`BOOKING#${winner.id}`]));
});

it('lets only one of two event types of one host win when their slots overlap by 5 minutes', async () => {
  const host = await signUpUser({ name: 'Two Types Host', timeZone: 'UTC' });
  const long = await createEventType(host.token, { name: 'Long', durationMinutes: 60, availability: { timeZone: 'UTC', weekly: { mon: [{ start: '10:00', end: '11:00' }] } } });
  const late = await createEventType(host.token, { name: 'Late', durationMinutes: 30, availability: { timeZone: 'UTC', weekly: { mon: [{ start: '10:55', end: '11:25' }] } } });

  await warmUp(long.slug, 100);
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, guest) => (guest % 2 ? bookingRequest(long.slug, `${MONDAY}T10:00:00Z`, guest) : bookingRequest(late.slug, `${MONDAY}T10:55:00Z`, guest))),
  );

  expect(tally(responses)).toEqual({ created: 1, taken: 99, serverErrors: 0, other: [] });
  const winner = responses.find((r) => r.status === 201)!.body;
  expect((await bookingItemsOf(host.id)).map((item) => item.id)).toEqual([winner.id]);
  const cells = await itemsOf(lockCellKeys.pk(host.id));
  expect(cells.length === 12 || cells.length === 6).toBe(true);
  expect(new Set(cells.map((cell) => cell.holder))).toEqual(new Set([`BOOKING#${winner.id}`]));
});

it('seats exactly 3 of 20 concurrent guests in a group slot of 3 seats', async () => {
  const host = await signUpUser({ name: 'Group Host', timeZone: 'UTC' });
  const type = await createEventType(host.token, { name: 'Class', kind: 'group', seats: 3, durationMinutes: 45, availability: { timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '12:00' }] } } });

  await warmUp(type.slug, 20);
  const responses = await Promise.all(Array.from({ length: 20 }, (_, guest) => bookingRequest(type.slug, `${MONDAY}T09:45:00Z`, guest)));

  expect(tally(responses)).toEqual({ created: 3, taken: 17, serverErrors: 0, other: [] });
  const winners = responses.filter((r) => r.status === 201).map((r) => r.body.id).sort();
  expect((await bookingItemsOf(host.id)).map((item) => item.id).sort()).toEqual(winners);
  const [counter] = await itemsOf(seatCounterKeys.pk(type.id));
  expect(counter).toMatchObject({ sk: `${MONDAY}T09:45:00.000Z`, seatsTaken: 3, seats: 3 });
  const cells = await itemsOf(lockCellKeys.pk(host.id));
  expect(cells).toHaveLength(9);
  expect(new Set(cells.map((cell) => cell.holder))).toEqual(new Set([`GROUP#${type.id}#${MONDAY}T09:45:00.000Z`]));
  const slots = await api('GET', `/book/${type.slug}/slots?from=${MONDAY}T00:00:00Z&to=${MONDAY}T23:59:00Z`);
  expect(slots.body.items.map((slot: { start: string }) => slot.start)).not.toContain(`${MONDAY}T09:45:00Z`);
});

it('makes at most 2 of 8 concurrent bookings of different free slots on one day of an event type with dailyLimit 2', async () => {
  const host = await signUpUser({ name: 'Limited Host', timeZone: 'UTC' });
  const type = await createEventType(host.token, { name: 'Two a day', durationMinutes: 30, dailyLimit: 2, availability: { timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '17:00' }] } } });
  const starts = Array.from({ length: 8 }, (_, index) => `${MONDAY}T${String(9 + index).padStart(2, '0')}:00:00Z`);

  await warmUp(type.slug, 8);
  const responses = await Promise.all(starts.map((start, guest) => bookingRequest(type.slug, start, guest)));

  const full = responses.filter((r) => r.status === 409 && r.body?.error?.code === 'daily_limit_reached').length;
  expect({ ...tally(responses), taken: full }).toEqual({ created: 2, taken: 6, serverErrors: 0, other: [] });
  expect(await bookingItemsOf(host.id)).toHaveLength(2);
  const slots = await api('GET', `/book/${type.slug}/slots?from=${MONDAY}T00:00:00Z&to=${MONDAY}T23:59:00Z`);
  expect(slots.body.items).toEqual([]);
});
