// Google sync of one calendar from the sandbox into DynamoDB Local, through the sync worker's use case
// (syncCompany with the production wiring): a full sync of BENCH_EVENTS events (default 10,000) and an
// incremental sync of 10 changes, at BENCH_EVENTS_SMALL (default 1,000) and BENCH_EVENTS events. Google
// requests come from the sandbox's request log, DynamoDB writes from a middleware on the document client;
// both are shown against the minimum. The calendar is enabled in the store directly (no push channel, no
// queued sync) and the bench holds the company's sync lease between its runs, so the stack's scheduled
// syncs stay out of the measurement.
import { ulid } from 'ulid';
import { dynamo } from '../../lib/store/client';
import { calendarEnablementStore } from '../../lib/store/calendar-enablement-store';
import { syncLeaseStore } from '../../lib/store/sync-lease-store';
import { syncDeps } from '../../lib/wiring/parts/sync';
import { syncCompany, type CompanySyncResult } from '../../lib/sync/sync-company';
import { connectGoogle, control, createCompany, createEvents, encode, seedAccount } from '../support/google';
import { signUpUser } from '../support/http';
import { envNumber, timed, type Benchmark, type Figure } from './benchmark';

const GOOGLE_MAX_PAGE = 2500;
const BATCH_WRITE_MAX = 25;
const CHANGES = 10;
// The document client's commands reach the stack as the low-level ones (BatchWriteItemCommand ...).
const WRITE_COMMAND = /^(BatchWrite|Put|Update|Delete|TransactWrite)(Item|Items)?Command$/;

/** DynamoDB write requests (and the items they carry) sent through dynamo() while counting is on. */
const writes = { counting: false, requests: {} as Record<string, number>, batchItems: 0 };
let counterInstalled = false;

function installWriteCounter(): void {
  if (counterInstalled) return;
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      const kind = writes.counting ? WRITE_COMMAND.exec(String(context.commandName ?? ''))?.[1] : undefined;
      if (kind) {
        writes.requests[kind] = (writes.requests[kind] ?? 0) + 1;
        if (kind === 'BatchWrite') {
          const input = args.input as { RequestItems?: Record<string, unknown[]> };
          writes.batchItems += Object.values(input.RequestItems ?? {}).reduce((sum, list) => sum + list.length, 0);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchWriteCounter' },
  );
  counterInstalled = true;
}

type Measured = {
  ms: number;
  result: CompanySyncResult;
  google: { total: number; list: number; other: number; maxResults: string[] };
  dynamo: { requests: Record<string, number>; total: number; batchItems: number };
};

/** One measured syncCompany: request log cleared before, write counter reset; the bench takes the lease back after. */
async function measuredSync(companyId: string, runId: string, calendarId: string): Promise<Measured> {
  const deps = { ...syncDeps() };
  // The production settings (page size included), but never deferred for want of a global slot.
  deps.settings = { ...deps.settings, maxParallel: 64 };
  await control('DELETE', '/request-log');
  Object.assign(writes, { counting: true, requests: {}, batchItems: 0 });
  const { ms, value: result } = await timed(() => syncCompany(deps, companyId, { deadline: Date.now() + 15 * 60_000, trigger: 'manual', runId }));
  writes.counting = false;
  await holdLease(companyId, runId);
  const { items } = await control<{ items: Array<{ method: string; path: string; query: string }> }>('GET', '/request-log');
  const listPath = `/calendar/v3/calendars/${calendarId}/events`;
  const list = items.filter((item) => item.method === 'GET' && item.path === listPath);
  const requests = { ...writes.requests };
  return {
    ms,
    result,
    google: {
      total: items.length,
      list: list.length,
      other: items.length - list.length,
      maxResults: [...new Set(list.map((item) => new URLSearchParams(item.query).get('maxResults') ?? 'default'))],
    },
    dynamo: { requests, total: Object.values(requests).reduce((sum, n) => sum + n, 0), batchItems: writes.batchItems },
  };
}

async function holdLease(companyId: string, runId: string): Promise<void> {
  const now = Date.now();
  if (!(await syncLeaseStore.acquireCompany(companyId, runId, now + 60 * 60_000, now))) throw new Error(`company ${companyId}: another worker holds its sync lease`);
}

/** Single events, one an hour from 2035 on, 30 minutes each. */
/** Turns a connected sandbox calendar on for a company, as an admin's PUT would. */
export async function enableCalendar(at: { companyId: string; calendarId: string; connectionId: string; userId: string }): Promise<void> {
  const enabled = await calendarEnablementStore.enable({
    companyId: at.companyId,
    calendarId: at.calendarId,
    connectionId: at.connectionId,
    summary: 'main',
    timeZone: 'Europe/Berlin',
    accessRole: 'owner',
    enabledAt: new Date().toISOString(),
    enabledBy: at.userId,
  });
  if (enabled !== 'enabled') throw new Error(`enable: ${enabled}`);
}

export function hourly(count: number, offset = 0): Array<Record<string, unknown>> {
  const first = Date.parse('2035-01-01T08:00:00Z') + offset * 3_600_000;
  return Array.from({ length: count }, (_, index) => ({
    summary: `Bench ${offset + index}`,
    start: { dateTime: new Date(first + index * 3_600_000).toISOString() },
    end: { dateTime: new Date(first + index * 3_600_000 + 1_800_000).toISOString() },
  }));
}

/** A company with one enabled sandbox calendar of `count` events, fully synced, then 10 changes synced incrementally. */
async function scenario(count: number, log: (line: string) => void) {
  const user = await signUpUser({ name: 'Bench Sync', timeZone: 'UTC' });
  const account = await seedAccount('benchsync', [{ key: 'main', primary: true }]);
  const calendarId = account.ids.main;
  const { connectionId } = await connectGoogle(user.token, account.email);
  const companyId = await createCompany(user.token, `Bench sync ${count}`);
  const runId = ulid();
  await holdLease(companyId, runId);
  await enableCalendar({ companyId, calendarId, connectionId, userId: user.id });

  const created: Array<Record<string, any>> = [];
  for (let i = 0; i < count; i += 1000) created.push(...(await createEvents(calendarId, hourly(Math.min(1000, count - i), i))));
  log(`${count} events in the sandbox; full sync`);
  const full = await measuredSync(companyId, runId, calendarId);

  // 10 changes: 4 new events, 3 renamed (one also moved), 3 deleted.
  await createEvents(calendarId, hourly(4, count + 100).map((event) => ({ ...event, summary: 'Bench added' })));
  for (const event of created.slice(0, 2)) await control('PATCH', `/calendars/${encode(calendarId)}/events/${event.id}`, { summary: 'Bench renamed' });
  const moved = created[2];
  const movedStart = Date.parse(moved.start.dateTime) + 15 * 60_000;
  await control('PATCH', `/calendars/${encode(calendarId)}/events/${moved.id}`, {
    summary: 'Bench moved',
    start: { dateTime: new Date(movedStart).toISOString() },
    end: { dateTime: new Date(movedStart + 1_800_000).toISOString() },
  });
  for (const event of created.slice(3, 6)) await control('DELETE', `/calendars/${encode(calendarId)}/events/${event.id}`);
  log(`${CHANGES} changes; incremental sync`);
  const incremental = await measuredSync(companyId, runId, calendarId);
  await syncLeaseStore.releaseCompany(companyId, runId);
  return { count, full, incremental };
}

function minimumBatches(items: number): number {
  return Math.ceil(items / BATCH_WRITE_MAX);
}

function figuresOf(run: Awaited<ReturnType<typeof scenario>>): Figure[] {
  const { count, full, incremental } = run;
  const at = `(${count})`;
  const fullCalendar = full.result.calendars[0];
  const batch = (m: Measured) => m.dynamo.requests.BatchWrite ?? 0;
  const others = (m: Measured) => m.dynamo.total - batch(m);
  return [
    { label: `full ${at}: wall time`, value: full.ms / 1000, unit: 's' },
    { label: `full ${at}: events per second`, value: count / (full.ms / 1000), unit: 'events/s' },
    { label: `full ${at}: pages (maxResults ${full.google.maxResults.join(',')})`, value: fullCalendar?.pages ?? 0, unit: '' },
    { label: `full ${at}: Google events.list requests`, value: full.google.list, unit: 'req' },
    { label: `full ${at}: Google requests, minimum (pages of ${GOOGLE_MAX_PAGE})`, value: Math.ceil(count / GOOGLE_MAX_PAGE), unit: 'req' },
    { label: `full ${at}: Google other requests (token ...)`, value: full.google.other, unit: 'req' },
    { label: `full ${at}: DynamoDB BatchWriteItem requests`, value: batch(full), unit: 'req' },
    { label: `full ${at}: DynamoDB BatchWriteItem items`, value: full.dynamo.batchItems, unit: 'items' },
    { label: `full ${at}: batches, minimum for those items`, value: minimumBatches(full.dynamo.batchItems), unit: 'req' },
    { label: `full ${at}: batches, minimum at 1 item per event`, value: minimumBatches(count), unit: 'req' },
    { label: `full ${at}: DynamoDB other writes (state, log, lease)`, value: others(full), unit: 'req' },
    { label: `incremental ${at}: wall time`, value: incremental.ms / 1000, unit: 's' },
    { label: `incremental ${at}: Google requests (all)`, value: incremental.google.total, unit: 'req' },
    { label: `incremental ${at}: Google events.list requests`, value: incremental.google.list, unit: 'req' },
    { label: `incremental ${at}: DynamoDB BatchWriteItem requests`, value: batch(incremental), unit: 'req' },
    { label: `incremental ${at}: DynamoDB BatchWriteItem items`, value: incremental.dynamo.batchItems, unit: 'items' },
    { label: `incremental ${at}: DynamoDB other writes`, value: others(incremental), unit: 'req' },
  ];
}

function describeWrites(m: Measured): string {
  return Object.entries(m.dynamo.requests).map(([name, n]) => `${name} ${n}`).join(', ');
}

export const googleSync: Benchmark = {
  name: 'google-sync',
  description: `full sync of one sandbox calendar of BENCH_EVENTS events (default 10,000) into DynamoDB Local, then an incremental sync of ${CHANGES} changes; also at BENCH_EVENTS_SMALL (default 1,000)`,
  needsStack: true,
  async run({ log }) {
    const large = envNumber('BENCH_EVENTS', 10_000);
    const small = Math.min(envNumber('BENCH_EVENTS_SMALL', 1_000), large);
    installWriteCounter();
    const runs = [];
    for (const count of small === large ? [large] : [small, large]) {
      const run = await scenario(count, log);
      log(`${count}: full ${run.full.result.outcome}, writes ${describeWrites(run.full)}; incremental writes ${describeWrites(run.incremental)}`);
      runs.push(run);
    }
    dynamo().middlewareStack.remove('benchWriteCounter');
    counterInstalled = false;
    const first = runs[0];
    const last = runs[runs.length - 1];
    const expectedChanges = { inserted: 4, updated: 3, deleted: 3 };
    return {
      figures: [
        ...runs.flatMap(figuresOf),
        { label: `ratio incremental time ${last.count} / ${first.count}`, value: last.incremental.ms / first.incremental.ms, unit: 'x' },
        { label: `ratio incremental Google requests ${last.count} / ${first.count}`, value: last.incremental.google.total / first.incremental.google.total, unit: 'x' },
        { label: `ratio incremental DynamoDB writes ${last.count} / ${first.count}`, value: last.incremental.dynamo.total / first.incremental.dynamo.total, unit: 'x' },
      ],
      checks: runs.flatMap(({ count, full, incremental }) => [
        { label: `full (${count}): complete, ${count} inserted`, ok: full.result.outcome === 'synced' && full.result.calendars[0]?.mode === 'full' && full.result.calendars[0]?.inserted === count },
        {
          label: `incremental (${count}): 4 inserted, 3 updated, 3 deleted`,
          ok: incremental.result.calendars[0]?.mode === 'incremental' && Object.entries(expectedChanges).every(([key, value]) => (incremental.result.calendars[0] as any)?.[key] === value),
        },
      ]),
    };
  },
};
