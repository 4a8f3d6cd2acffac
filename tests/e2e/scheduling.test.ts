// Scheduling over HTTP: event types, the public booking link, slots, bookings, invitations and cancelling.
import { api, baseUrl, signUpUser } from '../support/http';

type Person = Awaited<ReturnType<typeof signUpUser>>;

// Several handlers start cold here; on a busy machine that alone can take seconds.
jest.setTimeout(60_000);

const MONDAY = '2031-03-03'; // a Monday, far enough ahead for every notice
const WEEKDAYS_9_TO_12 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '12:00' }]]));
const ALWAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));

async function createEventType(host: Person, body: Record<string, unknown>) {
  const response = await api('POST', '/event-types', {
    token: host.token,
    body: { name: 'Intro call', kind: 'one_on_one', durationMinutes: 30, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS_9_TO_12 }, ...body },
  });
  if (response.status !== 201) throw new Error(`event type: ${response.status} ${response.text}`);
  return response.body as { id: string; slug: string; bookingUrl: string };
}

const slotsOf = (slug: string, from: string, to: string, extra = '') =>
  api('GET', `/book/${slug}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`);
const startsOf = async (slug: string, from: string, to: string, extra = '') => (await slotsOf(slug, from, to, extra)).body.items.map((slot: { start: string }) => slot.start);
const book = (slug: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  api('POST', `/book/${slug}/bookings`, { body: { name: 'Gina Guest', email: 'gina@example.com', ...body }, headers });
const relative = (url: string) => url.slice(baseUrl().length);

describe('event types', () => {
  let host: Person;
  let other: Person;
  beforeAll(async () => {
    [host, other] = await Promise.all([signUpUser({ name: 'Ada Lovelace', timeZone: 'Europe/Berlin' }), signUpUser({ name: 'Bob' })]);
  });

  it('creates with a readable unique slug and booking URL, lists, reads, changes and deletes for the owner only', async () => {
    const first = await api('POST', '/event-types', { token: host.token, body: { name: 'Intro Call', kind: 'one_on_one', durationMinutes: 30 } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'Intro Call', kind: 'one_on_one', durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0 });
    expect(first.body.slug).toMatch(/^ada-lovelace-intro-call(-[0-9a-f]{6})?$/);
    expect(first.body.bookingUrl).toBe(`${baseUrl()}/app/book/${first.body.slug}`);
    const second = await api('POST', '/event-types', { token: host.token, body: { name: 'Intro Call', kind: 'one_on_one', durationMinutes: 30 } });
    expect(second.body.slug).not.toBe(first.body.slug);
    expect(second.body.slug).toMatch(/^ada-lovelace-intro-call/);

    const page1 = await api('GET', '/event-types?limit=1', { token: host.token });
    expect(page1.body.items).toHaveLength(1);
    const page2 = await api('GET', `/event-types?limit=1&cursor=${page1.body.nextCursor}`, { token: host.token });
    expect([page1.body.items[0].id, page2.body.items[0].id].sort()).toEqual([first.body.id, second.body.id].sort());
    expect((await api('GET', '/event-types', { token: other.token })).body.items).toEqual([]);

    expect((await api('GET', `/event-types/${first.body.id}`, { token: other.token })).status).toBe(404);
    expect((await api('PATCH', `/event-types/${first.body.id}`, { token: other.token, body: { name: 'Mine' } })).status).toBe(404);
    expect((await api('DELETE', `/event-types/${first.body.id}`, { token: other.token })).status).toBe(404);

    const changed = await api('PATCH', `/event-types/${first.body.id}`, { token: host.token, body: { name: 'Deep dive', durationMinutes: 60, bufferAfterMinutes: 10 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Deep dive', durationMinutes: 60, bufferAfterMinutes: 10, slug: first.body.slug });
    expect((await api('GET', `/event-types/${first.body.id}`, { token: host.token })).body.name).toBe('Deep dive');

    const page = await api('GET', `/book/${first.body.slug}`);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ slug: first.body.slug, hostName: 'Ada Lovelace', name: 'Deep dive', kind: 'one_on_one', durationMinutes: 60, timeZone: 'Europe/Berlin' });

    expect((await api('DELETE', `/event-types/${first.body.id}`, { token: host.token })).status).toBe(204);
    expect((await api('GET', `/event-types/${first.body.id}`, { token: host.token })).status).toBe(404);
    expect((await api('GET', `/book/${first.body.slug}`)).status).toBe(404);
  });

  it('rejects inconsistent event types naming the fields, and creates nothing', async () => {
    const fresh = await signUpUser({ name: 'Rejected Host' });
    const attempt = (body: Record<string, unknown>) => api('POST', '/event-types', { token: fresh.token, body: { name: 'X', kind: 'one_on_one', durationMinutes: 30, ...body } });
    const fields = async (body: Record<string, unknown>) => {
      const response = await attempt(body);
      expect(response.status).toBe(400);
      return response.body.error.details.map((detail: { field: string }) => detail.field);
    };
    expect(await fields({ kind: 'group' })).toEqual(['seats']);
    expect(await fields({ kind: 'one_off' })).toEqual(['slots']);
    expect(await fields({ seats: 4 })).toEqual(['seats']);
    expect(await fields({ slots: [{ start: '2031-03-03T10:00:00Z' }] })).toEqual(['slots']);
    expect(await fields({ durationMinutes: 360, bufferBeforeMinutes: 120, bufferAfterMinutes: 120 })).toEqual(['durationMinutes']);
    expect(await fields({ availability: { timeZone: 'Mars/Olympus', weekly: { mon: [{ start: '10:00', end: '09:00' }] } } })).toEqual(
      expect.arrayContaining(['availability.timeZone', 'availability.weekly.mon.0.end']),
    );
    expect(await fields({ durationMinutes: 2, kind: 'sometimes' })).toEqual(expect.arrayContaining(['durationMinutes', 'kind']));
    expect(await fields({ availability: { timeZone: 'UTC', weekly: {}, dateFrom: '2031-05-01', dateTo: '2031-04-01' } })).toEqual(['availability.dateTo']);
    expect((await api('GET', '/event-types', { token: fresh.token })).body.items).toEqual([]);
    expect((await api('POST', '/event-types', { body: { name: 'X', kind: 'one_on_one', durationMinutes: 30 } })).status).toBe(401);
  });
});

describe('slots', () => {
  it("offers the availability in the guest's zone, paginated, with a capped range", async () => {
    const host = await signUpUser({ name: 'Slot Host', timeZone: 'Europe/Berlin' });
    const type = await createEventType(host, {});
    const day = await slotsOf(type.slug, `${MONDAY}T00:00:00+01:00`, '2031-03-04T00:00:00+01:00', '&timeZone=America/New_York');
    expect(day.status).toBe(200);
    expect(day.body.items).toHaveLength(6);
    expect(day.body.items[0]).toEqual({ start: '2031-03-03T03:00:00-05:00', end: '2031-03-03T03:30:00-05:00', seatsLeft: 1 });
    const inBerlin = await startsOf(type.slug, `${MONDAY}T00:00:00+01:00`, '2031-03-04T00:00:00+01:00');
    expect(inBerlin).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((time) => `${MONDAY}T${time}:00+01:00`));

    const paged = await slotsOf(type.slug, `${MONDAY}T00:00:00+01:00`, '2031-03-05T00:00:00+01:00', '&limit=5');
    expect(paged.body.items).toHaveLength(5);
    const rest = await slotsOf(type.slug, `${MONDAY}T00:00:00+01:00`, '2031-03-05T00:00:00+01:00', `&limit=50&cursor=${paged.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(7);
    expect(rest.body.nextCursor).toBeUndefined();

    const tooLong = await slotsOf(type.slug, '2031-03-01T00:00:00Z', '2031-05-03T00:00:00Z');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ field: 'query.to' })]);
    expect((await api('GET', `/book/${type.slug}/slots?to=2031-03-04T00:00:00Z`)).status).toBe(400);
    expect((await slotsOf('no-such-slug-anywhere', '2031-03-03T00:00:00Z', '2031-03-04T00:00:00Z')).status).toBe(404);
  });

  it("defaults to the host's working hours and zone, and leaves out the host's meetings with buffers, but not declined ones", async () => {
    const host = await signUpUser({ name: 'Busy Host', timeZone: 'America/New_York', workingHours: { mon: [{ start: '09:00', end: '12:00' }] } });
    const organizer = await signUpUser({ name: 'Org' });
    const type = await createEventType(host, { availability: undefined, durationMinutes: 60, bufferBeforeMinutes: 15 });
    const from = `${MONDAY}T00:00:00-05:00`;
    const to = '2031-03-04T00:00:00-05:00';
    expect(await startsOf(type.slug, from, to)).toEqual([`${MONDAY}T09:00:00-05:00`, `${MONDAY}T10:00:00-05:00`, `${MONDAY}T11:00:00-05:00`]);
    // A meeting 09:50-10:00 blocks 10:00 through its buffer, and 09:00 itself.
    await api('POST', '/events', { token: host.token, body: { title: 'Standup', start: `${MONDAY}T09:50:00-05:00`, durationMinutes: 10 } });
    expect(await startsOf(type.slug, from, to)).toEqual([`${MONDAY}T11:00:00-05:00`]);
    // An invitation from a colleague (someone in one of the host's companies) that the host has not answered
    // blocks too; a declined one does not. A stranger's does not block until accepted (tests/e2e/visibility.test.ts).
    const company = await api('POST', '/companies', { token: host.token, body: { name: 'Host and colleague' } });
    expect((await api('PUT', `/companies/${company.body.id}/members/${organizer.id}`, { token: host.token })).status).toBe(200);
    const invite = await api('POST', '/events', { token: organizer.token, body: { title: 'Sync', start: `${MONDAY}T11:30:00-05:00`, durationMinutes: 30, attendeeIds: [host.id] } });
    expect(await startsOf(type.slug, from, to)).toEqual([]);
    const declined = await api('POST', `/events/${invite.body.id}/decline`, { token: host.token });
    expect([declined.status, declined.text.slice(0, 200)]).toEqual([200, expect.any(String)]);
    expect(await startsOf(type.slug, from, to)).toEqual([`${MONDAY}T11:00:00-05:00`]);
  });
});

describe('booking', () => {
  let host: Person;
  let stranger: Person;
  beforeAll(async () => {
    [host, stranger] = await Promise.all([signUpUser({ name: 'Olga Host', timeZone: 'Europe/Berlin' }), signUpUser({ name: 'Stranger' })]);
  });

  it('books a slot, which then shows for the host, blocks them, has an invitation, and is free again once cancelled', async () => {
    const type = await createEventType(host, { name: 'Consultation', bufferAfterMinutes: 10 });
    const from = `${MONDAY}T00:00:00+01:00`;
    const to = '2031-03-04T00:00:00+01:00';
    const booked = await book(type.slug, { start: `${MONDAY}T10:00:00+01:00`, timeZone: 'America/New_York', notes: 'About the roof' });
    expect(booked.status).toBe(201);
    expect(booked.body).toEqual({
      id: expect.any(String), start: '2031-03-03T04:00:00-05:00', end: '2031-03-03T04:30:00-05:00', timeZone: 'America/New_York',
      cancelToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), icsUrl: `${baseUrl()}/bookings/${booked.body.id}/invite.ics?token=${booked.body.cancelToken}`,
    });
    // The booking holds 10:00-10:40 (10-minute buffer after): 10:30 starts inside it, and 09:30's own buffer runs into it.
    expect(await startsOf(type.slug, from, to)).toEqual(['09:00', '11:00', '11:30'].map((time) => `${MONDAY}T${time}:00+01:00`));

    const listed = await api('GET', `/bookings?from=${encodeURIComponent(from)}`, { token: host.token });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: booked.body.id, eventTypeName: 'Consultation', start: `${MONDAY}T10:00:00+01:00`, guest: { name: 'Gina Guest', email: 'gina@example.com', timeZone: 'America/New_York' }, notes: 'About the roof', status: 'confirmed' }),
    ]);
    expect((await api('GET', '/bookings')).status).toBe(401);

    const calendar = `/users/${host.id}/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    expect((await api('GET', calendar, { token: host.token })).body.items).toEqual([
      { eventId: booked.body.id, start: `${MONDAY}T10:00:00+01:00`, end: `${MONDAY}T10:30:00+01:00`, title: 'Consultation with Gina Guest', source: 'booking', status: 'confirmed' },
    ]);
    const seen = await api('GET', calendar, { token: stranger.token });
    expect(seen.body.items).toEqual([{ start: `${MONDAY}T10:00:00+01:00`, end: `${MONDAY}T10:30:00+01:00`, busy: true, source: 'booking' }]);
    expect(seen.text).not.toContain('Gina');
    const freeTime = await api('GET', `/free-time?userIds=${host.id}&duration=1h&after=${encodeURIComponent(`${MONDAY}T09:30:00+01:00`)}`, { token: stranger.token });
    expect(freeTime.body.start).toBe(`${MONDAY}T10:30:00+01:00`);

    const ics = await api('GET', relative(booked.body.icsUrl));
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const lines = ics.text.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(lines).toEqual(expect.arrayContaining(['METHOD:REQUEST', `UID:${booked.body.id}@calendar-hub`, 'DTSTART;TZID=America/New_York:20310303T040000', 'DTEND;TZID=America/New_York:20310303T043000', 'SUMMARY:Consultation with Olga Host']));
    expect(lines.some((line) => /^ORGANIZER;CN="Olga Host":mailto:/i.test(line))).toBe(true);
    expect(lines.some((line) => /^ATTENDEE;.*:mailto:gina@example\.com$/i.test(line))).toBe(true);
    expect((await api('GET', `/bookings/${booked.body.id}/invite.ics`)).status).toBe(401);
    expect((await api('GET', `/bookings/${booked.body.id}/invite.ics?token=wrong`)).status).toBe(403);
    expect((await api('GET', `/bookings/${booked.body.id}/invite.ics`, { token: host.token })).status).toBe(200);
    expect((await api('GET', `/bookings/${booked.body.id}/invite.ics`, { token: stranger.token })).status).toBe(403);

    expect((await api('DELETE', `/bookings/${booked.body.id}?token=wrong`)).status).toBe(403);
    const cancelled = await api('DELETE', `/bookings/${booked.body.id}?token=${booked.body.cancelToken}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: booked.body.id, status: 'cancelled' });
    expect((await api('DELETE', `/bookings/${booked.body.id}?token=${booked.body.cancelToken}`)).body.status).toBe('cancelled');
    expect(await startsOf(type.slug, from, to)).toHaveLength(6);
    expect((await api('GET', `/bookings?from=${encodeURIComponent(from)}`, { token: host.token })).body.items).toEqual([]);
    expect((await api('GET', calendar, { token: host.token })).body.items).toEqual([]);
    const cancelIcs = (await api('GET', relative(booked.body.icsUrl))).text.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(cancelIcs).toEqual(expect.arrayContaining(['METHOD:CANCEL', `UID:${booked.body.id}@calendar-hub`, 'SEQUENCE:1', 'STATUS:CANCELLED']));
  });

  it('lets the host cancel with their bearer token, and nobody else', async () => {
    const type = await createEventType(host, { name: 'Host cancels' });
    const booked = await book(type.slug, { start: '2031-03-04T11:00:00+01:00' });
    expect(booked.status).toBe(201);
    expect((await api('DELETE', `/bookings/${booked.body.id}`)).status).toBe(401);
    expect((await api('DELETE', `/bookings/${booked.body.id}`, { token: stranger.token })).status).toBe(403);
    expect((await api('DELETE', `/bookings/${booked.body.id}`, { token: host.token })).body.status).toBe('cancelled');
    expect((await book(type.slug, { start: '2031-03-04T11:00:00+01:00' })).status).toBe(201);
    expect((await api('DELETE', '/bookings/NO_SUCH_BOOKING', { token: host.token })).status).toBe(404);
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const fresh = await signUpUser({ name: 'Strict Host', timeZone: 'UTC' });
    const type = await createEventType(fresh, { minNoticeMinutes: 24 * 60, availability: { timeZone: 'UTC', weekly: ALWAYS } });
    const soon = new Date(Math.ceil((Date.now() + 2 * 3600_000) / 1800_000) * 1800_000).toISOString();
    const expectations: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ start: `${MONDAY}T10:10:00Z` }, 422, 'not_a_slot', 'start'],
      [{ start: '2020-01-06T10:00:00Z' }, 422, 'slot_in_past', 'start'],
      [{ start: soon }, 422, 'inside_minimum_notice', 'start'],
      [{ start: `${MONDAY}T10:00:00Z`, email: 'not-an-email' }, 400, 'invalid_input', 'email'],
      [{ start: `${MONDAY}T10:00:00Z`, name: '   ' }, 400, 'invalid_input', 'name'],
      [{ start: `${MONDAY}T10:00:00` }, 400, 'invalid_input', 'start'],
      [{ start: `${MONDAY}T10:00:00Z`, seats: 2 }, 400, 'invalid_input', 'seats'],
    ];
    for (const [body, status, code, field] of expectations) {
      const response = await book(type.slug, body);
      expect({ body, status: response.status, code: response.body.error?.code }).toEqual({ body, status, code });
      if (field) expect(response.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
    const missingName = await api('POST', `/book/${type.slug}/bookings`, { body: { start: `${MONDAY}T10:00:00Z`, email: 'a@example.com' } });
    expect(missingName.status).toBe(400);
    expect(missingName.body.error.details).toEqual([expect.objectContaining({ field: 'name' })]);
    const unknown = await book('no-such-slug-anywhere', { start: `${MONDAY}T10:00:00Z` });
    expect(unknown.status).toBe(404);
    expect((await api('GET', '/bookings?from=2020-01-01T00:00:00Z', { token: fresh.token })).body.items).toEqual([]);
  });

  it('answers a repeated request with the same Idempotency-Key with the first booking, and refuses the key for another request', async () => {
    const type = await createEventType(host, { name: 'Idempotent' });
    const key = { 'Idempotency-Key': `key-${Date.now()}` };
    const first = await book(type.slug, { start: '2031-03-05T09:00:00+01:00' }, key);
    const again = await book(type.slug, { start: '2031-03-05T09:00:00+01:00' }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const together = await Promise.all([1, 2, 3].map(() => book(type.slug, { start: '2031-03-05T09:30:00+01:00' }, { 'Idempotency-Key': `${key['Idempotency-Key']}-b` })));
    expect(together.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(new Set(together.map((response) => response.body.id)).size).toBe(1);
    const misuse = await book(type.slug, { start: '2031-03-05T10:00:00+01:00' }, key);
    expect(misuse.status).toBe(422);
    expect(misuse.body.error.code).toBe('idempotency_key_reused');
    const listed = await api('GET', '/bookings?from=2031-03-05T00:00:00Z&to=2031-03-06T00:00:00Z', { token: host.token });
    expect(listed.body.items.map((item: { id: string }) => item.id).sort()).toEqual([first.body.id, together[0].body.id].sort());
  });

  it('blocks across event types: a booking of one takes the time from every other of the same host', async () => {
    const fresh = await signUpUser({ name: 'Two Types', timeZone: 'UTC' });
    const long = await createEventType(fresh, { name: 'Long', durationMinutes: 60, availability: { timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '12:00' }] } } });
    const short = await createEventType(fresh, { name: 'Short', durationMinutes: 15, availability: { timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '12:00' }] } } });
    expect((await book(long.slug, { start: `${MONDAY}T10:00:00Z` })).status).toBe(201);
    const shortStarts = await startsOf(short.slug, `${MONDAY}T00:00:00Z`, '2031-03-04T00:00:00Z');
    expect(shortStarts.filter((start: string) => start >= `${MONDAY}T10:00` && start < `${MONDAY}T11:00`)).toEqual([]);
    expect(shortStarts).toContain(`${MONDAY}T11:00:00Z`);
    const clash = await book(short.slug, { start: `${MONDAY}T10:45:00Z` });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('slot_taken');
  });

  it('seats several guests in a group slot, which blocks the host for other event types until the last seat is cancelled', async () => {
    const fresh = await signUpUser({ name: 'Group Host', timeZone: 'UTC' });
    const weekly = { timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '11:00' }] } };
    const group = await createEventType(fresh, { name: 'Workshop', kind: 'group', seats: 2, durationMinutes: 60, availability: weekly });
    const single = await createEventType(fresh, { name: 'Chat', durationMinutes: 30, availability: weekly });
    const day = [`${MONDAY}T00:00:00Z`, '2031-03-04T00:00:00Z'] as const;
    expect((await slotsOf(group.slug, ...day)).body.items.map((slot: { seatsLeft: number }) => slot.seatsLeft)).toEqual([2, 2]);
    const first = await book(group.slug, { start: `${MONDAY}T09:00:00Z`, name: 'Ann', email: 'ann@example.com' });
    expect(first.status).toBe(201);
    expect((await slotsOf(group.slug, ...day)).body.items).toEqual([
      { start: `${MONDAY}T09:00:00Z`, end: `${MONDAY}T10:00:00Z`, seatsLeft: 1 },
      { start: `${MONDAY}T10:00:00Z`, end: `${MONDAY}T11:00:00Z`, seatsLeft: 2 },
    ]);
    expect(await startsOf(single.slug, ...day)).toEqual([`${MONDAY}T10:00:00Z`, `${MONDAY}T10:30:00Z`]);
    expect((await book(single.slug, { start: `${MONDAY}T09:30:00Z` })).status).toBe(409);
    const second = await book(group.slug, { start: `${MONDAY}T09:00:00Z`, name: 'Ben', email: 'ben@example.com' });
    expect(second.status).toBe(201);
    const full = await book(group.slug, { start: `${MONDAY}T09:00:00Z`, name: 'Cy', email: 'cy@example.com' });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('slot_taken');
    expect(await startsOf(group.slug, ...day)).toEqual([`${MONDAY}T10:00:00Z`]);
    const calendar = await api('GET', `/users/${fresh.id}/events?from=${day[0]}&to=${day[1]}`, { token: fresh.token });
    expect(calendar.body.items).toEqual([expect.objectContaining({ source: 'booking', title: 'Workshop with Ann, Ben', start: `${MONDAY}T09:00:00Z` })]);

    await api('DELETE', `/bookings/${first.body.id}?token=${first.body.cancelToken}`);
    expect((await slotsOf(group.slug, ...day)).body.items[0]).toEqual({ start: `${MONDAY}T09:00:00Z`, end: `${MONDAY}T10:00:00Z`, seatsLeft: 1 });
    expect(await startsOf(single.slug, ...day)).toEqual([`${MONDAY}T10:00:00Z`, `${MONDAY}T10:30:00Z`]);
    await api('DELETE', `/bookings/${second.body.id}`, { token: fresh.token });
    expect(await startsOf(single.slug, ...day)).toEqual(['09:00', '09:30', '10:00', '10:30'].map((time) => `${MONDAY}T${time}:00Z`));
    expect((await book(single.slug, { start: `${MONDAY}T09:30:00Z` })).status).toBe(201);
  });

  it('never needs more than one transaction (100 writes) for a group seat: the longest group slot the rules allowed is refused as the event type is written', async () => {
    const fresh = await signUpUser({ name: 'Long Group Host', timeZone: 'UTC' });
    // 360 + 55 + 55 = 470 minutes from 09:02: 95 cells, with the booking, its index, the seat counter, the
    // idempotency claim and two mails 101 writes.
    const body = {
      name: 'Marathon', kind: 'group', seats: 3, durationMinutes: 360, bufferBeforeMinutes: 55, bufferAfterMinutes: 55, minNoticeMinutes: 0,
      availability: { timeZone: 'UTC', weekly: { mon: [{ start: '09:02', end: '15:02' }] } },
    };
    const created = await api('POST', '/event-types', { token: fresh.token, body });
    const booked = created.status === 201 ? await book(created.body.slug, { start: `${MONDAY}T09:02:00Z` }, { 'idempotency-key': 'marathon-1' }) : undefined;
    expect([created.status, booked?.status]).toEqual([400, undefined]);
    expect(created.body.error.details).toEqual([{ field: 'durationMinutes', message: expect.stringContaining('at most 465 minutes') }]);
    // With a daily limit (one more write, the day's counter) 460 is the most.
    const limited = await api('POST', '/event-types', { token: fresh.token, body: { ...body, bufferAfterMinutes: 50, dailyLimit: 5 } });
    expect([limited.status, limited.body.error.details[0].message]).toEqual([400, expect.stringContaining('at most 460 minutes')]);
    // A change that makes it too large is refused the same way; 465 minutes fit and book.
    const fits = await createEventType(fresh, { ...body, bufferAfterMinutes: 50 });
    const grown = await api('PATCH', `/event-types/${fits.id}`, { token: fresh.token, body: { bufferAfterMinutes: 55 } });
    expect([grown.status, grown.body.error.details[0].field]).toEqual([400, 'durationMinutes']);
    expect((await api('PATCH', `/event-types/${fits.id}`, { token: fresh.token, body: { dailyLimit: 2 } })).status).toBe(400);
    const seat = await book(fits.slug, { start: `${MONDAY}T09:02:00Z` }, { 'idempotency-key': 'marathon-2' });
    expect(seat.status).toBe(201);
    // A one-on-one event type without a limit has one write fewer: 470 minutes still fit.
    expect((await api('POST', '/event-types', { token: fresh.token, body: { ...body, kind: 'one_on_one', seats: undefined } })).status).toBe(201);
  });

  it('offers the fixed slots of a one-off event type until each is booked', async () => {
    const fresh = await signUpUser({ name: 'One Off', timeZone: 'Europe/Berlin' });
    const created = await api('POST', '/event-types', {
      token: fresh.token,
      body: { name: 'Viewing', kind: 'one_off', durationMinutes: 45, slots: [{ start: '2031-06-02T15:00:00Z' }, { start: '2031-06-01T10:00:00+02:00' }] },
    });
    expect(created.status).toBe(201);
    expect(created.body.slots).toEqual([{ start: '2031-06-01T10:00:00+02:00' }, { start: '2031-06-02T17:00:00+02:00' }]);
    const month = ['2031-06-01T00:00:00Z', '2031-07-01T00:00:00Z'] as const;
    expect(await startsOf(created.body.slug, ...month)).toEqual(['2031-06-01T10:00:00+02:00', '2031-06-02T17:00:00+02:00']);
    expect((await book(created.body.slug, { start: '2031-06-01T09:00:00+02:00' })).body.error.code).toBe('not_a_slot');
    expect((await book(created.body.slug, { start: '2031-06-01T08:00:00Z' })).status).toBe(201);
    expect(await startsOf(created.body.slug, ...month)).toEqual(['2031-06-02T17:00:00+02:00']);
    expect((await book(created.body.slug, { start: '2031-06-01T08:00:00Z' })).status).toBe(409);
  });
});

describe('public links', () => {
  it("never hands a deleted event type's slug to another host: its old link stays 404, and the same host gets a new slug too", async () => {
    // Two hosts whose names give the same readable slug.
    const name = `Slug Keeper ${Date.now().toString(36)}`;
    const [first, second] = await Promise.all([signUpUser({ name }), signUpUser({ name })]);
    const original = await createEventType(first, { name: 'Office hours' });
    expect((await api('DELETE', `/event-types/${original.id}`, { token: first.token })).status).toBe(204);

    const taken = await createEventType(second, { name: 'Office hours' });
    const again = await createEventType(first, { name: 'Office hours' });

    expect(taken.slug).not.toBe(original.slug);
    expect(taken.slug.startsWith(`${original.slug}-`)).toBe(true);
    expect(again.slug).not.toBe(original.slug);
    expect((await api('GET', `/book/${original.slug}`)).status).toBe(404);
    expect((await slotsOf(original.slug, `${MONDAY}T00:00:00Z`, '2031-03-04T00:00:00Z')).status).toBe(404);
    expect((await book(original.slug, { start: `${MONDAY}T09:00:00+01:00` })).status).toBe(404);
    expect((await api('GET', `/book/${taken.slug}`)).body).toMatchObject({ slug: taken.slug, hostName: name, name: 'Office hours' });
  });
});
