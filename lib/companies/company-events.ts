// A company's synced events in a range (series expanded) and the pairs of them that overlap in time.
// Overlaps are computed on read over the same range query: storing pairs would mean rewriting O(pairs)
// items on every change and cannot represent open-ended series; a sweep over the range's occurrences is
// O(n log n + k) in memory, on reads the listing does anyway. Free (transparent) events never overlap.
import { DateTime } from 'luxon';
import type { Interval } from '../domain/interval';
import { findOverlappingPairs } from '../domain/overlap';
import { paginate } from '../domain/pagination';
import { MAX_OCCURRENCES_PER_READ, MAX_OVERLAP_PAIRS_PER_READ, workCap } from '../domain/work-cap';
import type { SyncedEventRepo } from '../sync/ports';
import { occurrencesOf, type TimedOccurrence } from '../sync/synced-event';
import { requireMember } from './use-cases';
import type { CompanyRepo } from './ports';

export type CompanyEventsDeps = { companies: Pick<CompanyRepo, 'getMembership'>; events: Pick<SyncedEventRepo, 'listInRange'> };

type RangeQuery = { from: string; to: string; limit: number; cursor?: string };

/** An instant written with the same UTC offset as `reference` (the first event's zone at its start). */
function withOffsetOf(reference: string, epochMs: number): string {
  const zone = DateTime.fromISO(reference, { setZone: true }).zone;
  return DateTime.fromMillis(epochMs, { zone }).toISO({ suppressMilliseconds: true })!;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function occurrencesInRange(deps: CompanyEventsDeps, companyId: string, range: Interval): Promise<TimedOccurrence[]> {
  const events = await deps.events.listInRange(companyId, range);
  const cap = workCap(MAX_OCCURRENCES_PER_READ, 'query.to', 'occurrences');
  return events
    .flatMap((event) => {
      const occurrences = occurrencesOf(event, range);
      cap.count(occurrences.length);
      return occurrences;
    })
    .sort((a, b) => a.start - b.start || compare(a.order, b.order));
}

export async function listCompanyEvents(deps: CompanyEventsDeps, userId: string, companyId: string, query: RangeQuery) {
  await requireMember(deps, companyId, userId);
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  const occurrences = await occurrencesInRange(deps, companyId, range);
  const page = paginate(occurrences, (item) => [item.start, item.order], query.limit, query.cursor);
  return { items: page.items.map((item) => item.view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export async function listCompanyOverlaps(deps: CompanyEventsDeps, userId: string, companyId: string, query: RangeQuery) {
  await requireMember(deps, companyId, userId);
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  const busy = (await occurrencesInRange(deps, companyId, range)).filter((item) => !item.view.transparent);
  // Two occurrences that both reach into the range and overlap do so inside the range as well.
  const found = findOverlappingPairs(
    busy.map((item) => ({ ...item, id: item.order })),
    MAX_OVERLAP_PAIRS_PER_READ + 1,
  );
  workCap(MAX_OVERLAP_PAIRS_PER_READ, 'query.to', 'overlapping pairs').count(found.length);
  const pairs = found
    .map(([first, second]) => ({ first, second, start: Math.max(first.start, second.start), end: Math.min(first.end, second.end) }))
    .sort((a, b) => a.start - b.start || compare(a.first.order, b.first.order) || compare(a.second.order, b.second.order));
  const page = paginate(pairs, (pair) => [pair.start, pair.first.order, pair.second.order], query.limit, query.cursor);
  return {
    items: page.items.map((pair) => ({
      first: pair.first.view,
      second: pair.second.view,
      overlapStart: withOffsetOf(pair.first.view.start, pair.start),
      overlapEnd: withOffsetOf(pair.first.view.start, pair.end),
    })),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
