// Trust boundaries of reading calendars (DESIGN.md "Trust boundaries"): who sees a meeting's title, description
// and attendees, whose pending invitations block someone's time, and that a decline stands.
import { api, signUpUser } from '../support/http';

type Person = Awaited<ReturnType<typeof signUpUser>>;

// Several handlers start cold here; on a busy machine that alone can take seconds.
jest.setTimeout(60_000);

const encode = encodeURIComponent;
const listEvents = (viewer: Person, owner: Person, from: string, to: string) =>
  api('GET', `/users/${owner.id}/events?from=${encode(from)}&to=${encode(to)}`, { token: viewer.token });

async function createCompanyWith(owner: Person, members: Person[]): Promise<string> {
  const company = await api('POST', '/companies', { token: owner.token, body: { name: 'Visibility works' } });
  if (company.status !== 201) throw new Error(`company: ${company.status} ${company.text}`);
  for (const member of members) {
    const added = await api('PUT', `/companies/${company.body.id}/members/${member.id}`, { token: owner.token });
    if (added.status !== 200 && added.status !== 201) throw new Error(`member: ${added.status} ${added.text}`);
  }
  return company.body.id;
}

async function createMeeting(organizer: Person, body: Record<string, unknown>) {
  const created = await api('POST', '/events', { token: organizer.token, body });
  if (created.status !== 201) throw new Error(`meeting: ${created.status} ${created.text}`);
  return created.body as { id: string; start: string; end: string };
}

describe('who sees a meeting', () => {
  // Alice organizes; Bob (invited) and Carol share Alice's company; Sam shares none.
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let sam: Person;
  let meeting: { id: string; start: string; end: string };
  const day = ['2036-02-04T00:00:00Z', '2036-02-05T00:00:00Z'] as const;

  beforeAll(async () => {
    [alice, bob, carol, sam] = await Promise.all([
      signUpUser({ name: 'Alice', timeZone: 'Europe/Berlin' }),
      signUpUser({ name: 'Bob' }),
      signUpUser({ name: 'Carol' }),
      signUpUser({ name: 'Sam' }),
    ]);
    await createCompanyWith(alice, [bob, carol]);
    meeting = await createMeeting(alice, {
      title: 'Acquisition of Initech', description: 'Price ceiling 40M', start: '2036-02-04T10:00:00+01:00', durationMinutes: 60, attendeeIds: [bob.id],
    });
  });

  it("shows a stranger only busy blocks of a user's calendar and of a single meeting", async () => {
    const read = await api('GET', `/events/${meeting.id}`, { token: sam.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: meeting.id, start: meeting.start, end: meeting.end, busy: true });

    for (const owner of [alice, bob]) {
      const listed = await listEvents(sam, owner, ...day);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([{ start: meeting.start, end: meeting.end, busy: true, source: 'native' }]);
      for (const secret of ['Initech', 'Price ceiling', meeting.id, bob.id]) expect(listed.text).not.toContain(secret);
    }
    for (const secret of ['Initech', 'Price ceiling', bob.id]) expect(read.text).not.toContain(secret);
    // A stranger who is not the organizer cannot change it either (he knows it exists: it is a busy block).
    expect((await api('PATCH', `/events/${meeting.id}`, { token: sam.token, body: { title: 'x' } })).status).toBe(403);
  });

  it('lets free time answer only when, never what', async () => {
    const free = await api('GET', `/free-time?userIds=${alice.id},${bob.id}&duration=1h&after=${encode('2036-02-04T09:00:00Z')}`, { token: sam.token });
    expect(free.status).toBe(200);
    expect(Object.keys(free.body).sort()).toEqual(['end', 'start']);
    expect(Date.parse(free.body.start)).toBe(Date.parse('2036-02-04T10:00:00Z'));
  });

  it('shows a colleague in a shared company the title, description and attendees', async () => {
    const read = await api('GET', `/events/${meeting.id}`, { token: carol.token });
    expect(read.body).toMatchObject({
      id: meeting.id, title: 'Acquisition of Initech', description: 'Price ceiling 40M', organizerId: alice.id,
      attendees: [{ userId: alice.id, status: 'organizer' }, { userId: bob.id, status: 'pending' }],
    });
    // In the organizer's calendar and in an attendee's (the organizer is Carol's colleague either way).
    for (const owner of [alice, bob]) {
      const listed = await listEvents(carol, owner, ...day);
      expect(listed.body.items).toEqual([expect.objectContaining({ eventId: meeting.id, title: 'Acquisition of Initech', source: 'native' })]);
    }
    // Attendees see it whatever their companies.
    expect((await api('GET', `/events/${meeting.id}`, { token: bob.token })).body.title).toBe('Acquisition of Initech');
  });

  it('keeps a private meeting busy-only for a colleague as well', async () => {
    const secret = await createMeeting(alice, { title: 'Therapy', start: '2036-02-04T15:00:00+01:00', durationMinutes: 50, visibility: 'private' });
    const read = await api('GET', `/events/${secret.id}`, { token: carol.token });
    expect(read.body).toEqual({ id: secret.id, start: secret.start, end: secret.end, busy: true });
    const listed = await listEvents(carol, alice, ...day);
    expect(listed.body.items).toContainEqual({ start: secret.start, end: secret.end, busy: true, source: 'native' });
    expect(listed.text).not.toContain('Therapy');
  });
});

describe('invitations', () => {
  const WEEKDAYS_9_TO_12 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '09:00', end: '12:00' }]]));
  const MONDAY = '2036-03-03';
  const from = `${MONDAY}T00:00:00+01:00`;
  const to = '2036-03-04T00:00:00+01:00';
  // Each test has its own host and booking page, so that nothing one leaves behind changes another's slots.
  let host: Person;
  let slug: string;

  const slotStarts = async () => {
    const slots = await api('GET', `/book/${slug}/slots?from=${encode(from)}&to=${encode(to)}`);
    expect(slots.status).toBe(200);
    return slots.body.items.map((slot: { start: string }) => slot.start) as string[];
  };
  const freeFrom = async (after: string) => {
    const free = await api('GET', `/free-time?userIds=${host.id}&duration=1h&after=${encode(after)}`, { token: host.token });
    expect(free.status).toBe(200);
    return Date.parse(free.body.start);
  };

  beforeEach(async () => {
    host = await signUpUser({ name: 'Hanna Host', timeZone: 'Europe/Berlin' });
    const type = await api('POST', '/event-types', {
      token: host.token,
      body: { name: 'Consult', kind: 'one_on_one', durationMinutes: 60, minNoticeMinutes: 0, slotStepMinutes: 60, availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS_9_TO_12 } },
    });
    if (type.status !== 201) throw new Error(`event type: ${type.status} ${type.text}`);
    slug = type.body.slug;
  });

  it("does not let a stranger's pending invitation block booking slots or free time, until it is accepted", async () => {
    const [stranger, onlooker] = await Promise.all([signUpUser({ name: 'Spammer' }), signUpUser({ name: 'Onlooker' })]);
    const all = [`${MONDAY}T09:00:00+01:00`, `${MONDAY}T10:00:00+01:00`, `${MONDAY}T11:00:00+01:00`];
    expect(await slotStarts()).toEqual(all);
    const invitation = await createMeeting(stranger, { title: 'Buy my stuff', start: `${MONDAY}T10:00:00+01:00`, durationMinutes: 60, attendeeIds: [host.id] });

    expect(await slotStarts()).toEqual(all);
    expect(await freeFrom(`${MONDAY}T10:00:00+01:00`)).toBe(Date.parse(`${MONDAY}T10:00:00+01:00`));
    // The host still sees the invitation in her own calendar (to answer it).
    const own = await listEvents(host, host, from, to);
    expect(own.body.items).toEqual([expect.objectContaining({ eventId: invitation.id, status: 'pending' })]);
    // Others do not see her busy then.
    expect((await listEvents(onlooker, host, from, to)).body.items).toEqual([]);

    expect((await api('POST', `/events/${invitation.id}/accept`, { token: host.token })).status).toBe(200);
    expect(await slotStarts()).toEqual([`${MONDAY}T09:00:00+01:00`, `${MONDAY}T11:00:00+01:00`]);
    expect(await freeFrom(`${MONDAY}T10:00:00+01:00`)).toBe(Date.parse(`${MONDAY}T11:00:00+01:00`));
    expect((await listEvents(onlooker, host, from, to)).body.items).toEqual([{ start: invitation.start, end: invitation.end, busy: true, source: 'native' }]);
  });

  it("lets a colleague's pending invitation block as before", async () => {
    const colleague = await signUpUser({ name: 'Colin' });
    await createCompanyWith(colleague, [host]);
    expect(await slotStarts()).toHaveLength(3);
    const invitation = await createMeeting(colleague, { title: 'Team sync', start: `${MONDAY}T11:00:00+01:00`, durationMinutes: 60, attendeeIds: [host.id] });
    expect(await slotStarts()).toEqual([`${MONDAY}T09:00:00+01:00`, `${MONDAY}T10:00:00+01:00`]);
    expect(await freeFrom(`${MONDAY}T11:00:00+01:00`)).toBe(Date.parse(`${MONDAY}T12:00:00+01:00`));
    // Declined, it blocks nothing.
    expect((await api('POST', `/events/${invitation.id}/decline`, { token: host.token })).status).toBe(200);
    expect(await slotStarts()).toEqual([`${MONDAY}T09:00:00+01:00`, `${MONDAY}T10:00:00+01:00`, `${MONDAY}T11:00:00+01:00`]);
  });
});

describe('a decline', () => {
  it('stands when the organizer removes the invitee and adds them again', async () => {
    const [organizer, invitee] = await Promise.all([signUpUser({ name: 'Otto' }), signUpUser({ name: 'Ina' })]);
    await createCompanyWith(organizer, [invitee]);
    const meeting = await createMeeting(organizer, { title: 'Retro', start: '2036-04-07T09:00:00Z', durationMinutes: 60, attendeeIds: [invitee.id] });
    expect((await api('POST', `/events/${meeting.id}/decline`, { token: invitee.token })).status).toBe(200);

    const removed = await api('PATCH', `/events/${meeting.id}`, { token: organizer.token, body: { attendeeIds: [] } });
    expect(removed.body.attendees).toEqual([{ userId: organizer.id, status: 'organizer' }]);
    const readded = await api('PATCH', `/events/${meeting.id}`, { token: organizer.token, body: { attendeeIds: [invitee.id] } });
    expect(readded.status).toBe(200);
    expect(readded.body.attendees).toEqual([{ userId: organizer.id, status: 'organizer' }, { userId: invitee.id, status: 'declined' }]);

    // Declined, it does not block the invitee; she can still change her mind.
    const free = await api('GET', `/free-time?userIds=${invitee.id}&duration=1h&after=${encode('2036-04-07T09:00:00Z')}`, { token: invitee.token });
    expect(Date.parse(free.body.start)).toBe(Date.parse('2036-04-07T09:00:00Z'));
    const accepted = await api('POST', `/events/${meeting.id}/accept`, { token: invitee.token });
    expect(accepted.body.attendees[1]).toEqual({ userId: invitee.id, status: 'accepted' });
  });
});
