// The raw MIME message: its headers, its parts and their base64 content, decoded again as a mail reader would.
import { buildMimeMessage, encodeHeaderValue, encodeWords, formatAddress, type MimeMail } from '../../../lib/mail/mime';

const ICS = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:b1@calendar-hub\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

const mail = (overrides: Partial<MimeMail> = {}): MimeMail => ({
  from: { name: 'Calendar Hub', email: 'no-reply@calendar-hub.test' },
  to: [{ name: 'Zoë Müller', email: 'zoe@example.test' }],
  subject: 'Confirmed: Intro call with Ada',
  text: 'Hello Zoë,\nconfirmed.\n',
  html: '<p>Hello Zoë,</p>',
  calendar: { method: 'REQUEST', content: ICS },
  date: Date.UTC(2026, 10, 29, 16, 46, 7),
  key: '01JOUTBOXID',
  ...overrides,
});

/** RFC 2047 B-words back to text (what a mail reader shows: the white space between two encoded words goes). */
const decodeWords = (value: string) =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .trim().replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

/** Splits a message into its header block and its body. */
function split(message: string) {
  const at = message.indexOf('\r\n\r\n');
  const headerBlock = message.slice(0, at).replace(/\r\n /g, ' ');
  const headers = Object.fromEntries(headerBlock.split('\r\n').map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { headers, body: message.slice(at + 4) };
}

/** The parts of a multipart body, by its boundary. */
function parts(body: string, boundary: string) {
  const pieces = body.split(`--${boundary}`);
  expect(pieces.at(-1)).toBe('--\r\n');
  return pieces.slice(1, -1).map((piece) => split(piece.replace(/^\r\n/, '').replace(/\r\n$/, '')));
}

const boundaryOf = (contentType: string) => contentType.match(/boundary="([^"]+)"/)![1];

it('writes headers a mail reader decodes to the names and subject given, with a stable Message-ID', () => {
  const { headers } = split(buildMimeMessage(mail({ subject: 'Bestätigt: Termin mit Zoë 📅' })));
  expect(headers.from).toBe('"Calendar Hub" <no-reply@calendar-hub.test>');
  expect(decodeWords(headers.to)).toBe('Zoë Müller <zoe@example.test>');
  expect(decodeWords(headers.subject)).toBe('Bestätigt: Termin mit Zoë 📅');
  expect(headers.date).toBe('Sun, 29 Nov 2026 16:46:07 +0000');
  expect(headers['message-id']).toBe('<01JOUTBOXID@calendar-hub.test>');
  expect(headers['mime-version']).toBe('1.0');
});

it('nests text and HTML as alternatives beside the .ics attachment with its METHOD', () => {
  const { headers, body } = split(buildMimeMessage(mail()));
  expect(headers['content-type']).toMatch(/^multipart\/mixed; boundary="/);
  const [alternative, calendar] = parts(body, boundaryOf(headers['content-type']));
  expect(alternative.headers['content-type']).toMatch(/^multipart\/alternative; boundary="/);
  const [text, html] = parts(alternative.body, boundaryOf(alternative.headers['content-type']));
  expect(text.headers['content-type']).toBe('text/plain; charset=UTF-8');
  expect(Buffer.from(text.body, 'base64').toString('utf8')).toBe('Hello Zoë,\r\nconfirmed.\r\n');
  expect(html.headers['content-type']).toBe('text/html; charset=UTF-8');
  expect(Buffer.from(html.body, 'base64').toString('utf8')).toBe('<p>Hello Zoë,</p>');
  expect(calendar.headers['content-type']).toBe('text/calendar; charset=UTF-8; method=REQUEST; name="invite.ics"');
  expect(calendar.headers['content-disposition']).toBe('attachment; filename="invite.ics"');
  expect(Buffer.from(calendar.body, 'base64').toString('utf8')).toBe(ICS);
});

it('sends only the alternatives when there is no invitation', () => {
  const { headers, body } = split(buildMimeMessage(mail({ calendar: undefined })));
  expect(headers['content-type']).toMatch(/^multipart\/alternative; boundary="/);
  expect(parts(body, boundaryOf(headers['content-type'])).map((p) => p.headers['content-type'])).toEqual(['text/plain; charset=UTF-8', 'text/html; charset=UTF-8']);
});

it('keeps every line within 78 characters, long bodies and long non-ASCII subjects included', () => {
  const message = buildMimeMessage(mail({ subject: 'Ä'.repeat(200), text: 'x'.repeat(5000), html: `<p>${'ü'.repeat(3000)}</p>` }));
  for (const line of message.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  expect(decodeWords(split(message).headers.subject)).toBe('Ä'.repeat(200));
});

it('attack: a line break in a name or subject cannot add a header', () => {
  const message = buildMimeMessage(mail({ subject: 'Hi\r\nBcc: victim@example.test', to: [{ name: 'Eve\r\nBcc: x@example.test', email: 'eve@example.test' }] }));
  const { headers } = split(message);
  expect(headers.bcc).toBeUndefined();
  expect(headers.subject).toBe('Hi Bcc: victim@example.test');
  expect(headers.to).toBe('"Eve Bcc: x@example.test" <eve@example.test>');
});

it('attack: refuses an address that would smuggle a second recipient or header', () => {
  for (const email of ['a@example.test>, <b@example.test', 'a@example.test\r\nBcc: b@example.test', 'no-at-sign', 'a b@example.test']) {
    expect(() => formatAddress({ email })).toThrow(/unsafe/);
  }
  expect(formatAddress({ name: 'Say "hi" \\ bye', email: 'a@example.test' })).toBe('"Say \\"hi\\" \\\\ bye" <a@example.test>');
});

it('splits encoded words between whole characters, each at most 75 characters', () => {
  const text = '😀'.repeat(40);
  const words = encodeWords(text).split('\r\n ');
  expect(words.length).toBeGreaterThan(1);
  for (const word of words) {
    expect(word.length).toBeLessThanOrEqual(75);
    // Each word decodes on its own to whole characters (no U+FFFD from a cut sequence).
    expect(Buffer.from(word.slice(10, -2), 'base64').toString('utf8')).not.toContain('\uFFFD');
  }
  expect(decodeWords(encodeWords(text))).toBe(text);
  expect(encodeHeaderValue('plain subject')).toBe('plain subject');
});

it('is byte-identical for the same mail and key, so a resend is the same message', () => {
  expect(buildMimeMessage(mail())).toBe(buildMimeMessage(mail()));
  expect(buildMimeMessage(mail({ key: 'other' }))).not.toBe(buildMimeMessage(mail()));
});
