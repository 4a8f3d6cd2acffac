// The scheduler and the job against in-memory fakes of their ports: fake clock, no I/O.
import { floorToMinute } from '../../lib/domain/reminders';
import { CATCH_UP_MINUTES, deliverDueReminders, MAX_MINUTES_PER_RUN } from '../../lib/reminders/deliver-due-reminders';
import { createDefaultRemindersScheduler, createReminderScheduler } from '../../lib/reminders/schedule-reminders';
import type { Meeting } from '../../lib/meetings/meeting';
import type { JobCursor, Notification, PendingReschedule, PendingReschedules, ReminderScheduleRepo, ScheduledReminder, UpcomingMeetings } from '../../lib/reminders/ports';
import { recordingLog } from '../support/recording-log';
import type { User } from '../../lib/users/user';

const identity = (entry: ScheduledReminder) => `${entry.eventId}#${entry.occurrenceStart}#${entry.minutes}#${entry.userId}`;

function fakeSchedule() {
  const entries = new Map<string, ScheduledReminder>();
  const notifications = new Map<string, Notification>();
  const failures = new Map<string, number>();
  let failNextDeliveries = 0;
  const repo: ReminderScheduleRepo = {
    async put(list) {
      for (const entry of list) entries.set(identity(entry), entry);
    },
    async remove(list) {
      for (const entry of list) entries.delete(identity(entry));
    },
    async listMinute(minute) {
      return [...entries.values()].filter((entry) => floorToMinute(entry.fireAt) === minute);
    },
    async recordFailure(entry) {
      if (!entries.has(identity(entry))) return 0;
      const attempts = (failures.get(identity(entry)) ?? 0) + 1;
      failures.set(identity(entry), attempts);
      return attempts;
    },
    async deliver(entry, notification) {
      if (failNextDeliveries > 0) {
        failNextDeliveries -= 1;
        throw new Error('ProvisionedThroughputExceededException');
      }
      if (notifications.has(identity(entry))) return false;
      notifications.set(identity(entry), notification);
      entries.delete(identity(entry));
      return true;
    },
  };
  return {
    repo,
    entries: () => [...entries.values()].sort((a, b) => a.fireAt - b.fireAt),
    notifications: () => [...notifications.values()],
    failNextDeliveries: (count: number) => {
      failNextDeliveries = count;
    },
  };
}

function fakeCursor(): JobCursor & { value?: number } {
  const cursor: JobCursor & { value?: number } = {
    async read() {
      return cursor.value;
    },
    async advance(minute) {
      if (cursor.value === undefined || minute > cursor.value) cursor.value = minute;
    },
  };
  return cursor;
}

function fakeUsers(users: Array<Pick<User, 'id' | 'reminderMinutes'>>) {
  const byId = new Map(users.map((user) => [user.id, user as User]));
  return {
    async get(id: string) {
      return byId.get(id);
    },
    async getMany(ids: string[]) {
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
  };
}

function fakeMeetings(meetings: Meeting[] = []) {
  const byId = new Map(meetings.map((meeting) => [meeting.id, meeting]));
  let failNextLists = 0;
  const upcoming: UpcomingMeetings = {
    // Series first, then single events by start; the cursor is an offset into that order.
    async listUpcomingForParticipant(userId, from, page) {
      if (failNextLists > 0) {
        failNextLists -= 1;
        throw new Error('ProvisionedThroughputExceededException');
      }
      const mine = [...byId.values()].filter((meeting) => meeting.attendees.some((attendee) => attendee.userId === userId));
      const ordered = [
        ...mine.filter((meeting) => meeting.rrule),
        ...mine.filter((meeting) => !meeting.rrule && Date.parse(meeting.start) >= from).sort((a, b) => Date.parse(a.start) - Date.parse(b.start)),
      ];
      const offset = Number(page.cursor ?? 0);
      const next = offset + page.limit;
      return { meetings: ordered.slice(offset, next), ...(next < ordered.length ? { nextCursor: String(next) } : {}) };
    },
  };
  return {
    byId,
    upcoming,
    failNextLists: (count: number) => void (failNextLists = count),
    async get(id: string) {
      return byId.get(id);
    },
  };
}

/** PendingReschedules in memory, with the version rule of the store (a removal loses to a later keep). */
function fakePending() {
  const items = new Map<string, PendingReschedule>();
  const key = (item: { kind: string; eventId?: string; userId?: string }) => `${item.kind}#${item.eventId ?? item.userId}`;
  const repo: PendingReschedules = {
    async keepMeeting(eventId, previous, keptAt) {
      const current = items.get(key({ kind: 'meeting', eventId })) as Extract<PendingReschedule, { kind: 'meeting' }> | undefined;
      items.set(key({ kind: 'meeting', eventId }), {
        kind: 'meeting',
        eventId,
        previous: [...(current?.previous ?? []), ...(previous ? [JSON.parse(JSON.stringify(previous))] : [])],
        keptAt: current?.keptAt ?? keptAt,
        version: (current?.version ?? 0) + 1,
      });
    },
    async keepUser(userId, kept, keptAt) {
      const current = items.get(key({ kind: 'user', userId })) as Extract<PendingReschedule, { kind: 'user' }> | undefined;
      items.set(key({ kind: 'user', userId }), {
        kind: 'user',
        userId,
        previousMinutes: [...new Set([...(current?.previousMinutes ?? []), ...kept.previousMinutes])].sort((a, b) => a - b),
        ...(kept.cursor ? { cursor: kept.cursor } : {}),
        keptAt: current?.keptAt ?? keptAt,
        version: (current?.version ?? 0) + 1,
      });
    },
    async getUser(userId) {
      return items.get(key({ kind: 'user', userId })) as Extract<PendingReschedule, { kind: 'user' }> | undefined;
    },
    async list(limit) {
      return [...items.values()].slice(0, limit);
    },
    async remove(item) {
      if (items.get(key(item))?.version === item.version) items.delete(key(item));
    },
    async advance(item, cursor) {
      const current = items.get(key(item));
      if (current?.version === item.version) items.set(key(item), { ...item, cursor });
    },
  };
  return { repo, items: () => [...items.values()] };
}

/** A schedule repo that throws on the next `count` calls of `method` that write something (as DynamoDB would), then behaves like `repo`. */
function failingOnce(repo: ReminderScheduleRepo, method: 'put' | 'remove', count = 1): ReminderScheduleRepo {
  let left = count;
  return {
    ...repo,
    async [method](entries: ScheduledReminder[]) {
      if (left > 0 && entries.length) {
        left -= 1;
        throw new Error('ProvisionedThroughputExceededException');
      }
      return repo[method](entries);
    },
  };
}

/** A meeting with sensible defaults: organizer `org`, Berlin, one hour, public. */
function aMeeting(overrides: Partial<Meeting> & Pick<Meeting, 'start'>): Meeting {
  const start = overrides.start;
  return {
    id: 'M1',
    title: 'Standup',
    end: new Date(Date.parse(start) + 3_600_000).toISOString(),
    timeZone: 'Europe/Berlin',
    organizerId: 'org',
    attendees: [{ userId: 'org', status: 'organizer' }],
    visibility: 'public',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    version: 1,
    ...overrides,
  };
}

const fixedClock = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => void (now = new Date(next)) };
};

const at = (text: string) => Date.parse(text);
const isoOf = (epochMs: number | undefined) => (epochMs === undefined ? undefined : new Date(epochMs).toISOString());
const MINUTE = 60_000;

/** Everything the scheduler and the job need, sharing one fake schedule. */
function world(options: { meetings?: Meeting[]; users?: Array<Pick<User, 'id' | 'reminderMinutes'>>; now: string; scheduleFault?: { method: 'put' | 'remove'; count?: number }; defaultsPageSize?: number }) {
  const schedule = fakeSchedule();
  const meetings = fakeMeetings(options.meetings);
  const users = fakeUsers(options.users ?? [{ id: 'org', reminderMinutes: [10] }]);
  const clock = fixedClock(options.now);
  const cursor = fakeCursor();
  const log = recordingLog();
  const pending = fakePending();
  // The scheduler (the request path) may see a failing schedule; the job always sees the working one.
  const schedulerSchedule = options.scheduleFault ? failingOnce(schedule.repo, options.scheduleFault.method, options.scheduleFault.count) : schedule.repo;
  const scheduler = createReminderScheduler({ schedule: schedulerSchedule, users, clock, pending: pending.repo, log });
  const defaults = createDefaultRemindersScheduler({ schedule: schedulerSchedule, clock, pending: pending.repo, upcoming: meetings.upcoming, log, defaultsPageSize: options.defaultsPageSize });
  const run = (now: string) =>
    deliverDueReminders({ schedule: schedule.repo, cursor, pending: pending.repo, meetings, upcoming: meetings.upcoming, users, log, defaultsPageSize: options.defaultsPageSize }, new Date(now));
  const delivered = () => log.lines.filter((line) => line.message === 'reminder delivered');
  /** Saves a meeting as the use cases do: the store first, then the scheduler. */
  const save = async (previous: Meeting | undefined, next: Meeting) => {
    meetings.byId.set(next.id, next);
    await scheduler.meetingSaved(previous, next);
  };
  return { schedule, meetings, users, clock, cursor, log, pending, scheduler, defaults, run, delivered, save };
}

const brief = (entries: ScheduledReminder[]) => entries.map((entry) => `${entry.userId} ${entry.minutes}m @${isoOf(entry.fireAt)}`);

describe('the reminder scheduler', () => {
  it('plans the next fire of each recipient and minutes value, with profile defaults when the event has none', async () => {
    const meeting = aMeeting({
      start: '2030-01-14T10:00:00+01:00',
      attendees: [
        { userId: 'org', status: 'organizer' },
        { userId: 'ann', status: 'pending' },
        { userId: 'bob', status: 'declined' },
      ],
    });
    const w = world({ now: '2030-01-01T00:00:00Z', users: [{ id: 'org', reminderMinutes: [10, 60] }, { id: 'ann', reminderMinutes: [5] }, { id: 'bob', reminderMinutes: [5] }] });
    await w.scheduler.meetingSaved(undefined, meeting);
    expect(brief(w.schedule.entries())).toEqual([
      'org 60m @2030-01-14T08:00:00.000Z',
      'org 10m @2030-01-14T08:50:00.000Z',
      'ann 5m @2030-01-14T08:55:00.000Z',
    ]);

    await w.scheduler.meetingSaved(meeting, { ...meeting, reminders: [15], version: 2 });
    expect(brief(w.schedule.entries())).toEqual(['org 15m @2030-01-14T08:45:00.000Z', 'ann 15m @2030-01-14T08:45:00.000Z']);
  });

  it('moves entries with the meeting, drops a recipient who declines and everything when the meeting is deleted', async () => {
    const meeting = aMeeting({ start: '2030-01-14T10:00:00+01:00', reminders: [10], attendees: [{ userId: 'org', status: 'organizer' }, { userId: 'ann', status: 'accepted' }] });
    const w = world({ now: '2030-01-01T00:00:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);
    const moved = { ...meeting, start: '2030-01-15T10:00:00+01:00', end: '2030-01-15T11:00:00+01:00', version: 2 };
    await w.scheduler.meetingSaved(meeting, moved);
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-01-15T08:50:00.000Z', 'ann 10m @2030-01-15T08:50:00.000Z']);

    const declined = { ...moved, attendees: [moved.attendees[0], { userId: 'ann', status: 'declined' as const }], version: 3 };
    await w.scheduler.meetingSaved(moved, declined);
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-01-15T08:50:00.000Z']);

    await w.scheduler.meetingDeleted(declined);
    expect(w.schedule.entries()).toEqual([]);
  });

  it('plans only the next occurrence of a series, and no fire that has already passed (the current minute still counts)', async () => {
    const daily = aMeeting({ start: '2030-03-01T09:00:00Z', end: '2030-03-01T09:30:00Z', timeZone: 'UTC', rrule: 'FREQ=DAILY', reminders: [10, 120] });
    const w = world({ now: '2030-03-05T08:50:40Z' });
    await w.scheduler.meetingSaved(undefined, daily);
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-03-05T08:50:00.000Z', 'org 120m @2030-03-06T07:00:00.000Z']);
  });
});

describe('deliverDueReminders', () => {
  it('delivers a reminder once, in its minute, with a notification and one structured log line', async () => {
    const meeting = aMeeting({ start: '2030-01-14T10:00:00+01:00', reminders: [10] });
    const w = world({ meetings: [meeting], now: '2030-01-01T00:00:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);

    expect(await w.run('2030-01-14T08:49:59Z')).toMatchObject({ delivered: 0 });
    expect(await w.run('2030-01-14T08:50:00Z')).toMatchObject({ delivered: 1, from: '2030-01-14T08:49:00.000Z', to: '2030-01-14T08:50:00.000Z' });
    expect(await w.run('2030-01-14T08:50:30Z')).toMatchObject({ delivered: 0, alreadyDelivered: 0 });
    expect(await w.run('2030-01-14T08:51:00Z')).toMatchObject({ delivered: 0 });

    expect(w.schedule.notifications()).toEqual([
      expect.objectContaining({ userId: 'org', eventId: 'M1', title: 'Standup', start: '2030-01-14T10:00:00+01:00', end: '2030-01-14T11:00:00+01:00', minutesBefore: 10, deliveredAt: '2030-01-14T08:50:00.000Z' }),
    ]);
    expect(w.delivered()).toEqual([
      {
        level: 'info',
        message: 'reminder delivered',
        attributes: expect.objectContaining({ eventId: 'M1', userId: 'org', minutes: 10, occurrenceStart: '2030-01-14T09:00:00.000Z', fireAt: '2030-01-14T08:50:00.000Z', delaySeconds: 0 }),
      },
    ]);
    expect(JSON.stringify(w.log.lines)).not.toContain('Standup');
    expect(w.schedule.entries()).toEqual([]);
  });

  it('does not deliver twice when the entry is written again after delivery (a re-run of the same minute)', async () => {
    const meeting = aMeeting({ start: '2030-01-14T10:00:00+01:00', reminders: [10] });
    const w = world({ meetings: [meeting], now: '2030-01-14T08:40:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);
    await w.run('2030-01-14T08:50:00Z');
    w.clock.set('2030-01-14T08:50:20Z');
    await w.scheduler.meetingSaved(meeting, { ...meeting, title: 'Renamed', version: 2 });
    expect(w.schedule.entries()).toHaveLength(1);
    expect(await w.run('2030-01-14T08:51:00Z')).toMatchObject({ delivered: 0, alreadyDelivered: 1 });
    expect(w.delivered()).toHaveLength(1);
    expect(w.schedule.entries()).toEqual([]);
  });

  it('starts with the last 15 minutes on its first run and leaves an entry a few seconds ahead for the next run', async () => {
    const meeting = aMeeting({ start: '2030-01-14T09:00:30Z', timeZone: 'UTC', reminders: [0, 20] });
    const w = world({ meetings: [meeting], now: '2030-01-14T08:00:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);
    // The 20-minute reminder (08:40:30) is 19.5 minutes old: too late to be of use on a first run.
    const first = await w.run('2030-01-14T09:00:00Z');
    expect(first).toMatchObject({ from: '2030-01-14T08:45:00.000Z', to: '2030-01-14T09:00:00.000Z', delivered: 0, notDueYet: 1 });
    expect(w.cursor.value).toBe(at('2030-01-14T09:00:00Z'));
    expect(await w.run('2030-01-14T09:01:00Z')).toMatchObject({ from: '2030-01-14T09:00:00.000Z', delivered: 1, notDueYet: 0 });
  });

  it('after an outage, does not deliver stale reminders but keeps a series going', async () => {
    const daily = aMeeting({ start: '2030-03-01T09:00:00Z', end: '2030-03-01T09:30:00Z', timeZone: 'UTC', rrule: 'FREQ=DAILY', reminders: [10] });
    const w = world({ meetings: [daily], now: '2030-03-01T07:00:00Z' });
    await w.scheduler.meetingSaved(undefined, daily);
    await w.run('2030-03-01T08:00:00Z');
    const afterOutage = await w.run('2030-03-01T11:00:00Z');
    expect(afterOutage).toMatchObject({ from: '2030-03-01T08:00:00.000Z', to: '2030-03-01T11:00:00.000Z', delivered: 0, late: 1 });
    expect(w.log.lines.some((line) => line.level === 'warn' && line.message === 'reminder too late, not delivered')).toBe(true);
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-03-02T08:50:00.000Z']);
    for (const now of ['2030-03-01T17:00:00Z', '2030-03-01T23:00:00Z', '2030-03-02T05:00:00Z']) await w.run(now);
    expect(await w.run('2030-03-02T08:50:00Z')).toMatchObject({ delivered: 1 });
  });

  it(`reads at most ${MAX_MINUTES_PER_RUN} minute buckets per run and resumes where it stopped`, async () => {
    const meeting = aMeeting({ start: '2030-01-02T12:00:00Z', timeZone: 'UTC', reminders: [0] });
    const w = world({ meetings: [meeting], now: '2030-01-01T00:00:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);
    await w.run('2030-01-01T00:00:00Z');
    const now = '2030-01-02T12:00:00Z';
    expect(await w.run(now)).toMatchObject({ from: '2030-01-01T00:00:00.000Z', to: '2030-01-01T11:59:00.000Z', delivered: 0 });
    expect(await w.run(now)).toMatchObject({ from: '2030-01-01T12:00:00.000Z', to: '2030-01-01T23:59:00.000Z' });
    expect(await w.run(now)).toMatchObject({ from: '2030-01-02T00:00:00.000Z', to: '2030-01-02T11:59:00.000Z' });
    expect(await w.run(now)).toMatchObject({ from: '2030-01-02T12:00:00.000Z', to: '2030-01-02T12:00:00.000Z', delivered: 1 });
  });

  it('delivers several occurrences of a series that fall due within one run, each once and in order', async () => {
    const everyFive = aMeeting({ start: '2030-05-06T09:00:00Z', end: '2030-05-06T09:04:00Z', timeZone: 'UTC', rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0,5,10', reminders: [0] });
    const w = world({ meetings: [everyFive], now: '2030-05-06T08:58:00Z' });
    await w.scheduler.meetingSaved(undefined, everyFive);
    await w.run('2030-05-06T08:59:00Z');
    expect(await w.run('2030-05-06T09:12:00Z')).toMatchObject({ delivered: 3, late: 0 });
    expect(w.schedule.notifications().map((n) => n.start)).toEqual(['2030-05-06T09:00:00Z', '2030-05-06T09:05:00Z', '2030-05-06T09:10:00Z']);
    expect(brief(w.schedule.entries())).toEqual(['org 0m @2030-05-07T09:00:00.000Z']);
  });

  it('holds the cursor at a minute whose delivery failed, and delivers on the next run', async () => {
    const meeting = aMeeting({ start: '2030-01-14T10:00:00+01:00', reminders: [10] });
    const w = world({ meetings: [meeting], now: '2030-01-14T08:00:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);
    w.schedule.failNextDeliveries(1);
    expect(await w.run('2030-01-14T08:52:00Z')).toMatchObject({ delivered: 0, failed: 1 });
    expect(w.cursor.value).toBe(at('2030-01-14T08:50:00Z'));
    expect(await w.run('2030-01-14T08:53:00Z')).toMatchObject({ from: '2030-01-14T08:50:00.000Z', delivered: 1, failed: 0 });
  });

  it('drops entries of deleted meetings, declined recipients and removed reminders without delivering', async () => {
    const base = { start: '2030-01-14T10:00:00+01:00', reminders: [10], attendees: [{ userId: 'org', status: 'organizer' as const }, { userId: 'ann', status: 'pending' as const }] };
    const gone = aMeeting({ ...base, id: 'GONE' });
    const declinedByAnn = aMeeting({ ...base, id: 'DECL' });
    const changedReminders = aMeeting({ ...base, id: 'CHNG' });
    const w = world({ meetings: [declinedByAnn, changedReminders], now: '2030-01-14T08:00:00Z' });
    for (const meeting of [gone, declinedByAnn, changedReminders]) await w.scheduler.meetingSaved(undefined, meeting);
    // Changes the scheduler never heard of (as after a lost write): the job re-checks each entry.
    w.meetings.byId.set('DECL', { ...declinedByAnn, attendees: [base.attendees[0], { userId: 'ann', status: 'declined' }] });
    w.meetings.byId.set('CHNG', { ...changedReminders, reminders: [30] });
    const summary = await w.run('2030-01-14T08:50:00Z');
    expect(summary).toMatchObject({ delivered: 1, skipped: 5 });
    expect(w.schedule.notifications().map((n) => `${n.eventId} ${n.userId}`)).toEqual(['DECL org']);
    expect(w.schedule.entries()).toEqual([]);
    const reasons = w.log.lines.filter((line) => line.message === 'reminder skipped').map((line) => line.attributes.reason);
    expect(reasons.sort()).toEqual(['event_deleted', 'event_deleted', 'not_attending', 'reminder_removed', 'reminder_removed']);
  });

  it('applies the profile default at fire time when the event has no reminders of its own', async () => {
    const meeting = aMeeting({ start: '2030-01-14T10:00:00+01:00' });
    const w = world({ meetings: [meeting], users: [{ id: 'org', reminderMinutes: [10] }], now: '2030-01-14T08:00:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);
    expect(await w.run('2030-01-14T08:50:00Z')).toMatchObject({ delivered: 1 });
    expect(w.schedule.notifications()[0].minutesBefore).toBe(10);
  });

  it('skips a moved occurrence but continues with the series, and keeps going past a meeting it cannot read', async () => {
    const weekly = aMeeting({ start: '2030-01-07T10:00:00+01:00', rrule: 'FREQ=WEEKLY', reminders: [10] });
    const broken = aMeeting({ id: 'BROKEN', start: '2030-01-07T10:00:00+01:00', reminders: [10] });
    const w = world({ meetings: [weekly, broken], now: '2030-01-07T08:00:00Z' });
    await w.scheduler.meetingSaved(undefined, weekly);
    await w.scheduler.meetingSaved(undefined, broken);
    w.meetings.byId.set('BROKEN', { ...broken, timeZone: 'Not/AZone' });
    // The first occurrence moved by an hour without the scheduler hearing of it.
    w.meetings.byId.set('M1', { ...weekly, overrides: [{ originalStart: '2030-01-07T09:00:00.000Z', start: '2030-01-07T11:00:00+01:00', end: '2030-01-07T12:00:00+01:00' }] });
    const summary = await w.run('2030-01-07T08:50:00Z');
    expect(summary).toMatchObject({ delivered: 0, skipped: 2, failed: 0 });
    expect(w.log.lines.find((line) => line.level === 'error')?.message).toBe('reminder entry unreadable');
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-01-07T09:50:00.000Z']);
    expect(await w.run('2030-01-07T09:50:00Z')).toMatchObject({ delivered: 1 });
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-01-14T08:50:00.000Z']);
  });

  it(`delivers a reminder up to ${CATCH_UP_MINUTES} minutes late`, async () => {
    const meeting = aMeeting({ start: '2030-01-14T10:00:00+01:00', reminders: [10] });
    const w = world({ meetings: [meeting], now: '2030-01-14T08:00:00Z' });
    await w.scheduler.meetingSaved(undefined, meeting);
    await w.run('2030-01-14T08:40:00Z');
    expect(await w.run('2030-01-14T09:05:00Z')).toMatchObject({ delivered: 1, late: 0 });
    expect(w.delivered()[0].attributes.delaySeconds).toBe(15 * 60);
    expect(floorToMinute(at('2030-01-14T09:05:00Z')) - at('2030-01-14T08:50:00Z')).toBe(CATCH_UP_MINUTES * MINUTE);
  });
});

describe('pending reschedules', () => {
  const standup = (overrides: Partial<Meeting> = {}) => aMeeting({ start: '2030-01-14T10:00:00+01:00', reminders: [10], attendees: [{ userId: 'org', status: 'organizer' }, { userId: 'ann', status: 'accepted' }], ...overrides });
  const people = [{ id: 'org', reminderMinutes: [10] }, { id: 'ann', reminderMinutes: [5] }];

  it('a failed write leaves the saved change standing, keeps it pending, and the repair writes what a successful save would have', async () => {
    const meeting = standup();
    const control = world({ users: people, now: '2030-01-14T08:00:00Z' });
    await control.save(undefined, meeting);
    const w = world({ users: people, now: '2030-01-14T08:00:00Z', scheduleFault: { method: 'put' } });

    await expect(w.save(undefined, meeting)).resolves.toBeUndefined();
    expect(w.schedule.entries()).toEqual([]);
    expect(w.pending.items()).toEqual([expect.objectContaining({ kind: 'meeting', eventId: 'M1', keptAt: at('2030-01-14T08:00:00Z'), previous: [] })]);
    expect(w.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'could not schedule reminders; kept as pending' }));

    expect(await w.run('2030-01-14T08:01:00Z')).toMatchObject({ repaired: 1, repairFailed: 0, delivered: 0, failed: 0 });
    expect(w.schedule.entries()).toEqual(control.schedule.entries());
    expect(w.pending.items()).toEqual([]);
    // Repairing again (a second run with the item still there) changes nothing.
    await w.pending.repo.keepMeeting('M1', undefined, at('2030-01-14T08:00:00Z'));
    expect(await w.run('2030-01-14T08:02:00Z')).toMatchObject({ repaired: 1 });
    expect(w.schedule.entries()).toEqual(control.schedule.entries());
  });

  it('removes the entries a failed change made stale, and leaves none for a meeting deleted while its removal failed', async () => {
    const meeting = standup();
    const moved = { ...meeting, start: '2030-01-15T10:00:00+01:00', end: '2030-01-15T11:00:00+01:00', version: 2 };
    const w = world({ users: people, now: '2030-01-01T00:00:00Z', scheduleFault: { method: 'remove', count: 1 } });
    await w.save(undefined, meeting);
    await w.save(meeting, moved);
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-01-14T08:50:00.000Z', 'ann 10m @2030-01-14T08:50:00.000Z']);
    expect(w.pending.items()).toEqual([expect.objectContaining({ kind: 'meeting', previous: [expect.objectContaining({ start: meeting.start })] })]);
    // What is kept of the previous state: what the schedule needs, not the title.
    expect(JSON.stringify(w.pending.items())).not.toContain('Standup');

    await w.run('2030-01-01T00:01:00Z');
    expect(brief(w.schedule.entries())).toEqual(['org 10m @2030-01-15T08:50:00.000Z', 'ann 10m @2030-01-15T08:50:00.000Z']);

    const deleting = world({ users: people, now: '2030-01-01T00:02:00Z', scheduleFault: { method: 'remove', count: 1 } });
    await deleting.save(undefined, moved);
    deleting.meetings.byId.delete(moved.id);
    await expect(deleting.scheduler.meetingDeleted(moved)).resolves.toBeUndefined();
    expect(deleting.schedule.entries()).toHaveLength(2);
    expect(await deleting.run('2030-01-01T00:03:00Z')).toMatchObject({ repaired: 1 });
    expect(deleting.schedule.entries()).toEqual([]);
    expect(deleting.pending.items()).toEqual([]);
  });

  it(`a fire missed while pending is delivered up to ${CATCH_UP_MINUTES} minutes late, and only logged when later`, async () => {
    const soon = standup({ id: 'SOON', reminders: [10], attendees: [{ userId: 'org', status: 'organizer' }] });
    const earlier = standup({ id: 'EARLIER', reminders: [30], attendees: [{ userId: 'org', status: 'organizer' }] });
    const w = world({ users: people, now: '2030-01-14T08:20:00Z', scheduleFault: { method: 'put', count: 2 } });
    await w.save(undefined, soon);
    await w.save(undefined, earlier);
    expect(w.pending.items()).toHaveLength(2);
    // Runs went on meanwhile (their repairs failing, say): the cursor is past both fire times, 08:50 and 08:30.
    w.cursor.value = at('2030-01-14T08:59:00Z');

    const summary = await w.run('2030-01-14T09:00:00Z');
    expect(summary).toMatchObject({ repaired: 2, delivered: 1, late: 1, failed: 0 });
    expect(w.schedule.notifications()).toEqual([expect.objectContaining({ eventId: 'SOON', minutesBefore: 10, deliveredAt: '2030-01-14T09:00:00.000Z' })]);
    expect(w.delivered()[0].attributes.delaySeconds).toBe(10 * 60);
    expect(w.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'reminder too late, not delivered', attributes: expect.objectContaining({ eventId: 'EARLIER' }) }));
    expect(w.schedule.entries()).toEqual([]);
    expect(w.pending.items()).toEqual([]);
  });

  it('keeps the item when a missed fire could not be handled, and delivers it once on the next run', async () => {
    const meeting = standup({ attendees: [{ userId: 'org', status: 'organizer' }] });
    const w = world({ users: people, now: '2030-01-14T08:40:00Z', scheduleFault: { method: 'put' } });
    await w.save(undefined, meeting);
    w.cursor.value = at('2030-01-14T08:55:00Z');
    w.schedule.failNextDeliveries(1);
    expect(await w.run('2030-01-14T08:56:00Z')).toMatchObject({ repaired: 1, delivered: 0, failed: 1 });
    expect(w.pending.items()).toHaveLength(1);
    expect(await w.run('2030-01-14T08:57:00Z')).toMatchObject({ repaired: 1, delivered: 1, failed: 0 });
    expect(await w.run('2030-01-14T08:58:00Z')).toMatchObject({ repaired: 0, delivered: 0 });
    expect(w.schedule.notifications()).toHaveLength(1);
  });
});

describe('changing the default reminder minutes', () => {
  const single = (id: string, start: string, overrides: Partial<Meeting> = {}) => aMeeting({ id, start, timeZone: 'UTC', ...overrides });

  it("moves the user's entries of upcoming meetings that use the default, and nothing else", async () => {
    const meetings = [
      single('OWN', '2030-02-01T10:00:00Z', { reminders: [30] }),
      single('DEFAULT', '2030-02-02T10:00:00Z', { attendees: [{ userId: 'org', status: 'organizer' }, { userId: 'ann', status: 'pending' }] }),
      single('DECLINED', '2030-02-03T10:00:00Z', { organizerId: 'ann', attendees: [{ userId: 'ann', status: 'organizer' }, { userId: 'org', status: 'declined' }] }),
      single('SERIES', '2030-01-06T09:00:00Z', { end: '2030-01-06T09:30:00Z', rrule: 'FREQ=WEEKLY' }),
      single('PAST', '2030-01-09T10:00:00Z'),
    ];
    const w = world({ meetings, users: [{ id: 'org', reminderMinutes: [10] }, { id: 'ann', reminderMinutes: [5] }], now: '2030-01-10T00:00:00Z' });
    for (const meeting of meetings) await w.scheduler.meetingSaved(undefined, meeting);
    const before = brief(w.schedule.entries());

    (await w.users.get('org'))!.reminderMinutes = [60, 15];
    await w.defaults.defaultsChanged({ id: 'org', reminderMinutes: [60, 15] }, [10]);

    const after = brief(w.schedule.entries());
    expect(after.filter((line) => line.startsWith('ann'))).toEqual(before.filter((line) => line.startsWith('ann')));
    expect(w.schedule.entries().filter((entry) => entry.userId === 'org').map((entry) => `${entry.eventId} ${entry.minutes}m @${isoOf(entry.fireAt)}`)).toEqual([
      'SERIES 60m @2030-01-13T08:00:00.000Z',
      'SERIES 15m @2030-01-13T08:45:00.000Z',
      'OWN 30m @2030-02-01T09:30:00.000Z',
      'DEFAULT 60m @2030-02-02T09:00:00.000Z',
      'DEFAULT 15m @2030-02-02T09:45:00.000Z',
    ]);
    expect(w.pending.items()).toEqual([]);
  });

  it('does a page in the request and leaves the rest to the job, a page per run', async () => {
    const meetings = Array.from({ length: 5 }, (_, index) => single(`M${index}`, `2030-02-0${index + 1}T10:00:00Z`));
    const w = world({ meetings, now: '2030-01-10T00:00:00Z', defaultsPageSize: 2 });
    for (const meeting of meetings) await w.scheduler.meetingSaved(undefined, meeting);
    (await w.users.get('org'))!.reminderMinutes = [20];
    await w.defaults.defaultsChanged({ id: 'org', reminderMinutes: [20] }, [10]);
    expect(w.schedule.entries().map((entry) => `${entry.eventId} ${entry.minutes}`)).toEqual(['M0 20', 'M1 20', 'M2 10', 'M3 10', 'M4 10']);
    expect(w.pending.items()).toEqual([expect.objectContaining({ kind: 'user', userId: 'org', previousMinutes: [10], cursor: '2' })]);

    expect(await w.run('2030-01-10T00:01:00Z')).toMatchObject({ repaired: 1 });
    expect(w.pending.items()).toEqual([expect.objectContaining({ cursor: '4' })]);
    await w.run('2030-01-10T00:02:00Z');
    expect(w.schedule.entries().map((entry) => `${entry.eventId} ${entry.minutes}`)).toEqual(['M0 20', 'M1 20', 'M2 20', 'M3 20', 'M4 20']);
    expect(w.pending.items()).toEqual([]);
  });

  it('keeps the whole change pending when the request cannot do it, and the job does', async () => {
    const meetings = [single('A', '2030-02-01T10:00:00Z'), single('B', '2030-02-02T10:00:00Z')];
    const w = world({ meetings, now: '2030-01-10T00:00:00Z' });
    for (const meeting of meetings) await w.scheduler.meetingSaved(undefined, meeting);
    (await w.users.get('org'))!.reminderMinutes = [25];
    w.meetings.failNextLists(1);
    await expect(w.defaults.defaultsChanged({ id: 'org', reminderMinutes: [25] }, [10])).resolves.toBeUndefined();
    expect(w.pending.items()).toEqual([expect.objectContaining({ kind: 'user', previousMinutes: [10] })]);
    expect((w.pending.items()[0] as { cursor?: string }).cursor).toBeUndefined();
    expect(w.schedule.entries().map((entry) => entry.minutes)).toEqual([10, 10]);

    expect(await w.run('2030-01-10T00:01:00Z')).toMatchObject({ repaired: 1 });
    expect(w.schedule.entries().map((entry) => `${entry.eventId} ${entry.minutes}`)).toEqual(['A 25', 'B 25']);
    expect(w.pending.items()).toEqual([]);
  });
});
