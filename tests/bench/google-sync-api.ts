// The whole path of a manual Google sync through the local stack: `POST /companies/{id}/sync` (the API function
// queues the message), the SQS emulator, the local poller and the bundled sync worker under serverless-offline,
// until the calendar's entry appears in `GET /companies/{id}/sync`. The company's sandbox calendar holds
// BENCH_EVENTS events (default 10,000) and is enabled in the store directly (no sync queued by enabling it),
// after the floor is measured.
// The floor is measured in the same run: listing every page from the sandbox (production page size) and writing
// one item per event in batches of 25 (BatchWriteItem at the toolkit's parallelism), the least a full sync does.
// The wall time is split into the hop before the worker starts (the first entry's startedAt), the worker's runs
// (entry.durationMs; a run that reaches SYNC_TIMEOUT stops 'partial' and the next one continues), the hops between
// runs, and the time until the last entry was read back (polled every POLL_MS).
import { ulid } from 'ulid';
import { batchWriteAll, type WriteRequest } from '../../lib/store/toolkit';
import { credentialsFor } from '../../lib/connections/credentials';
import { syncDeps } from '../../lib/wiring/parts/sync';
import { connectGoogle, createCompany, createEvents, seedAccount } from '../support/google';
import { api, signUpUser } from '../support/http';
import { envNumber, timed, type Benchmark } from './benchmark';
import { enableCalendar, hourly } from './google-sync';

const POLL_MS = 50;
const BATCH_WRITE_MAX = 25;

type LogEntry = { calendarId: string; mode: string; outcome: string; inserted: number; pages: number; durationMs: number; startedAt: string; finishedAt: string; trigger: string };

/**
 * Reads GET /companies/{id}/sync until the calendar's sync that started after `sinceMs` has ended: its entries,
 * oldest first (a run stopped at SYNC_TIMEOUT logs 'partial' and a later run continues it).
 */
async function waitForSync(token: string, companyId: string, calendarId: string, sinceMs: number, timeoutMs: number): Promise<LogEntry[]> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const reply = await api('GET', `/companies/${companyId}/sync?limit=50`, { token });
    if (reply.status !== 200) throw new Error(`GET sync: ${reply.status} ${reply.text}`);
    const entries = (reply.body.items as LogEntry[]).filter((item) => item.calendarId === calendarId && Date.parse(item.startedAt) >= sinceMs - 1000).reverse();
    if (entries.length && entries[entries.length - 1].outcome !== 'partial') return entries;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`the sync did not end within ${timeoutMs} ms`);
}

/** The floor: every page listed from the sandbox, then one item per event written in batches of 25. */
async function floor(connectionId: string, calendarId: string, count: number) {
  const deps = syncDeps();
  const connection = await deps.connections.get(connectionId);
  if (!connection) throw new Error('connection missing');
  const credentials = await credentialsFor(deps, connection);
  const listed = await timed(async () => {
    let pageToken: string | undefined;
    let pages = 0;
    let items = 0;
    do {
      const page = await deps.google.listEventsPage(credentials, calendarId, { pageToken, maxResults: deps.settings.pageSize });
      pages += 1;
      items += page.items.length;
      pageToken = page.nextPageToken;
    } while (pageToken);
    return { pages, items };
  });
  // Items shaped like a synced event's record (same attributes and sizes), in a partition of their own.
  const pk = `BENCHFLOOR#${ulid()}`;
  const requests: WriteRequest[] = Array.from({ length: count }, (_, index) => ({
    PutRequest: {
      Item: {
        pk,
        sk: `EV#${ulid()}${index}`,
        type: 'SyncedEvent',
        gsi1pk: `${pk}#GEVENTS`,
        gsi1sk: `${new Date(Date.parse('2035-01-01T08:00:00Z') + index * 3_600_000).toISOString()}#${calendarId}#${index}`,
        companyId: pk,
        calendarId,
        eventId: `event${index}`,
        hasMaster: true,
        title: `Bench ${index}`,
        start: '2035-01-01T09:00:00+01:00',
        end: '2035-01-01T09:30:00+01:00',
        timeZone: 'Europe/Berlin',
        etag: `"${ulid()}"`,
        generation: 1,
        startMs: 2051247600000,
        endMs: 2051249400000,
        version: 1,
      },
    },
  }));
  const written = await timed(() => batchWriteAll(requests));
  await batchWriteAll(requests.map((request) => ({ DeleteRequest: { Key: { pk, sk: (request as { PutRequest: { Item: { sk: string } } }).PutRequest.Item.sk } } })));
  return { listMs: listed.ms, pages: listed.value.pages, listedItems: listed.value.items, writeMs: written.ms, batches: Math.ceil(count / BATCH_WRITE_MAX) };
}

export const googleSyncApi: Benchmark = {
  name: 'google-sync-api',
  description: 'full sync of one sandbox calendar of BENCH_EVENTS events (default 10,000) from POST /companies/{id}/sync through the queue, the local poller and the worker until its log entry is read back, against the floor (pages listed + one BatchWrite item per event) measured in the same run',
  needsStack: true,
  async run({ log }) {
    const count = envNumber('BENCH_EVENTS', 10_000);
    const user = await signUpUser({ name: 'Bench Sync API', timeZone: 'UTC' });
    const account = await seedAccount('benchsyncapi', [{ key: 'main', primary: true }]);
    const calendarId = account.ids.main;
    const { connectionId } = await connectGoogle(user.token, account.email);
    const companyId = await createCompany(user.token, `Bench sync API ${count}`);
    for (let i = 0; i < count; i += 1000) await createEvents(calendarId, hourly(Math.min(1000, count - i), i));
    log(`${count} events in the sandbox; floor`);
    const measuredFloor = await floor(connectionId, calendarId, count);
    log(`floor: ${measuredFloor.pages} pages listed in ${measuredFloor.listMs.toFixed(0)} ms, ${measuredFloor.batches} BatchWrites in ${measuredFloor.writeMs.toFixed(0)} ms; POST sync`);
    // Enabled only now, so that no scheduled sync takes the calendar first (one that starts after the request
    // stands for it: the pending flag coalesces the two, and the entry is the one that started after it).
    await enableCalendar({ companyId, calendarId, connectionId, userId: user.id });
    const startedMs = Date.now();
    const { ms, value: entries } = await timed(async () => {
      const queued = await api('POST', `/companies/${companyId}/sync`, { token: user.token });
      if (queued.status !== 202) throw new Error(`POST sync: ${queued.status} ${queued.text}`);
      return waitForSync(user.token, companyId, calendarId, startedMs, 15 * 60_000);
    });
    const floorMs = measuredFloor.listMs + measuredFloor.writeMs;
    const first = entries[0];
    const last = entries[entries.length - 1];
    const workerMs = entries.reduce((sum, entry) => sum + entry.durationMs, 0);
    const toWorker = Date.parse(first.startedAt) - startedMs;
    // Between runs: from a run's end to the next one's start (the continuation's hop through the queue).
    const between = entries.slice(1).reduce((sum, entry, index) => sum + Date.parse(entry.startedAt) - Date.parse(entries[index].finishedAt), 0);
    const readBack = startedMs + ms - Date.parse(last.finishedAt);
    const inserted = entries.reduce((sum, entry) => sum + entry.inserted, 0);
    const pages = entries.reduce((sum, entry) => sum + entry.pages, 0);
    log(`entries: ${entries.map((entry) => `${entry.mode} ${entry.outcome} (${entry.trigger}) ${entry.inserted} in ${entry.pages} pages, ${entry.durationMs} ms`).join('; ')}`);
    return {
      figures: [
        { label: `API full sync (${count}): POST /sync to the last log entry read back`, value: ms / 1000, unit: 's' },
        { label: '  runs (a run stops at SYNC_TIMEOUT, the next continues)', value: entries.length, unit: '' },
        { label: '  before the first run started (API, queue, poller)', value: toWorker / 1000, unit: 's' },
        { label: '  in the worker (sum of entry.durationMs)', value: workerMs / 1000, unit: 's' },
        { label: '  between runs (queue, poller)', value: between / 1000, unit: 's' },
        { label: `  last entry written to read back (poll ${POLL_MS} ms)`, value: readBack / 1000, unit: 's' },
        { label: `floor: ${measuredFloor.pages} pages listed`, value: measuredFloor.listMs / 1000, unit: 's' },
        { label: `floor: ${measuredFloor.batches} BatchWrites of ${BATCH_WRITE_MAX}`, value: measuredFloor.writeMs / 1000, unit: 's' },
        { label: 'floor: total', value: floorMs / 1000, unit: 's' },
        { label: 'ratio API wall time / floor', value: ms / floorMs, unit: 'x' },
        { label: 'ratio worker time / floor', value: workerMs / floorMs, unit: 'x' },
      ],
      checks: [
        { label: `full sync complete, ${count} inserted in ${Math.ceil(count / 2500)}+ pages`, ok: first.mode === 'full' && last.outcome === 'complete' && inserted === count && pages >= measuredFloor.pages },
        { label: 'floor listed every event', ok: measuredFloor.listedItems === count },
      ],
    };
  },
};
