// Push channels of company calendars: opened when a calendar is enabled, stopped when it is disabled, renewed
// by a scheduled job before they expire (new channel first, then the old one stopped). Push only speeds the
// sync up: any failure here is logged and the scheduled sync still runs.
import { createHash, randomBytes } from 'node:crypto';
import { newId } from '../kernel/ids';
import type { CompanyCalendar } from '../companies/ports';
import { callGoogle } from '../connections/credentials';
import { NeedsReconsent } from '../connections/errors';
import type { CalendarChannels, ChannelDeps, PushChannel, RenewalDeps } from './ports';
import { DAY_MS } from '../kernel/time-units';

// Until events.watch answers, a channel is assumed to live as long as Google's default (a week).
const PENDING_EXPIRATION_MS = 7 * DAY_MS;

export const hashChannelToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Opens an events.watch channel for the calendar through its connection and stores it; undefined when it cannot. */
export async function openChannel(deps: ChannelDeps, calendar: Pick<CompanyCalendar, 'companyId' | 'calendarId' | 'connectionId'>): Promise<PushChannel | undefined> {
  if (!deps.webhookAddress) return undefined;
  const connection = await deps.connections.get(calendar.connectionId);
  if (!connection || connection.status !== 'active') return undefined;
  const id = newId();
  const token = randomBytes(32).toString('base64url');
  // Stored before events.watch is called: Google sends its first (sync) message to the address at once, and a
  // channel the webhook does not know yet would answer it 404. Resource id and expiration follow from the answer.
  const pending: PushChannel = {
    id,
    companyId: calendar.companyId,
    calendarId: calendar.calendarId,
    connectionId: connection.id,
    resourceId: '',
    tokenHash: hashChannelToken(token),
    expirationMs: deps.clock.now().getTime() + PENDING_EXPIRATION_MS,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.channels.create(pending);
  let opened: { resourceId: string; expirationMs: number };
  try {
    opened = await callGoogle(deps, connection, (credentials) => deps.google.watch(credentials, calendar.calendarId, { id, token, address: deps.webhookAddress! }));
  } catch (error) {
    await deps.channels.delete(pending).catch(() => undefined);
    throw error;
  }
  const channel: PushChannel = { ...pending, ...opened };
  try {
    await deps.channels.confirm(id, opened);
  } catch (error) {
    // Not recorded means the renewal job could not stop it later: close it at Google now and forget it.
    await callGoogle(deps, connection, (credentials) => deps.google.stop(credentials, channel)).catch(() => undefined);
    await deps.channels.delete(pending).catch(() => undefined);
    throw error;
  }
  return channel;
}

/** Stops the channel at Google when its connection still works (404: gone already), and forgets it. */
export async function stopChannel(deps: ChannelDeps, channel: PushChannel): Promise<'stopped' | 'forgotten'> {
  let outcome: 'stopped' | 'forgotten' = 'forgotten';
  const connection = await deps.connections.get(channel.connectionId);
  if (connection && connection.status === 'active') {
    try {
      await callGoogle(deps, connection, (credentials) => deps.google.stop(credentials, channel));
      outcome = 'stopped';
    } catch (error) {
      // Unknown or already expired at Google, or Google failing: nothing more we can do; Google drops it at its
      // expiration anyway. A revoked grant (invalid_grant) just means there is nothing left to stop.
      if (error instanceof NeedsReconsent) deps.log.info('channel not stopped: the grant is revoked', { channelId: channel.id });
      else deps.log.warn('channel stop failed', { channelId: channel.id, reason: (error as Error).message });
    }
  }
  await deps.channels.delete(channel);
  return outcome;
}

/** The port the company calendar use cases call; never throws, so enabling and disabling never fail on push. */
export function calendarChannels(deps: ChannelDeps): CalendarChannels {
  return {
    async openFor(calendar) {
      try {
        await openChannel(deps, calendar);
      } catch (error) {
        deps.log.warn('could not open a push channel; the scheduled sync covers the calendar', { calendarId: calendar.calendarId, reason: (error as Error).message });
      }
    },
    async stopFor(companyId, calendarId) {
      try {
        const channels = (await deps.channels.listForCompany(companyId)).filter((channel) => channel.calendarId === calendarId);
        for (const channel of channels) await stopChannel(deps, channel);
      } catch (error) {
        deps.log.warn('could not stop push channels; the renewal job will', { calendarId, reason: (error as Error).message });
      }
    },
    async listFor(companyId) {
      return (await deps.channels.listForCompany(companyId)).map((channel) => ({
        calendarId: channel.calendarId,
        channelId: channel.id,
        expiration: new Date(channel.expirationMs).toISOString(),
        ...(channel.lastNotificationAt ? { lastNotificationAt: channel.lastNotificationAt } : {}),
        ...(channel.lastMessageNumber !== undefined ? { lastMessageNumber: channel.lastMessageNumber } : {}),
      }));
    },
  };
}

export type RenewalSummary = { renewed: number; opened: number; stopped: number; kept: number; failed: number };

/**
 * The scheduled job: stops channels of disabled calendars and of connections that no longer work, renews
 * every channel expiring within `renewWithinMs` (new channel first, then channels.stop on the old one), and
 * opens a channel for each enabled calendar that has none (an earlier open failed, or the connection was
 * consented again).
 */
export async function renewChannels(deps: RenewalDeps): Promise<RenewalSummary> {
  const summary: RenewalSummary = { renewed: 0, opened: 0, stopped: 0, kept: 0, failed: 0 };
  const now = deps.clock.now().getTime();
  const covered = new Set<string>();
  const key = (companyId: string, calendarId: string) => `${companyId}\u0000${calendarId}`;
  const channels = await deps.channels.listAll();
  // Latest expiry first per calendar, so a calendar with a fresh channel does not renew its older duplicate.
  channels.sort((a, b) => b.expirationMs - a.expirationMs);
  for (const channel of channels) {
    try {
      const calendar = await deps.calendars.get(channel.companyId, channel.calendarId);
      const connection = calendar ? await deps.connections.get(calendar.connectionId) : undefined;
      const usable = calendar && connection?.status === 'active';
      if (!usable || covered.has(key(channel.companyId, channel.calendarId))) {
        // Disabled calendar, revoked or deleted connection, or a second channel of a calendar: stop and forget it.
        await stopChannel(deps, channel);
        summary.stopped += 1;
        continue;
      }
      covered.add(key(channel.companyId, channel.calendarId));
      if (channel.expirationMs - now > deps.renewWithinMs && channel.connectionId === calendar.connectionId) {
        summary.kept += 1;
        continue;
      }
      const replacement = await openChannel(deps, calendar);
      if (!replacement) {
        summary.failed += 1;
        continue;
      }
      await stopChannel(deps, channel);
      summary.renewed += 1;
    } catch (error) {
      if (error instanceof NeedsReconsent) {
        // The grant was revoked (the connection is now marked so): nothing can be stopped at Google; forget it.
        await deps.channels.delete(channel).catch(() => undefined);
        summary.stopped += 1;
        continue;
      }
      summary.failed += 1;
      deps.log.warn('channel renewal failed; the next run tries again', { channelId: channel.id, reason: (error as Error).message });
    }
  }
  for await (const page of deps.calendars.pageAllEnabled()) {
    for (const ref of page) {
      if (covered.has(key(ref.companyId, ref.calendarId))) continue;
      try {
        const calendar = await deps.calendars.get(ref.companyId, ref.calendarId);
        if (calendar && (await openChannel(deps, calendar))) summary.opened += 1;
      } catch (error) {
        summary.failed += 1;
        deps.log.warn('could not open a missing push channel', { calendarId: ref.calendarId, reason: (error as Error).message });
      }
    }
  }
  return summary;
}
