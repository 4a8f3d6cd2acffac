// The mail templates: who gets what, the times in each reader's zone, the guest's links and the .ics they carry.
import { renderMail, type BookingMailFacts } from '../../../lib/domain/mail-messages';

const links = { publicBaseUrl: 'https://hub.example.test/' };
// 2026-03-02 08:00-08:30 UTC: 09:00 in Berlin, 17:00 in Tokyo.
const booking: BookingMailFacts = {
  bookingId: '01BOOKING',
  slug: 'ada/intro',
  eventTypeName: 'Intro call',
  start: Date.UTC(2026, 2, 2, 8, 0),
  end: Date.UTC(2026, 2, 2, 8, 30),
  guest: { name: 'Grace <b>Hopper</b>', email: 'grace@example.test', timeZone: 'Asia/Tokyo' },
  host: { name: 'Ada', email: 'ada@example.test', timeZone: 'Europe/Berlin' },
  notes: 'About the engine',
  sequence: 0,
  stamp: Date.UTC(2026, 1, 20, 12, 0),
};
const TOKEN = 'tok_-abc/+=';

it('confirms to the guest in their zone, with the host\'s beside it, the links carrying their token, and an .ics REQUEST', () => {
  const mail = renderMail({ kind: 'booking_confirmed', booking, cancelToken: TOKEN }, links);
  expect(mail.to).toEqual({ name: 'Grace <b>Hopper</b>', email: 'grace@example.test' });
  expect(mail.subject).toBe('Confirmed: Intro call with Ada');
  expect(mail.text).toContain('When: Monday, 2 March 2026, 17:00–17:30 (Asia/Tokyo)');
  expect(mail.text).toContain('For Ada: Monday, 2 March 2026, 09:00–09:30 (Europe/Berlin)');
  expect(mail.text).toContain(`Reschedule: https://hub.example.test/app/book/ada%2Fintro/reschedule/01BOOKING?token=${encodeURIComponent(TOKEN)}`);
  expect(mail.text).toContain(`Cancel: https://hub.example.test/app/book/ada%2Fintro?booking=01BOOKING&token=${encodeURIComponent(TOKEN)}`);
  expect(mail.text).toContain('Notes: About the engine');
  expect(mail.calendar?.method).toBe('REQUEST');
  const ics = mail.calendar!.content.replace(/\r\n /g, ''); // unfolded (RFC 5545 3.1)
  expect(ics).toContain('METHOD:REQUEST');
  expect(ics).toContain('UID:01BOOKING@calendar-hub');
  expect(ics).toContain('SEQUENCE:0');
  expect(ics).toContain('DTSTART;TZID=Asia/Tokyo:20260302T170000');
  expect(ics).toMatch(/ORGANIZER;CN="Ada":mailto:ada@example.test/);
  expect(ics).toMatch(/ATTENDEE;[^\r\n]*mailto:grace@example.test/);
});

it('escapes what people typed in the HTML alternative and keeps the links as links', () => {
  const mail = renderMail({ kind: 'booking_confirmed', booking, cancelToken: TOKEN }, links);
  expect(mail.html).toContain('Hello Grace &#60;b&#62;Hopper&#60;/b&#62;,');
  expect(mail.html).not.toContain('<b>Hopper');
  expect(mail.html).toContain(`<a href="https://hub.example.test/app/book/ada%2Fintro/reschedule/01BOOKING?token=${encodeURIComponent(TOKEN)}">Reschedule</a>`);
});

it('tells the host in their own zone, with the guest\'s beside it, and sends them no token and no REQUEST', () => {
  const mail = renderMail({ kind: 'booking_created_host', booking }, links);
  expect(mail.to.email).toBe('ada@example.test');
  expect(mail.subject).toBe('New booking: Intro call with Grace <b>Hopper</b>');
  expect(mail.text).toContain('When: Monday, 2 March 2026, 09:00–09:30 (Europe/Berlin)');
  expect(mail.text).toContain('For Grace <b>Hopper</b>: Monday, 2 March 2026, 17:00–17:30 (Asia/Tokyo)');
  expect(mail.text).toContain('grace@example.test');
  expect(mail.text).not.toContain('token=');
  expect(mail.calendar).toBeUndefined();
});

it('shows one zone when both read the same one', () => {
  const same = { ...booking, guest: { ...booking.guest, timeZone: 'Europe/Berlin' } };
  const mail = renderMail({ kind: 'booking_created_host', booking: same }, links);
  expect(mail.text).toContain('When: Monday, 2 March 2026, 09:00–09:30 (Europe/Berlin)');
  expect(mail.text).not.toContain('For ');
});

it('cancels the guest\'s invitation with METHOD:CANCEL of the same UID and a higher SEQUENCE', () => {
  const mail = renderMail({ kind: 'booking_cancelled', recipient: 'guest', booking: { ...booking, sequence: 1 } }, links);
  expect(mail.subject).toBe('Cancelled: Intro call with Ada');
  expect(mail.calendar?.method).toBe('CANCEL');
  expect(mail.calendar!.content).toContain('METHOD:CANCEL');
  expect(mail.calendar!.content).toContain('UID:01BOOKING@calendar-hub');
  expect(mail.calendar!.content).toContain('SEQUENCE:1');
  expect(renderMail({ kind: 'booking_cancelled', recipient: 'host', booking }, links).calendar).toBeUndefined();
});

it('moves the guest\'s invitation and says where it was, in the reader\'s zone', () => {
  const moved = { ...booking, start: booking.start + 86_400_000, end: booking.end + 86_400_000, sequence: 2 };
  const mail = renderMail({ kind: 'booking_rescheduled', recipient: 'guest', booking: moved, previousStart: booking.start, cancelToken: TOKEN }, links);
  expect(mail.text).toContain('When: Tuesday, 3 March 2026, 17:00–17:30 (Asia/Tokyo)');
  expect(mail.text).toContain('It was: Monday, 2 March 2026, 17:00–17:30 (Asia/Tokyo)');
  expect(mail.calendar!.content).toContain('SEQUENCE:2');
  const host = renderMail({ kind: 'booking_rescheduled', recipient: 'host', booking: moved, previousStart: booking.start }, links);
  expect(host.text).toContain('It was: Monday, 2 March 2026, 09:00–09:30 (Europe/Berlin)');
  expect(host.text).not.toContain('token=');
});

it('asks a host to consent to Google again, with no attachment', () => {
  const mail = renderMail({ kind: 'google_reconsent_needed', host: booking.host, googleAccountEmail: 'ada@gmail.test' }, links);
  expect(mail.to.email).toBe('ada@example.test');
  expect(mail.text).toContain('ada@gmail.test');
  expect(mail.calendar).toBeUndefined();
});

describe("the guest's answers", () => {
  const answered: BookingMailFacts = { ...booking, answers: [{ label: 'What about?', value: 'Roadmap <v2>' }, { label: 'May we record?', value: true }] };

  it('are listed for the host, one per line, and escaped in HTML', () => {
    const mail = renderMail({ kind: 'booking_created_host', booking: answered }, links);
    expect(mail.text).toContain('What about?: Roadmap <v2>\nMay we record?: Yes');
    expect(mail.html).toContain('What about?: Roadmap &#60;v2&#62;<br>May we record?: Yes');
  });

  it('are not repeated in the guest confirmation, and a host mail without them has no such lines', () => {
    expect(renderMail({ kind: 'booking_confirmed', booking: answered, cancelToken: TOKEN }, links).text).not.toContain('What about?');
    expect(renderMail({ kind: 'booking_created_host', booking }, links).text).not.toContain(': Yes');
  });
});
