// Company use cases: create, list and read (only members, the owner included, see a company), and the role
// checks every company route uses.
import { newId } from '../kernel/ids';
import { NotFound } from '../domain/errors';
import { paginate } from '../domain/pagination';
import type { UserRepo } from '../users/ports';
import { ManagerRequired } from './errors';
import type { Clock, Company, CompanyRepo, Membership } from './ports';

export type CompanyDeps = { companies: CompanyRepo; users: Pick<UserRepo, 'get'>; clock: Clock };

/** The caller's membership; a company the caller does not belong to is answered as not found (nothing leaks). */
export async function requireMember(deps: { companies: Pick<CompanyRepo, 'getMembership'> }, companyId: string, userId: string): Promise<Membership> {
  const membership = await deps.companies.getMembership(companyId, userId);
  if (!membership) throw new NotFound('Company');
  return membership;
}

/** An owner or admin: they enable, disable and sync calendars and manage members; other members get 403. */
export async function requireManager(deps: { companies: Pick<CompanyRepo, 'getMembership'> }, companyId: string, userId: string): Promise<Membership> {
  const membership = await requireMember(deps, companyId, userId);
  if (membership.role !== 'owner' && membership.role !== 'admin') throw new ManagerRequired();
  return membership;
}

export async function createCompany(deps: CompanyDeps, userId: string, input: { name: string }) {
  const company: Company = { id: newId(), name: input.name, ownerId: userId, createdAt: deps.clock.now().toISOString(), version: 1 };
  await deps.companies.create(company);
  return { id: company.id, name: company.name, ownerId: company.ownerId, role: 'owner' as const, createdAt: company.createdAt };
}

export async function listCompanies(deps: CompanyDeps, userId: string, query: { limit: number; cursor?: string }) {
  const memberships = (await deps.companies.listForUser(userId)).sort((a, b) => a.companyId.localeCompare(b.companyId));
  const page = paginate(memberships, (membership) => [membership.companyId], query.limit, query.cursor);
  return {
    items: page.items.map((membership) => ({ id: membership.companyId, name: membership.companyName, role: membership.role })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

export async function getCompany(deps: CompanyDeps, userId: string, companyId: string) {
  const membership = await requireMember(deps, companyId, userId);
  const [company, members] = await Promise.all([deps.companies.get(companyId), deps.companies.listMembers(companyId)]);
  if (!company) throw new NotFound('Company');
  return {
    id: company.id,
    name: company.name,
    ownerId: company.ownerId,
    role: membership.role,
    createdAt: company.createdAt,
    members: members.map(({ userId: memberId, role, addedAt }) => ({ userId: memberId, role, addedAt })).sort((a, b) => a.addedAt.localeCompare(b.addedAt)),
  };
}
