// Push notifications end to end: enabling a calendar opens an events.watch channel at the sandbox, Google's
// notifications reach POST /webhooks/google of the local API, and the worker syncs the change without the
// schedule (which is off in the suite). The use case is also driven directly to see what it enqueues.
import { disableCalendar } from '../../lib/companies/calendars';
import { channelStore } from '../../lib/store/channel-store';
import { hashChannelToken } from '../../lib/push/channels';
import { receiveNotification } from '../../lib/push/receive-notification';
import type { SyncMessage } from '../../lib/sync/ports';
import { systemClock } from '../../lib/kernel/clock';
import { berlin, connectGoogle, control, createEvents, seedAccount, warmUpWebhook } from '../support/google';
import { api } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';
import { companyDepsWithPush, deliveries, sandboxChannels, type SandboxChannel, venue } from '../support/push';
import { eventually } from '../support/eventually';

beforeAll(assertLocalEndpoints);
beforeAll(warmUpWebhook);
jest.setTimeout(120_000);

const notify = (headers: Record<string, string>) => api('POST', '/webhooks/google', { headers });

describe('push channels and the webhook', () => {
  let hall: Awaited<ReturnType<typeof venue>>;
  let channel: SandboxChannel;

  beforeAll(async () => {
    hall = await venue('push');
    [channel] = await sandboxChannels(hall.calendarId);
  });

  it('opens one events.watch channel when a calendar is enabled, addressed to the webhook, its token stored only hashed', async () => {
    const stored = await channelStore.listForCompany(hall.companyId);

    expect(await sandboxChannels(hall.calendarId)).toHaveLength(1);
    expect(channel).toMatchObject({ address: `${process.env.API_BASE_URL}/webhooks/google`, stopped: false, token: expect.any(String) });
    expect(stored).toEqual([expect.objectContaining({ id: channel.id, calendarId: hall.calendarId, connectionId: hall.connectionId, expirationMs: channel.expiration })]);
    expect(stored[0].tokenHash).toBe(hashChannelToken(channel.token!));
    expect(JSON.stringify(stored)).not.toContain(channel.token!);
  });

  it('answers the initial sync message with 200 and queues nothing for it', async () => {
    await control('POST', '/push-log/flush');
    const [first] = await deliveries(channel.id);

    expect(first).toMatchObject({ resourceState: 'sync', messageNumber: 1, ok: true, status: 200 });
    expect((await channelStore.get(channel.id))?.lastMessageNumber).toBeUndefined();
  });

  it('syncs a change made in Google within one worker run after its notification, without the schedule', async () => {
    const [created] = await createEvents(hall.calendarId, [{ summary: 'Pushed rehearsal', start: berlin('2033-05-02T10:00'), end: berlin('2033-05-02T12:00') }]);
    await control('POST', '/push-log/flush');

    const delivered = (await deliveries(channel.id)).filter((entry) => entry.resourceState === 'exists');
    expect(delivered).toEqual([expect.objectContaining({ ok: true, status: 200 })]);
    const events = await eventually(
      async () => (await api('GET', `/companies/${hall.companyId}/events?from=2033-05-01T00:00:00Z&to=2033-05-08T00:00:00Z`, { token: hall.user.token })).body.items ?? [],
      (items: any[]) => items.length > 0,
      'the pushed event in the company table',
    );
    expect(events).toEqual([expect.objectContaining({ eventId: created.id, title: 'Pushed rehearsal', start: '2033-05-02T10:00:00+02:00' })]);
    const sync = await api('GET', `/companies/${hall.companyId}/sync`, { token: hall.user.token });
    expect(sync.body.items.map((entry: any) => entry.trigger)).toEqual(['push']);
  });

  it('shows the channel with its expiration and last notification next to the sync state', async () => {
    const sync = await api('GET', `/companies/${hall.companyId}/sync`, { token: hall.user.token });

    expect(sync.status).toBe(200);
    expect(sync.body.calendars).toEqual([
      expect.objectContaining({
        calendarId: hall.calendarId,
        status: 'ok',
        channels: [{ channelId: channel.id, expiration: new Date(channel.expiration).toISOString(), lastNotificationAt: expect.any(String), lastMessageNumber: 2 }],
      }),
    ]);
  });

  it('refuses a forged token (401), an unknown channel (404) and a request without Google headers (400)', async () => {
    const base = { 'X-Goog-Channel-ID': channel.id, 'X-Goog-Resource-State': 'exists', 'X-Goog-Message-Number': '99' };

    const forged = await notify({ ...base, 'X-Goog-Channel-Token': 'guessed' });
    const tokenless = await notify(base);
    const unknown = await notify({ ...base, 'X-Goog-Channel-ID': 'no-such-channel', 'X-Goog-Channel-Token': channel.token! });
    const bare = await notify({});

    expect([forged.status, tokenless.status, unknown.status, bare.status]).toEqual([401, 401, 404, 400]);
    expect(bare.body.error.details.map((detail: { field: string }) => detail.field)).toEqual(['X-Goog-Channel-ID', 'X-Goog-Resource-State', 'X-Goog-Message-Number']);
    // Neither forged request got as far as the message number.
    expect((await channelStore.get(channel.id))?.lastMessageNumber).toBe(2);
  });

  it('stops the channel at Google and forgets it when the calendar is disabled', async () => {
    const other = await venue('push-off');
    const [open] = await sandboxChannels(other.calendarId);

    await disableCalendar(companyDepsWithPush(), other.user.id, other.companyId, other.calendarId);

    expect(await sandboxChannels(other.calendarId)).toEqual([expect.objectContaining({ id: open.id, stopped: true })]);
    expect(await channelStore.listForCompany(other.companyId)).toEqual([]);
    expect(await channelStore.get(open.id)).toBeUndefined();
  });

  it('stops the channels at Google, forgets them and clears the destination calendar when the connection is deleted', async () => {
    const gone = await venue('push-gone', { access: 'write' });
    const [open] = await sandboxChannels(gone.calendarId);
    const chosen = await api('PATCH', '/users/me', { token: gone.user.token, body: { destinationCalendar: { connectionId: gone.connectionId, calendarId: gone.calendarId } } });
    expect(chosen.status).toBe(200);

    const deleted = await api('DELETE', `/google/connections/${gone.connectionId}`, { token: gone.user.token });

    expect(deleted.status).toBe(204);
    expect(await sandboxChannels(gone.calendarId)).toEqual([expect.objectContaining({ id: open.id, stopped: true })]);
    expect((await sandboxChannels(gone.calendarId)).filter((channel) => !channel.stopped)).toEqual([]);
    expect(await channelStore.listForCompany(gone.companyId)).toEqual([]);
    expect(await channelStore.get(open.id)).toBeUndefined();
    expect((await api('GET', `/companies/${gone.companyId}/calendars`, { token: gone.user.token })).body.items).toEqual([]);
    const profile = await api('GET', '/users/me', { token: gone.user.token });
    expect(profile.status).toBe(200);
    expect(profile.body.destinationCalendar).toBeUndefined();
  });

  it('keeps a destination calendar on another connection when a connection is deleted', async () => {
    const gone = await venue('push-keep');
    const second = await seedAccount('push-keep-other', [{ key: 'main', primary: true }]);
    const { connectionId: kept } = await connectGoogle(gone.user.token, second.email, { access: 'write' });
    const destination = { connectionId: kept, calendarId: second.ids.main };
    expect((await api('PATCH', '/users/me', { token: gone.user.token, body: { destinationCalendar: destination } })).status).toBe(200);

    const deleted = await api('DELETE', `/google/connections/${gone.connectionId}`, { token: gone.user.token });

    expect(deleted.status).toBe(204);
    expect((await sandboxChannels(gone.calendarId)).filter((channel) => !channel.stopped)).toEqual([]);
    expect((await api('GET', '/users/me', { token: gone.user.token })).body.destinationCalendar).toEqual(destination);
    expect((await api('GET', '/google/connections', { token: gone.user.token })).body.items.map((item: { id: string }) => item.id)).toEqual([kept]);
  });

  it('deletes a connection whose grant Google revoked: nothing to stop, the channel records go all the same', async () => {
    const revoked = await venue('push-revoked');
    await control('POST', `/accounts/${encodeURIComponent(revoked.account.email)}/revoke`);

    const deleted = await api('DELETE', `/google/connections/${revoked.connectionId}`, { token: revoked.user.token });

    expect(deleted.status).toBe(204);
    expect(await channelStore.listForCompany(revoked.companyId)).toEqual([]);
    expect(await channelStore.get(revoked.channel.id)).toBeUndefined();
    // Google would not take a stop for a revoked grant; the channel lapses at its expiration, and the webhook,
    // knowing no such channel any more, answers its notifications 404 and queues nothing.
    expect(await sandboxChannels(revoked.calendarId)).toEqual([expect.objectContaining({ id: revoked.channel.id, stopped: false })]);
    expect((await api('GET', '/google/connections', { token: revoked.user.token })).body.items).toEqual([]);
  });
});

describe('receiveNotification', () => {
  let hall: Awaited<ReturnType<typeof venue>>;
  let channel: SandboxChannel;
  let sent: SyncMessage[];
  const deps = () => ({ channels: channelStore, clock: systemClock, queue: { send: async (messages: SyncMessage[]) => void sent.push(...messages) } });
  const headers = (number: number, overrides: Record<string, string> = {}) => ({
    'x-goog-channel-id': channel.id,
    'x-goog-channel-token': channel.token!,
    'x-goog-resource-state': 'exists',
    'x-goog-message-number': String(number),
    ...overrides,
  });

  beforeAll(async () => {
    hall = await venue('push-direct');
    [channel] = await sandboxChannels(hall.calendarId);
    await control('POST', '/push-log/flush');
  });
  beforeEach(() => {
    sent = [];
  });

  it('queues the company once per message number: duplicates and older numbers are dropped', async () => {
    const outcomes = [];
    for (const number of [10, 10, 9, 11]) outcomes.push(await receiveNotification(deps(), headers(number)));

    expect(outcomes).toEqual(['queued', 'duplicate', 'duplicate', 'queued']);
    expect(sent).toEqual([{ kind: 'sync', companyId: hall.companyId, trigger: 'push' }, { kind: 'sync', companyId: hall.companyId, trigger: 'push' }]);
  });

  it('ignores sync messages and enqueues nothing for a wrong token or an unknown channel', async () => {
    await expect(receiveNotification(deps(), headers(20, { 'x-goog-resource-state': 'sync' }))).resolves.toBe('sync_message');
    await expect(receiveNotification(deps(), headers(21, { 'x-goog-channel-token': `${channel.token}x` }))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(receiveNotification(deps(), headers(22, { 'x-goog-channel-id': 'unknown' }))).rejects.toMatchObject({ code: 'not_found' });

    expect(sent).toEqual([]);
  });
});
