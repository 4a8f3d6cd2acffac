// HTTP handlers of /companies: companies and members, their Google calendars, sync, synced events, overlaps.
import { createCompany, getCompany, listCompanies } from '../../lib/companies/use-cases';
import { putMember, removeMember } from '../../lib/companies/members';
import { disableCalendar, enableCalendar, getSyncStatus, listCompanyCalendars, requestSync } from '../../lib/companies/calendars';
import { listCompanyEvents, listCompanyOverlaps } from '../../lib/companies/company-events';
import { routes } from '../../lib/http/routes/companies';
import { bindRoute, createRouter } from '../../lib/http/handler';
import { HttpReply } from '../../lib/http/route';
import { companies as deps, verifyBearer } from '../../lib/wiring/companies';

const noContent = async (work: Promise<void>) => {
  await work;
  return new HttpReply(204, undefined);
};

export const handler = createRouter([
  bindRoute(routes.createCompany, ({ userId, body }) => createCompany(deps, userId, body)),
  bindRoute(routes.listCompanies, ({ userId, query }) => listCompanies(deps, userId, query)),
  bindRoute(routes.getCompany, ({ userId, params }) => getCompany(deps, userId, params.companyId)),
  bindRoute(routes.addCompanyMember, ({ userId, params, body }) => putMember(deps, userId, params.companyId, params.userId, body ?? { role: 'member' })),
  bindRoute(routes.removeCompanyMember, ({ userId, params }) => noContent(removeMember(deps, userId, params.companyId, params.userId))),
  bindRoute(routes.listCompanyCalendars, ({ userId, params }) => listCompanyCalendars(deps, userId, params.companyId)),
  bindRoute(routes.enableCompanyCalendar, ({ userId, params, body }) => enableCalendar(deps, userId, params.companyId, params.calendarId, body)),
  bindRoute(routes.disableCompanyCalendar, ({ userId, params }) => noContent(disableCalendar(deps, userId, params.companyId, params.calendarId))),
  bindRoute(routes.requestCompanySync, ({ userId, params }) => requestSync(deps, userId, params.companyId)),
  bindRoute(routes.getCompanySync, ({ userId, params, query }) => getSyncStatus(deps, userId, params.companyId, query)),
  bindRoute(routes.listCompanyEvents, ({ userId, params, query }) => listCompanyEvents(deps, userId, params.companyId, query)),
  bindRoute(routes.listCompanyOverlaps, ({ userId, params, query }) => listCompanyOverlaps(deps, userId, params.companyId, query)),
], { verifyBearer });
