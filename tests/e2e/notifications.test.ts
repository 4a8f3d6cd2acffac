// GET /users/me/notifications over HTTP, after the reminder job's use case ran (with a fake clock) on
// meetings created over HTTP: what each user sees, newest first, paginated, and what is refused.
import { ulid } from 'ulid';
import { deliverDueReminders } from '../../lib/reminders/deliver-due-reminders';
import { reminderJobDeps } from '../../lib/wiring/parts/reminders';
import { reminderStore } from '../../lib/store/reminder-store';
import { api, signUpUser } from '../support/http';
import { assertLocalEndpoints } from '../support/local-env';

type Person = Awaited<ReturnType<typeof signUpUser>>;
let organizer: Person;
let invitee: Person;
let stranger: Person;
let eventId: string;

const MINUTE = 60_000;
// Far from the real clock (the local stack's own job runs every minute) and from the integration tests' days.
const start = Date.UTC(2100, 0, 1, 9) + Math.floor(Math.random() * 18_000) * 86_400_000;

/** The job at a given instant, with a cursor of its own (its first run reads the last 15 minutes). */
const runJobAt = (epochMs: number) => deliverDueReminders({ ...reminderJobDeps(), cursor: reminderStore.cursor(`e2e-${ulid()}`) }, new Date(epochMs));
const notifications = (token: string, query = '') => api('GET', `/users/me/notifications${query}`, { token });

beforeAll(async () => {
  assertLocalEndpoints();
  [organizer, invitee, stranger] = await Promise.all([signUpUser({ timeZone: 'Europe/Berlin' }), signUpUser(), signUpUser()]);
  const created = await api('POST', '/events', {
    token: organizer.token,
    body: { title: 'Quarterly review', start: new Date(start).toISOString(), durationMinutes: 60, attendeeIds: [invitee.id], reminders: [30, 10] },
  });
  expect(created.status).toBe(201);
  eventId = created.body.id;
  for (const minutes of [30, 10]) expect(await runJobAt(start - minutes * MINUTE)).toMatchObject({ delivered: 2, failed: 0 });
});

it('lists the reminders delivered to the caller, newest first', async () => {
  const response = await notifications(organizer.token);
  expect(response.status).toBe(200);
  expect(response.body.nextCursor).toBeUndefined();
  expect(response.body.items).toEqual([
    expect.objectContaining({ kind: 'reminder', eventId, title: 'Quarterly review', minutesBefore: 10, deliveredAt: new Date(start - 10 * MINUTE).toISOString() }),
    expect.objectContaining({ kind: 'reminder', eventId, title: 'Quarterly review', minutesBefore: 30, deliveredAt: new Date(start - 30 * MINUTE).toISOString() }),
  ]);
  // The occurrence in the event's zone (the organizer's Berlin), exactly as GET /events/{id} shows it.
  const event = await api('GET', `/events/${eventId}`, { token: organizer.token });
  expect(response.body.items[0]).toMatchObject({ start: event.body.start, end: event.body.end });
  expect(response.body.items[0].userId).toBeUndefined();
});

it('pages with limit and cursor, and gives others only their own', async () => {
  const first = await notifications(invitee.token, '?limit=1');
  expect(first.status).toBe(200);
  expect(first.body.items.map((item: { minutesBefore: number }) => item.minutesBefore)).toEqual([10]);
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const second = await notifications(invitee.token, `?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
  expect(second.body.items.map((item: { minutesBefore: number }) => item.minutesBefore)).toEqual([30]);
  expect(second.body.nextCursor).toBeUndefined();

  expect((await notifications(stranger.token)).body).toEqual({ items: [] });
});

it('refuses a missing token, a bad limit and a forged cursor', async () => {
  expect((await api('GET', '/users/me/notifications')).status).toBe(401);
  const badLimit = await notifications(organizer.token, '?limit=0');
  expect(badLimit.status).toBe(400);
  expect(badLimit.body.error.details.map((detail: { field: string }) => detail.field)).toEqual(['query.limit']);
  const badCursor = await notifications(organizer.token, '?cursor=not-a-cursor');
  expect(badCursor.status).toBe(400);
  expect(badCursor.body.error.details).toEqual([{ field: 'cursor', message: 'Pass back nextCursor unchanged' }]);
});

it('is described in /openapi.json', async () => {
  const document = await api('GET', '/openapi.json');
  expect(document.body.paths['/users/me/notifications'].get).toMatchObject({ operationId: 'listNotifications', security: [{ bearer: [] }] });
});

it("moves the next reminder of the caller's meetings that use their default when PATCH /users/me changes it, not of those with their own", async () => {
  const person = await signUpUser();
  const at = start + 3 * 86_400_000;
  const create = async (body: Record<string, unknown>) => {
    const response = await api('POST', '/events', { token: person.token, body: { title: 'Planning', start: new Date(at).toISOString(), durationMinutes: 30, ...body } });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const usesDefault = await create({});
  const ownReminders = await create({ reminders: [30] });
  /** The minutes-before of the entries the schedule holds for the event, looking in the buckets of the given minutes values. */
  const scheduled = async (id: string, minutesValues: number[]) =>
    (await Promise.all(minutesValues.map((minutes) => reminderStore.listMinute(at - minutes * MINUTE))))
      .flat()
      .filter((entry) => entry.eventId === id && entry.userId === person.id && entry.occurrenceStart === at)
      .map((entry) => entry.minutes)
      .sort((a, b) => a - b);
  expect(await scheduled(usesDefault, [10, 30, 45])).toEqual([10]);
  expect(await scheduled(ownReminders, [10, 30, 45])).toEqual([30]);

  const patch = await api('PATCH', '/users/me', { token: person.token, body: { reminderMinutes: [45] } });
  expect(patch.status).toBe(200);
  expect(patch.body.reminderMinutes).toEqual([45]);

  expect(await scheduled(usesDefault, [10, 30, 45])).toEqual([45]);
  expect(await scheduled(ownReminders, [10, 30, 45])).toEqual([30]);
});
