// How far behind the sync is: the age of the oldest last complete sync among enabled calendars (calendars never
// synced yet are counted apart). The dispatcher reports it each run; the SyncLag alarm watches it.
import type { EnabledCalendar } from './dispatch-syncs';
import type { SyncStateRepo } from './ports';

export type SyncLagDeps = {
  syncStates: Pick<SyncStateRepo, 'list'>;
  now: () => number;
};

/** Over the enabled calendars the dispatcher read: one query per company (its sync states). */
export async function measureSyncLag(deps: SyncLagDeps, enabled: EnabledCalendar[]): Promise<{ oldestAgeSeconds: number; calendars: number; neverSynced: number }> {
  const byCompany = new Map<string, string[]>();
  for (const { companyId, calendarId } of enabled) {
    const calendarIds = byCompany.get(companyId);
    if (calendarIds) calendarIds.push(calendarId);
    else byCompany.set(companyId, [calendarId]);
  }
  let oldest = 0;
  let calendars = 0;
  let neverSynced = 0;
  for (const [companyId, calendarIds] of byCompany) {
    const states = new Map((await deps.syncStates.list(companyId)).map((state) => [state.calendarId, state]));
    for (const calendarId of calendarIds) {
      calendars++;
      const last = states.get(calendarId)?.lastSyncAt;
      if (!last) {
        neverSynced++;
        continue;
      }
      oldest = Math.max(oldest, (deps.now() - Date.parse(last)) / 1000);
    }
  }
  return { oldestAgeSeconds: Math.round(oldest), calendars, neverSynced };
}
