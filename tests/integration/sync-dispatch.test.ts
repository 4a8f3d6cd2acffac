// The dispatcher and the slots against DynamoDB Local and the SQS emulator (fauxqs): messages are read back
// from a queue of this test's own, so the local stack's worker does not consume them.
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { enableCalendar as enableCompanyCalendar } from '../../lib/companies/calendars';
import { companyDeps } from '../../lib/wiring/parts/companies';
import { createQueueChannel, sqs } from '../../lib/queue/sqs-queue';
import { calendarEnablementStore } from '../../lib/store/calendar-enablement-store';
import { syncLeaseStore } from '../../lib/store/sync-lease-store';
import { syncDeps } from '../../lib/wiring/parts/sync';
import { dispatchSyncs } from '../../lib/sync/dispatch-syncs';
import { syncCompany } from '../../lib/sync/sync-company';
import { connectGoogle, createCompany, enableCalendar, seedAccount } from '../support/google';
import { signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';

// Real parts end to end (Google sandbox, DynamoDB Local, the offline API): slow when the machine is busy.
jest.setTimeout(90_000);

let queueUrl: string;

beforeAll(async () => {
  assertLocalEndpoints();
  queueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: `sync-test-${ulid().toLowerCase()}` }))).QueueUrl!;
});

afterAll(async () => {
  await sqs().send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

async function drain(): Promise<Array<{ companyId: string; trigger: string }>> {
  const bodies: Array<{ companyId: string; trigger: string }> = [];
  for (;;) {
    const { Messages } = await sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 300 }));
    if (!Messages?.length) return bodies;
    bodies.push(...Messages.map((message) => JSON.parse(message.Body!)));
  }
}

it('enqueues one message per company that has enabled calendars (more than one batch of 10)', async () => {
  const user = await signUpUser();
  const keys = Array.from({ length: 13 }, (_, index) => `c${index}`);
  const account = await seedAccount('dispatch', keys.map((key, index) => ({ key, primary: index === 0 })));
  const { connectionId } = await connectGoogle(user.token, account.email);
  const twoCalendars = await createCompany(user.token, 'Two calendars');
  const noCalendar = await createCompany(user.token, 'No calendar');
  await enableCalendar(user.token, twoCalendars, account.ids.c0, connectionId);
  await enableCalendar(user.token, twoCalendars, account.ids.c1, connectionId);
  const oneCalendarEach: string[] = [];
  for (const key of keys.slice(2)) {
    const companyId = await createCompany(user.token, `One ${key}`);
    await enableCalendar(user.token, companyId, account.ids[key], connectionId);
    oneCalendarEach.push(companyId);
  }

  const summary = await dispatchSyncs({ calendars: calendarEnablementStore, queue: createQueueChannel(queueUrl) });
  const messages = await drain();

  const companies = messages.map((message) => message.companyId);
  for (const companyId of [twoCalendars, ...oneCalendarEach]) expect(companies.filter((id) => id === companyId)).toHaveLength(1);
  expect(companies).not.toContain(noCalendar);
  // Every company once, whatever other tests have enabled meanwhile.
  expect(new Set(companies).size).toBe(companies.length);
  expect(summary.companies).toBe(companies.length);
  expect(messages.every((message) => message.trigger === 'schedule')).toBe(true);
});

it('queues a company again for later when every sync slot is taken', async () => {
  const user = await signUpUser();
  const account = await seedAccount('slots', [{ key: 'main', primary: true }]);
  const { connectionId } = await connectGoogle(user.token, account.email);
  const companyId = await createCompany(user.token, 'Waiting');
  await enableCalendar(user.token, companyId, account.ids.main, connectionId);
  const blocker = `blocker-${ulid()}`;
  // One slot (MAX_PARALLEL_COMPANY_SYNC=1): hold it, waiting if the local stack's worker has it right now.
  let slot: number | undefined;
  for (let attempt = 0; slot === undefined && attempt < 50; attempt++) {
    slot = await syncLeaseStore.acquireSlot(blocker, 1, Date.now() + 60_000, Date.now());
    if (slot === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const deps = { ...syncDeps(), queue: createQueueChannel(queueUrl), settings: { maxParallel: 1, pageSize: 250, leaseMarginMs: 60_000, deferSeconds: 0, maxDeferrals: 20 } };

  let result;
  try {
    result = await syncCompany(deps, companyId, { deadline: Date.now() + 60_000, trigger: 'manual' });
  } finally {
    await syncLeaseStore.releaseSlot(slot!, blocker);
  }
  const afterwards = await syncCompany({ ...deps, settings: { ...deps.settings, maxParallel: 64 } }, companyId, { deadline: Date.now() + 60_000, trigger: 'manual' });

  expect(slot).toBe(0);
  expect(result).toEqual({ outcome: 'deferred', retry: false, calendars: [] });
  expect(await drain()).toEqual([{ kind: 'sync', companyId, trigger: 'manual', deferrals: 1 }]);
  expect(afterwards.outcome).toBe('synced');
});

it('queues a sync as soon as a calendar is enabled when SYNC_AFTER_CREATE is on, and not otherwise', async () => {
  const user = await signUpUser();
  const account = await seedAccount('after-create', [{ key: 'on', primary: true }, { key: 'off' }]);
  const { connectionId } = await connectGoogle(user.token, account.email);
  const companyId = await createCompany(user.token, 'Eager');
  const base = { ...companyDeps(), queue: createQueueChannel(queueUrl) };

  await enableCompanyCalendar({ ...base, syncAfterCreate: true }, user.id, companyId, account.ids.on, { connectionId });
  const eager = await drain();
  await enableCompanyCalendar({ ...base, syncAfterCreate: false }, user.id, companyId, account.ids.off, { connectionId });
  const lazy = await drain();

  expect(eager).toEqual([{ kind: 'sync', companyId, trigger: 'enabled' }]);
  expect(lazy).toEqual([]);
});
