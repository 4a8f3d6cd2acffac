// The raw MIME message SES sends (RFC 5322, 2045-2047, 2046 multipart): plain text with a simple HTML alternative
// and, when there is one, the .ics as a text/calendar attachment with its METHOD. Pure, so it is tested byte for
// byte; every part is base64, so no line of content can be mistaken for a boundary or a header.

export type MimeAddress = { name?: string; email: string };

export type MimeMail = {
  from: MimeAddress;
  to: MimeAddress[];
  subject: string;
  text: string;
  html: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string; filename?: string };
  /** The Date header (epoch ms). */
  date: number;
  /** Stable per message (the outbox id): names the boundaries and the Message-ID, so a resend is byte-identical. */
  key: string;
};

const CRLF = '\r\n';
/** An address we write: no spaces, angle brackets, quotes or line breaks anywhere, one @. */
const SAFE_ADDRESS = /^[^\s<>"()\\,;:@]+@[^\s<>"()\\,;:@]+$/;

/** Printable ASCII only: everything else (line breaks included) needs an encoded word, or is dropped. */
const isPlainAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** Text for a header: control characters (CR and LF among them, so no header can be injected) become spaces. */
const headerText = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/**
 * RFC 2047 encoded words (`=?UTF-8?B?...?=`), each at most 75 characters, split between whole characters so that
 * no word ends inside a UTF-8 sequence; joined by folding whitespace, which decoders drop between encoded words.
 */
export function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const character of text) {
    // 45 bytes encode to 60 base64 characters: with the 12 of `=?UTF-8?B?` and `?=`, 72.
    if (Buffer.byteLength(chunk + character, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk || !words.length) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** An unstructured header value (the subject): as it is when plain ASCII, otherwise encoded words. */
export function encodeHeaderValue(text: string): string {
  const clean = headerText(text);
  // Encoded words start on a folded line of their own, so the first one fits the 78 characters beside the name.
  return isPlainAscii(clean) ? clean : `${CRLF} ${encodeWords(clean)}`;
}

/** `"Ada Lovelace" <ada@example.com>`; a name with other than ASCII as encoded words. Refuses an unsafe address. */
export function formatAddress(address: MimeAddress): string {
  if (!SAFE_ADDRESS.test(address.email)) throw new Error('Refusing to write an e-mail address with unsafe characters');
  const name = headerText(address.name ?? '');
  if (!name) return address.email;
  if (isPlainAscii(name)) return `"${name.replace(/["\\]/g, '\\$&')}" <${address.email}>`;
  return `${CRLF} ${encodeWords(name)}${CRLF} <${address.email}>`;
}

/** Base64 in lines of 76 characters (RFC 2045 6.8). */
function base64Lines(content: string): string {
  return (Buffer.from(content, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

/** Line breaks as CRLF, as text/* parts want on the wire (an .ics already has them). */
const crlf = (text: string) => text.replace(/\r?\n/g, CRLF);

function part(headers: string[], body: string): string {
  return [...headers, '', body].join(CRLF);
}

function multipart(boundary: string, parts: string[]): string {
  return [...parts.map((body) => `--${boundary}${CRLF}${body}`), `--${boundary}--`, ''].join(CRLF);
}

/** RFC 5322 date: `Sun, 29 Nov 2026 16:46:07 +0000`. */
const rfc5322Date = (epochMs: number) => new Date(epochMs).toUTCString().replace(/GMT$/, '+0000');

export function buildMimeMessage(mail: MimeMail): string {
  const key = mail.key.replace(/[^A-Za-z0-9]/g, '');
  // `=_` cannot occur in base64 text, so no part's content can contain a boundary.
  const alternativeBoundary = `=_alt_${key}`;
  const mixedBoundary = `=_mixed_${key}`;
  const alternative = multipart(alternativeBoundary, [
    part(['Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64'], base64Lines(crlf(mail.text))),
    part(['Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: base64'], base64Lines(crlf(mail.html))),
  ]);
  const alternativeType = `multipart/alternative; boundary="${alternativeBoundary}"`;
  let bodyType = alternativeType;
  let body = alternative;
  if (mail.calendar) {
    const filename = (mail.calendar.filename ?? 'invite.ics').replace(/[^A-Za-z0-9._-]/g, '_');
    bodyType = `multipart/mixed; boundary="${mixedBoundary}"`;
    body = multipart(mixedBoundary, [
      part([`Content-Type: ${alternativeType}`], alternative),
      part(
        [
          `Content-Type: text/calendar; charset=UTF-8; method=${mail.calendar.method}; name="${filename}"`,
          `Content-Disposition: attachment; filename="${filename}"`,
          'Content-Transfer-Encoding: base64',
        ],
        base64Lines(mail.calendar.content),
      ),
    ]);
  }
  const headers = [
    `From: ${formatAddress(mail.from)}`,
    `To: ${mail.to.map(formatAddress).join(', ')}`,
    `Subject: ${encodeHeaderValue(mail.subject)}`,
    `Date: ${rfc5322Date(mail.date)}`,
    // The same for every resend of one outbox item: receivers that collapse duplicates by Message-ID can.
    `Message-ID: <${key}@${mail.from.email.split('@')[1]}>`,
    'MIME-Version: 1.0',
    `Content-Type: ${bodyType}`,
  ];
  return part(headers, body);
}
