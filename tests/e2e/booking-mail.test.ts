// Rescheduling and the mail it and booking and cancelling cause, over HTTP against the local stack: the mail sender
// runs in-process (as its schedule would) and the local SES's `GET /store` shows what guests and hosts received.
import { icsField as field, icsOf, mailsTo, runMailSender, sesEndpoint } from '../support/mail';
import { api, signUpUser, uniqueEmail } from '../support/http';

jest.setTimeout(90_000);

beforeAll(() => {
  sesEndpoint();
});

type Person = Awaited<ReturnType<typeof signUpUser>>;

const ALWAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]));
const DAY = '2032-06-07'; // a Monday, far ahead
const at = (time: string) => `${DAY}T${time}:00+02:00`;

/** The event's own start (not a VTIMEZONE rule's), local time in its zone. */
const eventStart = (ics: string) => ics.match(/^DTSTART;TZID=[^:]+:(\S+)/m)?.[1];

async function createEventType(host: Person, body: Record<string, unknown> = {}) {
  const response = await api('POST', '/event-types', {
    token: host.token,
    body: { name: 'Intro call', kind: 'one_on_one', durationMinutes: 30, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: ALWAYS }, ...body },
  });
  if (response.status !== 201) throw new Error(`event type: ${response.status} ${response.text}`);
  return response.body as { id: string; slug: string };
}

const book = (slug: string, start: string, email: string, headers?: Record<string, string>) =>
  api('POST', `/book/${slug}/bookings`, { body: { start, name: 'Gina Guest', email, timeZone: 'Europe/Berlin' }, headers });
const reschedule = (bookingId: string, start: string, access: { token?: string; bearer?: string }) =>
  api('POST', `/bookings/${bookingId}/reschedule${access.token ? `?token=${encodeURIComponent(access.token)}` : ''}`, { token: access.bearer, body: { start } });
const startsOf = async (slug: string, from: string, to: string) =>
  (await api('GET', `/book/${slug}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body.items.map((slot: { start: string }) => Date.parse(slot.start));
const invitation = async (bookingId: string, token: string) => (await api('GET', `/bookings/${bookingId}/invite.ics?token=${encodeURIComponent(token)}`)).text;

describe('booking mail and rescheduling', () => {
  let host: Person;
  let otherHost: Person;
  let slug: string;
  const guestEmail = uniqueEmail('guest');
  let booking: { id: string; cancelToken: string };

  beforeAll(async () => {
    [host, otherHost] = await Promise.all([signUpUser({ name: 'Ada Host', timeZone: 'Europe/Berlin' }), signUpUser({ name: 'Olga Other' })]);
    // Starts every 15 minutes: a booking can move to a time that overlaps its own.
    ({ slug } = await createEventType(host, { slotStepMinutes: 15 }));
  });

  it('confirms a booking to the guest (.ics REQUEST, reschedule and cancel links) and tells the host, once even when the request is replayed', async () => {
    const first = await book(slug, at('09:00'), guestEmail, { 'idempotency-key': `mail-${guestEmail}` });
    const replayed = await book(slug, at('09:00'), guestEmail, { 'idempotency-key': `mail-${guestEmail}` });
    expect(first.status).toBe(201);
    expect(replayed.status).toBe(201);
    expect(replayed.body.id).toBe(first.body.id);
    booking = first.body;

    await runMailSender();

    const guestMails = await mailsTo(guestEmail);
    expect(guestMails.map((mail) => mail.subject)).toEqual(['Confirmed: Intro call with Ada Host']);
    const [confirmation] = guestMails;
    const token = encodeURIComponent(booking.cancelToken);
    expect(confirmation.body.text).toContain(`/app/book/${slug}/reschedule/${booking.id}?token=${token}`);
    expect(confirmation.body.text).toContain(`/app/book/${slug}?booking=${booking.id}&token=${token}`);
    const ics = icsOf(confirmation)!;
    expect(ics).toContain('METHOD:REQUEST');
    expect(field(ics, 'UID')).toBe(`${booking.id}@calendar-hub`);
    expect(field(ics, 'SEQUENCE')).toBe('0');

    const hostMails = await mailsTo(host.email);
    expect(hostMails.map((mail) => mail.subject)).toEqual(['New booking: Intro call with Gina Guest']);
    expect(hostMails[0].body.text).toContain(guestEmail);
    // The host's mail never carries the guest's token.
    expect(hostMails[0].body.text).not.toContain(booking.cancelToken);
  });

  it('refuses a reschedule without the right token or bearer, to a taken, past or unoffered time, and changes nothing', async () => {
    const takenBy = await book(slug, at('10:00'), uniqueEmail('taker'));
    expect(takenBy.status).toBe(201);

    expect((await reschedule(booking.id, at('11:00'), {})).status).toBe(401);
    const wrongToken = await reschedule(booking.id, at('11:00'), { token: 'not-the-token' });
    expect([wrongToken.status, wrongToken.body.error.code]).toEqual([403, 'forbidden']);
    const anotherHost = await reschedule(booking.id, at('11:00'), { bearer: otherHost.token });
    expect([anotherHost.status, anotherHost.body.error.code]).toEqual([403, 'forbidden']);
    // Another booking's token does not move this one.
    expect((await reschedule(booking.id, at('11:00'), { token: takenBy.body.cancelToken })).status).toBe(403);

    const taken = await reschedule(booking.id, at('10:00'), { token: booking.cancelToken });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'slot_taken']);
    const overlapping = await reschedule(booking.id, at('09:45'), { token: booking.cancelToken });
    expect([overlapping.status, overlapping.body.error.code]).toEqual([409, 'slot_taken']);
    const past = await reschedule(booking.id, '2020-01-06T09:00:00+01:00', { token: booking.cancelToken });
    expect([past.status, past.body.error.code, past.body.error.details]).toEqual([422, 'slot_in_past', [expect.objectContaining({ field: 'start' })]]);
    const offGrid = await reschedule(booking.id, at('11:07'), { token: booking.cancelToken });
    expect([offGrid.status, offGrid.body.error.code, offGrid.body.error.details]).toEqual([422, 'not_a_slot', [expect.objectContaining({ field: 'start' })]]);
    const noStart = await api('POST', `/bookings/${booking.id}/reschedule?token=${encodeURIComponent(booking.cancelToken)}`, { body: {} });
    expect(noStart.status).toBe(400);
    expect(noStart.body.error.details).toEqual([expect.objectContaining({ field: 'start' })]);
    expect((await reschedule('01JC0000000000000000000000', at('11:00'), { token: booking.cancelToken })).status).toBe(404);

    await runMailSender();
    const ics = await invitation(booking.id, booking.cancelToken);
    expect(field(ics, 'SEQUENCE')).toBe('0');
    expect(eventStart(ics)).toBe('20320607T090000');
    expect((await mailsTo(guestEmail)).map((mail) => mail.subject)).toEqual(['Confirmed: Intro call with Ada Host']);
  });

  it('moves the booking with the guest token: both are told, the .ics keeps its UID with a higher SEQUENCE, the old time is free again', async () => {
    const moved = await reschedule(booking.id, at('11:00'), { token: booking.cancelToken });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: booking.id, status: 'confirmed', timeZone: 'Europe/Berlin' });
    expect(Date.parse(moved.body.start)).toBe(Date.parse(at('11:00')));
    expect(Date.parse(moved.body.end)).toBe(Date.parse(at('11:30')));
    // A retried request (the same start) answers the same and queues no second mail.
    const again = await reschedule(booking.id, at('11:00'), { token: booking.cancelToken });
    expect(again.status).toBe(200);

    await runMailSender();

    const guestRescheduled = (await mailsTo(guestEmail)).filter((mail) => mail.subject.startsWith('Rescheduled:'));
    expect(guestRescheduled).toHaveLength(1);
    expect(guestRescheduled[0].body.text).toContain(`/app/book/${slug}/reschedule/${booking.id}?token=${encodeURIComponent(booking.cancelToken)}`);
    const mailed = icsOf(guestRescheduled[0])!;
    expect(field(mailed, 'UID')).toBe(`${booking.id}@calendar-hub`);
    expect(field(mailed, 'SEQUENCE')).toBe('1');
    expect((await mailsTo(host.email)).filter((mail) => mail.subject.startsWith('Rescheduled:'))).toHaveLength(1);

    const ics = await invitation(booking.id, booking.cancelToken);
    expect(field(ics, 'UID')).toBe(`${booking.id}@calendar-hub`);
    expect(field(ics, 'SEQUENCE')).toBe('1');
    expect(eventStart(ics)).toBe('20320607T110000');

    const starts = await startsOf(slug, at('08:00'), at('13:00'));
    expect(starts).toContain(Date.parse(at('09:00')));
    expect(starts).not.toContain(Date.parse(at('11:00')));
    expect((await book(slug, at('11:00'), uniqueEmail('late'))).body.error.code).toBe('slot_taken');
  });

  it('lets the host move it with their bearer, into a time that overlaps its own', async () => {
    const moved = await reschedule(booking.id, at('11:15'), { bearer: host.token });
    expect(moved.status).toBe(200);
    await runMailSender();
    const guestRescheduled = (await mailsTo(guestEmail)).filter((mail) => mail.subject.startsWith('Rescheduled:'));
    expect(guestRescheduled).toHaveLength(2);
    expect(field(icsOf(guestRescheduled[1])!, 'SEQUENCE')).toBe('2');
    expect(field(await invitation(booking.id, booking.cancelToken), 'SEQUENCE')).toBe('2');
    const starts = await startsOf(slug, at('08:00'), at('13:00'));
    // 10:45-11:15 needed the cells 11:00-11:15 the move gave back; 11:15 and 11:30 are held now.
    expect(starts).toContain(Date.parse(at('10:45')));
    expect(starts).not.toContain(Date.parse(at('11:15')));
    expect(starts).not.toContain(Date.parse(at('11:30')));
  });

  it('cancels: both are told, the guest with a METHOD:CANCEL of the same UID; a cancelled booking does not move; nothing is sent twice', async () => {
    expect((await api('DELETE', `/bookings/${booking.id}?token=${encodeURIComponent(booking.cancelToken)}`)).status).toBe(200);
    expect((await api('DELETE', `/bookings/${booking.id}?token=${encodeURIComponent(booking.cancelToken)}`)).status).toBe(200);
    const refused = await reschedule(booking.id, at('12:00'), { token: booking.cancelToken });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'booking_cancelled']);

    await runMailSender();
    await runMailSender();

    const guestCancelled = (await mailsTo(guestEmail)).filter((mail) => mail.subject.startsWith('Cancelled:'));
    expect(guestCancelled).toHaveLength(1);
    const ics = icsOf(guestCancelled[0])!;
    expect(ics).toContain('METHOD:CANCEL');
    expect(field(ics, 'UID')).toBe(`${booking.id}@calendar-hub`);
    expect(field(ics, 'SEQUENCE')).toBe('3');
    expect((await mailsTo(host.email)).filter((mail) => mail.subject.startsWith('Cancelled:'))).toHaveLength(1);
    // Every mail of this booking exactly once, after runs enough to have sent anything left.
    expect((await mailsTo(guestEmail)).map((mail) => mail.subject.split(':')[0])).toEqual(['Confirmed', 'Rescheduled', 'Rescheduled', 'Cancelled']);
  });

  it('refuses to move one seat of a group slot alone', async () => {
    const group = await createEventType(host, { name: 'Workshop', kind: 'group', seats: 3 });
    const seat = await book(group.slug, at('15:00'), uniqueEmail('seat'));
    expect(seat.status).toBe(201);
    const refused = await reschedule(seat.body.id, at('16:00'), { token: seat.body.cancelToken });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'seat_cannot_move']);
  });
});
