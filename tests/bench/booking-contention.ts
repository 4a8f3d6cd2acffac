// N clients race for M slots of one host, spread over two event types whose grids overlap (30-minute slots
// on the half hour, 45-minute slots every 15 minutes with a 5-minute buffer): throughput, latency, and a
// search of the table afterwards for any two bookings of the host that overlap (there must be none).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '../../lib/store/client';
import { bookingKeys, lockCellKeys } from '../../lib/store/booking-store';
import { api, signUpUser } from '../support/http';
import { envNumber, percentile, request, timed, type Benchmark } from './benchmark';

const DAY = '2034-03-06';

async function partition(pk: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: startKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

export const bookingContention: Benchmark = {
  name: 'booking-contention',
  description: 'BENCH_CLIENTS concurrent clients (default 50) each try every one of BENCH_SLOTS slots (default 20) of one host, in random order',
  needsStack: true,
  async run({ log }) {
    const clients = envNumber('BENCH_CLIENTS', 50);
    const slotCount = envNumber('BENCH_SLOTS', 20);
    const host = await signUpUser({ name: 'Bench Host', timeZone: 'UTC' });
    const availability = { timeZone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '08:00', end: '20:00' }]])) };
    const create = async (body: Record<string, unknown>) => (await api('POST', '/event-types', { token: host.token, body: { kind: 'one_on_one', minNoticeMinutes: 0, availability, ...body } })).body;
    const half = await create({ name: 'Half hour', durationMinutes: 30 });
    const long = await create({ name: 'Long', durationMinutes: 45, slotStepMinutes: 15, bufferBeforeMinutes: 5 });
    const startsOf = async (slug: string) => {
      const response = await api('GET', `/book/${slug}/slots?from=${DAY}T08:00:00Z&to=${DAY}T20:00:00Z`);
      if (response.status !== 200) throw new Error(`slots: ${response.status} ${response.text.slice(0, 300)}`);
      return response.body.items.map((slot: { start: string }) => slot.start) as string[];
    };
    // Both types over the same hours, so many targets overlap each other.
    const targets = [
      ...(await startsOf(half.slug)).slice(0, Math.ceil(slotCount / 2)).map((start) => ({ slug: half.slug, start })),
      ...(await startsOf(long.slug)).slice(0, Math.floor(slotCount / 2)).map((start) => ({ slug: long.slug, start })),
    ];
    log(`${clients} clients x ${targets.length} slots = ${clients * targets.length} booking requests; warming ${clients} handler workers`);
    await Promise.all(Array.from({ length: clients }, () => api('GET', `/book/${half.slug}`)));

    // The baseline: one client booking free slots one after another (the evening, which the race leaves alone).
    const quiet = (await startsOf(half.slug)).slice(-10);
    const uncontended: number[] = [];
    for (const start of quiet) {
      uncontended.push((await timed(() => api('POST', `/book/${half.slug}/bookings`, { body: { start, name: 'Solo', email: 'solo@example.com' } }))).ms);
    }

    const outcomes: Array<{ status: number; ms: number }> = [];
    const { ms: wallMs } = await timed(() =>
      Promise.all(
        Array.from({ length: clients }, async (_, client) => {
          for (const target of shuffled(targets)) {
            const { ms, value } = await timed(() =>
              request('POST', `/book/${target.slug}/bookings`, { start: target.start, name: `Client ${client}`, email: `client${client}@example.com` }),
            );
            outcomes.push({ status: value.status, ms });
          }
        }),
      ),
    );

    const index = await partition(bookingKeys.hostIndexPk(host.id));
    const cells = await partition(lockCellKeys.pk(host.id));
    let doubleBookings = 0;
    for (let i = 0; i < index.length; i++) {
      for (let j = i + 1; j < index.length; j++) {
        // Lock spans include the buffers: two that overlap break the rules even if the meetings themselves do not.
        if (index[i].lockStart < index[j].lockEnd && index[j].lockStart < index[i].lockEnd) doubleBookings += 1;
      }
    }
    const holders = new Set(index.map((item) => `BOOKING#${item.bookingId}`));
    const expectedCells = index.reduce((sum, item) => sum + (item.lockEnd - item.lockStart) / 300_000, 0);
    const created = outcomes.filter((o) => o.status === 201);
    const bookingsMade = created.length + quiet.length;
    const taken = outcomes.filter((o) => o.status === 409);
    const serverErrors = outcomes.filter((o) => o.status >= 500).length;
    const unanswered = outcomes.filter((o) => o.status === 0).length;
    const all = outcomes.map((o) => o.ms);
    const seconds = wallMs / 1000;
    return {
      figures: [
        { label: 'clients', value: clients, unit: '' },
        { label: 'slots raced for', value: targets.length, unit: '' },
        { label: 'booking requests', value: outcomes.length, unit: '' },
        { label: 'wall time', value: seconds, unit: 's' },
        { label: 'requests per second', value: outcomes.length / seconds, unit: 'req/s' },
        { label: 'bookings made (201)', value: created.length, unit: '' },
        { label: 'bookings per second', value: created.length / seconds, unit: 'bookings/s' },
        { label: 'refused as taken (409)', value: taken.length, unit: '' },
        { label: 'other answers', value: outcomes.length - created.length - taken.length - unanswered, unit: '' },
        { label: 'no answer within 60 s', value: unanswered, unit: '' },
        { label: 'latency p50 (all)', value: percentile(all, 50), unit: 'ms' },
        { label: 'latency p99 (all)', value: percentile(all, 99), unit: 'ms' },
        { label: 'latency p50 (201)', value: percentile(created.map((o) => o.ms), 50), unit: 'ms' },
        { label: 'latency p99 (201)', value: percentile(created.map((o) => o.ms), 99), unit: 'ms' },
        { label: 'latency p50 (one client, no race)', value: percentile(uncontended, 50), unit: 'ms' },
        { label: 'ratio p99 / p50 (all)', value: percentile(all, 99) / percentile(all, 50), unit: 'x' },
        { label: 'ratio p50 in the race / p50 alone', value: percentile(all, 50) / percentile(uncontended, 50), unit: 'x' },
        { label: 'ratio bookings / slots raced for', value: created.length / targets.length, unit: '' },
        { label: 'ratio 409 / requests', value: taken.length / outcomes.length, unit: '' },
        { label: 'bookings in the table (race + baseline)', value: index.length, unit: '' },
        { label: 'double bookings found', value: doubleBookings, unit: '' },
      ],
      checks: [
        { label: 'no double booking', ok: doubleBookings === 0 },
        { label: 'no 5xx', ok: serverErrors === 0 },
        { label: 'every request answered', ok: unanswered === 0 },
        { label: 'table bookings = 201 answers', ok: index.length === bookingsMade },
        { label: 'lock cells = cells of the bookings', ok: cells.length === expectedCells && cells.every((cell) => holders.has(cell.holder)) },
      ],
    };
  },
};
