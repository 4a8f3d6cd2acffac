// Company use cases: create, list, read, and membership (only members, the owner included, see a company).
import { ulid } from 'ulid';
import { Forbidden, NotFound, RuleViolation } from '../domain/errors';
import { paginate } from '../domain/pagination';
import type { UserRepo } from '../users/ports';
import type { Clock, Company, CompanyRepo, Membership } from './ports';

export type CompanyDeps = { companies: CompanyRepo; users: Pick<UserRepo, 'get'>; clock: Clock };

/** The caller's membership; a company the caller does not belong to is answered as not found (nothing leaks). */
export async function requireMember(deps: { companies: Pick<CompanyRepo, 'getMembership'> }, companyId: string, userId: string): Promise<Membership> {
  const membership = await deps.companies.getMembership(companyId, userId);
  if (!membership) throw new NotFound('Company');
  return membership;
}

async function requireOwner(deps: CompanyDeps, companyId: string, userId: string): Promise<Membership> {
  const membership = await requireMember(deps, companyId, userId);
  if (membership.role !== 'owner') throw new Forbidden('Only the owner of the company can change its members');
  return membership;
}

export async function createCompany(deps: CompanyDeps, userId: string, input: { name: string }) {
  const company: Company = { id: ulid(), name: input.name, ownerId: userId, createdAt: deps.clock.now().toISOString(), version: 1 };
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

export async function addMember(deps: CompanyDeps, userId: string, companyId: string, memberId: string) {
  const owner = await requireOwner(deps, companyId, userId);
  const existing = await deps.companies.getMembership(companyId, memberId);
  if (existing) return { userId: memberId, role: existing.role, addedAt: existing.addedAt };
  if (!(await deps.users.get(memberId))) throw new NotFound('User');
  const membership: Membership = { companyId, companyName: owner.companyName, userId: memberId, role: 'member', addedAt: deps.clock.now().toISOString() };
  await deps.companies.addMember(membership);
  return { userId: memberId, role: membership.role, addedAt: membership.addedAt };
}

export async function removeMember(deps: CompanyDeps, userId: string, companyId: string, memberId: string): Promise<void> {
  await requireOwner(deps, companyId, userId);
  if (memberId === userId) throw new RuleViolation('owner_required', 'The owner cannot leave the company');
  await deps.companies.removeMember(companyId, memberId);
}
