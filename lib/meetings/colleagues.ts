// Who shares a company with whom: the one question the visibility and invitation rules ask of companies.
// A port the meetings declare (lib/store/colleague-store.ts implements it from company memberships), so readers of calendars need nothing else.

export type ColleagueLookup = {
  /** Ids of the companies the user is a member of (owner included), in no particular order. */
  companiesOf(userId: string): Promise<string[]>;
};

/** Those of `others` who share at least one company with `userId` (never `userId` itself). */
export async function colleaguesAmong(lookup: ColleagueLookup, userId: string, others: Iterable<string>): Promise<Set<string>> {
  const candidates = [...new Set(others)].filter((id) => id !== userId);
  if (!candidates.length) return new Set();
  // Someone in no company has no colleagues: the others are not read at all then.
  const own = new Set(await lookup.companiesOf(userId));
  if (!own.size) return new Set();
  const theirs = await Promise.all(candidates.map((id) => lookup.companiesOf(id)));
  return new Set(candidates.filter((_, index) => theirs[index].some((companyId) => own.has(companyId))));
}

/** Whether two distinct users are members of one company. */
export async function shareCompany(lookup: ColleagueLookup, userId: string, otherId: string): Promise<boolean> {
  return (await colleaguesAmong(lookup, userId, [otherId])).has(otherId);
}

/** The lookup with each user's companies read once: for one request that asks about the same users again. */
export function rememberingLookup(lookup: ColleagueLookup): ColleagueLookup {
  const known = new Map<string, Promise<string[]>>();
  return {
    companiesOf(userId) {
      if (!known.has(userId)) known.set(userId, lookup.companiesOf(userId));
      return known.get(userId)!;
    },
  };
}
