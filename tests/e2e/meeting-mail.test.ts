// Meeting mail over HTTP against the local stack: invitations, changes and cancellations reach the invitees (never the
// organizer) with an .ics of the meeting; the mail sender runs in-process (as its schedule would) and the local SES's
// `GET /store` shows what each received.
import { api, signUpUser } from '../support/http';
import { allMails, icsField as field, icsOf as attachedIcs, mailsTo, runMailSender, sesEndpoint, type StoredMail } from '../support/mail';

jest.setTimeout(90_000);

beforeAll(() => {
  sesEndpoint();
});

type Person = Awaited<ReturnType<typeof signUpUser>>;

const subjectsTo = async (email: string) => (await mailsTo(email)).map((mail) => mail.subject);
const icsOf = (mail: StoredMail) => attachedIcs(mail) ?? '';
const lines = (ics: string, name: string) => ics.split('\r\n').filter((line) => line.startsWith(name));
/** The lines of the VEVENTs, without the VTIMEZONE (whose DTSTARTs are the zone's, not the event's). */
const events = (ics: string) => ics.replace(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE\r\n/g, '');

const createEvent = (organizer: Person, body: Record<string, unknown>) => api('POST', '/events', { token: organizer.token, body });

describe('meeting mail', () => {
  let organizer: Person;
  let ann: Person;
  let ben: Person;
  let cyd: Person;
  let meetingId: string;
  const uid = () => `${meetingId}@calendar-hub`;

  beforeAll(async () => {
    [organizer, ann, ben, cyd] = await Promise.all([
      signUpUser({ name: 'Olga Organizer', timeZone: 'Europe/Berlin' }),
      signUpUser({ name: 'Ann Invitee', timeZone: 'America/New_York' }),
      signUpUser({ name: 'Ben Invitee', timeZone: 'Europe/Berlin' }),
      signUpUser({ name: 'Cyd Later', timeZone: 'Europe/Berlin' }),
    ]);
  });

  it('invites each invitee with a REQUEST of the series (RRULE, NEEDS-ACTION, the organizer as ORGANIZER) and mails the organizer nothing', async () => {
    // Mondays 10:00 Berlin from 21 March 2033: the second one is in summer time (27 March).
    const created = await createEvent(organizer, {
      title: 'Weekly sync',
      start: '2033-03-21T10:00:00+01:00',
      durationMinutes: 30,
      attendeeIds: [ann.id, ben.id],
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4' },
    });
    expect(created.status).toBe(201);
    meetingId = created.body.id;

    await runMailSender();

    expect(await subjectsTo(ann.email)).toEqual(['Invitation: Weekly sync']);
    expect(await subjectsTo(ben.email)).toEqual(['Invitation: Weekly sync']);
    expect(await mailsTo(organizer.email)).toEqual([]);
    const [invitation] = await mailsTo(ann.email);
    // Ann reads New York time, the organizer's zone beside it, and a link to the console.
    expect(invitation.body.text).toContain('When: Monday, 21 March 2033, 05:00–05:30 (America/New_York)');
    expect(invitation.body.text).toContain('For Olga Organizer: Monday, 21 March 2033, 10:00–10:30 (Europe/Berlin)');
    expect(invitation.body.text).toContain('/app/');
    expect(invitation.body.html).toContain('Weekly sync');
    const ics = icsOf(invitation);
    expect(ics).toContain('METHOD:REQUEST');
    expect(field(ics, 'UID')).toBe(uid());
    expect(field(ics, 'SEQUENCE')).toBe('0');
    expect(field(events(ics), 'DTSTART')).toBe('TZID=Europe/Berlin:20330321T100000');
    expect(field(ics, 'RRULE')).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=4');
    expect(lines(ics, 'ORGANIZER')).toEqual([`ORGANIZER;CN="Olga Organizer":mailto:${organizer.email}`]);
    const attendees = lines(ics, 'ATTENDEE');
    expect(attendees).toHaveLength(2);
    expect(attendees.find((line) => line.endsWith(`mailto:${ann.email}`))).toContain('PARTSTAT=NEEDS-ACTION;RSVP=TRUE');
    // Summer time is in the VTIMEZONE for the occurrences after 27 March.
    expect(ics).toMatch(/BEGIN:DAYLIGHT\r\nDTSTART:20330327T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/);
  });

  it('queues nothing for a refused change: invalid input, someone not the organizer', async () => {
    const invalid = await api('PATCH', `/events/${meetingId}`, { token: organizer.token, body: { start: '2033-03-21T10:00:00+01:00', end: '2033-03-21T09:00:00+01:00' } });
    expect(invalid.status).toBe(400);
    const unknownInvitee = await api('PATCH', `/events/${meetingId}`, { token: organizer.token, body: { title: 'Renamed', attendeeIds: [ann.id, 'no-such-user'] } });
    expect(unknownInvitee.status).toBe(400);
    expect((await api('PATCH', `/events/${meetingId}`, { token: ann.token, body: { title: 'Mine' } })).status).toBe(403);
    expect((await api('DELETE', `/events/${meetingId}`, { token: ben.token })).status).toBe(403);

    await runMailSender();

    expect(await subjectsTo(ann.email)).toEqual(['Invitation: Weekly sync']);
    expect(await subjectsTo(ben.email)).toEqual(['Invitation: Weekly sync']);
  });

  it('tells invitees of a change with the same UID and SEQUENCE + 1, a decliner too, and sends it once however often the sender runs', async () => {
    expect((await api('POST', `/events/${meetingId}/decline`, { token: ben.token })).status).toBe(200);
    const moved = await api('PATCH', `/events/${meetingId}`, { token: organizer.token, body: { title: 'Weekly planning', start: '2033-03-21T11:00:00+01:00' } });
    expect(moved.status).toBe(200);

    await runMailSender();
    await runMailSender();

    expect(await subjectsTo(ann.email)).toEqual(['Invitation: Weekly sync', 'Updated: Weekly planning']);
    expect(await subjectsTo(ben.email)).toEqual(['Invitation: Weekly sync', 'Updated: Weekly planning']);
    expect(await mailsTo(organizer.email)).toEqual([]);
    const ics = icsOf((await mailsTo(ann.email))[1]);
    expect(ics).toContain('METHOD:REQUEST');
    expect(field(ics, 'UID')).toBe(uid());
    // Version 1 -> 2 by Ben's decline (no mail) -> 3 by the change: the SEQUENCE follows the version.
    expect(field(ics, 'SEQUENCE')).toBe('2');
    expect(field(events(ics), 'DTSTART')).toBe('TZID=Europe/Berlin:20330321T110000');
    expect(lines(ics, 'ATTENDEE').find((line) => line.endsWith(`mailto:${ben.email}`))).toContain('PARTSTAT=DECLINED');
  });

  it('invites who is added, cancels for who is removed, and leaves the others alone when nothing they see changed', async () => {
    const changed = await api('PATCH', `/events/${meetingId}`, { token: organizer.token, body: { attendeeIds: [ann.id, cyd.id] } });
    expect(changed.status).toBe(200);

    await runMailSender();

    expect(await subjectsTo(cyd.email)).toEqual(['Invitation: Weekly planning']);
    expect(await subjectsTo(ben.email)).toEqual(['Invitation: Weekly sync', 'Updated: Weekly planning', 'Cancelled: Weekly planning']);
    expect(await subjectsTo(ann.email)).toEqual(['Invitation: Weekly sync', 'Updated: Weekly planning']);
    const removal = (await mailsTo(ben.email))[2];
    expect(removal.body.text).toContain('removed you from Weekly planning');
    const ics = icsOf(removal);
    expect(ics).toContain('METHOD:CANCEL');
    expect(field(ics, 'UID')).toBe(uid());
    expect(field(ics, 'RECURRENCE-ID')).toBeUndefined();
    expect(lines(ics, 'ATTENDEE').some((line) => line.endsWith(`mailto:${ben.email}`))).toBe(true);
  });

  it('cancels one occurrence with a CANCEL naming it by RECURRENCE-ID (summer time, in the meeting zone)', async () => {
    // The second Monday, 28 March 2033 11:00 Berlin, is 09:00 UTC.
    const cancelled = await api('DELETE', `/events/${meetingId}?occurrence=${encodeURIComponent('2033-03-28T09:00:00Z')}`, { token: organizer.token });
    expect(cancelled.status).toBe(204);

    await runMailSender();

    for (const person of [ann, cyd]) {
      const last = (await mailsTo(person.email)).at(-1)!;
      expect(last.subject).toBe('Cancelled: Weekly planning (one occurrence)');
      const ics = icsOf(last);
      expect(ics).toContain('METHOD:CANCEL');
      expect(field(ics, 'UID')).toBe(uid());
      expect(field(ics, 'RECURRENCE-ID')).toBe('TZID=Europe/Berlin:20330328T110000');
      expect(field(ics, 'STATUS')).toBe('CANCELLED');
    }
    expect(await subjectsTo(ben.email)).toHaveLength(3);

    // A later REQUEST carries the cancelled occurrence as an EXDATE.
    expect((await api('PATCH', `/events/${meetingId}`, { token: organizer.token, body: { description: 'Bring numbers' } })).status).toBe(200);
    await runMailSender();
    const update = (await mailsTo(ann.email)).at(-1)!;
    expect(update.subject).toBe('Updated: Weekly planning');
    expect(field(icsOf(update), 'EXDATE')).toBe('TZID=Europe/Berlin:20330328T110000');
  });

  it('cancels the whole meeting for every invitee with a CANCEL of its UID, and the organizer still gets nothing', async () => {
    const before = await subjectsTo(ann.email);
    expect((await api('DELETE', `/events/${meetingId}`, { token: organizer.token })).status).toBe(204);

    await runMailSender();
    await runMailSender();

    for (const person of [ann, cyd]) {
      const mails = await mailsTo(person.email);
      expect(mails.at(-1)!.subject).toBe('Cancelled: Weekly planning');
      const ics = icsOf(mails.at(-1)!);
      expect(ics).toContain('METHOD:CANCEL');
      expect(field(ics, 'UID')).toBe(uid());
      expect(field(ics, 'RECURRENCE-ID')).toBeUndefined();
    }
    expect(await subjectsTo(ann.email)).toEqual([...before, 'Cancelled: Weekly planning']);
    expect(await mailsTo(organizer.email)).toEqual([]);
  });

  it('lets no title or name with line breaks add a header, a recipient or an .ics property', async () => {
    const [dora, evilOrganizer] = await Promise.all([
      signUpUser({ name: 'Dora\r\nBcc: injected-bcc@example.test', timeZone: 'Europe/Berlin' }),
      signUpUser({ name: 'Eve\r\nATTENDEE:mailto:injected-name@example.test', timeZone: 'Europe/Berlin' }),
    ]);
    const created = await createEvent(evilOrganizer, {
      title: 'Sync\r\nBcc: injected-title@example.test\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:injected-ics@example.test',
      start: '2033-05-02T10:00:00+02:00',
      durationMinutes: 30,
      attendeeIds: [dora.id],
    });
    expect(created.status).toBe(201);

    await runMailSender();

    const mails = await mailsTo(dora.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toMatch(/^Invitation: Sync/);
    expect(mail.destination.to).toHaveLength(1);
    expect(mail.destination.cc).toEqual([]);
    expect(mail.destination.bcc).toEqual([]);
    // The name stays a quoted display name; no address anywhere is an injected one.
    expect(mail.destination.to[0]).toBe(`"Dora Bcc: injected-bcc@example.test" <${dora.email}>`);
    const address = (text: string) => text.match(/<([^>]+)>$/)?.[1] ?? text;
    const everyAddress = (await allMails()).flatMap((stored) => [...stored.destination.to, ...stored.destination.cc, ...stored.destination.bcc].map(address));
    expect(everyAddress.filter((to) => to.includes('injected'))).toEqual([]);
    const ics = icsOf(mail);
    expect(lines(ics, 'ATTENDEE')).toEqual([expect.stringMatching(new RegExp(`mailto:${dora.email}$`))]);
    expect(lines(ics, 'ORGANIZER')).toEqual([`ORGANIZER;CN="Eve ATTENDEE:mailto:injected-name@example.test":mailto:${evilOrganizer.email}`]);
    expect(ics.split('\r\n').filter((line) => /^(BCC|Bcc|ATTENDEE;PARTSTAT)/.test(line))).toEqual([]);
    expect(field(ics, 'SUMMARY')).toBe('Sync\\nBcc: injected-title@example.test\\nATTENDEE\\;PARTSTAT=ACCEPTED:mailto:injected-ics@example.test');
  });
});
