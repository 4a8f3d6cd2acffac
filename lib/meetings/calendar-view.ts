// Reading calendars: a user's occurrences in a range (recurrences expanded, privacy applied), busy time,
// and the earliest time all listed users are free.
import { DomainError, InvalidInput, NotFound } from '../domain/errors';
import { findEarliestFreeSlot } from '../domain/free-time';
import type { Interval } from '../domain/interval';
import { paginate } from '../domain/pagination';
import { expandOccurrences } from '../domain/recurrence';
import { expandWorkingHours } from '../domain/working-hours';
import { isoInZone, isParticipant, statusOf, toSeries, type Meeting } from './meeting';
import type { BusySource, OccurrenceSource } from './ports';
import type { FreeTimeInput } from './schemas';
import type { MeetingDeps } from './use-cases';

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

export type CalendarDeps = MeetingDeps & { busySources?: BusySource[]; occurrenceSources?: OccurrenceSource[] };

const DEFAULT_FREE_TIME_HORIZON_DAYS = 90;
const MAX_FREE_TIME_HORIZON_DAYS = 366;

function occurrencesOf(meeting: Meeting, range: Interval) {
  return expandOccurrences(toSeries(meeting), range).map((occurrence) => ({ meeting, occurrence }));
}

/** Occurrences of `ownerId`'s calendar in the range as `viewerId` may see them, sorted and paginated. */
export async function listOccurrences(
  deps: CalendarDeps,
  viewerId: string,
  ownerId: string,
  query: { from: string; to: string; limit: number; cursor?: string },
) {
  if (!(await deps.users.get(ownerId))) throw new NotFound('User');
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  const ownView = viewerId === ownerId;
  const timed: Timed[] = [];
  for (const meeting of await deps.meetings.listForParticipant(ownerId, range)) {
    const status = statusOf(meeting, ownerId);
    // Others do not see what the owner declined: it does not keep the owner busy.
    if (!status || (!ownView && status === 'declined')) continue;
    const seesDetails = meeting.visibility === 'public' || isParticipant(meeting, viewerId);
    for (const { occurrence } of occurrencesOf(meeting, range)) {
      const start = isoInZone(occurrence.start, meeting.timeZone);
      const end = isoInZone(occurrence.end, meeting.timeZone);
      const view: OccurrenceView = seesDetails
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
  for (const source of deps.occurrenceSources ?? []) {
    for (const occurrence of await source(ownerId, range)) {
      const start = isoInZone(occurrence.start, occurrence.timeZone);
      const end = isoInZone(occurrence.end, occurrence.timeZone);
      const view: OccurrenceView = ownView
        ? { eventId: occurrence.id, start, end, title: occurrence.title, source: occurrence.source, ...(occurrence.status ? { status: occurrence.status } : {}) }
        : { start, end, busy: true, source: occurrence.source };
      timed.push({ view, startMs: occurrence.start, order: `${occurrence.source}#${occurrence.id}` });
    }
  }
  timed.sort((a, b) => a.startMs - b.startMs || (a.order < b.order ? -1 : 1));
  const page = paginate(timed, (item) => [item.startMs, item.order], query.limit, query.cursor);
  return { items: page.items.map((item) => item.view), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Intervals in which the user is busy: meetings they organize, accepted or have not answered, plus other sources. */
export async function busyIntervals(deps: CalendarDeps, userId: string, range: Interval): Promise<Interval[]> {
  const busy: Interval[] = [];
  for (const meeting of await deps.meetings.listForParticipant(userId, range)) {
    const status = statusOf(meeting, userId);
    if (!status || status === 'declined') continue;
    for (const { occurrence } of occurrencesOf(meeting, range)) busy.push({ start: occurrence.start, end: occurrence.end });
  }
  for (const source of deps.busySources ?? []) busy.push(...(await source(userId, range)));
  return busy;
}

export async function findFreeTime(deps: CalendarDeps, query: FreeTimeInput) {
  const now = deps.clock.now().getTime();
  const after = query.after ? Date.parse(query.after) : now;
  const before = query.before ? Date.parse(query.before) : after + DEFAULT_FREE_TIME_HORIZON_DAYS * 86_400_000;
  if (before - after > MAX_FREE_TIME_HORIZON_DAYS * 86_400_000) {
    throw new InvalidInput('The search may span at most 366 days', [{ field: 'before', message: 'At most 366 days after after' }]);
  }
  const users = await deps.users.getMany(query.userIds);
  const unknown = query.userIds.filter((id) => !users.some((user) => user.id === id));
  if (unknown.length) throw new InvalidInput(`Unknown users: ${unknown.join(', ')}`, [{ field: 'userIds', message: `No user ${unknown.join(', ')}` }]);
  const range = { start: after, end: before };
  const busyByUser = await Promise.all(users.map((user) => busyIntervals(deps, user.id, range)));
  const availableByUser = query.workingHoursOnly ? users.map((user) => expandWorkingHours(user.workingHours, user.timeZone, range)) : undefined;
  const slot = findEarliestFreeSlot({ after, before, durationMs: query.duration * 60_000, busyByUser, availableByUser });
  if (!slot) throw new DomainError('no_free_time', `No ${query.duration}-minute interval is free for everyone before ${new Date(before).toISOString()}`);
  const zone = users[0].timeZone;
  return { start: isoInZone(slot.start, zone), end: isoInZone(slot.end, zone) };
}
