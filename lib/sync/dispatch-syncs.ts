// The scheduled dispatcher: one queue message per company that has at least one enabled calendar.
import type { CompanyCalendarRepo } from '../companies/ports';
import type { QueueChannel } from './queue';
import type { SyncTrigger } from './ports';

export type DispatchDeps = { calendars: Pick<CompanyCalendarRepo, 'pageAllEnabled'>; queue: QueueChannel };

export type EnabledCalendar = { companyId: string; calendarId: string };

/**
 * Pages through the enabled calendars (ordered by company) and enqueues each company once, a page at a time.
 * Answers the calendars it read too, so that the dispatcher measures the sync lag without paging them again.
 */
export async function dispatchSyncs(deps: DispatchDeps, trigger: SyncTrigger = 'schedule'): Promise<{ companies: number; enabled: EnabledCalendar[] }> {
  let lastCompanyId: string | undefined;
  let companies = 0;
  const enabled: EnabledCalendar[] = [];
  for await (const page of deps.calendars.pageAllEnabled()) {
    enabled.push(...page);
    const fresh: string[] = [];
    for (const { companyId } of page) {
      // The index is sorted by company, so a company's calendars are adjacent (also across pages).
      if (companyId === lastCompanyId) continue;
      fresh.push(companyId);
      lastCompanyId = companyId;
    }
    if (fresh.length) await deps.queue.send(fresh.map((companyId) => ({ kind: 'sync' as const, companyId, trigger })));
    companies += fresh.length;
  }
  return { companies, enabled };
}
