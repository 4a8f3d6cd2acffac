// Event type options over HTTP, each with its attack and its rightful path: the rolling window, date overrides,
// the daily limit and the questions a guest answers. The slot list and the booking check must agree on each.
import { DateTime } from 'luxon';
import { api, signUpUser } from '../support/http';

type Person = Awaited<ReturnType<typeof signUpUser>>;

jest.setTimeout(60_000);

const MONDAY = '2031-03-03';
const TUESDAY = '2031-03-04';
const WEEKDAYS_9_TO_12 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '12:00' }]]));
const ALWAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));

// A host of its own for each option, so that one option's bookings do not take another's times.
let host: Person;
const newHost = async () => {
  host = await signUpUser({ name: 'Otto Options', timeZone: 'Europe/Berlin' });
};

const eventTypeBody = (body: Record<string, unknown>) => ({
  name: 'Options call', kind: 'one_on_one', durationMinutes: 30, availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS_9_TO_12 }, ...body,
});
async function createEventType(body: Record<string, unknown>) {
  const response = await api('POST', '/event-types', { token: host.token, body: eventTypeBody(body) });
  if (response.status !== 201) throw new Error(`event type: ${response.status} ${response.text}`);
  return response.body as { id: string; slug: string };
}
const refusedFields = async (body: Record<string, unknown>) => {
  const response = await api('POST', '/event-types', { token: host.token, body: eventTypeBody(body) });
  expect(response.status).toBe(400);
  return response.body.error.details.map((detail: { field: string }) => detail.field);
};
const startsOf = async (slug: string, from: string, to: string) =>
  (await api('GET', `/book/${slug}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body.items.map((slot: { start: string }) => slot.start);
let guestNumber = 0;
const book = (slug: string, body: Record<string, unknown>) =>
  api('POST', `/book/${slug}/bookings`, { body: { name: 'Gina Guest', email: `gina${(guestNumber += 1)}@example.com`, ...body } });
const day = (date: string) => [`${date}T00:00:00+01:00`, DateTime.fromISO(`${date}T00:00:00`, { zone: 'Europe/Berlin' }).plus({ days: 1 }).toISO()!] as const;

describe('availability.rollingDays', () => {
  beforeAll(newHost);

  it('offers slots up to the end of the day N days after today (host zone) and refuses a booking beyond', async () => {
    const type = await createEventType({ durationMinutes: 60, availability: { timeZone: 'Europe/Berlin', weekly: ALWAYS, rollingDays: 2 } });
    const today = DateTime.now().setZone('Europe/Berlin').startOf('day');
    const horizon = today.plus({ days: 3 });
    const starts: string[] = await startsOf(type.slug, today.toISO()!, today.plus({ days: 10 }).toISO()!);
    expect(starts.length).toBeGreaterThan(0);
    const last = DateTime.fromISO(starts[starts.length - 1]);
    expect(last < horizon).toBe(true);
    expect(last.plus({ hours: 1 }) >= horizon.minus({ hours: 1 })).toBe(true);

    const beyond = await book(type.slug, { start: horizon.plus({ hours: 10 }).toISO() });
    expect(beyond.status).toBe(422);
    expect(beyond.body.error).toMatchObject({ code: 'outside_booking_window', details: [{ field: 'start' }] });
    const farBeyond = await book(type.slug, { start: today.plus({ days: 30, hours: 10 }).toISO() });
    expect(farBeyond.body.error.code).toBe('outside_booking_window');

    expect((await book(type.slug, { start: starts[starts.length - 1] })).status).toBe(201);
    expect((await api('GET', `/event-types/${type.id}`, { token: host.token })).body.availability.rollingDays).toBe(2);
    expect(await refusedFields({ availability: { timeZone: 'Europe/Berlin', weekly: ALWAYS, rollingDays: -1 } })).toEqual(['availability.rollingDays']);
  });
});

describe('availability.overrides', () => {
  beforeAll(newHost);

  it('closes a day ([]) and gives another day other hours, for the slot list and the booking check alike', async () => {
    const overrides = [{ date: MONDAY, intervals: [] }, { date: TUESDAY, intervals: [{ start: '14:00', end: '15:00' }] }];
    const type = await createEventType({ availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS_9_TO_12, overrides } });
    expect(await startsOf(type.slug, ...day(MONDAY))).toEqual([]);
    expect(await startsOf(type.slug, ...day(TUESDAY))).toEqual([`${TUESDAY}T14:00:00+01:00`, `${TUESDAY}T14:30:00+01:00`]);

    const dayOff = await book(type.slug, { start: `${MONDAY}T09:00:00+01:00` });
    expect(dayOff.status).toBe(422);
    expect(dayOff.body.error.code).toBe('not_a_slot');
    expect((await book(type.slug, { start: `${TUESDAY}T09:00:00+01:00` })).body.error.code).toBe('not_a_slot');
    expect((await book(type.slug, { start: `${TUESDAY}T14:00:00+01:00` })).status).toBe(201);

    const changed = await api('PATCH', `/event-types/${type.id}`, { token: host.token, body: { availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS_9_TO_12 } } });
    expect(changed.body.availability.overrides).toBeUndefined();
    expect(await startsOf(type.slug, ...day(MONDAY))).toHaveLength(6);
  });

  it('refuses a date listed twice, intervals out of order or overlapping, and malformed ones, naming each field', async () => {
    const availability = (overrides: unknown) => ({ availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS_9_TO_12, overrides } });
    expect(await refusedFields(availability([{ date: MONDAY, intervals: [] }, { date: MONDAY, intervals: [] }]))).toEqual(['availability.overrides.1.date']);
    expect(await refusedFields(availability([{ date: MONDAY, intervals: [{ start: '11:00', end: '12:00' }, { start: '09:00', end: '10:00' }] }]))).toEqual([
      'availability.overrides.0.intervals.1.start',
    ]);
    expect(await refusedFields(availability([{ date: MONDAY, intervals: [{ start: '09:00', end: '11:00' }, { start: '10:00', end: '12:00' }] }]))).toEqual([
      'availability.overrides.0.intervals.1.start',
    ]);
    expect(await refusedFields(availability([{ date: MONDAY, intervals: [{ start: '12:00', end: '10:00' }] }]))).toEqual(['availability.overrides.0.intervals.0.end']);
    expect(await refusedFields(availability([{ date: '2031-02-30', intervals: [] }]))).toEqual(['availability.overrides.0.date']);
    expect(await refusedFields(availability([{ date: MONDAY, intervals: [{ start: '9am', end: '10:00' }] }]))).toEqual(['availability.overrides.0.intervals.0.start']);
  });
});

describe('dailyLimit', () => {
  beforeAll(newHost);

  it('hides a full day and refuses a booking on it with 409 daily_limit_reached; other days and a lifted limit reopen', async () => {
    const type = await createEventType({ dailyLimit: 2 });
    expect((await book(type.slug, { start: `${MONDAY}T09:00:00+01:00` })).status).toBe(201);
    expect(await startsOf(type.slug, ...day(MONDAY))).toHaveLength(5);
    expect((await book(type.slug, { start: `${MONDAY}T10:00:00+01:00` })).status).toBe(201);
    expect(await startsOf(type.slug, ...day(MONDAY))).toEqual([]);

    const over = await book(type.slug, { start: `${MONDAY}T11:00:00+01:00` });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('daily_limit_reached');
    expect(await startsOf(type.slug, ...day(TUESDAY))).toHaveLength(6);
    expect((await book(type.slug, { start: `${TUESDAY}T09:00:00+01:00` })).status).toBe(201);

    const lifted = await api('PATCH', `/event-types/${type.id}`, { token: host.token, body: { dailyLimit: null } });
    expect(lifted.body.dailyLimit).toBeUndefined();
    expect((await book(type.slug, { start: `${MONDAY}T11:00:00+01:00` })).status).toBe(201);
    expect(await refusedFields({ dailyLimit: 0 })).toEqual(['dailyLimit']);
  });

  it('gives a day its place back when a booking is cancelled (guest or host) and moves it with a reschedule to another day', async () => {
    await newHost();
    const type = await createEventType({ dailyLimit: 2 });
    const first = (await book(type.slug, { start: `${MONDAY}T09:00:00+01:00` })).body;
    const second = (await book(type.slug, { start: `${MONDAY}T10:00:00+01:00` })).body;
    expect(await startsOf(type.slug, ...day(MONDAY))).toEqual([]);

    expect((await api('DELETE', `/bookings/${first.id}?token=${first.cancelToken}`)).status).toBe(200);
    expect((await book(type.slug, { start: `${MONDAY}T11:00:00+01:00` })).status).toBe(201);
    expect((await api('DELETE', `/bookings/${second.id}`, { token: host.token })).status).toBe(200);
    const third = (await book(type.slug, { start: `${MONDAY}T09:30:00+01:00` })).body;
    expect((await book(type.slug, { start: `${MONDAY}T10:30:00+01:00` })).body.error.code).toBe('daily_limit_reached');

    // Within Monday the count stays; to Tuesday it follows, and Monday has a place again.
    const reschedule = (start: string) => api('POST', `/bookings/${third.id}/reschedule?token=${encodeURIComponent(third.cancelToken)}`, { body: { start } });
    expect((await reschedule(`${MONDAY}T10:30:00+01:00`)).status).toBe(200);
    expect((await book(type.slug, { start: `${MONDAY}T09:00:00+01:00` })).body.error.code).toBe('daily_limit_reached');
    expect((await reschedule(`${TUESDAY}T09:00:00+01:00`)).status).toBe(200);
    expect((await book(type.slug, { start: `${TUESDAY}T10:00:00+01:00` })).status).toBe(201);
    expect((await book(type.slug, { start: `${TUESDAY}T11:00:00+01:00` })).body.error.code).toBe('daily_limit_reached');
    expect((await book(type.slug, { start: `${MONDAY}T09:00:00+01:00` })).status).toBe(201);

    // A full day refuses a booking moved onto it with the limit's own answer.
    const moveOnto = await reschedule(`${MONDAY}T11:30:00+01:00`);
    expect([moveOnto.status, moveOnto.body.error.code]).toEqual([409, 'daily_limit_reached']);
  });

  it('keeps counting while a limit is lifted, so a limit set again holds for the bookings made meanwhile', async () => {
    await newHost();
    const type = await createEventType({ dailyLimit: 3 });
    expect((await book(type.slug, { start: `${MONDAY}T09:00:00+01:00` })).status).toBe(201);
    await api('PATCH', `/event-types/${type.id}`, { token: host.token, body: { dailyLimit: null } });
    expect((await book(type.slug, { start: `${MONDAY}T10:00:00+01:00` })).status).toBe(201);
    expect((await book(type.slug, { start: `${MONDAY}T11:00:00+01:00` })).status).toBe(201);
    expect((await api('PATCH', `/event-types/${type.id}`, { token: host.token, body: { dailyLimit: 3 } })).status).toBe(200);
    expect((await book(type.slug, { start: `${MONDAY}T09:30:00+01:00` })).body.error.code).toBe('daily_limit_reached');
  });
});

describe('questions and answers', () => {
  beforeAll(newHost);

  const questions = [
    { id: 'topic', label: 'What about?', type: 'select', required: true, options: ['Pricing', 'Roadmap'] },
    { id: 'phone', label: 'Phone', type: 'phone' },
    { id: 'consent', label: 'I may be recorded', type: 'checkbox' },
  ];

  it('shows the questions on the booking page, refuses missing, unknown and wrong-typed answers, and gives the host the rest', async () => {
    const type = await createEventType({ name: 'Questions call', questions });
    expect((await api('GET', `/book/${type.slug}`)).body.questions).toEqual(questions);
    const start = `${MONDAY}T09:00:00+01:00`;
    const refused = async (answers: unknown) => {
      const response = await book(type.slug, { start, ...(answers === undefined ? {} : { answers }) });
      expect(response.status).toBe(400);
      return response.body.error.details.map((detail: { field: string }) => detail.field);
    };
    expect(await refused(undefined)).toEqual(['answers.topic']);
    expect(await refused({ topic: 'Roadmap', fax: '123' })).toEqual(['answers.fax']);
    expect(await refused({ topic: 'Sales' })).toEqual(['answers.topic']);
    expect(await refused({ topic: 'Roadmap', consent: 'yes' })).toEqual(['answers.consent']);
    expect(await refused({ topic: 'Roadmap', phone: 'call me maybe' })).toEqual(['answers.phone']);
    expect(await refused({ topic: 42 })).toEqual(['answers.topic']);

    const booked = await book(type.slug, { start, answers: { topic: 'Roadmap', phone: '+49 30 1234567', consent: true } });
    expect(booked.status).toBe(201);
    const listed = await api('GET', `/bookings?from=${encodeURIComponent(`${MONDAY}T00:00:00+01:00`)}&to=${encodeURIComponent(`${MONDAY}T23:00:00+01:00`)}`, { token: host.token });
    const mine = listed.body.items.find((item: { id: string }) => item.id === booked.body.id);
    expect(mine.answers).toEqual([
      { questionId: 'topic', label: 'What about?', value: 'Roadmap' },
      { questionId: 'phone', label: 'Phone', value: '+49 30 1234567' },
      { questionId: 'consent', label: 'I may be recorded', value: true },
    ]);

    const cleared = await api('PATCH', `/event-types/${type.id}`, { token: host.token, body: { questions: [] } });
    expect(cleared.body.questions).toBeUndefined();
    expect((await api('GET', `/book/${type.slug}`)).body.questions).toBeUndefined();
  });

  it('refuses a select without options, options on other types and a question id used twice', async () => {
    expect(await refusedFields({ questions: [{ id: 'a', label: 'A', type: 'select' }] })).toEqual(['questions.0.options']);
    expect(await refusedFields({ questions: [{ id: 'a', label: 'A', type: 'text', options: ['x'] }] })).toEqual(['questions.0.options']);
    expect(await refusedFields({ questions: [{ id: 'a', label: 'A', type: 'text' }, { id: 'a', label: 'B', type: 'phone' }] })).toEqual(['questions.1.id']);
    expect(await refusedFields({ questions: [{ id: 'a', label: 'A', type: 'radio' }] })).toEqual(['questions.0.type']);
  });
});
