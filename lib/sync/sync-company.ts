// The sync worker's use case: sync every enabled calendar of one company under its lease and a global slot.
// Per calendar: a full sync the first time (and after 410), otherwise only changes through the syncToken;
// page by page, each page written before the position is saved, so a run that reaches its deadline (or
// fails) stops cleanly and the next run resumes from the stored page token or sync token.
import { newId } from '../kernel/ids';
import type { CompanyCalendar } from '../companies/ports';
import { GoogleCalendarNotFound, GoogleUnavailable, NeedsReconsent, PageTokenExpired, SyncTokenExpired } from '../connections/errors';
import { credentialsFor, markNeedsReconsent } from '../connections/credentials';
import type { Connection, GoogleCredentials } from '../connections/ports';
import { addCounts, emptyCounts, planPage, planSweep, referencedEventIds, type ChangeCounts } from './plan-changes';
import type { CalendarSyncState, SyncDeps, SyncLogEntry, SyncMode, SyncTrigger } from './ports';

export type SyncOptions = {
  /** Epoch ms after which no new page is started (SYNC_TIMEOUT from the start of the run). */
  deadline: number;
  trigger: SyncTrigger;
  runId?: string;
  /** How often this message was already put off (the message's `deferrals`). */
  deferrals?: number;
};

export type CalendarSyncResult = Pick<SyncLogEntry, 'calendarId' | 'mode' | 'outcome' | 'inserted' | 'updated' | 'deleted' | 'pages' | 'error' | 'notes'>;

export type CompanySyncResult = {
  /**
   * synced: every calendar done; partial: stopped at the deadline; busy: another worker holds the company (queued
   * again for after it unless the trigger is the schedule); deferred: no free slot, queued again; dropped: put off
   * settings.maxDeferrals times already, not queued again (the next schedule syncs the company).
   */
  outcome: 'synced' | 'partial' | 'busy' | 'deferred' | 'dropped' | 'nothing_to_sync';
  /** True when a failure is worth another delivery of the message (Google unavailable, unexpected error). */
  retry: boolean;
  calendars: CalendarSyncResult[];
};

type ConnectionAccess = { connection: Connection; credentials: GoogleCredentials } | { problem: 'needs_reconsent' | 'missing' };

type Run = { runId: string; trigger: SyncTrigger; deadline: number; access: Map<string, ConnectionAccess> };

/** What a listing did so far, for the calendar's log entry. */
type ListingProgress = { mode: SyncMode; counts: ChangeCounts; pages: number; notes: string[] };

/**
 * How a listing ended, with its progress and the calendar's sync state as last stored: complete, stopped at the
 * deadline (partial), calendar disabled meanwhile (skipped), or failed with the error it stopped on.
 */
type ListingResult = ListingProgress & { state: CalendarSyncState } & ({ outcome: 'complete' | 'partial' | 'skipped' } | { outcome: 'failed'; error: unknown });

export async function syncCompany(deps: SyncDeps, companyId: string, options: SyncOptions): Promise<CompanySyncResult> {
  // First of all: a request from now on may report a change this run lists past, so it must queue the next sync.
  await deps.pending.clear(companyId);
  const runId = options.runId ?? newId();
  const now = deps.clock.now().getTime();
  const leaseUntil = Math.max(options.deadline, now) + deps.settings.leaseMarginMs;
  if (!(await deps.lease.acquireCompany(companyId, runId, leaseUntil, now))) {
    // A push or a request may report a change the running sync has already listed past: look again once it is
    // done. The schedule comes back on its own.
    if (options.trigger === 'schedule') return { outcome: 'busy', retry: false, calendars: [] };
    return (await putOff(deps, companyId, options)) ? { outcome: 'busy', retry: false, calendars: [] } : { outcome: 'dropped', retry: false, calendars: [] };
  }
  try {
    const slot = await deps.lease.acquireSlot(runId, deps.settings.maxParallel, leaseUntil, now);
    if (slot === undefined) {
      return { outcome: (await putOff(deps, companyId, options)) ? 'deferred' : 'dropped', retry: false, calendars: [] };
    }
    try {
      return await syncCalendars(deps, companyId, { runId, trigger: options.trigger, deadline: options.deadline, access: new Map() });
    } finally {
      await deps.lease.releaseSlot(slot, runId);
    }
  } finally {
    await deps.lease.releaseCompany(companyId, runId);
  }
}

/** Queues the company again a little later, counting the deferral; false (nothing queued) once the bound is reached. */
async function putOff(deps: SyncDeps, companyId: string, options: SyncOptions): Promise<boolean> {
  const deferrals = (options.deferrals ?? 0) + 1;
  if (deferrals > deps.settings.maxDeferrals) return false;
  await deps.queue.send([{ kind: 'sync', companyId, trigger: options.trigger, deferrals }], { delaySeconds: deps.settings.deferSeconds });
  return true;
}

async function syncCalendars(deps: SyncDeps, companyId: string, run: Run): Promise<CompanySyncResult> {
  const calendars = (await deps.calendars.list(companyId)).sort((a, b) => a.calendarId.localeCompare(b.calendarId));
  if (!calendars.length) return { outcome: 'nothing_to_sync', retry: false, calendars: [] };
  const results: CalendarSyncResult[] = [];
  let retry = false;
  let stoppedEarly = false;
  for (const calendar of calendars) {
    // Calendars not reached before the deadline are synced by the next run.
    if (deps.clock.now().getTime() >= run.deadline && results.length > 0) {
      stoppedEarly = true;
      break;
    }
    const result = await syncCalendarSafely(deps, calendar, run);
    if (!result) continue;
    results.push(result.entry);
    retry ||= result.retry;
    stoppedEarly ||= result.entry.outcome === 'partial';
  }
  return { outcome: stoppedEarly ? 'partial' : 'synced', retry, calendars: results };
}

async function accessFor(deps: SyncDeps, connectionId: string, run: Run): Promise<ConnectionAccess> {
  const cached = run.access.get(connectionId);
  if (cached) return cached;
  const connection = await deps.connections.get(connectionId);
  let access: ConnectionAccess;
  if (!connection) access = { problem: 'missing' };
  else if (connection.status === 'needs_reconsent') access = { problem: 'needs_reconsent' };
  else access = { connection, credentials: await credentialsFor(deps, connection) };
  run.access.set(connectionId, access);
  return access;
}

function initialState(calendar: CompanyCalendar, now: string): CalendarSyncState {
  return { companyId: calendar.companyId, calendarId: calendar.calendarId, generation: 0, status: 'never_synced', updatedAt: now };
}

/** Syncs one calendar and writes its log entry; undefined when it is skipped silently (syncs stopped for re-consent). */
async function syncCalendarSafely(deps: SyncDeps, calendar: CompanyCalendar, run: Run): Promise<{ entry: CalendarSyncResult; retry: boolean } | undefined> {
  const startedMs = deps.clock.now().getTime();
  const nowIso = () => deps.clock.now().toISOString();
  const state = (await deps.states.get(calendar.companyId, calendar.calendarId)) ?? initialState(calendar, nowIso());
  const mode = (state.pageToken ? state.pageMode : state.syncToken ? 'incremental' : 'full') as SyncMode;
  const finish = async (progress: ListingProgress, outcome: SyncLogEntry['outcome'], error?: string) => {
    const entry: SyncLogEntry = {
      companyId: calendar.companyId,
      calendarId: calendar.calendarId,
      runId: run.runId,
      trigger: run.trigger,
      mode: progress.mode,
      outcome,
      ...progress.counts,
      pages: progress.pages,
      durationMs: deps.clock.now().getTime() - startedMs,
      startedAt: new Date(startedMs).toISOString(),
      finishedAt: nowIso(),
      ...(error ? { error } : {}),
      ...(progress.notes.length ? { notes: progress.notes } : {}),
    };
    await deps.log.append(entry);
    const { companyId: _c, runId: _r, trigger: _t, durationMs: _d, startedAt: _s, finishedAt: _f, ...result } = entry;
    return result;
  };

  const access = await accessFor(deps, calendar.connectionId, run);
  if ('problem' in access) {
    const message =
      access.problem === 'needs_reconsent'
        ? 'needs_reconsent: the Google account no longer grants access; its owner must connect it again'
        : 'connection_missing: the Google connection of this calendar was deleted';
    // Said once in the log; later runs skip the calendar silently until the connection is fixed.
    if ((access.problem === 'needs_reconsent' && state.status === 'needs_reconsent') || state.lastError === message) return undefined;
    await deps.states.put({ ...state, status: access.problem === 'needs_reconsent' ? 'needs_reconsent' : 'error', lastError: message, updatedAt: nowIso() });
    return { entry: await finish({ mode, counts: emptyCounts(), pages: 0, notes: [] }, 'skipped', message), retry: false };
  }

  const listing = await runListing(deps, calendar, access.credentials, run, state, mode);
  try {
    // One place judges a failure, whether the listing stopped on it or writing the log entry met it.
    if (listing.outcome === 'failed') throw listing.error;
    return { entry: await finish(listing, listing.outcome), retry: false };
  } catch (error) {
    let message: string;
    let retry = false;
    let status: CalendarSyncState['status'] = 'error';
    if (error instanceof NeedsReconsent) {
      await markNeedsReconsent(deps, access.connection, 'invalid_grant');
      run.access.set(calendar.connectionId, { problem: 'needs_reconsent' });
      message = 'needs_reconsent: Google answered invalid_grant (access revoked or expired); syncs of this connection stop until its owner connects it again';
      status = 'needs_reconsent';
    } else if (error instanceof GoogleCalendarNotFound) {
      message = 'calendar_not_found: Google no longer shows this calendar to the connected account';
    } else if (error instanceof GoogleUnavailable) {
      message = `google_unavailable: Google kept failing (${error.status ?? 'network'}) after retries; the next run resumes`;
      retry = true;
    } else {
      message = `unexpected: ${(error as Error)?.message ?? 'unknown error'}`;
      retry = true;
    }
    await deps.states.put({ ...listing.state, status, lastError: message, updatedAt: nowIso() });
    return { entry: await finish(listing, 'failed', message), retry };
  }
}

/**
 * Pages through events.list from where the state says (in `mode`), writing each page; 'partial' when stopped at the
 * deadline. Never throws: an error ends the listing as 'failed', with the progress made before it.
 */
async function runListing(deps: SyncDeps, calendar: CompanyCalendar, credentials: GoogleCredentials, run: Run, initial: CalendarSyncState, mode: SyncMode): Promise<ListingResult> {
  const { companyId, calendarId } = calendar;
  const now = () => deps.clock.now();
  const progress: ListingProgress = { mode, counts: emptyCounts(), pages: 0, notes: [] };
  let state = initial;
  let generation = mode === 'full' && !initial.pageToken ? initial.generation + 1 : initial.generation;
  let syncToken = mode === 'incremental' ? initial.syncToken : undefined;
  let pageToken = initial.pageToken;
  let restarts = 0;
  if (pageToken) progress.notes.push(`resumed a ${mode} sync from the stored page token`);
  const store = async (changes: Partial<CalendarSyncState>) => {
    const next: CalendarSyncState = { ...state, ...changes, generation, updatedAt: now().toISOString() };
    await deps.states.put(next);
    state = next;
  };
  const ended = (outcome: 'complete' | 'partial' | 'skipped'): ListingResult => ({ ...progress, state, outcome });

  try {
    for (;;) {
      // Disabled meanwhile: drop what this run wrote and stop.
      if (!(await deps.calendars.get(companyId, calendarId))) {
        await deps.events.purgeCalendar(companyId, calendarId);
        await deps.states.delete(companyId, calendarId);
        progress.notes.push('calendar disabled during the sync; its events were removed');
        return ended('skipped');
      }
      let page;
      try {
        page = await deps.google.listEventsPage(credentials, calendarId, { syncToken, pageToken, maxResults: deps.settings.pageSize });
      } catch (error) {
        if (restarts >= 2 || !(error instanceof SyncTokenExpired || error instanceof PageTokenExpired)) throw error;
        restarts += 1;
        if (error instanceof SyncTokenExpired || progress.mode === 'full') {
          progress.notes.push(error instanceof SyncTokenExpired ? 'sync token expired (410): full sync' : 'stored page token expired: full sync again');
          progress.mode = 'full';
          generation += 1;
          syncToken = undefined;
        } else {
          progress.notes.push('stored page token expired: incremental listing started again');
        }
        pageToken = undefined;
        continue;
      }
      progress.pages += 1;
      const existing = await deps.events.getMany(companyId, calendarId, referencedEventIds(page.items));
      const plan = planPage(existing, page.items, { companyId, calendarId, calendarZone: page.timeZone ?? calendar.timeZone, generation });
      await deps.events.write(plan.writes);
      if (deps.inbound) progress.notes.push(...(await deps.inbound.reconcile(page.items, existing, { companyId, calendarId, connectionId: calendar.connectionId })));
      progress.counts = addCounts(progress.counts, plan.counts);
      progress.notes.push(...plan.warnings);

      if (page.nextPageToken) {
        pageToken = page.nextPageToken;
        await store({ pageToken, pageMode: progress.mode, syncToken, status: 'syncing' });
        if (now().getTime() >= run.deadline) {
          progress.notes.push('stopped at the sync deadline; the next run continues from here');
          return ended('partial');
        }
        continue;
      }
      if (progress.mode === 'full') {
        const sweep = planSweep(await deps.events.listRecords(companyId, calendarId), generation);
        await deps.events.write(sweep.writes);
        progress.counts = addCounts(progress.counts, { inserted: 0, updated: 0, deleted: sweep.deleted });
      }
      await store({
        syncToken: page.nextSyncToken,
        pageToken: undefined,
        pageMode: undefined,
        status: 'ok',
        lastSyncAt: now().toISOString(),
        lastMode: progress.mode,
        lastError: undefined,
      });
      return ended('complete');
    }
  } catch (error) {
    return { ...progress, state, outcome: 'failed', error };
  }
}
