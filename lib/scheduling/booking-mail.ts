// The mail a booking change causes, decided here and handed to the store as data: it writes each item in the
// change's own transaction (the outbox), so a mail exists exactly when its change does.
import type { BookingMailFacts, MailMessage, MailParty } from '../domain/mail-messages';
import { newId } from '../kernel/ids';
import type { User } from '../users/user';
import type { Booking } from './booking';
import type { QueuedMail } from './ports';

type Host = Pick<User, 'name' | 'email' | 'timeZone'>;

/** The facts every booking mail renders from, copied from the booking as it will be once the change is saved. */
export function bookingMailFacts(booking: Booking, host: Host | undefined): BookingMailFacts {
  const guest: MailParty = { name: booking.guest.name, email: booking.guest.email, timeZone: booking.guest.timeZone ?? booking.timeZone };
  return {
    bookingId: booking.id,
    slug: booking.slug,
    eventTypeName: booking.eventTypeName,
    start: Date.parse(booking.start),
    end: Date.parse(booking.end),
    guest,
    // A host removed since the booking was made still has a booking to cancel; their mail has nowhere to go then.
    host: host ? { name: host.name, email: host.email, timeZone: host.timeZone } : { name: 'your host', email: '', timeZone: booking.timeZone },
    ...(booking.notes ? { notes: booking.notes } : {}),
    // As GET /bookings/{id}/invite.ics writes them: every change raises the version and with it the SEQUENCE.
    sequence: booking.version - 1,
    stamp: Date.parse(booking.status === 'cancelled' ? booking.cancelledAt! : (booking.rescheduledAt ?? booking.createdAt)),
  };
}

/** Outbox items for the messages, due at `now`; a message to a host with no address is left out. */
export function queueMail(now: Date, messages: MailMessage[]): QueuedMail[] {
  return messages.filter((message) => !toHostWithoutAddress(message)).map((message) => ({ id: newId(), message, createdAt: now.getTime() }));
}

function toHostWithoutAddress(message: MailMessage): boolean {
  if (message.kind === 'booking_created_host') return !message.booking.host.email;
  if (message.kind === 'booking_rescheduled' || message.kind === 'booking_cancelled') return message.recipient === 'host' && !message.booking.host.email;
  return false;
}

export function createdMail(booking: Booking, host: Host, cancelToken: string): MailMessage[] {
  const facts = bookingMailFacts(booking, host);
  return [
    { kind: 'booking_confirmed', booking: facts, cancelToken },
    { kind: 'booking_created_host', booking: facts },
  ];
}

/** To both; the guest's mail carries their links only when the guest moved it (the token is never stored). */
export function rescheduledMail(moved: Booking, host: Host | undefined, previousStart: number, guestToken?: string): MailMessage[] {
  const facts = bookingMailFacts(moved, host);
  return [
    { kind: 'booking_rescheduled', recipient: 'guest', booking: facts, previousStart, ...(guestToken ? { cancelToken: guestToken } : {}) },
    { kind: 'booking_rescheduled', recipient: 'host', booking: facts, previousStart },
  ];
}

export function cancelledMail(cancelled: Booking, host: Host | undefined): MailMessage[] {
  const facts = bookingMailFacts(cancelled, host);
  return [
    { kind: 'booking_cancelled', recipient: 'guest', booking: facts },
    { kind: 'booking_cancelled', recipient: 'host', booking: facts },
  ];
}
