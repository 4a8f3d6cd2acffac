// How far behind the sync is: the age of the oldest last complete sync among enabled calendars (calendars never
// synced yet are counted apart). The dispatcher reports it each run; the SyncLag alarm watches it.
import type { CompanyCalendarRepo } from '../companies/ports';
import type { SyncStateRepo } from './ports';

export type SyncLagDeps = {
  calendars: Pick<CompanyCalendarRepo, 'pageAllEnabled'>;
  syncStates: Pick<SyncStateRepo, 'list'>;
  now: () => number;
};

/** One query per company with enabled calendars (its sync states), on top of the dispatcher's own paging. */
export async function measureSyncLag(deps: SyncLagDeps): Promise<{ oldestAgeSeconds: number; calendars: number; neverSynced: number }> {
  const byCompany = new Map<string, string[]>();
  for await (const page of deps.calendars.pageAllEnabled()) {
    for (const { companyId, calendarId } of page) byCompany.set(companyId, [...(byCompany.get(companyId) ?? []), calendarId]);
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
