// Meetings over HTTP: invitations, recurrence across DST, exceptions, listing, privacy, free time.
import { api, signUpUser } from '../support/http';

type Person = Awaited<ReturnType<typeof signUpUser>>;
let organizer: Person;
let invitee: Person;
let stranger: Person;

beforeAll(async () => {
  [organizer, invitee, stranger] = await Promise.all([
    signUpUser({ name: 'Olga', timeZone: 'Europe/Berlin' }),
    signUpUser({ name: 'Ivan', timeZone: 'America/New_York' }),
    signUpUser({ name: 'Sam' }),
  ]);
});

const listEvents = (token: string, userId: string, from: string, to: string, extra = '') =>
  api('GET', `/users/${userId}/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`, { token });

describe('a single meeting with an invitee', () => {
  it('is created, read, accepted, declined, changed and deleted with the right permissions', async () => {
    const created = await api('POST', '/events', {
      token: organizer.token,
      body: { title: 'Planning', start: '2030-01-14T10:00:00+01:00', durationMinutes: 45, attendeeIds: [invitee.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Planning', start: '2030-01-14T10:00:00+01:00', end: '2030-01-14T10:45:00+01:00', timeZone: 'Europe/Berlin',
      organizerId: organizer.id, visibility: 'public',
      attendees: [{ userId: organizer.id, status: 'organizer' }, { userId: invitee.id, status: 'pending' }],
    });
    const id = created.body.id;

    expect((await api('POST', `/events/${id}/accept`, { token: invitee.token })).body.attendees[1].status).toBe('accepted');
    expect((await api('POST', `/events/${id}/accept`, { token: stranger.token })).status).toBe(404);
    expect((await api('PATCH', `/events/${id}`, { token: invitee.token, body: { title: 'Mine now' } })).status).toBe(403);
    expect((await api('DELETE', `/events/${id}`, { token: invitee.token })).status).toBe(403);

    const moved = await api('PATCH', `/events/${id}`, { token: organizer.token, body: { start: '2030-01-15T09:00:00+01:00' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: '2030-01-15T09:00:00+01:00', end: '2030-01-15T09:45:00+01:00' });
    expect(moved.body.attendees[1].status).toBe('accepted');

    const day = await listEvents(invitee.token, invitee.id, '2030-01-15T00:00:00Z', '2030-01-16T00:00:00Z');
    expect(day.body.items).toEqual([expect.objectContaining({ eventId: id, source: 'native', status: 'accepted', title: 'Planning' })]);
    const oldDay = await listEvents(invitee.token, invitee.id, '2030-01-14T00:00:00Z', '2030-01-15T00:00:00Z');
    expect(oldDay.body.items).toEqual([]);

    await api('POST', `/events/${id}/decline`, { token: invitee.token });
    const declined = await listEvents(invitee.token, invitee.id, '2030-01-15T00:00:00Z', '2030-01-16T00:00:00Z');
    expect(declined.body.items[0].status).toBe('declined');
    const seenByOthers = await listEvents(stranger.token, invitee.id, '2030-01-15T00:00:00Z', '2030-01-16T00:00:00Z');
    expect(seenByOthers.body.items).toEqual([]);

    expect((await api('DELETE', `/events/${id}`, { token: organizer.token })).status).toBe(204);
    expect((await api('GET', `/events/${id}`, { token: organizer.token })).status).toBe(404);
    expect((await listEvents(organizer.token, organizer.id, '2030-01-15T00:00:00Z', '2030-01-16T00:00:00Z')).body.items).toEqual([]);
  });

  it('shows a private event to a non-attendee only as busy', async () => {
    const created = await api('POST', '/events', {
      token: organizer.token,
      body: { title: 'Doctor', start: '2030-02-01T08:00:00Z', end: '2030-02-01T09:00:00Z', visibility: 'private' },
    });
    const asStranger = await api('GET', `/events/${created.body.id}`, { token: stranger.token });
    expect(asStranger.body).toEqual({ id: created.body.id, start: created.body.start, end: created.body.end, busy: true });
    const listed = await listEvents(stranger.token, organizer.id, '2030-02-01T00:00:00Z', '2030-02-02T00:00:00Z');
    expect(listed.body.items).toEqual([{ start: created.body.start, end: created.body.end, busy: true, source: 'native' }]);
    expect(listed.text).not.toContain('Doctor');
    expect((await api('PATCH', `/events/${created.body.id}`, { token: stranger.token, body: { title: 'x' } })).status).toBe(404);
  });

  it('rejects unknown invitees naming them, and writes nothing', async () => {
    const response = await api('POST', '/events', {
      token: organizer.token,
      body: { title: 'Ghosts', start: '2030-03-01T10:00:00Z', durationMinutes: 30, attendeeIds: [invitee.id, 'NO_SUCH_USER'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'attendeeIds.1', message: 'No user NO_SUCH_USER' }]);
    expect((await listEvents(invitee.token, invitee.id, '2030-03-01T00:00:00Z', '2030-03-02T00:00:00Z')).body.items).toEqual([]);
  });

  it.each([
    ['end before start', { title: 'x', start: '2030-03-01T10:00:00Z', end: '2030-03-01T09:00:00Z' }, 'end'],
    ['zero duration', { title: 'x', start: '2030-03-01T10:00:00Z', durationMinutes: 0 }, 'durationMinutes'],
    ['no offset on the start', { title: 'x', start: '2030-03-01T10:00:00', durationMinutes: 30 }, 'start'],
    ['an unknown time zone', { title: 'x', start: '2030-03-01T10:00:00Z', durationMinutes: 30, timeZone: 'Moon/Base' }, 'timeZone'],
    ['a malformed rule', { title: 'x', start: '2030-03-01T10:00:00Z', durationMinutes: 30, recurrence: { rrule: 'FREQ=SOMETIMES' } }, 'recurrence.rrule'],
    ['COUNT with UNTIL', { title: 'x', start: '2030-03-01T10:00:00Z', durationMinutes: 30, recurrence: { rrule: 'FREQ=DAILY;COUNT=3;UNTIL=20300310T000000Z' } }, 'recurrence.rrule'],
    ['neither end nor duration', { title: 'x', start: '2030-03-01T10:00:00Z' }, 'end'],
    ['a rule with no occurrence', { title: 'x', start: '2030-03-01T10:00:00Z', durationMinutes: 30, recurrence: { rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' } }, 'recurrence'],
    ['a duplicate invitee', { title: 'x', start: '2030-03-01T10:00:00Z', durationMinutes: 30, attendeeIds: ['SOMEONE', 'SOMEONE'] }, 'attendeeIds.1'],
    ['too many invitees', { title: 'x', start: '2030-03-01T10:00:00Z', durationMinutes: 30, attendeeIds: Array.from({ length: 41 }, (_, i) => `U${i}`) }, 'attendeeIds'],
  ])('rejects %s with 400 naming the field', async (_label, body, field) => {
    const response = await api('POST', '/events', { token: organizer.token, body });
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});

describe('recurrence', () => {
  it('keeps a weekly 10:00 Europe/Berlin meeting at 10:00 local across the DST change', async () => {
    const created = await api('POST', '/events', {
      token: organizer.token,
      body: { title: 'Weekly', start: '2030-03-18T10:00:00+01:00', durationMinutes: 30, timeZone: 'Europe/Berlin', recurrence: { frequency: 'weekly', count: 4 } },
    });
    expect(created.body.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=4');
    const listed = await listEvents(organizer.token, organizer.id, '2030-03-01T00:00:00Z', '2030-05-01T00:00:00Z');
    const starts = listed.body.items.filter((o: { eventId: string }) => o.eventId === created.body.id).map((o: { start: string }) => o.start);
    expect(starts).toEqual(['2030-03-18T10:00:00+01:00', '2030-03-25T10:00:00+01:00', '2030-04-01T10:00:00+02:00', '2030-04-08T10:00:00+02:00']);
  });

  it('moves one occurrence and cancels another without touching the rest', async () => {
    const created = await api('POST', '/events', {
      token: organizer.token,
      body: { title: 'Standup', start: '2031-01-06T09:00:00+01:00', durationMinutes: 15, recurrence: { frequency: 'weekdays', count: 5 }, attendeeIds: [invitee.id] },
    });
    const id = created.body.id;
    const moved = await api('PATCH', `/events/${id}?occurrence=${encodeURIComponent('2031-01-07T09:00:00+01:00')}`, {
      token: organizer.token,
      body: { start: '2031-01-07T11:00:00+01:00', title: 'Late standup' },
    });
    expect(moved.status).toBe(200);
    expect((await api('DELETE', `/events/${id}?occurrence=${encodeURIComponent('2031-01-08T08:00:00Z')}`, { token: organizer.token })).status).toBe(204);
    const notAnOccurrence = await api('DELETE', `/events/${id}?occurrence=${encodeURIComponent('2031-01-08T10:00:00Z')}`, { token: organizer.token });
    expect(notAnOccurrence.status).toBe(400);

    const listed = await listEvents(invitee.token, invitee.id, '2031-01-05T00:00:00Z', '2031-01-12T00:00:00Z');
    const mine = listed.body.items.filter((o: { eventId: string }) => o.eventId === id);
    expect(mine.map((o: { start: string; title: string }) => [o.start, o.title])).toEqual([
      ['2031-01-06T09:00:00+01:00', 'Standup'],
      ['2031-01-07T11:00:00+01:00', 'Late standup'],
      ['2031-01-09T09:00:00+01:00', 'Standup'],
      ['2031-01-10T09:00:00+01:00', 'Standup'],
    ]);
    expect(mine[1].originalStart).toBe('2031-01-07T09:00:00+01:00');
    const read = await api('GET', `/events/${id}`, { token: invitee.token });
    expect(read.body.exceptions).toHaveLength(2);
  });

  it('expands an open-ended custom rule with EXDATE only within the asked range, and paginates', async () => {
    const user = await signUpUser({ timeZone: 'America/New_York' });
    const created = await api('POST', '/events', {
      token: user.token,
      body: {
        title: 'Daily',
        start: '2032-01-01T08:00:00-05:00',
        durationMinutes: 60,
        recurrence: { rrule: 'RRULE:FREQ=DAILY\nEXDATE;TZID=America/New_York:20320103T080000' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.rrule).toBe('FREQ=DAILY');
    const firstPage = await listEvents(user.token, user.id, '2032-01-01T00:00:00Z', '2032-01-11T00:00:00Z', '&limit=4');
    expect(firstPage.body.items).toHaveLength(4);
    expect(firstPage.body.items.map((o: { start: string }) => o.start.slice(0, 10))).toEqual(['2032-01-01', '2032-01-02', '2032-01-04', '2032-01-05']);
    const rest: string[] = [];
    let cursor = firstPage.body.nextCursor;
    while (cursor) {
      const page = await listEvents(user.token, user.id, '2032-01-01T00:00:00Z', '2032-01-11T00:00:00Z', `&limit=4&cursor=${cursor}`);
      rest.push(...page.body.items.map((o: { start: string }) => o.start.slice(0, 10)));
      cursor = page.body.nextCursor;
    }
    expect(rest).toEqual(['2032-01-06', '2032-01-07', '2032-01-08', '2032-01-09', '2032-01-10']);
    // Years later the open-ended series still shows up, still at 08:00 New York time.
    const later = await listEvents(user.token, user.id, '2035-07-04T00:00:00Z', '2035-07-05T00:00:00Z');
    expect(later.body.items.map((o: { start: string }) => o.start)).toEqual(['2035-07-04T08:00:00-04:00']);
  });

  it('caps the listed range at 366 days and rejects a bad cursor', async () => {
    const tooLong = await listEvents(organizer.token, organizer.id, '2030-01-01T00:00:00Z', '2031-06-01T00:00:00Z');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details[0].field).toBe('query.to');
    const badCursor = await listEvents(organizer.token, organizer.id, '2030-01-01T00:00:00Z', '2030-02-01T00:00:00Z', '&cursor=nonsense');
    expect(badCursor.status).toBe(400);
  });
});

describe('free time', () => {
  it('finds the earliest slot around meetings, ignoring declined ones, within working hours in each zone', async () => {
    const berlin = await signUpUser({ timeZone: 'Europe/Berlin', workingHours: { mon: [{ start: '09:00', end: '17:00' }] } });
    const newYork = await signUpUser({ timeZone: 'America/New_York', workingHours: { mon: [{ start: '09:00', end: '17:00' }] } });
    // Monday 2033-01-03: Berlin works 08:00-16:00 UTC, New York 14:00-22:00 UTC; the overlap is 14:00-16:00 UTC.
    const busy = await api('POST', '/events', { token: berlin.token, body: { title: 'Busy', start: '2033-01-03T14:00:00Z', durationMinutes: 30, attendeeIds: [newYork.id] } });
    const declinedBusy = await api('POST', '/events', { token: berlin.token, body: { title: 'Declined', start: '2033-01-03T14:30:00Z', durationMinutes: 30, attendeeIds: [newYork.id] } });
    await api('POST', `/events/${declinedBusy.body.id}/decline`, { token: newYork.token });
    expect(busy.status).toBe(201);

    const query = (extra: string, duration = '1h') => api('GET', `/free-time?userIds=${berlin.id},${newYork.id}&duration=${duration}&after=${encodeURIComponent('2033-01-03T00:00:00Z')}${extra}`, { token: berlin.token });
    const withHours = await query('&workingHoursOnly=true');
    // The organizer (Berlin) is still busy 14:30-15:00 with the meeting the invitee declined.
    expect(withHours.status).toBe(200);
    expect([Date.parse(withHours.body.start), Date.parse(withHours.body.end)]).toEqual([Date.parse('2033-01-03T15:00:00Z'), Date.parse('2033-01-03T16:00:00Z')]);
    const anyTime = await query('');
    expect(Date.parse(anyTime.body.start)).toBe(Date.parse('2033-01-03T00:00:00Z'));
    const none = await query(`&workingHoursOnly=true&before=${encodeURIComponent('2033-01-04T00:00:00Z')}`, 'PT3H');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('no_free_time');
  });

  it('rejects a bad duration, unknown users and a missing list', async () => {
    const bad = await api('GET', `/free-time?userIds=${organizer.id}&duration=soon`, { token: organizer.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.duration');
    expect((await api('GET', `/free-time?userIds=${organizer.id}&duration=-5m`, { token: organizer.token })).status).toBe(400);
    expect((await api('GET', '/free-time?userIds=NOBODY&duration=30m', { token: organizer.token })).status).toBe(400);
    expect((await api('GET', '/free-time?duration=30m', { token: organizer.token })).status).toBe(400);
  });
});
