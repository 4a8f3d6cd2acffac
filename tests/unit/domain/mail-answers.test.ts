// The host's new-booking mail lists the guest's answers (escaped in HTML); the guest's mails do not repeat them.
import { renderMail, type BookingMailFacts } from '../../../lib/domain/mail-messages';

const links = { publicBaseUrl: 'https://hub.example.test/' };
const booking: BookingMailFacts = {
  bookingId: '01BOOKING',
  slug: 'ada-intro',
  eventTypeName: 'Intro call',
  start: Date.UTC(2026, 2, 2, 8, 0),
  end: Date.UTC(2026, 2, 2, 8, 30),
  guest: { name: 'Grace', email: 'grace@example.test', timeZone: 'Europe/Berlin' },
  host: { name: 'Ada', email: 'ada@example.test', timeZone: 'Europe/Berlin' },
  answers: [
    { label: 'What about?', value: 'Roadmap <v2>' },
    { label: 'May we record?', value: true },
  ],
  sequence: 0,
  stamp: Date.UTC(2026, 1, 20, 12, 0),
};

it("shows the answers to the host, one per line, and escapes them in HTML", () => {
  const mail = renderMail({ kind: 'booking_created_host', booking }, links);
  expect(mail.text).toContain('What about?: Roadmap <v2>\nMay we record?: Yes');
  expect(mail.html).toContain('What about?: Roadmap &#60;v2&#62;<br>May we record?: Yes');
});

it('leaves them out of the guest confirmation and out of a host mail without answers', () => {
  expect(renderMail({ kind: 'booking_confirmed', booking, cancelToken: 't' }, links).text).not.toContain('What about?');
  const { answers: _answers, ...without } = booking;
  expect(renderMail({ kind: 'booking_created_host', booking: without }, links).text).not.toContain(': Yes');
});
