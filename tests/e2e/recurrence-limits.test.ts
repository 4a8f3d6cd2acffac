// Recurrence limits over HTTP: a rule dense enough to slow a victim's calendar is refused naming the field and
// writes nothing; the densest rule still allowed, begun in 1990, lists the victim's day as any other.
import { api, signUpUser } from '../support/http';

type Person = Awaited<ReturnType<typeof signUpUser>>;
let attacker: Person;
let victim: Person;

beforeAll(async () => {
  [attacker, victim] = await Promise.all([signUpUser({ name: 'Mallory' }), signUpUser({ name: 'Victor', timeZone: 'Europe/Berlin' })]);
});

const HOURS = Array.from({ length: 24 }, (_, hour) => hour).join(',');
const MINUTES = Array.from({ length: 60 }, (_, minute) => minute).join(',');
const since1990 = (recurrence: unknown) => ({
  title: 'Standup',
  start: '1990-01-01T00:00:00Z',
  durationMinutes: 1,
  timeZone: 'UTC',
  attendeeIds: [victim.id],
  recurrence,
});
const victimDay = (from: string, to: string) =>
  api('GET', `/users/${victim.id}/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token: victim.token });

describe('a rule that yields more than 4 occurrences a day', () => {
  it('is refused with 400 naming recurrence.rrule, and nothing reaches the victim (every minute of every day since 1990)', async () => {
    const response = await api('POST', '/events', { token: attacker.token, body: since1990({ rrule: `FREQ=DAILY;BYHOUR=${HOURS};BYMINUTE=${MINUTES}` }) });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'recurrence.rrule', message: expect.stringContaining('1440 occurrences a day') }]);
    const listed = await victimDay('2030-03-01T00:00:00Z', '2030-03-02T00:00:00Z');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });

  it.each([
    ['BYSECOND', 'FREQ=DAILY;BYSECOND=0,15,30,45', 'BYSECOND is not supported'],
    ['five hours a day', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=8,9,10,11,12', 'up to 5 occurrences a day'],
    ['an hourly rule', 'FREQ=HOURLY', 'FREQ=HOURLY is not supported'],
    ['COUNT over 5000', 'FREQ=DAILY;COUNT=5001', 'COUNT must be at most 5000'],
  ])('refuses %s with 400 naming recurrence.rrule', async (_label, rrule, message) => {
    const response = await api('POST', '/events', { token: attacker.token, body: since1990({ rrule }) });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'recurrence.rrule', message: expect.stringContaining(message) }]);
  });

  it('refuses a preset count over 5000 naming recurrence.count', async () => {
    const response = await api('POST', '/events', { token: attacker.token, body: since1990({ frequency: 'daily', count: 5001 }) });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((detail: { field: string }) => detail.field)).toContain('recurrence.count');
  });

  it('refuses a COUNT rule too sparse to count, naming recurrence.rrule', async () => {
    const response = await api('POST', '/events', { token: attacker.token, body: since1990({ rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=100' }) });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'recurrence.rrule', message: expect.stringContaining('use UNTIL instead') }]);
  });
});

describe('the densest rule still allowed', () => {
  it('is accepted from 1990 and lists its 4 occurrences in a day of 2030', async () => {
    const created = await api('POST', '/events', { token: attacker.token, body: since1990({ rrule: 'FREQ=DAILY;BYHOUR=6,18;BYMINUTE=0,30' }) });
    expect(created.status).toBe(201);
    const listed = await victimDay('2030-03-01T00:00:00Z', '2030-03-02T00:00:00Z');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { start: string }) => item.start)).toEqual([
      '2030-03-01T06:00:00Z',
      '2030-03-01T06:30:00Z',
      '2030-03-01T18:00:00Z',
      '2030-03-01T18:30:00Z',
    ]);
  });
});
