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
import { isParticipant, seesDetails, statusOf, toSeries, type ListedMeeting } from './meeting';
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

function occurrencesOf(meeting: ListedMeeting, range: Interval, cap: WorkCap) {
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
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  const ownView = viewerId === ownerId;
  const colleagues = rememberingLookup(deps.colleagues);
  // Every read at once: the owner (only checked to exist), their meetings (one query each for single events and
  // series, returning what is shown), the other sources and, for someone else's view, the companies of viewer and
  // owner that the visibility rules ask about. Nothing is returned for an unknown owner.
  const [owner, listed, sourced] = await Promise.all([
    deps.users.get(ownerId),
    deps.meetings.listForParticipant(ownerId, range),
    Promise.all((deps.occurrenceSources ?? []).map((source) => source(ownerId, range))).then((lists) => lists.flat()),
    ownView ? undefined : Promise.all([colleagues.companiesOf(viewerId), colleagues.companiesOf(ownerId)]),
  ]);
  if (!owner) throw new NotFound('User');
  // Then the organizers' companies, both questions at once: whose pending invitations keep the owner busy, and
  // whose public meetings the viewer sees titles of (asked of every meeting the owner has not declined).
  const organizersToCheck = listed
    .filter((meeting) => statusOf(meeting, ownerId) !== 'declined' && meeting.visibility === 'public' && !isParticipant(meeting, viewerId))
    .map((meeting) => meeting.organizerId);
  const [shown, colleagueOrganizers] = await Promise.all([
    ownView ? listed.filter((meeting) => statusOf(meeting, ownerId)) : keepingBusy({ ...deps, colleagues }, ownerId, listed),
    colleaguesAmong(colleagues, viewerId, organizersToCheck),
  ]);
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
async function keepingBusy(deps: Pick<CalendarDeps, 'colleagues'>, userId: string, meetings: ListedMeeting[]): Promise<ListedMeeting[]> {
  const pendingFrom = meetings.filter((meeting) => statusOf(meeting, userId) === 'pending').map((meeting) => meeting.organizerId);
  const colleagues = await colleaguesAmong(deps.colleagues, userId, pendingFrom);
  return meetings.filter((meeting) => {
    const status = statusOf(meeting, userId);
    return status === 'organizer' || status === 'accepted' || (status === 'pending' && colleagues.has(meeting.organizerId));
  });
}

/** What keeps a user busy in a range, as read: meetings they have not declined, and busy time from other sources. */
type BusyCalendar = { meetings: ListedMeeting[]; other: Interval[] };

/** `singlesRange`: read the single events of this part of the range only (the series and other sources: all of it). */
async function readBusyCalendar(deps: CalendarDeps, userId: string, range: Interval, singlesRange = range): Promise<BusyCalendar> {
  const meetings =
    singlesRange === range
      ? deps.meetings.listForParticipant(userId, range)
      : Promise.all([deps.meetings.listForParticipant(userId, range, 'series'), deps.meetings.listForParticipant(userId, singlesRange, 'single')]).then((lists) => lists.flat());
  const [listed, other] = await Promise.all([meetings, Promise.all((deps.busySources ?? []).map((source) => source(userId, range)))]);
  return { meetings: await keepingBusy(deps, userId, listed), other: other.flat() };
}

function occurrenceIntervals(meetings: ListedMeeting[], range: Interval, cap: WorkCap): Interval[] {
  return meetings.flatMap((meeting) => occurrencesOf(meeting, range, cap).map(({ occurrence }) => ({ start: occurrence.start, end: occurrence.end })));
}

/** Intervals in which the user is busy: meetings they organize or accepted, colleagues' unanswered invitations, plus other sources. */
export async function busyIntervals(deps: CalendarDeps, userId: string, range: Interval): Promise<Interval[]> {
  const calendar = await readBusyCalendar(deps, userId, range);
  const cap = workCap(MAX_OCCURRENCES_PER_READ, 'to', 'occurrences');
  cap.count(calendar.other.length);
  return [...occurrenceIntervals(calendar.meetings, range, cap), ...calendar.other];
}

/** One user's part of a free-time search: what was read so far (by meeting id), busy intervals, working time. */
type Searched = { seen: Set<string>; series: ListedMeeting[]; busy: Interval[]; available: Interval[] };

/** Adds newly read meetings: single events as their one interval in the range, series kept for expansion window by window. */
function addRead(user: Searched, meetings: ListedMeeting[], range: Interval, cap: WorkCap): void {
  for (const meeting of meetings) {
    if (user.seen.has(meeting.id)) continue;
    user.seen.add(meeting.id);
    if (meeting.rrule) user.series.push(meeting);
    else user.busy.push(...occurrenceIntervals([meeting], range, cap));
  }
}

/**
 * The earliest slot of the query's duration in which every listed user is free. The search goes window by window
 * from `after`, each window as long again as all before it, until a slot fits or `before` is reached: each window
 * reads the users' single events in it (a range query each, all users at once) and expands series and working hours
 * (every occurrence and every day goes through the zone's rules) for it; the series sets and the other busy sources
 * are read once, for the whole range, with the first window. The first slot found is the earliest in the whole
 * range: an earlier one would end inside the windows searched already. A search whose slot is near reads little.
 */
export async function findFreeTime(deps: CalendarDeps, query: FreeTimeInput) {
  const now = deps.clock.now().getTime();
  const after = query.after ? Date.parse(query.after) : now;
  const before = query.before ? Date.parse(query.before) : after + DEFAULT_FREE_TIME_HORIZON_DAYS * DAY_MS;
  if (before - after > MAX_FREE_TIME_HORIZON_DAYS * DAY_MS) {
    throw new InvalidInput('The search may span at most 366 days', [{ field: 'before', message: 'At most 366 days after after' }]);
  }
  const range = { start: after, end: before };
  // Each user's companies are read once for the whole search, however many windows ask whose invitations block.
  const reader = { ...deps, colleagues: rememberingLookup(deps.colleagues) };
  let window = { start: after, end: Math.min(before, after + FIRST_SEARCH_WINDOW_MS) };
  const [users, calendars] = await Promise.all([deps.users.getMany(query.userIds), Promise.all(query.userIds.map((userId) => readBusyCalendar(reader, userId, range, window)))]);
  const unknown = query.userIds.filter((id) => !users.some((user) => user.id === id));
  if (unknown.length) throw new InvalidInput(`Unknown users: ${unknown.join(', ')}`, [{ field: 'userIds', message: `No user ${unknown.join(', ')}` }]);
  const cap = workCap(MAX_OCCURRENCES_PER_READ, 'before', 'busy intervals');
  const calendarOf = new Map(query.userIds.map((userId, index) => [userId, calendars[index]]));
  const searched: Searched[] = users.map((user) => {
    const calendar = calendarOf.get(user.id)!;
    cap.count(calendar.other.length);
    const state: Searched = { seen: new Set(), series: [], busy: [...calendar.other], available: [] };
    addRead(state, calendar.meetings, range, cap);
    return state;
  });
  const durationMs = query.duration * MINUTE_MS;
  for (;;) {
    for (const [index, user] of searched.entries()) {
      user.busy.push(...occurrenceIntervals(user.series, window, cap));
      // The search merges each list, so working time running across the window's start is one interval again.
      if (query.workingHoursOnly) user.available.push(...expandWorkingHours(users[index].workingHours, users[index].timeZone, window));
    }
    const slot = findEarliestFreeSlot({
      after,
      before: window.end,
      durationMs,
      busyByUser: searched.map((user) => user.busy),
      availableByUser: query.workingHoursOnly ? searched.map((user) => user.available) : undefined,
    });
    if (slot) {
      const zone = users[0].timeZone;
      return { start: isoInZone(slot.start, zone), end: isoInZone(slot.end, zone) };
    }
    if (window.end >= before) break;
    window = { start: window.end, end: Math.min(before, after + 2 * (window.end - after)) };
    const current = window;
    const singles = await Promise.all(users.map(async (user) => keepingBusy(reader, user.id, await deps.meetings.listForParticipant(user.id, current, 'single'))));
    singles.forEach((meetings, index) => addRead(searched[index], meetings, range, cap));
  }
  throw new DomainError('no_free_time', `No ${query.duration}-minute interval is free for everyone before ${new Date(before).toISOString()}`);
}
