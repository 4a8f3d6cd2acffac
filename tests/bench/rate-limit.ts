// The cost of one rate-limit check on the local stack: the conditional UpdateItem (ADD) that counts a request,
// the same write refused once over the limit, the give-back of a right sign-in, and a consistent GetItem of the
// same item as the floor of a DynamoDB Local round trip. Also checks that a burst never counts past the limit.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { windowAt } from '../../lib/limits/rate-limits';
import { dynamo, tableName } from '../../lib/store/client';
import { rateLimitKeys, rateLimitStore } from '../../lib/store/rate-limit-store';
import { envNumber, median, percentile, timed, type Benchmark } from './benchmark';

export const rateLimit: Benchmark = {
  name: 'rate-limit',
  description: 'one limit check (conditional UpdateItem with ADD) over DynamoDB Local: allowed, refused, given back; GetItem as the floor',
  needsStack: true,
  async run({ log }) {
    const runs = envNumber('BENCH_RUNS', 500);
    const window = windowAt(Date.now(), 3600);
    const key = `bench-${randomBytes(6).toString('hex')}`;
    const measure = async (label: string, call: (index: number) => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < 20; i++) await call(i); // warm the connection and the JIT
      for (let i = 0; i < runs; i++) ms.push((await timed(() => call(i))).ms);
      log(`${label}: ${runs} calls`);
      return { p50: median(ms), p99: percentile(ms, 99) };
    };
    let allowed = 0;
    let refusedWrongly = 0;
    const taken = await measure('take (allowed)', async () => {
      if (await rateLimitStore.take('bookings-per-link', key, window, 1_000_000)) allowed += 1;
    });
    const refused = await measure('take (over the limit)', async () => {
      if (await rateLimitStore.take('bookings-per-link', key, window, 1)) refusedWrongly += 1;
    });
    const given = await measure('give back', () => rateLimitStore.giveBack('bookings-per-link', key, window));
    const read = await measure('GetItem (floor)', () =>
      dynamo().send(new GetCommand({ TableName: tableName(), Key: { pk: rateLimitKeys.pk('bookings-per-link', key), sk: rateLimitKeys.sk(window) }, ConsistentRead: true })),
    );
    // 200 takes at once against a limit of 50: exactly 50 pass, whatever the interleaving.
    const burstKey = `${key}-burst`;
    const burst = await Promise.all(Array.from({ length: 200 }, () => rateLimitStore.take('sign-ups-per-address', burstKey, window, 50)));
    return {
      figures: [
        { label: 'count a request (UpdateItem ADD, allowed) p50', value: taken.p50, unit: 'ms' },
        { label: 'count a request (UpdateItem ADD, allowed) p99', value: taken.p99, unit: 'ms' },
        { label: 'refuse over the limit (condition fails) p50', value: refused.p50, unit: 'ms' },
        { label: 'give back (UpdateItem ADD -1) p50', value: given.p50, unit: 'ms' },
        { label: 'GetItem of the same item (floor) p50', value: read.p50, unit: 'ms' },
      ],
      checks: [
        { label: `every allowed take counted (${runs + 20})`, ok: allowed === runs + 20 },
        { label: 'no take past the limit', ok: refusedWrongly === 0 },
        { label: '200 concurrent takes, limit 50: exactly 50 pass', ok: burst.filter(Boolean).length === 50 },
      ],
    };
  },
};
