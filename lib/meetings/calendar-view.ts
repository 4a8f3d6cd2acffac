// Reading calendars: a user's occurrences in a range (recurrences expanded, privacy applied), busy time,
// and the earliest time all listed users are free.
import { colleaguesAmong, rememberingLookup, type ColleagueLookup } from './colleagues';
import { DomainError, InvalidInput, NotFound } from '../domain/errors';
import { findEarliestFreeSlot } from '../domain/free-time';
import type { Interval } from '../domain/interval';
import { paginate } from '../domain/pagination';
import { expandOccurrences } from '../domain/recurrence';
import { expandWorkingHours } from '../domain/working-hours';
import { MAX_OCCURRENCES_PER_READ, type WorkCap, workCap } from '../domain/work-cap';
import { isParticipant, seesDetails, statusOf, toSeries, type Meeting } from './meeting';
import { isoInZone } from '../kernel/time-zone';
import type { BusySource, OccurrenceSource } from './ports';
import type { FreeTimeInput } from './schemas';
import type { MeetingDeps } from './use-cases';
import { MINUTE_MS, DAY_MS } from '../kernel/time-units';

export type OccurrenceView = {
  eventId?: string;
  start: string;
  end: string;
  title?: string;
  busy?: true;
  source: 'native' | 'google' | 'booking';
  status?: string;
  originalStart?: string;
};

type Timed = { view: OccurrenceView; startMs: number; order: string };

export type CalendarDeps = MeetingDeps & {
  busySources?: BusySource[];
  occurrenceSources?: OccurrenceSource[];
  /** Company membership: who sees titles, and whose unanswered invitations block (DESIGN.md "Trust boundaries"). */
  colleagues: ColleagueLookup;
};

const DEFAULT_FREE_TIME_HORIZON_DAYS = 90;
const MAX_FREE_TIME_HORIZON_DAYS = 366;
/** The free-time search expands series and working hours for this long after `after` first, then twice as far each round. */
const FIRST_SEARCH_WINDOW_MS = 14 * DAY_MS;

function occurrencesOf(meeting: Meeting, range: Interval, cap: WorkCap) {
  const occurrences = expandOccurrences(toSeries(meeting), range);
  cap.count(occurrences.length);
  return occurrences.map((occurrence) => ({ meeting, occurrence }));
}

/**
 * Occurrences of `ownerId`'s calendar in the range as `viewerId` may see them, sorted and paginated. The owner
 * sees everything they are part of; anyone else sees only what keeps the owner busy (no declined meetings, no
 * unanswered invitations from strangers), with titles where `seesDetails` allows (meetings) or where the
 * viewer is a member of the company that syncs the Google calendar (what that company's own views show them
 * anyway), and busy blocks for the rest.
 */
export async function listOccurrences(
  deps: CalendarDeps,
  viewerId: string,
  ownerId: string,
  query: { from: string; to: string; limit: number; cursor?: string },
) {
  if (!(await deps.users.get(ownerId))) throw new NotFound('User');
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  const ownView = viewerId === ownerId;
  const colleagues = rememberingLookup(deps.colleagues);
  const listed = await deps.meetings.listForParticipant(ownerId, range);
  const shown = ownView ? listed.filter((meeting) => statusOf(meeting, ownerId)) : await keepingBusy({ ...deps, colleagues }, ownerId, listed);
  const organizersToCheck = shown.filter((meeting) => meeting.visibility === 'public' && !isParticipant(meeting, viewerId)).map((meeting) => meeting.organizerId);
  const colleagueOrganizers = await colleaguesAmong(colleagues, viewerId, organizersToCheck);
  const timed: Timed[] = [];
  const cap = workCap(MAX_OCCURRENCES_PER_READ, 'query.to', 'occurrences');
  for (const meeting of shown) {
    const status = statusOf(meeting, ownerId)!;
    const detailed = seesDetails(meeting, viewerId, colleagueOrganizers.has(meeting.organizerId));
    for (const { occurrence } of occurrencesOf(meeting, range, cap)) {
      const start = isoInZone(occurrence.start, meeting.timeZone);
      const end = isoInZone(occurrence.end, meeting.timeZone);
      const view: OccurrenceView = detailed
        ? {
            eventId: meeting.id,
            start,
            end,
            title: occurrence.override?.title ?? meeting.title,
            source: 'native',
            status,
            ...(meeting.rrule ? { originalStart: isoInZone(occurrence.originalStart, meeting.timeZone) } : {}),
          }
        : { start, end, busy: true, source: 'native' };
      timed.push({ view, startMs: occurrence.start, order: `${meeting.id}#${occurrence.originalStart}` });
    }
  }
  const sourced = (await Promise.all((deps.occurrenceSources ?? []).map((source) => source(ownerId, range)))).flat();
  cap.count(sourced.length);
  const viewerCompanies = !ownView && sourced.some((occurrence) => occurrence.companyId) ? new Set(await colleagues.companiesOf(viewerId)) : new Set<string>();
  for (const occurrence of sourced) {
    const start = isoInZone(occurrence.start, occurrence.timeZone);
    const end = isoInZone(occurrence.end, occurrence.timeZone);
    const detailed = ownView || (occurrence.companyId !== undefined && viewerCompanies.has(occurrence.companyId));
    const view: OccurrenceView = detailed
      ? { eventId: occurrence.id, start, end, title: occurrence.title, source: occurrence.source, ...(occurrence.status ? { status: occurrence.status } : {}) }
      : { start, end, busy: true, source: occurrence.source };
    timed.push({ view, startMs: occurrence.start, order: `${occurrence.source}#${occurrence.id}` });
  }
  timed.sort((a, b) => a.startMs - b.startMs || (a.order < b.order ? -1 : 1));
  const page = paginate(timed, (item) => [item.startMs, item.order], query.limit, query.cursor);
  return { items: page.items.map((item) => item.view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/**
 * The meetings that keep `userId` busy: those they organize or accepted, and unanswered invitations from
 * colleagues (someone in one of their companies). A stranger's invitation blocks nothing until accepted, so
 * nobody can fill another user's booking page or free time by inviting them; a decline never blocks.
 */
async function keepingBusy(deps: Pick<CalendarDeps, 'colleagues'>, userId: string, meetings: Meeting[]): Promise<Meeting[]> {
  const pendingFrom = meetings.filter((meeting) => statusOf(meeting, userId) === 'pending').map((meeting) => meeting.organizerId);
  const colleagues = await colleaguesAmong(deps.colleagues, userId, pendingFrom);
  return meetings.filter((meeting) => {
    const status = statusOf(meeting, userId);
    return status === 'organizer' || status === 'accepted' || (status === 'pending' && colleagues.has(meeting.organizerId));
  });
}

/** What keeps a user busy in a range, as read: meetings they have not declined, and busy time from other sources. */
type BusyCalendar = { meetings: Meeting[]; other: Interval[] };

async function readBusyCalendar(deps: CalendarDeps, userId: string, range: Interval): Promise<BusyCalendar> {
  const [meetings, other] = await Promise.all([
    deps.meetings.listForParticipant(userId, range),
    Promise.all((deps.busySources ?? []).map((source) => source(userId, range))),
  ]);
  return { meetings: await keepingBusy(deps, userId, meetings), other: other.flat() };
}

function occurrenceIntervals(meetings: Meeting[], range: Interval, cap: WorkCap): Interval[] {
  return meetings.flatMap((meeting) => occurrencesOf(meeting, range, cap).map(({ occurrence }) => ({ start: occurrence.start, end: occurrence.end })));
}

/** Intervals in which the user is busy: meetings they organize or accepted, colleagues' unanswered invitations, plus other sources. */
export async function busyIntervals(deps: CalendarDeps, userId: string, range: Interval): Promise<Interval[]> {
  const calendar = await readBusyCalendar(deps, userId, range);
  const cap = workCap(MAX_OCCURRENCES_PER_READ, 'to', 'occurrences');
  cap.count(calendar.other.length);
  return [...occurrenceIntervals(calendar.meetings, range, cap), ...calendar.other];
}

/**
 * The earliest slot of the query's duration in which every listed user is free. Calendars are read once for
 * the whole range; series and working hours (the costly part: every occurrence and every day goes through
 * the zone's rules) are expanded window by window from `after`, each window as long again as all before it,
 * until a slot fits or `before` is reached. The first slot found is the earliest in the whole range: an
 * earlier one would end inside the windows searched already.
 */
export async function findFreeTime(deps: CalendarDeps, query: FreeTimeInput) {
  const now = deps.clock.now().getTime();
  const after = query.after ? Date.parse(query.after) : now;
  const before = query.before ? Date.parse(query.before) : after + DEFAULT_FREE_TIME_HORIZON_DAYS * DAY_MS;
  if (before - after > MAX_FREE_TIME_HORIZON_DAYS * DAY_MS) {
    throw new InvalidInput('The search may span at most 366 days', [{ field: 'before', message: 'At most 366 days after after' }]);
  }
  const users = await deps.users.getMany(query.userIds);
  const unknown = query.userIds.filter((id) => !users.some((user) => user.id === id));
  if (unknown.length) throw new InvalidInput(`Unknown users: ${unknown.join(', ')}`, [{ field: 'userIds', message: `No user ${unknown.join(', ')}` }]);
  const range = { start: after, end: before };
  const calendars = await Promise.all(users.map((user) => readBusyCalendar(deps, user.id, range)));
  const cap = workCap(MAX_OCCURRENCES_PER_READ, 'before', 'busy intervals');
  calendars.forEach((calendar) => cap.count(calendar.other.length));
  // A single event has one occurrence whatever the window: expanded once, over the whole range.
  const busyByUser = calendars.map((calendar) => [...calendar.other, ...occurrenceIntervals(calendar.meetings.filter((meeting) => !meeting.rrule), range, cap)]);
  const seriesByUser = calendars.map((calendar) => calendar.meetings.filter((meeting) => meeting.rrule));
  const availableByUser: Interval[][] = users.map(() => []);
  const durationMs = query.duration * MINUTE_MS;
  for (let window = { start: after, end: Math.min(before, after + FIRST_SEARCH_WINDOW_MS) }; ; ) {
    seriesByUser.forEach((series, index) => busyByUser[index].push(...occurrenceIntervals(series, window, cap)));
    // The search merges each list, so working time running across the window's start is one interval again.
    if (query.workingHoursOnly) users.forEach((user, index) => availableByUser[index].push(...expandWorkingHours(user.workingHours, user.timeZone, window)));
    const slot = findEarliestFreeSlot({ after, before: window.end, durationMs, busyByUser, availableByUser: query.workingHoursOnly ? availableByUser : undefined });
    if (slot) {
      const zone = users[0].timeZone;
      return { start: isoInZone(slot.start, zone), end: isoInZone(slot.end, zone) };
    }
    if (window.end >= before) break;
    window = { start: window.end, end: Math.min(before, after + 2 * (window.end - after)) };
  }
  throw new DomainError('no_free_time', `No ${query.duration}-minute interval is free for everyone before ${new Date(before).toISOString()}`);
}
