// At most one queued sync per company, against DynamoDB Local (the pending flag) and the SQS emulator (a queue of
// this test's own, read back here, so the local stack's worker does not consume it). Each path that queues a
// company's sync is driven through the use case with the coalescing queue the wiring gives it.
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { enableCalendar as enableCompanyCalendar, requestSync } from '../../lib/companies/calendars';
import { receiveNotification } from '../../lib/push/receive-notification';
import { createQueueChannel, sqs } from '../../lib/queue/sqs-queue';
import { calendarEnablementStore } from '../../lib/store/calendar-enablement-store';
import { channelStore } from '../../lib/store/channel-store';
import { pendingSyncStore } from '../../lib/store/pending-sync-store';
import { syncLeaseStore } from '../../lib/store/sync-lease-store';
import { coalescingQueueChannel, keepForRetry } from '../../lib/sync/coalesce-syncs';
import { syncDeps as wiredSyncDeps } from '../../lib/wiring/parts/sync';
import { dispatchSyncs } from '../../lib/sync/dispatch-syncs';
import type { SyncDeps, SyncMessage } from '../../lib/sync/ports';
import { syncCompany } from '../../lib/sync/sync-company';
import { systemClock } from '../../lib/kernel/clock';
import { connectGoogle, createCompany, seedAccount } from '../support/google';
import { signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';
import { companyDepsWithPush, venue } from '../support/push';

jest.setTimeout(90_000);

let queueUrl: string;
const queue = () => coalescingQueueChannel({ pending: pendingSyncStore, queue: createQueueChannel(queueUrl), clock: systemClock });
// The per-company request limit (tests/integration/rate-limits.test.ts) would refuse part of a burst of 20 before it
// reaches the queue; here every request passes it, so that what is measured is the coalescing alone.
const companyDeps = () => ({ ...companyDepsWithPush(), queue: queue(), limitSyncRequest: async () => undefined });
const syncDeps = (overrides: Partial<SyncDeps> = {}): SyncDeps => ({
  ...wiredSyncDeps(),
  queue: queue(),
  settings: { maxParallel: 64, pageSize: 250, leaseMarginMs: 60_000, deferSeconds: 0, maxDeferrals: 3 },
  ...overrides,
});
const run = (companyId: string, deps: SyncDeps, options: { trigger?: SyncMessage['trigger']; deferrals?: number } = {}) =>
  syncCompany(deps, companyId, { deadline: Date.now() + 60_000, trigger: options.trigger ?? 'manual', deferrals: options.deferrals });

beforeAll(async () => {
  assertLocalEndpoints();
  queueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: `coalesce-test-${ulid().toLowerCase()}` }))).QueueUrl!;
});

afterAll(async () => {
  await sqs().send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

async function drain(): Promise<SyncMessage[]> {
  const bodies: SyncMessage[] = [];
  for (;;) {
    const { Messages } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }));
    if (!Messages?.length) return bodies;
    bodies.push(...Messages.map((message) => JSON.parse(message.Body!)));
  }
}

// Whatever an earlier test left behind (a failure midway) is not counted by the next one.
beforeEach(async () => {
  await drain();
});

/** A member's company with no calendar: a worker run on it starts, finds nothing to sync, and ends. */
async function emptyCompany() {
  const user = await signUpUser();
  return { user, companyId: await createCompany(user.token, 'Burst') };
}

it('queues one message for a burst of 20 sync requests of one company', async () => {
  const { user, companyId } = await emptyCompany();
  const deps = companyDeps();

  const replies = await Promise.all(Array.from({ length: 20 }, () => requestSync(deps, user.id, companyId)));

  expect(replies.every((reply) => reply.queued)).toBe(true);
  expect(await drain()).toEqual([{ kind: 'sync', companyId, trigger: 'manual' }]);
});

it('queues the next sync for a request that arrives while the worker runs, and none for one before it started', async () => {
  const { user, companyId } = await emptyCompany();
  const deps = companyDeps();
  await requestSync(deps, user.id, companyId);
  await requestSync(deps, user.id, companyId);
  const beforeStart = await drain();
  // The request lands in the middle of the run: after the worker took the message, before it finished.
  const worker = syncDeps({
    calendars: {
      ...calendarEnablementStore,
      list: async (id: string) => {
        await requestSync(deps, user.id, companyId);
        return calendarEnablementStore.list(id);
      },
    },
  });

  const result = await run(companyId, worker);

  expect(beforeStart).toEqual([{ kind: 'sync', companyId, trigger: 'manual' }]);
  expect(result.outcome).toBe('nothing_to_sync');
  expect(await drain()).toEqual([{ kind: 'sync', companyId, trigger: 'manual' }]);
});

it('queues one sync for ten push notifications of one company', async () => {
  const hall = await venue('coalesce-push');
  const deps = { channels: channelStore, clock: systemClock, queue: queue() };
  const headers = (number: number) => ({
    'x-goog-channel-id': hall.channel.id,
    'x-goog-channel-token': hall.channel.token!,
    'x-goog-resource-state': 'exists',
    'x-goog-message-number': String(number),
  });

  const outcomes = [];
  for (let number = 100; number < 110; number++) outcomes.push(await receiveNotification(deps, headers(number)));

  expect(outcomes.every((outcome) => outcome === 'queued')).toBe(true);
  expect(await drain()).toEqual([{ kind: 'sync', companyId: hall.companyId, trigger: 'push' }]);
});

it('does not queue a company again from the dispatcher or SYNC_AFTER_CREATE while its sync is queued', async () => {
  const user = await signUpUser();
  const account = await seedAccount('coalesce-enable', [{ key: 'one', primary: true }, { key: 'two' }]);
  const { connectionId } = await connectGoogle(user.token, account.email);
  const companyId = await createCompany(user.token, 'Eager');
  // Only this company's calendars: a real dispatch would mark every company of the shared table as queued.
  const dispatchDeps = {
    calendars: { pageAllEnabled: async function* () { yield [{ companyId, calendarId: account.ids.one }]; } },
    queue: queue(),
  } as unknown as Parameters<typeof dispatchSyncs>[0];

  await enableCompanyCalendar({ ...companyDeps(), syncAfterCreate: true }, user.id, companyId, account.ids.one, { connectionId });
  await dispatchSyncs(dispatchDeps);
  await enableCompanyCalendar({ ...companyDeps(), syncAfterCreate: true }, user.id, companyId, account.ids.two, { connectionId });
  const whileQueued = await drain();
  await pendingSyncStore.clear(companyId);
  await dispatchSyncs(dispatchDeps);

  expect(whileQueued).toEqual([{ kind: 'sync', companyId, trigger: 'enabled' }]);
  expect(await drain()).toEqual([{ kind: 'sync', companyId, trigger: 'schedule' }]);
});

it('puts a busy company off with a count, and drops the message once it was put off maxDeferrals times', async () => {
  const { companyId } = await emptyCompany();
  const now = Date.now();
  expect(await syncLeaseStore.acquireCompany(companyId, 'another-worker', now + 60_000, now)).toBe(true);

  let first, second, last, scheduled;
  try {
    first = await run(companyId, syncDeps(), { trigger: 'push' });
    const afterFirst = await drain();
    second = await run(companyId, syncDeps(), { trigger: 'manual', deferrals: 2 });
    const afterSecond = await drain();
    last = await run(companyId, syncDeps(), { trigger: 'push', deferrals: 3 });
    scheduled = await run(companyId, syncDeps(), { trigger: 'schedule' });
    expect(afterFirst).toEqual([{ kind: 'sync', companyId, trigger: 'push', deferrals: 1 }]);
    expect(afterSecond).toEqual([{ kind: 'sync', companyId, trigger: 'manual', deferrals: 3 }]);
  } finally {
    await syncLeaseStore.releaseCompany(companyId, 'another-worker');
  }

  expect([first.outcome, second.outcome, last.outcome, scheduled.outcome]).toEqual(['busy', 'busy', 'dropped', 'busy']);
  expect(await drain()).toEqual([]);
  // Dropped, and no flag left behind: the next request queues a sync.
  await queue().send([{ kind: 'sync', companyId, trigger: 'manual' }]);
  expect(await drain()).toEqual([{ kind: 'sync', companyId, trigger: 'manual' }]);
});

it('lets a sync that will be retried stand for the queued sync, unless a newer one was queued meanwhile', async () => {
  const { user, companyId } = await emptyCompany();
  const deps = companyDeps();

  const retried = await keepForRetry({ pending: pendingSyncStore, clock: systemClock }, companyId);
  await requestSync(deps, user.id, companyId);
  const coveredByRetry = await drain();
  await pendingSyncStore.clear(companyId);
  await requestSync(deps, user.id, companyId);
  const covered = await keepForRetry({ pending: pendingSyncStore, clock: systemClock }, companyId);

  expect(retried).toBe('retry');
  expect(coveredByRetry).toEqual([]);
  expect(covered).toBe('covered');
  expect(await drain()).toEqual([{ kind: 'sync', companyId, trigger: 'manual' }]);
});
