// Who a meeting change mails and what (lib/meetings/meeting-mail.ts), and how each meeting mail reads
// (lib/domain/mail-messages.ts): the invitee's zone with the organizer's beside it, the console link, the .ics.
import { expandMeetingMail, type MailMessage, renderMail } from '../../../lib/domain/mail-messages';
import type { Meeting } from '../../../lib/meetings/meeting';
import { type MeetingPerson, queueMeetingMail } from '../../../lib/meetings/meeting-mail';

const links = { publicBaseUrl: 'https://hub.example.test/' };
const NOW = new Date('2033-01-01T12:00:00Z');
const people = new Map<string, MeetingPerson>(
  [
    { id: 'olga', name: 'Olga', email: 'olga@example.test', timeZone: 'Europe/Berlin' },
    { id: 'ann', name: 'Ann', email: 'ann@example.test', timeZone: 'Asia/Tokyo' },
    { id: 'ben', name: 'Ben', email: 'ben@example.test', timeZone: 'Europe/Berlin' },
    { id: 'cyd', name: 'Cyd', email: 'cyd@example.test', timeZone: 'Europe/Berlin' },
  ].map((person) => [person.id, person]),
);

const meeting: Meeting = {
  id: '01MEETING',
  title: 'Planning <b>',
  start: '2033-03-07T10:00:00+01:00',
  end: '2033-03-07T10:30:00+01:00',
  timeZone: 'Europe/Berlin',
  organizerId: 'olga',
  attendees: [
    { userId: 'olga', status: 'organizer' },
    { userId: 'ann', status: 'pending' },
    { userId: 'ben', status: 'declined' },
  ],
  visibility: 'public',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  version: 1,
};

/** The per-invitee messages of a change, as the sender expands them. */
function mailsOf(...args: Parameters<typeof queueMeetingMail>): MailMessage[] {
  const queued = queueMeetingMail(...args);
  expect(queued.length).toBeLessThanOrEqual(1);
  return queued.length ? expandMeetingMail(queued[0].message as Extract<MailMessage, { kind: 'meeting_mail' }>) : [];
}
const summary = (mails: MailMessage[]) => mails.map((mail) => ('recipient' in mail && typeof mail.recipient === 'object' ? `${mail.kind}:${mail.recipient.email}` : mail.kind));

it('invites every invitee of a new meeting, a declined one too, never the organizer, in one outbox item', () => {
  const queued = queueMeetingMail({ type: 'created', next: meeting }, people, NOW);
  expect(queued).toHaveLength(1);
  expect(summary(mailsOf({ type: 'created', next: meeting }, people, NOW))).toEqual(['meeting_invitation:ann@example.test', 'meeting_invitation:ben@example.test']);
});

it('queues nothing for a meeting without invitees, or for a change nobody sees (reminders, visibility)', () => {
  const alone = { ...meeting, attendees: [meeting.attendees[0]] };
  expect(queueMeetingMail({ type: 'created', next: alone }, people, NOW)).toEqual([]);
  expect(queueMeetingMail({ type: 'updated', previous: meeting, next: { ...meeting, reminders: [5], visibility: 'private', version: 2 } }, people, NOW)).toEqual([]);
});

it('on a change: updates who stays (SEQUENCE from the new version), invites who is added, cancels for who is removed', () => {
  const next: Meeting = { ...meeting, start: '2033-03-07T11:00:00+01:00', end: '2033-03-07T11:30:00+01:00', attendees: [meeting.attendees[0], meeting.attendees[1], { userId: 'cyd', status: 'pending' }], version: 4 };
  const mails = mailsOf({ type: 'updated', previous: meeting, next }, people, NOW);
  expect(summary(mails)).toEqual(['meeting_updated:ann@example.test', 'meeting_invitation:cyd@example.test', 'meeting_cancelled:ben@example.test']);
  expect(mails.every((mail) => 'meeting' in mail && mail.meeting.sequence === 3)).toBe(true);
});

it('cancels a deleted meeting for every invitee with a SEQUENCE above the last one sent', () => {
  const mails = mailsOf({ type: 'deleted', previous: { ...meeting, version: 5 } }, people, NOW);
  expect(summary(mails)).toEqual(['meeting_cancelled:ann@example.test', 'meeting_cancelled:ben@example.test']);
  expect(mails.every((mail) => 'meeting' in mail && mail.meeting.sequence === 5)).toBe(true);
});

it('skips an invitee whose account is gone, and mails nothing when the organizer is unknown', () => {
  const withGhost = { ...meeting, attendees: [...meeting.attendees, { userId: 'ghost', status: 'pending' as const }] };
  expect(summary(mailsOf({ type: 'created', next: withGhost }, people, NOW))).toHaveLength(2);
  const orphan = { ...meeting, organizerId: 'gone', attendees: [{ userId: 'gone', status: 'organizer' as const }, meeting.attendees[1]] };
  expect(queueMeetingMail({ type: 'created', next: orphan }, people, NOW)).toEqual([]);
});

it('renders an invitation in the invitee\'s zone with the organizer\'s beside it, the rule in words, a console link and an escaped HTML part', () => {
  const series = { ...meeting, rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4' };
  const [toAnn] = mailsOf({ type: 'created', next: series }, people, NOW);
  const mail = renderMail(toAnn, links);
  expect(mail.to).toEqual({ name: 'Ann', email: 'ann@example.test' });
  expect(mail.subject).toBe('Invitation: Planning <b>');
  expect(mail.text).toContain('Olga invites you to Planning <b>.');
  expect(mail.text).toContain('When: Monday, 7 March 2033, 18:00–18:30 (Asia/Tokyo)');
  expect(mail.text).toContain('For Olga: Monday, 7 March 2033, 10:00–10:30 (Europe/Berlin)');
  expect(mail.text).toContain('Repeats: every week on Monday for 4 times');
  expect(mail.text).toContain('Open Calendar Hub: https://hub.example.test/app/');
  expect(mail.html).toContain('Planning &#60;b&#62;');
  expect(mail.html).not.toContain('Planning <b>');
  expect(mail.calendar?.method).toBe('REQUEST');
  expect(mail.calendar?.content).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4');
});

it('tells of one moved occurrence with the time it had and the time it has, and one cancelled occurrence with a CANCEL', () => {
  const series: Meeting = { ...meeting, rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4', attendees: meeting.attendees.slice(0, 2) };
  const original = Date.parse('2033-03-14T09:00:00Z');
  const moved: Meeting = { ...series, overrides: [{ originalStart: '2033-03-14T09:00:00.000Z', start: '2033-03-14T14:00:00+01:00', end: '2033-03-14T14:30:00+01:00' }], version: 2 };
  const [update] = mailsOf({ type: 'updated', previous: series, next: moved, occurrence: original }, people, NOW);
  const updated = renderMail(update, links);
  expect(updated.subject).toBe('Updated: Planning <b> (one occurrence)');
  expect(updated.text).toContain('it was due Monday, 14 March 2033, 18:00–18:30 (Asia/Tokyo)');
  expect(updated.text).toContain('When: Monday, 14 March 2033, 22:00–22:30 (Asia/Tokyo)');
  expect(updated.calendar?.content).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20330314T100000');

  const [cancel] = mailsOf({ type: 'occurrence_cancelled', previous: series, next: { ...series, cancelled: ['2033-03-14T09:00:00.000Z'], version: 2 }, occurrence: original }, people, NOW);
  const cancelled = renderMail(cancel, links);
  expect(cancelled.subject).toBe('Cancelled: Planning <b> (one occurrence)');
  expect(cancelled.calendar?.method).toBe('CANCEL');
  expect(cancelled.calendar?.content).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20330314T100000');
});

it('tells a removed invitee they were removed, with a CANCEL that names them', () => {
  const next = { ...meeting, attendees: meeting.attendees.slice(0, 2), version: 2 };
  const removal = mailsOf({ type: 'updated', previous: meeting, next }, people, NOW).find((mail) => mail.kind === 'meeting_cancelled')!;
  const mail = renderMail(removal, links);
  expect(mail.subject).toBe('Cancelled: Planning <b>');
  expect(mail.text).toContain('Olga removed you from Planning <b>.');
  expect(mail.calendar?.content.replace(/\r\n /g, '')).toMatch(/ATTENDEE;[^\r\n]*mailto:ben@example.test/);
});

it('never renders the batch item itself', () => {
  const [queued] = queueMeetingMail({ type: 'created', next: meeting }, people, NOW);
  expect(() => renderMail(queued.message, links)).toThrow('No template for mail kind meeting_mail');
});
