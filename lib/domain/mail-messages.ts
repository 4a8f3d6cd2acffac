// The mails guests and hosts get, as a typed union of message kinds, and their rendering into subject, plain text,
// simple HTML and the .ics they carry. Pure: the facts a message needs are copied into it when the change that
// causes it is saved (the outbox), so a mail sent minutes later tells what was decided then.
import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { buildInvitation, buildMeetingInvitation, type InvitationInput, type MeetingAttendeeStatus } from './ics';

export type MailParty = { name: string; email: string; timeZone: string };

/** What every booking mail says: copied from the booking, its event type and its host when the change is saved. */
export type BookingMailFacts = {
  bookingId: string;
  slug: string;
  eventTypeName: string;
  /** Epoch ms. */
  start: number;
  end: number;
  guest: MailParty;
  host: MailParty;
  notes?: string;
  /** The guest's answers to the event type's questions; only the host's new-booking mail shows them. */
  answers?: Array<{ label: string; value: string | boolean }>;
  /** The .ics SEQUENCE (the booking's version - 1, as GET /bookings/{id}/invite.ics writes it). */
  sequence: number;
  /** DTSTAMP: when this version of the booking came to be (epoch ms). */
  stamp: number;
};

/** What every meeting mail says: copied from the meeting and its people when the change is saved. */
export type MeetingMailFacts = {
  meetingId: string;
  title: string;
  description?: string;
  /** The first (or only) occurrence, epoch ms. */
  start: number;
  end: number;
  timeZone: string;
  /** RRULE body of a series. */
  rrule?: string;
  /** Original starts of excluded and cancelled occurrences, epoch ms. */
  exdates?: number[];
  /** Moved occurrences (their times and title; descriptions of single occurrences are not mailed). */
  overrides?: Array<{ originalStart: number; start: number; end: number; title?: string }>;
  /** When the series ends, epoch ms; null when open-ended. */
  lastEnd?: number | null;
  organizer: MailParty;
  /** The invitees as the change leaves them (the organizer is ORGANIZER, not one of these). */
  attendees: Array<{ name: string; email: string; status: MeetingAttendeeStatus }>;
  /** The .ics SEQUENCE: the meeting's version - 1 after the change. */
  sequence: number;
  /** DTSTAMP: when the change was saved (epoch ms). */
  stamp: number;
};

/** What a meeting change means for one invitee. */
export type MeetingMailKind = 'meeting_invitation' | 'meeting_updated' | 'meeting_cancelled';

/** A meeting mail to one invitee; `occurrence` (original start, epoch ms) when the change touched one occurrence only. */
export type MeetingMail = { kind: MeetingMailKind; recipient: MailParty; meeting: MeetingMailFacts; occurrence?: number };

export type MailMessage =
  /** To an invitee: they are invited (a new meeting, or added to one); the .ics REQUEST. */
  | (MeetingMail & { kind: 'meeting_invitation' })
  /** To an invitee still invited: times, rule, title or description changed; the .ics REQUEST, same UID, higher SEQUENCE. */
  | (MeetingMail & { kind: 'meeting_updated' })
  /** To an invitee: the meeting, one occurrence (RECURRENCE-ID), or their invitation is cancelled; the .ics CANCEL. */
  | (MeetingMail & { kind: 'meeting_cancelled' })
  /**
   * The mail of one meeting change to all its invitees, written as ONE outbox item in the change's transaction (a
   * change of a 40-invitee meeting cannot fit an item per invitee beside its index items in 100 items); the sender
   * expands it into one item per invitee (`expandMeetingMail`) before anything is sent. Never rendered itself.
   */
  | { kind: 'meeting_mail'; meeting: MeetingMailFacts; recipients: Array<{ kind: MeetingMailKind; to: MailParty }>; occurrence?: number }
  /** To the guest: the booking holds; the .ics REQUEST, and links to reschedule and cancel with the guest's token. */
  | { kind: 'booking_confirmed'; booking: BookingMailFacts; cancelToken: string }
  /** To the host: someone booked one of their links. */
  | { kind: 'booking_created_host'; booking: BookingMailFacts }
  /** To the guest or the host: the booking moved; the .ics keeps its UID with a higher SEQUENCE. */
  | { kind: 'booking_rescheduled'; recipient: 'guest' | 'host'; booking: BookingMailFacts; previousStart: number; cancelToken?: string }
  /** To the guest or the host: the booking is cancelled; the .ics is a METHOD:CANCEL of the same UID. */
  | { kind: 'booking_cancelled'; recipient: 'guest' | 'host'; booking: BookingMailFacts }
  /** To a host whose Google connection was refused (invalid_grant): syncs stop until they consent again. */
  | { kind: 'google_reconsent_needed'; host: MailParty; googleAccountEmail: string };

export type MailKind = MailMessage['kind'];

/** One message per invitee of a `meeting_mail`, in its order (their outbox ids derive from the index). */
export function expandMeetingMail(message: Extract<MailMessage, { kind: 'meeting_mail' }>): MailMessage[] {
  return message.recipients.map(
    (recipient) =>
      ({ kind: recipient.kind, recipient: recipient.to, meeting: message.meeting, ...(message.occurrence !== undefined ? { occurrence: message.occurrence } : {}) }) as MailMessage,
  );
}

/** A mail a change causes, handed by its use case to the store, which writes it to the outbox in the change's transaction. */
export type QueuedMail = { id: string; message: MailMessage; createdAt: number };

export type RenderedMail = {
  to: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
};

/** The links a mail may carry: the API's public base (PUBLIC_BASE_URL). */
export type MailLinks = { publicBaseUrl: string };

const base = (links: MailLinks) => links.publicBaseUrl.replace(/\/+$/, '');
const bookingPage = (links: MailLinks, slug: string) => `${base(links)}/app/book/${encodeURIComponent(slug)}`;
const cancelLink = (links: MailLinks, booking: BookingMailFacts, token: string) =>
  `${bookingPage(links, booking.slug)}?booking=${encodeURIComponent(booking.bookingId)}&token=${encodeURIComponent(token)}`;
const rescheduleLink = (links: MailLinks, booking: BookingMailFacts, token: string) =>
  `${bookingPage(links, booking.slug)}/reschedule/${encodeURIComponent(booking.bookingId)}?token=${encodeURIComponent(token)}`;

/** `Monday, 2 March 2026, 09:00–09:30 (Europe/Berlin)`: the span as a person in `zone` reads it. */
export function formatSpan(start: number, end: number, zone: string): string {
  const from = DateTime.fromMillis(start, { zone }).setLocale('en-GB');
  const to = DateTime.fromMillis(end, { zone }).setLocale('en-GB');
  const sameDay = from.hasSame(to, 'day');
  const endText = sameDay ? to.toFormat('HH:mm') : to.toFormat('cccc, d LLLL yyyy, HH:mm');
  return `${from.toFormat('cccc, d LLLL yyyy, HH:mm')}–${endText} (${zone})`;
}

/** The span in the reader's zone, then in the other party's when theirs differs. */
function spanLines(booking: BookingMailFacts, reader: MailParty, other: MailParty, otherRole: string): string[] {
  const own = formatSpan(booking.start, booking.end, reader.timeZone);
  if (other.timeZone === reader.timeZone) return [`When: ${own}`];
  return [`When: ${own}`, `For ${otherRole}: ${formatSpan(booking.start, booking.end, other.timeZone)}`];
}

function invitation(booking: BookingMailFacts, method: 'REQUEST' | 'CANCEL', links: MailLinks): RenderedMail['calendar'] {
  const input: InvitationInput = {
    // The same UID as GET /bookings/{id}/invite.ics, so a calendar merges the mail's copy with a downloaded one.
    uid: `${booking.bookingId}@calendar-hub`,
    method,
    sequence: booking.sequence,
    stamp: booking.stamp,
    start: booking.start,
    end: booking.end,
    timeZone: booking.guest.timeZone,
    summary: `${booking.eventTypeName} with ${booking.host.name}`,
    ...(booking.notes ? { description: booking.notes } : {}),
    url: bookingPage(links, booking.slug),
    organizer: { name: booking.host.name, email: booking.host.email },
    attendees: [{ name: booking.guest.name, email: booking.guest.email }],
  };
  return { method, content: buildInvitation(input) };
}

/** A paragraph per entry: plain lines, or a link with its label. */
type Block = string | { label: string; href: string };

function compose(to: MailParty, subject: string, blocks: Block[], calendar?: RenderedMail['calendar']): RenderedMail {
  const text = blocks.map((block) => (typeof block === 'string' ? block : `${block.label}: ${block.href}`)).join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...blocks.map((block) =>
      typeof block === 'string'
        ? `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`
        : `<p><a href="${escapeHtml(block.href)}">${escapeHtml(block.label)}</a></p>`,
    ),
    '</body></html>',
  ].join('\n');
  return { to: { name: to.name, email: to.email }, subject, text: `${text}\n`, html, ...(calendar ? { calendar } : {}) };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The guest's links to change their mind, which carry their cancel token (never logged, only mailed). */
function guestLinks(links: MailLinks, booking: BookingMailFacts, token: string): Block[] {
  return [
    { label: 'Reschedule', href: rescheduleLink(links, booking, token) },
    { label: 'Cancel', href: cancelLink(links, booking, token) },
  ];
}

const withNotes = (booking: BookingMailFacts): Block[] => (booking.notes ? [`Notes: ${booking.notes}`] : []);
const withAnswers = (booking: BookingMailFacts): Block[] =>
  booking.answers?.length ? [booking.answers.map(({ label, value }) => `${label}: ${value === true ? 'Yes' : value === false ? 'No' : value}`).join('\n')] : [];

const consoleLink = (links: MailLinks): Block => ({ label: 'Open Calendar Hub', href: `${base(links)}/app/` });

/** The rule in words (`every week on Monday`), or as written when rrule cannot say it. */
function ruleText(meeting: MeetingMailFacts): string {
  try {
    return RRule.fromString(`RRULE:${meeting.rrule!.replace(/^RRULE:/i, '')}`).toText();
  } catch {
    return meeting.rrule!;
  }
}

/** The span in the invitee's zone, then in the organizer's (the meeting's) when it differs. */
function meetingSpan(start: number, end: number, meeting: MeetingMailFacts, reader: MailParty): string[] {
  const own = formatSpan(start, end, reader.timeZone);
  if (reader.timeZone === meeting.timeZone) return [`When: ${own}`];
  return [`When: ${own}`, `For ${meeting.organizer.name}: ${formatSpan(start, end, meeting.timeZone)}`];
}

function meetingWhen(meeting: MeetingMailFacts, reader: MailParty): Block[] {
  return [
    [...meetingSpan(meeting.start, meeting.end, meeting, reader), ...(meeting.rrule ? [`Repeats: ${ruleText(meeting)} (from the first time above)`] : [])].join('\n'),
    ...(meeting.description ? [meeting.description] : []),
  ];
}

function meetingInvitation(message: MeetingMail, links: MailLinks): RenderedMail['calendar'] {
  const { meeting } = message;
  const method = message.kind === 'meeting_cancelled' ? 'CANCEL' : 'REQUEST';
  const content = buildMeetingInvitation({
    uid: `${meeting.meetingId}@calendar-hub`,
    method,
    sequence: meeting.sequence,
    stamp: meeting.stamp,
    timeZone: meeting.timeZone,
    summary: meeting.title,
    ...(meeting.description ? { description: meeting.description } : {}),
    url: `${base(links)}/app/`,
    start: meeting.start,
    end: meeting.end,
    ...(meeting.rrule ? { rrule: meeting.rrule, exdates: meeting.exdates, lastEnd: meeting.lastEnd ?? null } : {}),
    ...(meeting.overrides?.length ? { overrides: meeting.overrides.map(({ title, ...times }) => ({ ...times, ...(title ? { summary: title } : {}) })) } : {}),
    ...(method === 'CANCEL' && message.occurrence !== undefined ? { occurrence: message.occurrence } : {}),
    organizer: { name: meeting.organizer.name, email: meeting.organizer.email },
    // Whoever's invitation is cancelled is named in the CANCEL, even when no longer among the invitees.
    attendees:
      method === 'CANCEL' && !meeting.attendees.some((attendee) => attendee.email === message.recipient.email)
        ? [...meeting.attendees, { name: message.recipient.name, email: message.recipient.email, status: 'DECLINED' }]
        : meeting.attendees,
  });
  return { method, content };
}

function renderMeetingMail(message: MeetingMail, links: MailLinks): RenderedMail {
  const { meeting, recipient } = message;
  const organizer = meeting.organizer.name;
  const occurrenceSpan = (originalStart: number) => {
    const moved = meeting.overrides?.find((override) => override.originalStart === originalStart);
    return moved ? [moved.start, moved.end] : [originalStart, originalStart + (meeting.end - meeting.start)];
  };
  const calendar = meetingInvitation(message, links);
  const hello = `Hello ${recipient.name},`;
  switch (message.kind) {
    case 'meeting_invitation':
      return compose(
        recipient,
        `Invitation: ${meeting.title}`,
        [hello, `${organizer} invites you to ${meeting.title}.`, ...meetingWhen(meeting, recipient), 'Accept or decline in Calendar Hub; the invitation is attached for your calendar.', consoleLink(links)],
        calendar,
      );
    case 'meeting_updated': {
      if (message.occurrence !== undefined) {
        const [start, end] = occurrenceSpan(message.occurrence);
        return compose(
          recipient,
          `Updated: ${meeting.title} (one occurrence)`,
          [
            hello,
            `${organizer} changed one occurrence of ${meeting.title}; it was due ${formatSpan(message.occurrence, message.occurrence + (meeting.end - meeting.start), recipient.timeZone)}.`,
            meetingSpan(start, end, meeting, recipient).join('\n'),
            'The updated invitation is attached.',
            consoleLink(links),
          ],
          calendar,
        );
      }
      return compose(
        recipient,
        `Updated: ${meeting.title}`,
        [hello, `${organizer} changed ${meeting.title}. It is now:`, ...meetingWhen(meeting, recipient), 'The updated invitation is attached.', consoleLink(links)],
        calendar,
      );
    }
    case 'meeting_cancelled': {
      if (message.occurrence !== undefined) {
        return compose(
          recipient,
          `Cancelled: ${meeting.title} (one occurrence)`,
          [
            hello,
            `${organizer} cancelled one occurrence of ${meeting.title}; the others stay.`,
            meetingSpan(message.occurrence, message.occurrence + (meeting.end - meeting.start), meeting, recipient).join('\n'),
            consoleLink(links),
          ],
          calendar,
        );
      }
      const stillInvited = meeting.attendees.some((attendee) => attendee.email === recipient.email);
      return compose(
        recipient,
        `Cancelled: ${meeting.title}`,
        [
          hello,
          stillInvited ? `${organizer} cancelled ${meeting.title}.` : `${organizer} removed you from ${meeting.title}.`,
          ...meetingWhen(meeting, recipient).slice(0, 1),
          consoleLink(links),
        ],
        calendar,
      );
    }
  }
}

export function renderMail(message: MailMessage, links: MailLinks): RenderedMail {
  switch (message.kind) {
    case 'meeting_invitation':
    case 'meeting_updated':
    case 'meeting_cancelled':
      return renderMeetingMail(message, links);
    case 'booking_confirmed': {
      const { booking } = message;
      return compose(
        booking.guest,
        `Confirmed: ${booking.eventTypeName} with ${booking.host.name}`,
        [
          `Hello ${booking.guest.name},`,
          `your booking of ${booking.eventTypeName} with ${booking.host.name} is confirmed.`,
          spanLines(booking, booking.guest, booking.host, booking.host.name).join('\n'),
          ...withNotes(booking),
          'The invitation is attached; add it to your calendar.',
          ...guestLinks(links, booking, message.cancelToken),
        ],
        invitation(booking, 'REQUEST', links),
      );
    }
    case 'booking_created_host': {
      const { booking } = message;
      return compose(
        booking.host,
        `New booking: ${booking.eventTypeName} with ${booking.guest.name}`,
        [
          `Hello ${booking.host.name},`,
          `${booking.guest.name} (${booking.guest.email}) booked ${booking.eventTypeName}.`,
          spanLines(booking, booking.host, booking.guest, booking.guest.name).join('\n'),
          ...withNotes(booking),
          ...withAnswers(booking),
          { label: 'Your bookings', href: `${base(links)}/app/` },
        ],
        // No .ics for the host: they are its ORGANIZER, and a REQUEST is what an organizer sends, not receives.
      );
    }
    case 'booking_rescheduled': {
      const { booking, recipient } = message;
      const [reader, other] = recipient === 'guest' ? [booking.guest, booking.host] : [booking.host, booking.guest];
      const previous = formatSpan(message.previousStart, message.previousStart + (booking.end - booking.start), reader.timeZone);
      return compose(
        reader,
        `Rescheduled: ${booking.eventTypeName} with ${other.name}`,
        [
          `Hello ${reader.name},`,
          `${booking.eventTypeName} with ${other.name} has moved.`,
          spanLines(booking, reader, other, other.name).join('\n'),
          `It was: ${previous}`,
          ...(recipient === 'guest' && message.cancelToken ? guestLinks(links, booking, message.cancelToken) : []),
        ],
        recipient === 'guest' ? invitation(booking, 'REQUEST', links) : undefined,
      );
    }
    case 'booking_cancelled': {
      const { booking, recipient } = message;
      const [reader, other] = recipient === 'guest' ? [booking.guest, booking.host] : [booking.host, booking.guest];
      return compose(
        reader,
        `Cancelled: ${booking.eventTypeName} with ${other.name}`,
        [
          `Hello ${reader.name},`,
          `${booking.eventTypeName} with ${other.name} is cancelled; the time is free again.`,
          spanLines(booking, reader, other, other.name).join('\n'),
          ...(recipient === 'guest' ? [{ label: 'Book another time', href: bookingPage(links, booking.slug) }] : []),
        ],
        recipient === 'guest' ? invitation(booking, 'CANCEL', links) : undefined,
      );
    }
    case 'google_reconsent_needed':
      return compose(message.host, 'Calendar Hub needs your Google consent again', [
        `Hello ${message.host.name},`,
        `Google no longer accepts Calendar Hub's access to ${message.googleAccountEmail}, so its calendars stop syncing.`,
        'Connect the account again to resume.',
        { label: 'Connect Google', href: `${base(links)}/app/` },
      ]);
    default:
      // A kind this code does not know (an item written by a newer version, or damaged): never a silent empty mail.
      throw new Error(`No template for mail kind ${(message as { kind?: unknown }).kind}`);
  }
}
