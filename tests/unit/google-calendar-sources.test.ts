// Synced Google time as a user's own: busy unless free, only calendars of their connections, never our own copies twice.
import { googleBusySource, googleOccurrenceSource } from '../../lib/sync/calendar-sources';
import type { SyncedEvent } from '../../lib/sync/synced-event';

const base = { companyId: 'C1', hasMaster: true, timeZone: 'Europe/Berlin', generation: 1 } as const;
const event = (eventId: string, calendarId: string, start: string, end: string, extra: Partial<SyncedEvent> = {}): SyncedEvent => ({
  ...base, eventId, calendarId, title: eventId, start, end, ...extra,
});

const deps = {
  connections: { listForUser: async (userId: string) => (userId === 'host' ? [{ id: 'conn1' }] : []) as never },
  calendars: { listForConnection: async () => [{ companyId: 'C1', calendarId: 'mine' }] },
  events: {
    listInRange: async () => [
      event('busy', 'mine', '2034-01-02T09:00:00+01:00', '2034-01-02T10:00:00+01:00'),
      event('free', 'mine', '2034-01-02T10:00:00+01:00', '2034-01-02T11:00:00+01:00', { transparent: true }),
      event('copy', 'mine', '2034-01-02T12:00:00+01:00', '2034-01-02T13:00:00+01:00', { copyOf: 'meeting:M1' }),
      event('someone else', 'theirs', '2034-01-02T14:00:00+01:00', '2034-01-02T15:00:00+01:00'),
    ],
  },
};
const day = { start: Date.parse('2034-01-02T00:00:00+01:00'), end: Date.parse('2034-01-03T00:00:00+01:00') };

it('blocks only busy events of the user own calendars, and not our own written-back copies', async () => {
  expect(await googleBusySource(deps)('host', day)).toEqual([{ start: Date.parse('2034-01-02T09:00:00+01:00'), end: Date.parse('2034-01-02T10:00:00+01:00') }]);
  expect(await googleBusySource(deps)('nobody', day)).toEqual([]);
});

it('lists free events too, marked, with source google', async () => {
  const listed = await googleOccurrenceSource(deps)('host', day);
  expect(listed.map((o) => [o.title, o.source, o.status ?? ''])).toEqual([['busy', 'google', ''], ['free', 'google', 'free']]);
});
