// The sync lag the dispatcher reports: the oldest last complete sync among enabled calendars, never-synced apart.
import type { CalendarSyncState } from '../../lib/sync/ports';
import { measureSyncLag } from '../../lib/sync/sync-lag';

const now = Date.parse('2031-03-03T12:00:00Z');
const state = (companyId: string, calendarId: string, lastSyncAt?: string): CalendarSyncState => ({
  companyId, calendarId, generation: 1, status: 'ok', updatedAt: '2031-03-03T11:00:00Z', ...(lastSyncAt ? { lastSyncAt } : {}),
});

it('reports the oldest last sync of an enabled calendar, ignores disabled ones and counts never-synced ones', async () => {
  const enabled = [{ companyId: 'a', calendarId: 'a1' }, { companyId: 'a', calendarId: 'a2' }, { companyId: 'b', calendarId: 'b1' }];
  const states: Record<string, CalendarSyncState[]> = {
    a: [state('a', 'a1', '2031-03-03T11:58:00Z'), state('a', 'a2', '2031-03-03T11:50:00Z'), state('a', 'gone', '2031-01-01T00:00:00Z')],
    b: [state('b', 'b1')],
  };
  const lag = await measureSyncLag({ syncStates: { list: async (companyId) => states[companyId] ?? [] }, now: () => now }, enabled);
  expect(lag).toEqual({ oldestAgeSeconds: 600, calendars: 3, neverSynced: 1 });
});
