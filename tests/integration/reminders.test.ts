// The reminder job against DynamoDB Local, driven by a fake clock: meetings are made through the meeting use
// cases (which schedule their reminders), then deliverDueReminders runs at chosen instants.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import { createMeeting, deleteMeeting, respondToMeeting, updateMeeting, type MeetingDeps } from '../../lib/meetings/use-cases';
import { deliverDueReminders } from '../../lib/reminders/deliver-due-reminders';
import { recordingLog } from '../support/recording-log';
import type { Log } from '../../lib/kernel/log';
import { createReminderScheduler } from '../../lib/reminders/schedule-reminders';
import { dynamo, tableName } from '../../lib/store/client';
import { meetingKeys, meetingStore } from '../../lib/store/meeting-store';
import { notificationStore } from '../../lib/store/notification-store';
import { reminderKeys, reminderStore } from '../../lib/store/reminder-store';
import { userStore } from '../../lib/store/user-store';
import type { User } from '../../lib/users/user';
import { assertLocalEndpoints } from '../support/local-env';
import { logger } from '../../lib/http/logger';

beforeAll(assertLocalEndpoints);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const iso = (epochMs: number) => new Date(epochMs).toISOString();
/** How the API writes an instant: ISO with the offset of the event's zone, no milliseconds. */
const inZone = (epochMs: number, zone: string) => DateTime.fromMillis(epochMs, { zone }).toISO({ suppressMilliseconds: true });

// The schedule's minute buckets are shared by everything in the table: each test gets days of its own,
// far from the real clock (the local stack's own job runs every minute) and from other test files.
const fileBase = Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 18_000) * DAY;
let testIndex = 0;
/** 00:00 UTC of a day no other test in this run uses, with 20 free days after it. */
const freshDay = () => fileBase + testIndex++ * 20 * DAY;

async function aUser(reminderMinutes: number[] = [10]): Promise<User> {
  const now = new Date().toISOString();
  const id = ulid();
  const user: User = { id, name: 'N', email: `rem.${id}@example.test`, passwordHash: 'scrypt$x', timeZone: 'UTC', workingHours: {}, reminderMinutes, createdAt: now, updatedAt: now, version: 1 };
  await userStore.create(user);
  return user;
}

/** The production wiring of the meeting use cases, with a clock the test sets. */
function meetingDeps(nowMs: number): MeetingDeps & { setNow(ms: number): void } {
  let now = nowMs;
  const clock = { now: () => new Date(now) };
  return {
    meetings: meetingStore,
    users: userStore,
    clock,
    // Its pending reschedules (none while the store works) in a partition of this test's own.
    reminders: createReminderScheduler({ schedule: reminderStore, users: userStore, clock, pending: reminderStore.pending(`test-${ulid()}`), log: logger }),
    setNow: (ms) => void (now = ms),
  };
}

/** One run of the job at `nowMs`; a fresh cursor by default (a first run reads the last 15 minutes). */
function runAt(nowMs: number, options: { cursor?: string; log?: Log } = {}) {
  const jobName = options.cursor ?? `test-${ulid()}`;
  const deps = {
    schedule: reminderStore,
    cursor: reminderStore.cursor(jobName),
    pending: reminderStore.pending(jobName),
    meetings: meetingStore,
    upcoming: meetingStore,
    users: userStore,
    log: options.log ?? recordingLog(),
  };
  return deliverDueReminders(deps, new Date(nowMs));
}

const notificationsOf = async (userId: string) => (await notificationStore.listForUser(userId, { limit: 100 })).items;
const deliveredLines = (log: ReturnType<typeof recordingLog>) => log.lines.filter((line) => line.message === 'reminder delivered');

it('delivers a meeting reminder once, in the minute it falls due', async () => {
  const day = freshDay();
  const organizer = await aUser();
  const deps = meetingDeps(day);
  const start = day + 10 * 60 * MINUTE;
  const event = await createMeeting(deps, organizer.id, { title: 'Review', start: iso(start), durationMinutes: 30, reminders: [10], visibility: 'public' });
  const fireAt = start - 10 * MINUTE;
  expect((await reminderStore.listMinute(fireAt)).filter((entry) => entry.eventId === event.id)).toHaveLength(1);

  const log = recordingLog();
  expect(await runAt(fireAt - MINUTE, { log })).toMatchObject({ delivered: 0 });
  expect(await notificationsOf(organizer.id)).toEqual([]);
  expect(await runAt(fireAt, { log })).toMatchObject({ delivered: 1 });
  expect(await runAt(fireAt, { log })).toMatchObject({ delivered: 0 });
  expect(await runAt(fireAt + MINUTE, { log })).toMatchObject({ delivered: 0 });

  expect(await notificationsOf(organizer.id)).toEqual([
    { id: expect.any(String), kind: 'reminder', userId: organizer.id, eventId: event.id, title: 'Review', start: inZone(start, 'UTC'), end: inZone(start + 30 * MINUTE, 'UTC'), minutesBefore: 10, deliveredAt: iso(fireAt) },
  ]);
  expect(deliveredLines(log)).toHaveLength(1);
  expect(deliveredLines(log)[0].attributes).toMatchObject({ eventId: event.id, userId: organizer.id, minutes: 10, occurrenceStart: iso(start) });
  const key = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: { pk: reminderKeys.deliveryPk({ eventId: event.id, occurrenceStart: start, minutes: 10, userId: organizer.id }), sk: reminderKeys.deliverySk() } }),
  );
  expect(key.Item).toMatchObject({ type: 'ReminderDelivery', expiresAt: expect.any(Number) });
  expect((await reminderStore.listMinute(fireAt)).filter((entry) => entry.eventId === event.id)).toEqual([]);
});

it('does not deliver again when a change writes the same reminder after it was delivered', async () => {
  const day = freshDay();
  const organizer = await aUser();
  const deps = meetingDeps(day);
  const start = day + 9 * 60 * MINUTE;
  const event = await createMeeting(deps, organizer.id, { title: 'Sync', start: iso(start), durationMinutes: 30, reminders: [5], visibility: 'public' });
  const fireAt = start - 5 * MINUTE;
  const cursor = `test-${ulid()}`;
  expect(await runAt(fireAt, { cursor })).toMatchObject({ delivered: 1 });
  // Renamed within the same minute: the scheduler writes the entry again (the current minute still counts).
  deps.setNow(fireAt + 20_000);
  await updateMeeting(deps, organizer.id, event.id, undefined, { title: 'Sync (renamed)' });
  expect(await runAt(fireAt + MINUTE, { cursor })).toMatchObject({ delivered: 0, alreadyDelivered: 1 });
  expect(await notificationsOf(organizer.id)).toHaveLength(1);
});

it.each([2, 8])('delivers each reminder once when %i runs go at the same time', async (runs) => {
  const day = freshDay();
  const [organizer, ann, ben] = await Promise.all([aUser(), aUser(), aUser()]);
  const deps = meetingDeps(day);
  const start = day + 14 * 60 * MINUTE;
  await createMeeting(deps, organizer.id, { title: 'Race', start: iso(start), durationMinutes: 60, attendeeIds: [ann.id, ben.id], reminders: [15], visibility: 'public' });
  const fireAt = start - 15 * MINUTE;
  const log = recordingLog();
  const cursor = `test-${ulid()}`;

  const summaries = await Promise.all(Array.from({ length: runs }, () => runAt(fireAt, { cursor, log })));

  expect(summaries.reduce((sum, summary) => sum + summary.delivered, 0)).toBe(3);
  expect(summaries.every((summary) => summary.failed === 0)).toBe(true);
  expect(deliveredLines(log).map((line) => line.attributes.userId).sort()).toEqual([organizer.id, ann.id, ben.id].sort());
  for (const user of [organizer, ann, ben]) expect(await notificationsOf(user.id)).toHaveLength(1);
});

it("fires a recurring meeting's reminder for the next occurrence after the previous one, skipping a cancelled one", async () => {
  const day = freshDay();
  const organizer = await aUser();
  const deps = meetingDeps(day);
  // Daily at 08:00 or 09:00 New York time (13:00Z; which one depends on DST), 4 occurrences at that wall-clock time.
  const zone = 'America/New_York';
  const firstStart = day + 13 * 60 * MINUTE;
  const occurrenceStart = (n: number) => DateTime.fromMillis(firstStart, { zone }).plus({ days: n }).toMillis();
  const event = await createMeeting(deps, organizer.id, {
    title: 'Daily',
    start: iso(firstStart),
    durationMinutes: 15,
    timeZone: zone,
    recurrence: { frequency: 'daily', count: 4 },
    reminders: [10],
    visibility: 'public',
  });
  const fire = (n: number) => occurrenceStart(n) - 10 * MINUTE;
  // Only the next occurrence is scheduled.
  expect((await reminderStore.listMinute(fire(1))).filter((entry) => entry.eventId === event.id)).toEqual([]);

  expect(await runAt(fire(0))).toMatchObject({ delivered: 1 });
  expect((await reminderStore.listMinute(fire(1))).filter((entry) => entry.eventId === event.id)).toHaveLength(1);
  expect(await runAt(fire(1))).toMatchObject({ delivered: 1 });

  deps.setNow(fire(1) + MINUTE);
  await deleteMeeting(deps, organizer.id, event.id, iso(occurrenceStart(2)));
  expect(await runAt(fire(2))).toMatchObject({ delivered: 0 });
  expect(await runAt(fire(3))).toMatchObject({ delivered: 1 });

  const starts = (await notificationsOf(organizer.id)).map((notification) => notification.start);
  expect(starts).toEqual([3, 1, 0].map((n) => inZone(occurrenceStart(n), zone)));
  // The series is over: nothing is left in the schedule for it.
  expect(await runAt(fire(3) + DAY)).toMatchObject({ delivered: 0 });
});

it('gives nothing for a deleted meeting or to an invitee who declined', async () => {
  const day = freshDay();
  const [organizer, ann] = await Promise.all([aUser(), aUser()]);
  const deps = meetingDeps(day);
  const start = day + 11 * 60 * MINUTE;
  const kept = await createMeeting(deps, organizer.id, { title: 'Kept', start: iso(start), durationMinutes: 30, attendeeIds: [ann.id], reminders: [10], visibility: 'public' });
  const deleted = await createMeeting(deps, organizer.id, { title: 'Deleted', start: iso(start), durationMinutes: 30, attendeeIds: [ann.id], reminders: [10], visibility: 'public' });
  await respondToMeeting(deps, ann.id, kept.id, 'declined');
  await deleteMeeting(deps, organizer.id, deleted.id, undefined);
  const fireAt = start - 10 * MINUTE;
  // The changes removed those entries at once; the job would also re-check them.
  expect((await reminderStore.listMinute(fireAt)).map((entry) => `${entry.eventId} ${entry.userId}`)).toEqual([`${kept.id} ${organizer.id}`]);

  expect(await runAt(fireAt)).toMatchObject({ delivered: 1 });
  expect((await notificationsOf(organizer.id)).map((notification) => notification.eventId)).toEqual([kept.id]);
  expect(await notificationsOf(ann.id)).toEqual([]);
});

it('re-checks entries at fire time: a meeting deleted behind the scheduler is skipped', async () => {
  const day = freshDay();
  const organizer = await aUser();
  const deps = meetingDeps(day);
  const start = day + 11 * 60 * MINUTE;
  const event = await createMeeting(deps, organizer.id, { title: 'Ghost', start: iso(start), durationMinutes: 30, reminders: [10], visibility: 'public' });
  // Deleted without the scheduler hook (as if that call had been lost).
  await meetingStore.delete((await meetingStore.get(event.id))!);
  expect(await runAt(start - 10 * MINUTE)).toMatchObject({ delivered: 0, skipped: 1 });
  expect(await notificationsOf(organizer.id)).toEqual([]);
  expect(await reminderStore.listMinute(start - 10 * MINUTE)).toEqual([]);
});

it("uses each attendee's profile default when the event has no reminders", async () => {
  const day = freshDay();
  const [organizer, ann] = await Promise.all([aUser([30, 5]), aUser([60])]);
  const deps = meetingDeps(day);
  const start = day + 16 * 60 * MINUTE;
  await createMeeting(deps, organizer.id, { title: 'Defaults', start: iso(start), durationMinutes: 30, attendeeIds: [ann.id], visibility: 'public' });

  expect(await runAt(start - 60 * MINUTE)).toMatchObject({ delivered: 1 });
  expect(await runAt(start - 30 * MINUTE)).toMatchObject({ delivered: 1 });
  expect(await runAt(start - 5 * MINUTE)).toMatchObject({ delivered: 1 });
  expect((await notificationsOf(organizer.id)).map((notification) => notification.minutesBefore)).toEqual([5, 30]);
  expect((await notificationsOf(ann.id)).map((notification) => notification.minutesBefore)).toEqual([60]);
});

it('after a job outage, does not send a stale reminder but keeps the series going', async () => {
  const day = freshDay();
  const organizer = await aUser();
  const deps = meetingDeps(day);
  const firstStart = day + 9 * 60 * MINUTE;
  const event = await createMeeting(deps, organizer.id, { title: 'Daily', start: iso(firstStart), durationMinutes: 30, timeZone: 'UTC', recurrence: { frequency: 'daily' }, reminders: [10], visibility: 'public' });
  const cursor = `test-${ulid()}`;
  await runAt(firstStart - 20 * MINUTE, { cursor });
  // The job was down for two hours: the next run reads every minute since, delivers nothing stale.
  expect(await runAt(firstStart + 2 * 60 * MINUTE, { cursor })).toMatchObject({ delivered: 0, late: 1 });
  const next = (await reminderStore.listMinute(firstStart + DAY - 10 * MINUTE)).filter((entry) => entry.eventId === event.id);
  expect(next).toHaveLength(1);
  expect(await runAt(firstStart + DAY - 10 * MINUTE)).toMatchObject({ delivered: 1 });
  expect(await notificationsOf(organizer.id)).toHaveLength(1);
});

it('moves the reminder when the meeting moves', async () => {
  const day = freshDay();
  const organizer = await aUser();
  const deps = meetingDeps(day);
  const start = day + 10 * 60 * MINUTE;
  const event = await createMeeting(deps, organizer.id, { title: 'Moving', start: iso(start), durationMinutes: 30, reminders: [10], visibility: 'public' });
  const later = start + 2 * 60 * MINUTE;
  await updateMeeting(deps, organizer.id, event.id, undefined, { start: iso(later) });
  expect(await runAt(start - 10 * MINUTE)).toMatchObject({ delivered: 0 });
  expect(await runAt(later - 10 * MINUTE)).toMatchObject({ delivered: 1 });
  expect((await notificationsOf(organizer.id))[0].start).toBe(inZone(later, 'UTC'));
});

it("one unreadable entry cannot stall other users' reminders: it is retried, dropped after 3 runs, and the cursor moves on", async () => {
  const day = freshDay();
  const badMinute = day + 60 * MINUTE;
  // Written behind the API: a meeting item without attendees (reading it throws) and its reminder entry, and an
  // item in the same bucket that is not an entry at all.
  const brokenId = ulid();
  await dynamo().send(new PutCommand({ TableName: tableName(), Item: { pk: meetingKeys.pk(brokenId), sk: meetingKeys.sk(), type: 'Meeting', id: brokenId, title: 'Broken' } }));
  await reminderStore.put([{ eventId: brokenId, userId: ulid(), minutes: 10, occurrenceStart: badMinute + 10 * MINUTE, fireAt: badMinute }]);
  await dynamo().send(new PutCommand({ TableName: tableName(), Item: { pk: reminderKeys.minutePk(badMinute), sk: 'not an entry', type: 'ReminderEntry' } }));
  // Someone else's reminder, due more than one run's worth of buckets (720 minutes) after the broken one.
  const other = await aUser();
  const start = badMinute + 810 * MINUTE;
  const event = await createMeeting(meetingDeps(day), other.id, { title: 'Later', start: iso(start), durationMinutes: 30, reminders: [10], visibility: 'public' });

  const cursor = `test-${ulid()}`;
  const log = recordingLog();
  expect(await runAt(badMinute + MINUTE, { cursor, log })).toMatchObject({ failed: 1, dropped: 0 });
  expect(await runAt(badMinute + 2 * MINUTE, { cursor, log })).toMatchObject({ failed: 1, dropped: 0 });
  expect(await runAt(badMinute + 3 * MINUTE, { cursor, log })).toMatchObject({ failed: 1, dropped: 1 });
  expect(log.lines.filter((line) => line.message === 'reminder entry dropped after failed attempts')).toEqual([
    expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ eventId: brokenId, attempts: 3 }) }),
  ]);
  expect((await reminderStore.listMinute(badMinute)).filter((entry) => entry.eventId === brokenId)).toEqual([]);

  // The cursor has moved past the broken bucket: two runs later the other user's reminder is read and delivered.
  await runAt(start - 10 * MINUTE + MINUTE, { cursor, log });
  expect(await runAt(start - 10 * MINUTE + 2 * MINUTE, { cursor, log })).toMatchObject({ delivered: 1 });
  expect((await notificationsOf(other.id)).map((notification) => notification.eventId)).toEqual([event.id]);
});
