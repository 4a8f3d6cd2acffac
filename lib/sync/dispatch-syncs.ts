// The scheduled dispatcher: one queue message per company that has at least one enabled calendar.
import type { CompanyCalendarRepo } from '../companies/ports';
import type { SyncQueue, SyncTrigger } from './ports';

export type DispatchDeps = { calendars: Pick<CompanyCalendarRepo, 'pageAllEnabled'>; queue: SyncQueue };

/** Pages through the enabled calendars (ordered by company) and enqueues each company once, a page at a time. */
export async function dispatchSyncs(deps: DispatchDeps, trigger: SyncTrigger = 'schedule'): Promise<{ companies: number }> {
  let lastCompanyId: string | undefined;
  let companies = 0;
  for await (const page of deps.calendars.pageAllEnabled()) {
    const fresh: string[] = [];
    for (const { companyId } of page) {
      // The index is sorted by company, so a company's calendars are adjacent (also across pages).
      if (companyId === lastCompanyId) continue;
      fresh.push(companyId);
      lastCompanyId = companyId;
    }
    if (fresh.length) await deps.queue.send(fresh.map((companyId) => ({ companyId, trigger })));
    companies += fresh.length;
  }
  return { companies };
}
