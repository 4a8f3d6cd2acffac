// The Google push webhook on the local stack: how fast it answers a notification (one GetItem, one conditional
// write, one SQS send), a repeated message number (dropped after the conditional write) and a forged token
// (refused after the GetItem), against GET /health through the same HTTP layer as the floor.
import { venue } from '../support/push';
import { envNumber, median, percentile, request, timed, type Benchmark } from './benchmark';

export const webhook: Benchmark = {
  name: 'webhook',
  description: 'POST /webhooks/google latency: new notifications, duplicates, forged tokens; GET /health as the floor',
  needsStack: true,
  async run({ log }) {
    const runs = envNumber('BENCH_RUNS', 200);
    const { channel } = await venue('bench-webhook');
    if (!channel?.token) throw new Error('the sandbox shows no channel with its token');
    const headers = (number: number, token = channel.token!) => ({
      'x-goog-channel-id': channel.id,
      'x-goog-channel-token': token,
      'x-goog-resource-id': 'bench',
      'x-goog-resource-state': 'exists',
      'x-goog-message-number': String(number),
    });
    const measure = async (label: string, call: (index: number) => Promise<{ status: number }>, expected: number) => {
      const ms: number[] = [];
      let wrong = 0;
      // The first calls start the handler's worker: not counted.
      for (let i = 0; i < 5; i++) await call(i);
      for (let i = 0; i < runs; i++) {
        const { ms: took, value } = await timed(() => call(i + 5));
        ms.push(took);
        if (value.status !== expected) wrong += 1;
      }
      log(`${label}: ${runs} requests`);
      return { p50: median(ms), p99: percentile(ms, 99), wrong };
    };
    const health = await measure('health', () => request('GET', '/health'), 200);
    const fresh = await measure('notifications', (i) => request('POST', '/webhooks/google', undefined, 10_000, headers(1000 + i)), 200);
    const duplicate = await measure('duplicates', () => request('POST', '/webhooks/google', undefined, 10_000, headers(1000)), 200);
    const forged = await measure('forged', (i) => request('POST', '/webhooks/google', undefined, 10_000, headers(1000 + i, 'guessed')), 401);
    return {
      figures: [
        { label: 'GET /health p50', value: health.p50, unit: 'ms' },
        { label: 'GET /health p99', value: health.p99, unit: 'ms' },
        { label: 'new notification (queued) p50', value: fresh.p50, unit: 'ms' },
        { label: 'new notification (queued) p99', value: fresh.p99, unit: 'ms' },
        { label: 'repeated message number (dropped) p50', value: duplicate.p50, unit: 'ms' },
        { label: 'forged token (401) p50', value: forged.p50, unit: 'ms' },
        { label: 'ratio new notification / health (p50)', value: fresh.p50 / health.p50, unit: 'x' },
      ],
      checks: [
        { label: `every notification answered 200 (${runs})`, ok: fresh.wrong === 0 },
        { label: 'every duplicate answered 200', ok: duplicate.wrong === 0 },
        { label: 'every forged token answered 401', ok: forged.wrong === 0 },
      ],
    };
  },
};
