// The queue worker's use case with small in-memory fakes: dispatch on the message's kind, the retry-or-drop decision,
// refused bodies, and the failures reported back with their retry delay.
import type { CompanyCalendar } from '../../lib/companies/ports';
import type { Connection } from '../../lib/connections/ports';
import type { SyncDeps } from '../../lib/sync/ports';
import { MAX_RECEIVES, processQueueRecord, processQueueRecords, type ProcessMessageDeps, type QueueRecord } from '../../lib/sync/process-message';
import type { WriteBackDeps } from '../../lib/write-back/ports';
import { recordingLog } from '../support/recording-log';

const NOW = Date.parse('2030-01-07T10:00:00Z');
const notUsed = (name: string) => async (): Promise<never> => {
  throw new Error(`${name} is not used here`);
};

type Line = { level: 'info' | 'warn' | 'error'; message: string; attributes: Record<string, unknown> };

/** A company with one calendar whose listing fails as `listing` says (a Google error, or none: an empty calendar). */
function world(options: { calendars?: CompanyCalendar[]; listing?: () => Promise<never | { items: []; nextPageToken: string }>; queuedMeanwhile?: boolean } = {}) {
  const lines: Line[] = [];
  const listed: string[] = [];
  const marked: string[] = [];
  const hidden: Array<{ receiptHandle: string; seconds: number }> = [];
  const syncs: Array<{ outcome: string; durationMs: number }> = [];
  const writeBackReads: string[] = [];
  const sent: unknown[] = [];
  const connection: Connection = { id: 'conn1', userId: 'u1', email: 'a@example.com', encryptedRefreshToken: 'sealed', scopes: [], status: 'active', createdAt: '', updatedAt: '', version: 1 };
  const sync: SyncDeps = {
    calendars: {
      list: async (companyId) => {
        listed.push(companyId);
        return options.calendars ?? [];
      },
      get: async (companyId, calendarId) => options.calendars?.find((calendar) => calendar.companyId === companyId && calendar.calendarId === calendarId),
    },
    connections: { get: async () => connection, markNeedsReconsent: notUsed('markNeedsReconsent'), ownerContact: notUsed('ownerContact') },
    cipher: { encrypt: notUsed('encrypt'), decrypt: async () => 'refresh-token' },
    google: {
      listEventsPage: async () => {
        if (options.listing) return options.listing();
        return { items: [], nextSyncToken: 'sync-token' };
      },
    },
    events: { getMany: async () => new Map(), listRecords: async () => [], write: async () => undefined, purgeCalendar: notUsed('purgeCalendar'), listInRange: notUsed('listInRange') },
    states: { get: async () => undefined, list: notUsed('list'), put: async () => undefined, delete: notUsed('delete') },
    log: { append: async () => undefined, list: notUsed('log.list') },
    lease: { acquireCompany: async () => true, releaseCompany: async () => undefined, acquireSlot: async () => 0, releaseSlot: async () => undefined },
    pending: {
      mark: async (companyId) => {
        marked.push(companyId);
        return !options.queuedMeanwhile;
      },
      clear: async () => undefined,
    },
    queue: { send: async (messages, sendOptions) => void sent.push({ messages, ...(sendOptions ? { options: sendOptions } : {}) }) },
    clock: { now: () => new Date(NOW) },
    settings: { maxParallel: 4, pageSize: 250, leaseMarginMs: 60_000, deferSeconds: 15, maxDeferrals: 20 },
  };
  const writeBack: WriteBackDeps = {
    records: {
      get: async (source, sourceId) => {
        writeBackReads.push(`${source}:${sourceId}`);
        return undefined;
      },
      put: notUsed('records.put'),
      replaceIfEtag: notUsed('replaceIfEtag'),
      delete: notUsed('records.delete'),
    },
    users: { get: async () => undefined },
    meetings: { get: async () => undefined },
    bookings: { get: async () => undefined },
    connections: { get: notUsed('connections.get'), markNeedsReconsent: notUsed('markNeedsReconsent'), ownerContact: notUsed('ownerContact') },
    cipher: { encrypt: notUsed('encrypt'), decrypt: notUsed('decrypt') },
    google: { insert: notUsed('insert'), patch: notUsed('patch'), delete: notUsed('google.delete') },
    eventIdFor: (source, sourceId) => `${source}${sourceId}`,
    clock: { now: () => new Date(NOW) },
    log: recordingLog(),
  };
  const line = (level: Line['level']) => (message: string, attributes: Record<string, unknown>) => void lines.push({ level, message, attributes });
  const deps: ProcessMessageDeps = {
    sync,
    writeBack,
    visibility: { hideFor: async (receiptHandle, seconds) => void hidden.push({ receiptHandle, seconds }) },
    log: { info: line('info'), warn: line('warn'), error: line('error') },
    recordSync: (outcome, durationMs) => void syncs.push({ outcome, durationMs }),
    syncTimeoutMs: 120_000,
  };
  return { deps, lines, listed, marked, hidden, syncs, writeBackReads, sent };
}

const record = (messageId: string, body: unknown, receiveCount = 1): QueueRecord => ({
  messageId,
  receiptHandle: `receipt-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: { ApproximateReceiveCount: String(receiveCount) },
});

const hall: CompanyCalendar = { companyId: 'c1', calendarId: 'hall@example.com', connectionId: 'conn1', timeZone: 'Europe/Berlin' } as CompanyCalendar;
const googleFails = () => Promise.reject(new Error('socket hang up'));

describe('processQueueRecord', () => {
  it('syncs the company of a sync message, and of one in the old shape without kind', async () => {
    const { deps, listed, syncs, lines } = world();

    expect(await processQueueRecord(deps, record('m1', { kind: 'sync', companyId: 'c1', trigger: 'manual' }), 300_000)).toBe(true);
    expect(await processQueueRecord(deps, record('m2', { companyId: 'c2', trigger: 'push' }), 300_000)).toBe(true);

    expect(listed).toEqual(['c1', 'c2']);
    expect(syncs.map((sync) => sync.outcome)).toEqual(['nothing_to_sync', 'nothing_to_sync']);
    expect(lines.filter((line) => line.message === 'company synced').map((line) => line.attributes.companyId)).toEqual(['c1', 'c2']);
  });

  it('writes back the meeting or booking of a write-back message, and syncs nothing', async () => {
    const { deps, listed, writeBackReads, lines } = world();

    expect(await processQueueRecord(deps, record('m1', { kind: 'write_back', source: 'booking', sourceId: 'b1', userId: 'u1' }), 300_000)).toBe(true);

    expect(writeBackReads).toEqual(['booking:b1']);
    expect(listed).toEqual([]);
    expect(lines).toEqual([{ level: 'info', message: 'written back', attributes: { messageId: 'm1', source: 'booking', sourceId: 'b1', outcome: 'nothing' } }]);
  });

  it('refuses a body it cannot read, saying why, and lets it come back (then the dead-letter queue)', async () => {
    const { deps, listed, writeBackReads, lines } = world();

    expect(await processQueueRecord(deps, record('m1', { kind: 'reindex', companyId: 'c1' }), 300_000)).toBe(false);

    expect(listed).toEqual([]);
    expect(writeBackReads).toEqual([]);
    expect(lines).toEqual([{ level: 'error', message: 'queue message refused', attributes: { messageId: 'm1', reason: 'unknown kind "reindex"' } }]);
  });

  it('keeps a failed sync for another delivery while no newer one is queued', async () => {
    const { deps, marked } = world({ calendars: [hall], listing: googleFails });

    expect(await processQueueRecord(deps, record('m1', { kind: 'sync', companyId: 'c1', trigger: 'push' }), 300_000)).toBe(false);
    expect(marked).toEqual(['c1']);
  });

  it('lets a failed sync go when a request queued a newer one meanwhile', async () => {
    const { deps, lines } = world({ calendars: [hall], listing: googleFails, queuedMeanwhile: true });

    expect(await processQueueRecord(deps, record('m1', { kind: 'sync', companyId: 'c1', trigger: 'push' }), 300_000)).toBe(true);
    expect(lines.map((line) => line.message)).toContain('failed sync not retried: a newer one is queued');
  });

  it('sets no pending flag for a failed sync on its last receive (it goes to the dead-letter queue)', async () => {
    const { deps, marked } = world({ calendars: [hall], listing: googleFails });

    expect(await processQueueRecord(deps, record('m1', { kind: 'sync', companyId: 'c1', trigger: 'push' }, MAX_RECEIVES), 300_000)).toBe(false);
    expect(marked).toEqual([]);
  });

  it('queues the company again at once when its run stopped at the deadline, so that the listing goes on without waiting for the schedule', async () => {
    const { deps, sent, lines } = world({ calendars: [hall], listing: async () => ({ items: [], nextPageToken: 'page-2' }) });

    // 10 s left of the Lambda: the deadline (15 s kept back) is past after the first page.
    expect(await processQueueRecord(deps, record('m1', { kind: 'sync', companyId: 'c1', trigger: 'manual', deferrals: 2 }), 10_000)).toBe(true);

    expect(sent).toEqual([{ messages: [{ kind: 'sync', companyId: 'c1', trigger: 'manual' }] }]);
    expect(lines.map((line) => line.message)).toContain('sync stopped at its deadline: queued again to continue');
  });

  it('queues nothing after a run that finished', async () => {
    const { deps, sent } = world({ calendars: [hall] });

    expect(await processQueueRecord(deps, record('m1', { kind: 'sync', companyId: 'c1', trigger: 'manual' }), 300_000)).toBe(true);
    expect(sent).toEqual([]);
  });

  it('reports a use case that throws as failed, with the error logged', async () => {
    const { deps, lines } = world();
    deps.writeBack.records.get = async () => {
      throw new Error('DynamoDB is throttling');
    };

    expect(await processQueueRecord(deps, record('m1', { kind: 'write_back', source: 'meeting', sourceId: 'e1', userId: 'u1' }), 300_000)).toBe(false);
    expect(lines).toEqual([{ level: 'error', message: 'sync failed', attributes: { messageId: 'm1', kind: 'write_back', error: new Error('DynamoDB is throttling') } }]);
  });
});

describe('processQueueRecords', () => {
  it('answers the failed messages only, each hidden for its retry delay first', async () => {
    const { deps, hidden } = world();

    const failed = await processQueueRecords(deps, [record('good', { kind: 'sync', companyId: 'c1', trigger: 'manual' }), record('poison', 'not json', 3)], () => 300_000);

    expect(failed).toEqual(['poison']);
    expect(hidden).toEqual([{ receiptHandle: 'receipt-poison', seconds: 120 }]);
  });
});
