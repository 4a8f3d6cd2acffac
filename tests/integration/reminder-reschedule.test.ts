// Reminder scheduling that fails after the change was saved, against DynamoDB Local: the meeting and profile use cases
// run in process with the real stores, except a schedule (or profile) port that throws once. The change must stand, a
// pending reschedule must be kept, and the reminder job's repair must leave the schedule a successful save would have.
import { ulid } from 'ulid';
import { createMeeting, deleteMeeting, type MeetingDeps, updateMeeting } from '../../lib/meetings/use-cases';
import { deliverDueReminders } from '../../lib/reminders/deliver-due-reminders';
import type { ReminderScheduleRepo, ScheduledReminder } from '../../lib/reminders/ports';
import { recordingLog } from '../support/recording-log';
import { createDefaultRemindersScheduler, createReminderScheduler } from '../../lib/reminders/schedule-reminders';
import { meetingStore } from '../../lib/store/meeting-store';
import { notificationStore } from '../../lib/store/notification-store';
import { reminderStore } from '../../lib/store/reminder-store';
import { userStore } from '../../lib/store/user-store';
import { updateOwnProfile } from '../../lib/users/use-cases';
import type { User } from '../../lib/users/user';
import { assertLocalEndpoints } from '../support/local-env';

beforeAll(assertLocalEndpoints);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const iso = (epochMs: number) => new Date(epochMs).toISOString();
// Days of their own, far from the real clock (the local stack's job runs every minute) and from the other reminder tests.
const fileBase = Date.UTC(2150, 0, 1) + Math.floor(Math.random() * 18_000) * DAY;
let testIndex = 0;
const freshDay = () => fileBase + testIndex++ * 20 * DAY;

async function aUser(reminderMinutes: number[] = [10]): Promise<User> {
  const now = new Date().toISOString();
  const id = ulid();
  const user: User = { id, name: 'N', email: `resched.${id}@example.test`, passwordHash: 'scrypt$x', timeZone: 'UTC', workingHours: {}, reminderMinutes, createdAt: now, updatedAt: now, version: 1 };
  await userStore.create(user);
  return user;
}

/** The real schedule store, except that the next write through `failNext(method)` throws as DynamoDB would. */
function faultySchedule() {
  const armed = { put: 0, remove: 0 };
  const failing =
    (method: 'put' | 'remove') =>
    async (entries: ScheduledReminder[]): Promise<void> => {
      if (armed[method] > 0 && entries.length) {
        armed[method] -= 1;
        throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), { name: 'ProvisionedThroughputExceededException' });
      }
      return reminderStore[method](entries);
    };
  const repo: Pick<ReminderScheduleRepo, 'put' | 'remove'> = { put: failing('put'), remove: failing('remove') };
  return { repo, failNext: (method: 'put' | 'remove', times = 1) => void (armed[method] = times) };
}

/**
 * A job of its own (cursor and pending partition), a clock the test sets, the meeting use cases wired to a schedule that
 * can fail, and a control wiring that never fails (what a successful save produces).
 */
function setup(nowMs: number) {
  let now = nowMs;
  const clock = { now: () => new Date(now) };
  const jobName = `test-${ulid()}`;
  const pending = reminderStore.pending(jobName);
  const log = recordingLog();
  const schedule = faultySchedule();
  const failingUsers = { armed: 0 };
  const users = {
    getMany: async (ids: string[]) => {
      if (failingUsers.armed > 0) {
        failingUsers.armed -= 1;
        throw Object.assign(new Error('Throughput exceeds the current capacity of your table'), { name: 'ProvisionedThroughputExceededException' });
      }
      return userStore.getMany(ids);
    },
  };
  const deps: MeetingDeps = { meetings: meetingStore, users: userStore, clock, reminders: createReminderScheduler({ schedule: schedule.repo, users, clock, pending, log }) };
  const control: MeetingDeps = { meetings: meetingStore, users: userStore, clock, reminders: createReminderScheduler({ schedule: reminderStore, users: userStore, clock, pending, log }) };
  const defaults = (pageSize?: number) => createDefaultRemindersScheduler({ schedule: schedule.repo, clock, pending, upcoming: meetingStore, log, defaultsPageSize: pageSize });
  const runJob = (atMs: number, options: { defaultsPageSize?: number } = {}) =>
    deliverDueReminders(
      { schedule: reminderStore, cursor: reminderStore.cursor(jobName), pending, meetings: meetingStore, upcoming: meetingStore, users: userStore, log, defaultsPageSize: options.defaultsPageSize },
      new Date(atMs),
    );
  return { deps, control, defaults, pending, log, schedule, runJob, jobName, failProfileReads: () => void (failingUsers.armed = 1), setNow: (ms: number) => void (now = ms) };
}

/** What the schedule holds for an event in the given minutes, without the event id (to compare with a control event). */
async function entriesOf(eventId: string, minutes: number[]) {
  const lists = await Promise.all([...new Set(minutes)].map((minute) => reminderStore.listMinute(minute)));
  return lists
    .flat()
    .filter((entry) => entry.eventId === eventId)
    .map(({ userId, minutes: before, occurrenceStart, fireAt }) => `${userId} ${before}m ${iso(occurrenceStart)} @${iso(fireAt)}`)
    .sort();
}

it('a create whose reminders cannot be written still succeeds; the job writes them as a successful create would have', async () => {
  const day = freshDay();
  const [organizer, ann] = await Promise.all([aUser([10]), aUser([5, 60])]);
  const t = setup(day);
  const start = day + 10 * 60 * MINUTE;
  const input = { title: 'Review', start: iso(start), durationMinutes: 30, attendeeIds: [ann.id], visibility: 'public' as const };
  const minutes = [10, 5, 60].map((before) => start - before * MINUTE);

  t.schedule.failNext('put');
  const event = await createMeeting(t.deps, organizer.id, input);
  const control = await createMeeting(t.control, organizer.id, input);

  expect(await meetingStore.get(event.id)).toMatchObject({ id: event.id, title: 'Review' });
  expect(await t.pending.list(10)).toEqual([expect.objectContaining({ kind: 'meeting', eventId: event.id, keptAt: day, previous: [] })]);
  expect(await entriesOf(event.id, minutes)).toEqual([]);
  expect(t.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'could not schedule reminders; kept as pending' }));
  const expected = await entriesOf(control.id, minutes);
  expect(expected).toHaveLength(3);

  expect(await t.runJob(day + MINUTE)).toMatchObject({ repaired: 1, repairFailed: 0, failed: 0 });
  expect(await entriesOf(event.id, minutes)).toEqual(expected);
  expect(await t.pending.list(10)).toEqual([]);

  // Repairing again (the item kept twice, or a second run) leaves the same schedule.
  await t.pending.keepMeeting(event.id, undefined, day);
  expect(await t.runJob(day + 2 * MINUTE)).toMatchObject({ repaired: 1 });
  expect(await entriesOf(event.id, minutes)).toEqual(expected);
});

it('a move whose stale entries cannot be removed is repaired to the moved schedule only', async () => {
  const day = freshDay();
  const organizer = await aUser();
  const t = setup(day);
  const start = day + 10 * 60 * MINUTE;
  const later = start + 3 * 60 * MINUTE;
  const input = { title: 'Moving', start: iso(start), durationMinutes: 30, reminders: [10, 20], visibility: 'public' as const };
  const minutes = [start, later].flatMap((at) => [at - 10 * MINUTE, at - 20 * MINUTE]);
  const event = await createMeeting(t.deps, organizer.id, input);
  const control = await createMeeting(t.control, organizer.id, input);
  await updateMeeting(t.control, organizer.id, control.id, undefined, { start: iso(later) });

  t.schedule.failNext('remove');
  await expect(updateMeeting(t.deps, organizer.id, event.id, undefined, { start: iso(later) })).resolves.toMatchObject({ id: event.id });
  expect(Date.parse((await meetingStore.get(event.id))!.start)).toBe(later);
  const [kept] = await t.pending.list(10);
  expect(kept).toMatchObject({ kind: 'meeting', eventId: event.id, previous: [expect.objectContaining({ start: expect.any(String), reminders: [10, 20] })] });
  // The previous state is kept without its title.
  expect(JSON.stringify(kept)).not.toContain('Moving');
  expect(await entriesOf(event.id, [start - 10 * MINUTE])).toHaveLength(1);

  await t.runJob(day + MINUTE);
  expect(await entriesOf(event.id, minutes)).toEqual(await entriesOf(control.id, minutes));
  expect(await entriesOf(event.id, [start - 10 * MINUTE, start - 20 * MINUTE])).toEqual([]);
  expect(await t.pending.list(10)).toEqual([]);
});

it('a delete whose entries cannot be removed leaves none after the repair, however often it runs', async () => {
  const day = freshDay();
  const [organizer, ann] = await Promise.all([aUser(), aUser()]);
  const t = setup(day);
  const start = day + 12 * 60 * MINUTE;
  const event = await createMeeting(t.deps, organizer.id, { title: 'Gone', start: iso(start), durationMinutes: 30, attendeeIds: [ann.id], reminders: [15], visibility: 'public' });
  expect(await entriesOf(event.id, [start - 15 * MINUTE])).toHaveLength(2);

  t.schedule.failNext('remove');
  await expect(deleteMeeting(t.deps, organizer.id, event.id, undefined)).resolves.toBeUndefined();
  expect(await meetingStore.get(event.id)).toBeUndefined();
  expect(await t.pending.list(10)).toEqual([expect.objectContaining({ kind: 'meeting', eventId: event.id })]);
  expect(await entriesOf(event.id, [start - 15 * MINUTE])).toHaveLength(2);

  await t.runJob(day + MINUTE);
  expect(await entriesOf(event.id, [start - 15 * MINUTE])).toEqual([]);
  await t.pending.keepMeeting(event.id, undefined, day);
  await t.runJob(day + 2 * MINUTE);
  expect(await entriesOf(event.id, [start - 15 * MINUTE])).toEqual([]);
  expect(await t.pending.list(10)).toEqual([]);
});

it('when even the profile defaults cannot be read, the previous state is kept and its entries removed by the repair', async () => {
  const day = freshDay();
  const organizer = await aUser([25]);
  const t = setup(day);
  const start = day + 9 * 60 * MINUTE;
  const later = start + DAY;
  const event = await createMeeting(t.deps, organizer.id, { title: 'Defaults', start: iso(start), durationMinutes: 30, visibility: 'public' });
  expect(await entriesOf(event.id, [start - 25 * MINUTE])).toHaveLength(1);

  t.failProfileReads();
  await updateMeeting(t.deps, organizer.id, event.id, undefined, { start: iso(later) });
  expect(await t.pending.list(10)).toEqual([expect.objectContaining({ previous: [expect.objectContaining({ id: event.id })] })]);

  await t.runJob(day + MINUTE);
  expect(await entriesOf(event.id, [start - 25 * MINUTE, later - 25 * MINUTE])).toEqual([`${organizer.id} 25m ${iso(later)} @${iso(later - 25 * MINUTE)}`]);
});

it('a reminder whose fire passed while pending is delivered up to 15 minutes late, and only logged when later', async () => {
  const day = freshDay();
  const organizer = await aUser();
  const t = setup(day);
  const start = day + 10 * 60 * MINUTE;
  t.setNow(start - 40 * MINUTE);
  t.schedule.failNext('put', 2);
  const soon = await createMeeting(t.deps, organizer.id, { title: 'Soon', start: iso(start), durationMinutes: 30, reminders: [10], visibility: 'public' });
  const earlier = await createMeeting(t.deps, organizer.id, { title: 'Earlier', start: iso(start), durationMinutes: 30, reminders: [30], visibility: 'public' });
  expect(await t.pending.list(10)).toHaveLength(2);
  // The job ran on meanwhile without repairing (as if its repairs had failed): its cursor is past both fire times.
  await reminderStore.cursor(t.jobName).advance(start - 5 * MINUTE);

  const summary = await t.runJob(start - 4 * MINUTE);
  expect(summary).toMatchObject({ repaired: 2, delivered: 1, late: 1, failed: 0 });
  const notifications = (await notificationStore.listForUser(organizer.id, { limit: 10 })).items;
  expect(notifications).toEqual([expect.objectContaining({ eventId: soon.id, minutesBefore: 10, deliveredAt: iso(start - 4 * MINUTE) })]);
  expect(t.log.lines).toContainEqual(expect.objectContaining({ message: 'reminder too late, not delivered', attributes: expect.objectContaining({ eventId: earlier.id }) }));
  expect(await t.pending.list(10)).toEqual([]);
  expect(await entriesOf(soon.id, [start - 10 * MINUTE])).toEqual([]);
});

describe('changing the default reminder minutes', () => {
  it('moves upcoming reminders that use the default; when that fails after the profile is saved, the job does it', async () => {
    const day = freshDay();
    const [user, host] = await Promise.all([aUser([10]), aUser([10])]);
    const t = setup(day);
    const start = day + 15 * 60 * MINUTE;
    const usesDefault = await createMeeting(t.deps, user.id, { title: 'Default', start: iso(start), durationMinutes: 30, visibility: 'public' });
    const ownReminders = await createMeeting(t.deps, user.id, { title: 'Own', start: iso(start), durationMinutes: 30, reminders: [30], visibility: 'public' });
    const invited = await createMeeting(t.deps, host.id, { title: 'Invited', start: iso(start + DAY), durationMinutes: 30, attendeeIds: [user.id], visibility: 'public' });
    const minutes = [start, start + DAY].flatMap((at) => [10, 30, 45].map((before) => at - before * MINUTE));

    t.schedule.failNext('put');
    const profile = await updateOwnProfile({ users: userStore, clock: { now: () => new Date(day) }, reminders: t.defaults() }, user.id, { reminderMinutes: [45] });
    expect(profile.reminderMinutes).toEqual([45]);
    expect((await userStore.get(user.id))!.reminderMinutes).toEqual([45]);
    expect(await t.pending.list(10)).toEqual([expect.objectContaining({ kind: 'user', userId: user.id, previousMinutes: [10] })]);

    await t.runJob(day + MINUTE);
    expect(await entriesOf(usesDefault.id, minutes)).toEqual([`${user.id} 45m ${iso(start)} @${iso(start - 45 * MINUTE)}`]);
    expect(await entriesOf(ownReminders.id, minutes)).toEqual([`${user.id} 30m ${iso(start)} @${iso(start - 30 * MINUTE)}`]);
    // The host keeps their own default; only the invitee's entry moves.
    expect(await entriesOf(invited.id, minutes)).toEqual([
      `${host.id} 10m ${iso(start + DAY)} @${iso(start + DAY - 10 * MINUTE)}`,
      `${user.id} 45m ${iso(start + DAY)} @${iso(start + DAY - 45 * MINUTE)}`,
    ].sort());
    expect(await t.pending.list(10)).toEqual([]);
  });

  it('does one page of upcoming meetings in the request and the rest in the job, series and single events alike', async () => {
    const day = freshDay();
    const user = await aUser([10]);
    const t = setup(day);
    const starts = [1, 2, 3, 4].map((n) => day + n * DAY + 9 * 60 * MINUTE);
    const singles = [];
    for (const start of starts) singles.push(await createMeeting(t.deps, user.id, { title: 'One', start: iso(start), durationMinutes: 30, visibility: 'public' }));
    const series = await createMeeting(t.deps, user.id, { title: 'Daily', start: iso(day + 8 * 60 * MINUTE), durationMinutes: 30, recurrence: { frequency: 'daily' }, visibility: 'public' });
    // Long over: nothing of it can fire any more, and the listing leaves it out.
    await createMeeting(t.deps, user.id, { title: 'Past', start: iso(day - 2 * DAY), durationMinutes: 30, visibility: 'public' });

    await updateOwnProfile({ users: userStore, clock: { now: () => new Date(day) }, reminders: t.defaults(2) }, user.id, { reminderMinutes: [20] });
    const [left] = await t.pending.list(10);
    expect(left).toMatchObject({ kind: 'user', userId: user.id, cursor: expect.any(String) });

    for (let run = 1; run <= 3; run++) await t.runJob(day + run * MINUTE, { defaultsPageSize: 2 });
    expect(await t.pending.list(10)).toEqual([]);
    for (const [index, single] of singles.entries()) {
      expect(await entriesOf(single.id, [starts[index] - 10 * MINUTE, starts[index] - 20 * MINUTE])).toEqual([`${user.id} 20m ${iso(starts[index])} @${iso(starts[index] - 20 * MINUTE)}`]);
    }
    const firstSeriesStart = day + 8 * 60 * MINUTE;
    expect(await entriesOf(series.id, [firstSeriesStart - 10 * MINUTE, firstSeriesStart - 20 * MINUTE])).toEqual([
      `${user.id} 20m ${iso(firstSeriesStart)} @${iso(firstSeriesStart - 20 * MINUTE)}`,
    ]);
  });
});
