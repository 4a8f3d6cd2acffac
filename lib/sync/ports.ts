// What the sync use cases need: the company's calendars and the connections that read them, Google, the
// synced copies, per-calendar sync state, the sync log, the lease and slots that bound concurrency, the queue.
import type { CompanyCalendarRepo } from '../companies/ports';
import type { ConnectionRepo, GoogleCalendarApi, RemoteEvent, TokenCipher } from '../connections/ports';
import type { Interval } from '../domain/interval';
import type { Clock } from '../kernel/clock';
import type { QueueChannel, SyncTrigger } from './queue';
import type { EventWrite } from './plan-changes';
import type { SyncedEvent } from './synced-event';

export type SyncedEventRepo = {
  /** The current copies (records) of these events of one company calendar. */
  getMany(companyId: string, calendarId: string, eventIds: string[]): Promise<Map<string, SyncedEvent>>;
  /** Every record of one company calendar (for the sweep after a full sync). */
  listRecords(companyId: string, calendarId: string): Promise<SyncedEvent[]>;
  /** Writes (puts or deletes) the records, one item per event that also places it in the company listing; idempotent. */
  write(writes: EventWrite[]): Promise<void>;
  /** Deletes every copy of one company calendar; returns how many events it removed. */
  purgeCalendar(companyId: string, calendarId: string): Promise<number>;
  /** The company's single events that may intersect the range, plus its whole set of series and long events. */
  listInRange(companyId: string, range: Interval): Promise<SyncedEvent[]>;
};

export type SyncMode = 'full' | 'incremental';
export type SyncStatus = 'never_synced' | 'syncing' | 'ok' | 'error' | 'needs_reconsent';

export type CalendarSyncState = {
  companyId: string;
  calendarId: string;
  /** Bumped at every full sync; copies not listed again in the new generation are removed at its end. */
  generation: number;
  syncToken?: string;
  /** Set while a listing is unfinished (stopped at the deadline or by an error): the next run continues here. */
  pageToken?: string;
  pageMode?: SyncMode;
  status: SyncStatus;
  lastSyncAt?: string;
  lastMode?: SyncMode;
  lastError?: string;
  updatedAt: string;
};

export type SyncStateRepo = {
  get(companyId: string, calendarId: string): Promise<CalendarSyncState | undefined>;
  list(companyId: string): Promise<CalendarSyncState[]>;
  put(state: CalendarSyncState): Promise<void>;
  delete(companyId: string, calendarId: string): Promise<void>;
};

// The sync message and its trigger belong to the queue's one message union (./queue.ts).
export type { MessageVisibility, SyncMessage, SyncTrigger } from './queue';

export type SyncLogEntry = {
  companyId: string;
  calendarId: string;
  runId: string;
  trigger: SyncTrigger;
  mode: SyncMode;
  outcome: 'complete' | 'partial' | 'failed' | 'skipped';
  inserted: number;
  updated: number;
  deleted: number;
  pages: number;
  durationMs: number;
  startedAt: string;
  finishedAt: string;
  error?: string;
  notes?: string[];
};

export type SyncLogRepo = {
  append(entry: SyncLogEntry): Promise<void>;
  /** Newest first. */
  list(companyId: string, page: { limit: number; cursor?: string }): Promise<{ items: SyncLogEntry[]; nextCursor?: string }>;
};

export type SyncLeaseRepo = {
  /** True when `owner` now holds the company's lease (free, expired, or its own) until `untilMs`. */
  acquireCompany(companyId: string, owner: string, untilMs: number, nowMs: number): Promise<boolean>;
  releaseCompany(companyId: string, owner: string): Promise<void>;
  /** One of `slots` global slots (at most that many companies sync at once), or undefined when all are held. */
  acquireSlot(owner: string, slots: number, untilMs: number, nowMs: number): Promise<number | undefined>;
  releaseSlot(slot: number, owner: string): Promise<void>;
};

/** At most one queued sync per company: the flag set when its message is queued, cleared when a worker starts it. */
export type PendingSyncRepo = {
  /** Marks the company's sync as queued until `untilMs`; false when one is queued already (and its mark has not lapsed). */
  mark(companyId: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** A worker starts the company's sync: from now on a request queues a new one. */
  clear(companyId: string): Promise<void>;
};

export type SyncSettings = {
  /** MAX_PARALLEL_COMPANY_SYNC. */
  maxParallel: number;
  /** events.list maxResults. */
  pageSize: number;
  /** How long past the deadline a lease still holds (a crashed worker's lease lapses after it). */
  leaseMarginMs: number;
  /** When every slot is taken, the company is queued again this much later. */
  deferSeconds: number;
  /** How often one message may be put off (queued again) before it is dropped; the next schedule picks the company up. */
  maxDeferrals: number;
};

/** Where a page of events was listed: the company calendar being synced and the connection that reads it. */
export type ListedFrom = { companyId: string; calendarId: string; connectionId: string };

export type SyncDeps = {
  calendars: Pick<CompanyCalendarRepo, 'list' | 'get'>;
  connections: Pick<ConnectionRepo, 'get' | 'markNeedsReconsent' | 'ownerContact'>;
  cipher: TokenCipher;
  google: Pick<GoogleCalendarApi, 'listEventsPage'>;
  events: SyncedEventRepo;
  states: SyncStateRepo;
  log: SyncLogRepo;
  lease: SyncLeaseRepo;
  /** Cleared as the worker starts a company's sync, set again when its message is to be retried (see PendingSyncRepo). */
  pending: PendingSyncRepo;
  queue: QueueChannel;
  clock: Clock;
  settings: SyncSettings;
  /**
   * Events carrying our write-back marker: our own echo is ignored, a person's change is taken over (lib/write-back).
   * `previous` holds the copies stored before the page, whose marker deleted events no longer carry; `from` is the
   * calendar being synced and the connection it is read through: only a copy written there can be acted on.
   */
  inbound?: { reconcile(items: RemoteEvent[], previous: ReadonlyMap<string, SyncedEvent>, from: ListedFrom): Promise<string[]> };
};
