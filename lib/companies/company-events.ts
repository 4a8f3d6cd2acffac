// A company's synced events in a range (series expanded) and the pairs of them that overlap in time.
// Overlaps are computed on read over the same range query: storing pairs would mean rewriting O(pairs)
// items on every change and cannot represent open-ended series; a sweep over the range's occurrences is
// O(n log n + k) in memory, on reads the listing does anyway. Free (transparent) events never overlap.
// Our own meetings written back to a synced calendar keep their rule (DESIGN.md "Trust boundaries"): a member
// who may not see the meeting's details (a private one, say) sees its copy as a busy block.
import { DateTime } from 'luxon';
import { colleaguesAmong, type ColleagueLookup } from '../meetings/colleagues';
import type { Interval } from '../domain/interval';
import { findOverlappingPairs } from '../domain/overlap';
import { paginate } from '../domain/pagination';
import { MAX_OCCURRENCES_PER_READ, MAX_OVERLAP_PAIRS_PER_READ, workCap } from '../domain/work-cap';
import { seesDetails, type Meeting } from '../meetings/meeting';
import type { MeetingRepo } from '../meetings/ports';
import type { SyncedEventRepo } from '../sync/ports';
import { occurrencesOf, type SyncedEvent, type SyncedOccurrence, type TimedOccurrence } from '../sync/synced-event';
import { requireMember } from './use-cases';
import type { CompanyRepo } from './ports';

export type CompanyEventsDeps = {
  companies: Pick<CompanyRepo, 'getMembership'>;
  events: Pick<SyncedEventRepo, 'listInRange'>;
  /** To apply a meeting's visibility to its written-back copy; without them every such copy is a busy block. */
  meetings?: Pick<MeetingRepo, 'get'>;
  colleagues?: ColleagueLookup;
};

/** A synced occurrence, or a busy block where the viewer may not see what it is. */
type OccurrenceView = SyncedOccurrence | (Omit<SyncedOccurrence, 'title'> & { busy: true });
type ViewedOccurrence = Omit<TimedOccurrence, 'view'> & { view: OccurrenceView };

type RangeQuery = { from: string; to: string; limit: number; cursor?: string };

/** An instant written with the same UTC offset as `reference` (the first event's zone at its start). */
function withOffsetOf(reference: string, epochMs: number): string {
  const zone = DateTime.fromISO(reference, { setZone: true }).zone;
  return DateTime.fromMillis(epochMs, { zone }).toISO({ suppressMilliseconds: true })!;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const meetingIdOf = (event: SyncedEvent) => (event.copyOf?.startsWith('meeting:') ? event.copyOf.slice('meeting:'.length) : undefined);

/** Ids of the copied meetings in `events` whose details the viewer may not see (all of them without the ports). */
async function hiddenMeetings(deps: CompanyEventsDeps, viewerId: string, events: SyncedEvent[]): Promise<Set<string>> {
  const ids = [...new Set(events.map(meetingIdOf).filter((id): id is string => id !== undefined))];
  if (!ids.length || !deps.meetings || !deps.colleagues) return new Set(ids);
  const meetings = await Promise.all(ids.map((id) => deps.meetings!.get(id)));
  const found = meetings.filter((meeting): meeting is Meeting => meeting !== undefined);
  const colleagues = await colleaguesAmong(deps.colleagues, viewerId, found.map((meeting) => meeting.organizerId));
  const visible = new Set(found.filter((meeting) => seesDetails(meeting, viewerId, colleagues.has(meeting.organizerId))).map((meeting) => meeting.id));
  return new Set(ids.filter((id) => !visible.has(id)));
}

function busyBlock(view: SyncedOccurrence): OccurrenceView {
  const { title: _title, ...rest } = view;
  return { ...rest, busy: true };
}

async function occurrencesInRange(deps: CompanyEventsDeps, viewerId: string, companyId: string, range: Interval): Promise<ViewedOccurrence[]> {
  const events = await deps.events.listInRange(companyId, range);
  const hidden = await hiddenMeetings(deps, viewerId, events);
  const cap = workCap(MAX_OCCURRENCES_PER_READ, 'query.to', 'occurrences');
  return events
    .flatMap((event) => {
      const occurrences = occurrencesOf(event, range);
      cap.count(occurrences.length);
      const meetingId = meetingIdOf(event);
      return meetingId !== undefined && hidden.has(meetingId) ? occurrences.map((item) => ({ ...item, view: busyBlock(item.view) })) : occurrences;
    })
    .sort((a, b) => a.start - b.start || compare(a.order, b.order));
}

export async function listCompanyEvents(deps: CompanyEventsDeps, userId: string, companyId: string, query: RangeQuery) {
  await requireMember(deps, companyId, userId);
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  const occurrences = await occurrencesInRange(deps, userId, companyId, range);
  const page = paginate(occurrences, (item) => [item.start, item.order], query.limit, query.cursor);
  return { items: page.items.map((item) => item.view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

export async function listCompanyOverlaps(deps: CompanyEventsDeps, userId: string, companyId: string, query: RangeQuery) {
  await requireMember(deps, companyId, userId);
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  const busy = (await occurrencesInRange(deps, userId, companyId, range)).filter((item) => !item.view.transparent);
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
