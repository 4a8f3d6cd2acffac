// Companies wired: members, calendars (with their push channels and sync requests), synced events and overlaps.
import type { CompanyCalendarDeps } from '../../companies/calendars';
import type { CompanyEventsDeps } from '../../companies/company-events';
import { getConfig } from '../../config';
import { limitSyncRequest } from '../../limits/rate-limits';
import { colleagueStore } from '../../store/colleague-store';
import { companyStore } from '../../store/company-store';
import { meetingStore } from '../../store/meeting-store';
import { userStore } from '../../store/user-store';
import { limitDeps } from './limits';
import { channels } from './push';
import { syncPorts } from './sync-ports';

export function companyDeps(): CompanyCalendarDeps & CompanyEventsDeps {
  const limits = limitDeps();
  return {
    ...syncPorts(),
    companies: companyStore,
    users: userStore,
    push: channels(),
    syncAfterCreate: getConfig().SYNC_AFTER_CREATE,
    meetings: meetingStore,
    colleagues: colleagueStore,
    limitSyncRequest: (companyId) => limitSyncRequest(limits, companyId),
  };
}
