// A booking's time as the guest sees it, and the links a guest keeps (calendar file, cancel, reschedule); the
// booked time read back from the booking's .ics, the one read of a booking that its cancel token opens.
import { requestText } from '../shared/api';
import { formatDate, formatRange, zonedInstant } from '../shared/time';
import type { BookingPage } from '../shared/types';
import { zoneName } from './SlotPicker';

const bookingPath = (bookingId: string) => `/bookings/${encodeURIComponent(bookingId)}`;

/** The guest's cancel link (the booking page with ?booking=&token=). */
export const cancelLink = (slug: string, bookingId: string, token: string) =>
  `${location.origin}/app/book/${encodeURIComponent(slug)}?booking=${encodeURIComponent(bookingId)}&token=${encodeURIComponent(token)}`;

/** The booking's .ics, which the cancel token opens. */
export const invitationLink = (bookingId: string, token: string) => `${location.origin}${bookingPath(bookingId)}/invite.ics?token=${encodeURIComponent(token)}`;

/** The time of a booking in the guest's zone and, when it differs, in the host's. */
export function TimesInZones({ start, end, guestZone, page }: { start: number; end: number; guestZone: string; page: BookingPage }) {
  const zones = guestZone === page.timeZone ? [guestZone] : [guestZone, page.timeZone];
  return (
    <dl class="when">
      {zones.map((zone, index) => (
        <div key={zone}>
          <dt>
            {index === 0 ? 'Your time' : `${page.hostName}'s time`} ({zoneName(zone)})
          </dt>
          <dd>
            {formatDate(start, zone)}, {formatRange(start, end, zone)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export type BookedTime = { start: number; end: number; cancelled: boolean };

/** One DTSTART/DTEND value: UTC ("...Z"), wall time in its TZID, or floating (read as UTC). */
function icsInstant(value: string, zone: string | undefined): number | null {
  const match = value.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (match[7] || !zone) return Date.UTC(year, month - 1, day, hour, minute, second);
  return zonedInstant(zone, year, month, day, hour, minute) + second * 1000;
}

/** Start, end and status of the booking's event in an .ics text; null when it has none. */
export function readInvitation(ics: string): BookedTime | null {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const eventAt = lines.indexOf('BEGIN:VEVENT');
  if (eventAt < 0) return null;
  const field = (name: string, from = 0) => {
    for (const line of lines.slice(from)) {
      const match = line.match(/^([A-Z-]+)((?:;[^:]*)?):(.*)$/);
      if (match?.[1] === name) return { params: match[2], value: match[3].trim() };
    }
    return undefined;
  };
  const instant = (name: string) => {
    const found = field(name, eventAt);
    return found ? icsInstant(found.value, found.params.match(/;TZID=("?)([^;:"]+)\1/)?.[2]) : null;
  };
  const start = instant('DTSTART');
  const end = instant('DTEND');
  if (start === null || end === null) return null;
  return { start, end, cancelled: field('METHOD')?.value === 'CANCEL' || field('STATUS', eventAt)?.value === 'CANCELLED' };
}

/** The booked time of a guest's booking; throws the API's error (404, 403) as `request` does. */
export async function fetchBookedTime(bookingId: string, token: string, signal?: AbortSignal): Promise<BookedTime | null> {
  return readInvitation(await requestText('GET', `${bookingPath(bookingId)}/invite.ics?token=${encodeURIComponent(token)}`, { signal }));
}
