// The cost of one uncontended booking (POST /book/{slug}/bookings with an Idempotency-Key, distinct free slots, one
// after another) against two floors: GET /health (the HTTP and handler overhead) and one raw 13-item
// TransactWriteItems sent straight to DynamoDB Local with the SDK (what the booking's own write costs at least).
// The ratio (booking p50 - health p50) / raw transaction p50 says how much the booking does beyond its one write.
// DynamoDB requests per booking are counted in this process: the same rate-limit check and use case as the
// handler, wired the same way, with tests/support/dynamo-reads.ts counting every request of the document client.
import { randomBytes } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { limitBooking } from '../../lib/limits/rate-limits';
import { bookSlot } from '../../lib/scheduling/book-slot';
import { dynamo, tableName } from '../../lib/store/client';
import { limitDeps } from '../../lib/wiring/parts/limits';
import { schedulingDeps } from '../../lib/wiring/parts/scheduling';
import { countDynamoReads } from '../support/dynamo-reads';
import { api, signUpUser } from '../support/http';
import { envNumber, median, percentile, request, timed, type Benchmark } from './benchmark';

const FIRST_DAY = Date.parse('2035-01-01T00:00:00Z');
const SLOT_MS = 30 * 60_000;
const RAW_ITEMS = 13;

export const bookingLatency: Benchmark = {
  name: 'booking-latency',
  description: 'BENCH_BOOKINGS (default 200) sequential uncontended bookings of distinct slots, against GET /health and a raw 13-item transaction',
  needsStack: true,
  async run({ log }) {
    const runs = envNumber('BENCH_BOOKINGS', 200);
    const host = await signUpUser({ name: 'Latency Host', timeZone: 'UTC' });
    const availability = { timeZone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]])) };
    const created = await api('POST', '/event-types', { token: host.token, body: { name: 'Latency call', kind: 'one_on_one', durationMinutes: 30, minNoticeMinutes: 0, availability } });
    if (created.status !== 201) throw new Error(`event type: ${created.status} ${created.text.slice(0, 300)}`);
    const slug = created.body.slug as string;
    // Slot n of the run: every half hour from FIRST_DAY on, so no two bookings touch each other.
    let nextSlot = 0;
    const nextStart = () => new Date(FIRST_DAY + SLOT_MS * nextSlot++).toISOString();
    const book = () =>
      request('POST', `/book/${slug}/bookings`, { start: nextStart(), name: 'Lena Latency', email: 'lena@example.com' }, 60_000, {
        'idempotency-key': randomBytes(12).toString('hex'),
      });

    const measure = async (label: string, call: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < 10; i++) await call(); // warm the handler worker, the connection and the JIT
      for (let i = 0; i < runs; i++) ms.push((await timed(call)).ms);
      log(`${label}: ${runs} calls`);
      return { p50: median(ms), p99: percentile(ms, 99) };
    };
    let failures = 0;
    const health = await measure('GET /health', async () => {
      if ((await request('GET', '/health')).status !== 200) failures += 1;
    });
    const raw = await measure(`raw ${RAW_ITEMS}-item TransactWriteItems`, () => {
      const pk = `BENCH#${randomBytes(8).toString('hex')}`;
      return dynamo().send(
        new TransactWriteCommand({
          TransactItems: Array.from({ length: RAW_ITEMS }, (_, index) => ({
            Put: { TableName: tableName(), Item: { pk, sk: `ITEM#${index}`, type: 'Bench', version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        }),
      );
    });
    const booking = await measure('POST /book/{slug}/bookings', async () => {
      const response = await book();
      if (response.status !== 201) {
        failures += 1;
        log(`booking answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    });

    // The same path in this process, counted: the handler's rate-limit check, then the use case.
    const counted = Math.min(runs, 20);
    const scheduling = schedulingDeps();
    const limits = limitDeps();
    const requests = countDynamoReads();
    for (let i = 0; i < counted; i++) {
      await limitBooking(limits, { address: '198.51.100.7', slug });
      await bookSlot(scheduling, slug, { start: nextStart(), name: 'Carl Counted', email: 'carl@example.com' }, randomBytes(12).toString('hex'));
    }
    requests.stop();
    const perBooking = requests.counts.requests / counted;

    return {
      figures: [
        { label: 'bookings measured', value: runs, unit: '' },
        { label: 'GET /health p50', value: health.p50, unit: 'ms' },
        { label: `raw ${RAW_ITEMS}-item TransactWriteItems p50`, value: raw.p50, unit: 'ms' },
        { label: 'booking p50', value: booking.p50, unit: 'ms' },
        { label: 'booking p99', value: booking.p99, unit: 'ms' },
        { label: 'ratio (booking p50 - health p50) / raw p50', value: (booking.p50 - health.p50) / raw.p50, unit: 'x' },
        { label: 'DynamoDB requests per booking (with rate limit)', value: perBooking, unit: '' },
      ],
      checks: [{ label: 'every booking and health check answered 2xx', ok: failures === 0 }],
    };
  },
};
