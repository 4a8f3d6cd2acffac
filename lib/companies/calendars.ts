// A company's Google calendars: enable one (through the caller's own connection, one that can read its events),
// disable it (its copies of events go), list them with their sync state; ask for a sync and read the sync log.
// Enabling, disabling and syncing are for owners and admins; every member reads.
import { callGoogle } from '../connections/credentials';
import type { ConnectionRepo, GoogleCalendarApi, TokenCipher } from '../connections/ports';
import { NotFound } from '../domain/errors';
import type { QueueChannel } from '../sync/queue';
import type { CalendarSyncState, SyncedEventRepo, SyncLogRepo, SyncStateRepo } from '../sync/ports';
import type { CalendarChannels } from '../push/ports';
import { CalendarNotReadable } from './errors';
import type { CompanyCalendar, CompanyCalendarRepo } from './ports';
import { requireManager, requireMember, type CompanyDeps } from './use-cases';

/** Google's accessRole values whose holder sees events, not only busy times. */
const EVENT_READING_ROLES = new Set(['reader', 'writer', 'owner']);

export type CompanyCalendarDeps = CompanyDeps & {
  calendars: CompanyCalendarRepo;
  connections: Pick<ConnectionRepo, 'get' | 'markNeedsReconsent' | 'ownerContact' | 'listForUser'>;
  cipher: TokenCipher;
  google: Pick<GoogleCalendarApi, 'getCalendar'>;
  events: Pick<SyncedEventRepo, 'purgeCalendar'>;
  states: SyncStateRepo;
  log: SyncLogRepo;
  queue: QueueChannel;
  /** Counts a sync request against the company's limit; throws RateLimited when it is used up (lib/limits). */
  limitSyncRequest: (companyId: string) => Promise<void>;
  /** Push channels: opened on enable, stopped on disable (never failing either), shown with the sync state. */
  push: CalendarChannels;
  /** SYNC_AFTER_CREATE: queue a sync as soon as a calendar is enabled, instead of waiting for the next tick. */
  syncAfterCreate: boolean;
};

function syncView(state: CalendarSyncState | undefined) {
  if (!state) return { status: 'never_synced' as const };
  return {
    status: state.status,
    ...(state.lastSyncAt ? { lastSyncAt: state.lastSyncAt } : {}),
    ...(state.lastMode ? { lastMode: state.lastMode } : {}),
    ...(state.lastError ? { lastError: state.lastError } : {}),
    /** An unfinished listing the next run continues. */
    resumable: Boolean(state.pageToken),
  };
}

function calendarView(calendar: CompanyCalendar, state: CalendarSyncState | undefined) {
  const { companyId, calendarId, connectionId, summary, timeZone, accessRole, enabledAt, enabledBy } = calendar;
  return { companyId, calendarId, connectionId, summary, timeZone, accessRole, enabledAt, enabledBy, sync: syncView(state) };
}

export async function enableCalendar(deps: CompanyCalendarDeps, userId: string, companyId: string, calendarId: string, input: { connectionId: string }) {
  await requireManager(deps, companyId, userId);
  const connection = await deps.connections.get(input.connectionId);
  // Only one's own connections: someone else's is answered as not found (the store checks it again on write).
  if (!connection || connection.userId !== userId) throw new NotFound('Connection');
  const remote = await callGoogle(deps, connection, (credentials) => deps.google.getCalendar(credentials, calendarId));
  // A free/busy-only view would let anyone claim (and so block for every other company) a calendar they cannot read.
  if (!EVENT_READING_ROLES.has(remote.accessRole)) throw new CalendarNotReadable(calendarId, remote.accessRole);
  const calendar: CompanyCalendar = {
    companyId,
    calendarId: remote.id || calendarId,
    connectionId: connection.id,
    summary: remote.summary,
    timeZone: remote.timeZone,
    accessRole: remote.accessRole,
    enabledAt: deps.clock.now().toISOString(),
    enabledBy: userId,
  };
  const result = await deps.calendars.enable(calendar);
  if (result === 'enabled') await deps.push.openFor(calendar);
  if (result === 'enabled' && deps.syncAfterCreate) await deps.queue.send([{ kind: 'sync', companyId, trigger: 'enabled' }]);
  const stored = (await deps.calendars.get(companyId, calendar.calendarId)) ?? calendar;
  return calendarView(stored, await deps.states.get(companyId, calendar.calendarId));
}

export type RemoveCalendarDeps = {
  calendars: Pick<CompanyCalendarRepo, 'disable'>;
  events: Pick<SyncedEventRepo, 'purgeCalendar'>;
  states: Pick<SyncStateRepo, 'delete'>;
  push: Pick<CalendarChannels, 'stopFor'>;
};

/**
 * Frees the calendar, stops its push channels at Google and forgets them (never failing on push), and removes
 * the company's copies of its events and its sync state. Disabling a calendar and deleting the connection that
 * feeds it both come through here, while the connection's credentials are still there to stop the channels.
 */
export async function removeCompanyCalendar(deps: RemoveCalendarDeps, calendar: CompanyCalendar): Promise<number> {
  await deps.calendars.disable(calendar);
  await deps.push.stopFor(calendar.companyId, calendar.calendarId);
  const removed = await deps.events.purgeCalendar(calendar.companyId, calendar.calendarId);
  await deps.states.delete(calendar.companyId, calendar.calendarId);
  return removed;
}

export async function disableCalendar(deps: CompanyCalendarDeps, userId: string, companyId: string, calendarId: string): Promise<void> {
  await requireManager(deps, companyId, userId);
  const calendar = await deps.calendars.get(companyId, calendarId);
  if (!calendar) throw new NotFound('Company calendar');
  await removeCompanyCalendar(deps, calendar);
}

/**
 * Disables, through removeCompanyCalendar (as DELETE of the calendar does), every calendar of the company that
 * one of the user's connections feeds: what came into the company through a member leaves with them.
 */
export async function disableCalendarsOfUser(deps: CompanyCalendarDeps, companyId: string, userId: string): Promise<string[]> {
  const disabled: string[] = [];
  for (const connection of await deps.connections.listForUser(userId)) {
    for (const ref of await deps.calendars.listForConnection(connection.id)) {
      if (ref.companyId !== companyId) continue;
      const calendar = await deps.calendars.get(companyId, ref.calendarId);
      // Enabled again through another member's connection meanwhile: it no longer comes through this user.
      if (!calendar || calendar.connectionId !== connection.id) continue;
      try {
        await removeCompanyCalendar(deps, calendar);
        disabled.push(calendar.calendarId);
      } catch (error) {
        // Disabled by someone else at the same moment, who also stops its channels and purges its copies.
        if (!(error instanceof NotFound)) throw error;
      }
    }
  }
  return disabled;
}

export async function listCompanyCalendars(deps: CompanyCalendarDeps, userId: string, companyId: string) {
  await requireMember(deps, companyId, userId);
  const [calendars, states] = await Promise.all([deps.calendars.list(companyId), deps.states.list(companyId)]);
  const stateOf = new Map(states.map((state) => [state.calendarId, state]));
  return { items: calendars.map((calendar) => calendarView(calendar, stateOf.get(calendar.calendarId))) };
}

export async function requestSync(deps: CompanyCalendarDeps, userId: string, companyId: string) {
  await requireManager(deps, companyId, userId);
  // After the role check, so that no outsider or plain member can use up a company's sync requests.
  await deps.limitSyncRequest(companyId);
  await deps.queue.send([{ kind: 'sync', companyId, trigger: 'manual' }]);
  return { companyId, queued: true as const };
}

export async function getSyncStatus(deps: CompanyCalendarDeps, userId: string, companyId: string, query: { limit: number; cursor?: string }) {
  await requireMember(deps, companyId, userId);
  const [calendars, states, log, channels] = await Promise.all([
    deps.calendars.list(companyId),
    deps.states.list(companyId),
    deps.log.list(companyId, query),
    deps.push.listFor(companyId),
  ]);
  const stateOf = new Map(states.map((state) => [state.calendarId, state]));
  return {
    calendars: calendars.map((calendar) => ({
      calendarId: calendar.calendarId,
      summary: calendar.summary,
      ...syncView(stateOf.get(calendar.calendarId)),
      channels: channels.filter((channel) => channel.calendarId === calendar.calendarId).map(({ calendarId: _calendarId, ...channel }) => channel),
    })),
    items: log.items,
    ...(log.nextCursor ? { nextCursor: log.nextCursor } : {}),
  };
}
