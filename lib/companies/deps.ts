// The production wiring of the company use cases' ports.
import { getConfig } from '../config';
import { limitDeps } from '../limits/deps';
import { limitSyncRequest } from '../limits/rate-limits';
import { calendarChannels } from '../push/channels';
import { createChannelDeps } from '../push/deps';
import { colleagueStore } from '../store/colleague-store';
import { companyStore } from '../store/company-store';
import { meetingStore } from '../store/meeting-store';
import { userStore } from '../store/user-store';
import { sharedSyncPorts } from '../sync/shared-deps';
import type { CompanyCalendarDeps } from './calendars';
import type { CompanyEventsDeps } from './company-events';

export function createCompanyDeps(): CompanyCalendarDeps & CompanyEventsDeps {
  return {
    ...sharedSyncPorts,
    companies: companyStore,
    users: userStore,
    push: calendarChannels(createChannelDeps()),
    syncAfterCreate: getConfig().SYNC_AFTER_CREATE,
    meetings: meetingStore,
    colleagues: colleagueStore,
    limitSyncRequest: (companyId) => limitSyncRequest(limitDeps, companyId),
  };
}
