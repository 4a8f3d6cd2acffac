// Company membership: owners and admins add members, change their role (admin or member) and remove them;
// the owner's membership is never changed or removed, and a removed member's calendars leave with them.
import { NotFound } from '../domain/errors';
import { disableCalendarsOfUser, type CompanyCalendarDeps } from './calendars';
import { OwnerRequired } from './errors';
import type { AssignableRole, Membership } from './ports';
import { requireManager, type CompanyDeps } from './use-cases';

const memberView = (membership: Membership) => ({ userId: membership.userId, role: membership.role, addedAt: membership.addedAt });

/** PUT: the user becomes a member with this role (default member), or has their role changed; idempotent. */
export async function putMember(deps: CompanyDeps, userId: string, companyId: string, memberId: string, input: { role: AssignableRole }) {
  const manager = await requireManager(deps, companyId, userId);
  const existing = await deps.companies.getMembership(companyId, memberId);
  if (existing?.role === 'owner') throw new OwnerRequired("The owner's role cannot be changed");
  if (existing) {
    if (existing.role === input.role) return memberView(existing);
    const changed: Membership = { ...existing, role: input.role };
    await deps.companies.changeRole(changed, existing.role);
    return memberView(changed);
  }
  if (!(await deps.users.get(memberId))) throw new NotFound('User');
  const membership: Membership = { companyId, companyName: manager.companyName, userId: memberId, role: input.role, addedAt: deps.clock.now().toISOString() };
  await deps.companies.addMember(membership);
  return memberView(membership);
}

/**
 * DELETE: the membership goes first (so the enabling transaction, which checks it, can no longer add a calendar
 * of theirs), then every calendar that came through the member's connections is disabled as DELETE of the
 * calendar does. A retry after a failure in between finds no membership and disables what is left.
 */
export async function removeMember(deps: CompanyCalendarDeps, userId: string, companyId: string, memberId: string): Promise<void> {
  await requireManager(deps, companyId, userId);
  await deps.companies.removeMember(companyId, memberId);
  await disableCalendarsOfUser(deps, companyId, memberId);
}
