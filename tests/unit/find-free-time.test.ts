// The free-time use case against in-memory fakes of its ports. It expands series and working hours window by
// window; these tests hold it to the same answer as one expansion of the whole range (the reference below).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DomainError } from '../../lib/domain/errors';
import { findEarliestFreeSlot } from '../../lib/domain/free-time';
import type { Interval } from '../../lib/domain/interval';
import { expandOccurrences } from '../../lib/domain/recurrence';
import { expandWorkingHours, type WorkingHours } from '../../lib/domain/working-hours';
import { type CalendarDeps, findFreeTime } from '../../lib/meetings/calendar-view';
import { type AttendeeStatus, type Meeting, toSeries } from '../../lib/meetings/meeting';
import type { FreeTimeInput } from '../../lib/meetings/schemas';
import type { User } from '../../lib/users/user';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const AFTER = Date.parse('2034-01-02T00:00:00Z'); // a Monday
const ALL_DAY: WorkingHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));
const iso = (ms: number) => new Date(ms).toISOString();

function user(id: string, timeZone = 'UTC', workingHours: WorkingHours = ALL_DAY): User {
  return { id, name: id, email: `${id}@example.test`, passwordHash: 'x', timeZone, workingHours, reminderMinutes: [10], createdAt: iso(AFTER), updatedAt: iso(AFTER), version: 1 };
}

let nextId = 0;
function meeting(organizerId: string, start: number, end: number, extra: Partial<Meeting> & { invitees?: Array<[string, AttendeeStatus]> } = {}): Meeting {
  const { invitees = [], ...rest } = extra;
  nextId += 1;
  return {
    id: `M${nextId}`,
    title: 'Meeting',
    start: iso(start),
    end: iso(end),
    timeZone: 'UTC',
    organizerId,
    attendees: [{ userId: organizerId, status: 'organizer' }, ...invitees.map(([userId, status]) => ({ userId, status }))],
    visibility: 'public',
    createdAt: iso(AFTER),
    updatedAt: iso(AFTER),
    version: 1,
    ...rest,
  };
}

/** Everyone in one company unless `companies` says otherwise (then: user id -> company ids). */
function fakeDeps(users: User[], meetings: Meeting[], otherBusy: Record<string, Interval[]> = {}, companies?: Record<string, string[]>): CalendarDeps {
  const unused = async () => {
    throw new Error('not used by the free-time search');
  };
  return {
    // Like the store, single events in the range only (so a search that reads window by window must ask for each
    // window), and more than asked for: every series of the participant, also when only single events are asked for.
    meetings: {
      create: unused,
      get: unused,
      replace: unused,
      delete: unused,
      listForParticipant: async (userId, range, only) =>
        meetings.filter(
          (m) =>
            m.attendees.some((attendee) => attendee.userId === userId) &&
            (m.rrule ? true : only !== 'series' && Date.parse(m.start) < range.end && Date.parse(m.end) > range.start),
        ),
    },
    users: { create: unused, get: unused, findByEmail: unused, update: unused, getMany: async (ids) => users.filter((u) => ids.includes(u.id)) },
    clock: { now: () => new Date(AFTER) },
    busySources: [async (userId) => otherBusy[userId] ?? []],
    colleagues: { companiesOf: async (userId) => (companies ? (companies[userId] ?? []) : ['C']) },
  };
}

/** The reference: every series and all working hours expanded once over the whole range, then the pure search. */
function reference(users: User[], meetings: Meeting[], otherBusy: Record<string, Interval[]>, query: FreeTimeInput): Interval | null {
  const after = Date.parse(query.after!);
  const before = query.before ? Date.parse(query.before) : after + 90 * DAY;
  const range = { start: after, end: before };
  const busyByUser = users.map((u) => [
    ...meetings
      .filter((m) => m.attendees.some((attendee) => attendee.userId === u.id && attendee.status !== 'declined'))
      .flatMap((m) => expandOccurrences(toSeries(m), range).map(({ start, end }) => ({ start, end }))),
    ...(otherBusy[u.id] ?? []),
  ]);
  const availableByUser = query.workingHoursOnly ? users.map((u) => expandWorkingHours(u.workingHours, u.timeZone, range)) : undefined;
  return findEarliestFreeSlot({ after, before, durationMs: query.duration * MINUTE, busyByUser, availableByUser });
}

async function search(deps: CalendarDeps, query: FreeTimeInput): Promise<Interval | null> {
  try {
    const slot = await findFreeTime(deps, query);
    return { start: Date.parse(slot.start), end: Date.parse(slot.end) };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'no_free_time') return null;
    throw error;
  }
}

const query = (duration: number, days: number, workingHoursOnly = false, userIds = ['a']): FreeTimeInput => ({
  userIds,
  duration,
  after: iso(AFTER),
  before: iso(AFTER + days * DAY),
  workingHoursOnly,
});

describe('findFreeTime', () => {
  it('finds a gap that runs across the end of the first search window', async () => {
    const users = [user('a')];
    // Busy until 30 minutes before day 14 and again from 30 minutes after it: one hour free around day 14's start.
    const meetings = [meeting('a', AFTER, AFTER + 14 * DAY - 30 * MINUTE), meeting('a', AFTER + 14 * DAY + 30 * MINUTE, AFTER + 20 * DAY)];
    const slot = await search(fakeDeps(users, meetings), query(60, 30));
    expect(slot).toEqual({ start: AFTER + 14 * DAY - 30 * MINUTE, end: AFTER + 14 * DAY + 30 * MINUTE });
  });

  it('keeps working time that runs across a window boundary in one piece', async () => {
    // Working hours 22:00-02:00 (UTC) every day; busy until day 14 at 22:00: the first three free working
    // hours are 22:00 on day 14 to 01:00 on day 15, across midnight, where the first window ends.
    const lateShift = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '02:00' }, { start: '22:00', end: '24:00' }]]));
    const users = [user('a', 'UTC', lateShift)];
    const meetings = [meeting('a', AFTER, AFTER + 13 * DAY + 22 * HOUR)];
    const slot = await search(fakeDeps(users, meetings), query(180, 30, true));
    expect(slot).toEqual({ start: AFTER + 13 * DAY + 22 * HOUR, end: AFTER + 14 * DAY + HOUR });
  });

  it('sees an occurrence moved into an earlier window, and the time one left there', async () => {
    const users = [user('a')];
    const day = (n: number, hour: number) => AFTER + n * DAY + hour * HOUR;
    // Busy around the clock for 60 days: 09:00-17:00 and 17:00-09:00 every day (and the first night).
    const nights = meeting('a', day(0, 17), day(1, 9), { rrule: 'FREQ=DAILY;COUNT=60' });
    const firstNight = meeting('a', day(0, 0), day(0, 9));
    const days = meeting('a', day(0, 9), day(0, 17), {
      rrule: 'FREQ=DAILY;COUNT=60',
      // Day 3's occurrence is cancelled, but day 40's (a later window) moves into its place; day 5's moves to day 50.
      cancelled: [iso(day(3, 9))],
      overrides: [
        { originalStart: iso(day(40, 9)), start: iso(day(3, 9)), end: iso(day(3, 17)) },
        { originalStart: iso(day(5, 9)), start: iso(day(50, 9)), end: iso(day(50, 17)) },
      ],
    });
    const meetings = [nights, firstNight, days];
    const expected = { start: day(5, 9), end: day(5, 17) };
    expect(await search(fakeDeps(users, meetings), query(8 * 60, 90))).toEqual(expected);
    expect(reference(users, meetings, {}, query(8 * 60, 90))).toEqual(expected);
  });

  it("is not blocked by a stranger's unanswered invitation, but by a colleague's and by an accepted one", async () => {
    const users = [user('a')];
    const companies = { a: ['C1', 'C2'], colleague: ['C2'], stranger: ['C9'] };
    const fromStranger = meeting('stranger', AFTER, AFTER + HOUR, { invitees: [['a', 'pending']] });
    const fromColleague = meeting('colleague', AFTER + HOUR, AFTER + 2 * HOUR, { invitees: [['a', 'pending']] });
    expect(await search(fakeDeps(users, [fromStranger], {}, companies), query(60, 1))).toEqual({ start: AFTER, end: AFTER + HOUR });
    expect(await search(fakeDeps(users, [fromStranger, fromColleague], {}, companies), query(120, 1))).toEqual({ start: AFTER + 2 * HOUR, end: AFTER + 4 * HOUR });
    const accepted = { ...fromStranger, attendees: [fromStranger.attendees[0], { userId: 'a', status: 'accepted' as const }] };
    expect(await search(fakeDeps(users, [accepted], {}, companies), query(60, 1))).toEqual({ start: AFTER + HOUR, end: AFTER + 2 * HOUR });
  });

  it('searches as far as before, and says no_free_time when nothing fits', async () => {
    const users = [user('a'), user('b')];
    // a is busy 00:00-23:00 and b 23:00-24:00 every day for 300 days; then both are free.
    const meetings = [
      meeting('a', AFTER, AFTER + 23 * HOUR, { rrule: 'FREQ=DAILY;COUNT=300' }),
      meeting('b', AFTER + 23 * HOUR, AFTER + 24 * HOUR, { rrule: 'FREQ=DAILY;COUNT=300' }),
    ];
    const deps = fakeDeps(users, meetings);
    expect(await search(deps, query(60, 366, false, ['a', 'b']))).toEqual({ start: AFTER + 300 * DAY, end: AFTER + 300 * DAY + HOUR });
    expect(await search(deps, query(60, 250, false, ['a', 'b']))).toBeNull();
  });

  it('agrees with one expansion of the whole range on random calendars', async () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];
    const quarter = (max: number) => fc.integer({ min: 0, max }).map((n) => n * 15 * MINUTE);
    const single = fc.record({
      owner: fc.integer({ min: 0, max: 2 }),
      start: quarter(60 * 96).map((ms) => AFTER - 2 * DAY + ms),
      length: quarter(40).map((ms) => ms + 15 * MINUTE),
      invitee: fc.option(fc.record({ index: fc.integer({ min: 0, max: 2 }), status: fc.constantFrom<AttendeeStatus>('pending', 'accepted', 'declined') })),
    });
    const series = fc.record({
      owner: fc.integer({ min: 0, max: 2 }),
      start: quarter(40 * 96).map((ms) => AFTER - 5 * DAY + ms),
      length: quarter(16).map((ms) => ms + 15 * MINUTE),
      zone: fc.constantFrom(...zones),
      rule: fc.constantFrom('FREQ=DAILY;COUNT=90', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', 'FREQ=WEEKLY;INTERVAL=2;COUNT=20', 'FREQ=DAILY;INTERVAL=3'),
      moveIndex: fc.option(fc.integer({ min: 0, max: 10 })),
      moveBy: fc.integer({ min: -30, max: 30 }).map((days) => days * DAY + 3 * HOUR),
      cancelIndex: fc.option(fc.integer({ min: 0, max: 10 })),
    });
    const hours = fc.constantFrom<WorkingHours>(
      { mon: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], fri: [{ start: '13:00', end: '24:00' }], sat: [{ start: '00:00', end: '03:00' }] },
      { tue: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }], thu: [{ start: '20:00', end: '24:00' }], fri: [{ start: '00:00', end: '04:00' }] },
      ALL_DAY,
    );
    const scenario = fc.record({
      users: fc.array(fc.record({ zone: fc.constantFrom(...zones), hours }), { minLength: 1, maxLength: 3 }),
      singles: fc.array(single, { maxLength: 40 }),
      series: fc.array(series, { maxLength: 6 }),
      duration: fc.integer({ min: 1, max: 16 }).map((n) => n * 30),
      days: fc.integer({ min: 1, max: 150 }),
      workingHoursOnly: fc.boolean(),
      bookedUntil: fc.integer({ min: 0, max: 60 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const users = s.users.map((u, index) => user(`u${index}`, u.zone, u.hours));
        const owner = (index: number) => users[index % users.length].id;
        const meetings: Meeting[] = s.singles.map((m) => {
          const invitee = m.invitee && owner(m.invitee.index) !== owner(m.owner) ? [[owner(m.invitee.index), m.invitee.status] as [string, AttendeeStatus]] : [];
          return meeting(owner(m.owner), m.start, m.start + m.length, { invitees: invitee });
        });
        for (const r of s.series) {
          const first = DateTime.fromMillis(r.start, { zone: r.zone });
          const base = meeting(owner(r.owner), r.start, r.start + r.length, { timeZone: r.zone, rrule: r.rule, start: first.toISO()!, end: first.plus(r.length).toISO()! });
          const starts = expandOccurrences(toSeries(base), { start: r.start, end: r.start + 400 * DAY }).map((o) => o.start);
          const moved = r.moveIndex !== null ? starts[r.moveIndex] : undefined;
          const cancelled = r.cancelIndex !== null ? starts[r.cancelIndex] : undefined;
          if (moved !== undefined) base.overrides = [{ originalStart: iso(moved), start: iso(moved + r.moveBy), end: iso(moved + r.moveBy + r.length) }];
          if (cancelled !== undefined && cancelled !== moved) base.cancelled = [iso(cancelled)];
          meetings.push(base);
        }
        // Busy time from another source (bookings, Google) for the first user, up to `bookedUntil` days.
        const otherBusy = { [users[0].id]: s.bookedUntil ? [{ start: AFTER, end: AFTER + s.bookedUntil * DAY }] : [] };
        const q = query(s.duration, s.days, s.workingHoursOnly, users.map((u) => u.id));
        expect(await search(fakeDeps(users, meetings, otherBusy), q)).toEqual(reference(users, meetings, otherBusy, q));
      }),
      { numRuns: 150 },
    );
  });
});
