// The .ics invitation of a booking (RFC 5545, written by ical-generator): one VEVENT with its zone's
// VTIMEZONE, METHOD REQUEST for a live booking and METHOD CANCEL once it is cancelled. ORGANIZER and ATTENDEE
// are written here: ical-generator escapes parameter values with backslashes, which RFC 5545 does not have.
import ical, { foldLines, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { MINUTE_MS, DAY_MS } from '../kernel/time-units';

export type InvitationParty = { name: string; email: string };

export type InvitationInput = {
  /** Globally unique and stable across the REQUEST and the CANCEL of one booking. */
  uid: string;
  method: 'REQUEST' | 'CANCEL';
  /** Bumped on each revision (0 for the request, 1 for the cancellation). */
  sequence: number;
  /** DTSTAMP: when this version of the invitation came to be (epoch ms). */
  stamp: number;
  start: number;
  end: number;
  /** IANA zone that DTSTART and DTEND are written in. */
  timeZone: string;
  summary: string;
  description?: string;
  url?: string;
  organizer: InvitationParty;
  attendees: InvitationParty[];
};

const PRODUCT_ID = '//Calendar Hub//Scheduling//EN';
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

export function buildInvitation(input: InvitationInput): string {
  const zone = UTC_NAMES.has(input.timeZone) ? null : input.timeZone;
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: input.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide zone name (that would turn DTSTAMP into local time); the generator only adds the
    // VTIMEZONE of the event's zone.
    timezone: { name: null, generator: (name) => vtimezone(name, input.start) },
  });
  calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    stamp: DateTime.fromMillis(input.stamp, { zone: 'utc' }),
    start: DateTime.fromMillis(input.start, { zone: zone ?? 'utc' }),
    end: DateTime.fromMillis(input.end, { zone: zone ?? 'utc' }),
    timezone: zone,
    summary: input.summary,
    description: input.description ?? null,
    url: input.url ?? null,
    status: input.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  const people = [
    `ORGANIZER;CN=${quotedParam(input.organizer.name)}:mailto:${input.organizer.email}`,
    // The guest booked the time, so they accepted it; a cancellation carries no answer of theirs.
    ...input.attendees.map(
      (attendee) =>
        `ATTENDEE;ROLE=REQ-PARTICIPANT${input.method === 'CANCEL' ? '' : ';PARTSTAT=ACCEPTED'};RSVP=FALSE;CN=${quotedParam(attendee.name)}:mailto:${attendee.email}`,
    ),
  ];
  const text = calendar.toString();
  const end = text.lastIndexOf('END:VEVENT');
  return `${text.slice(0, end)}${foldLines(people.join('\r\n'))}\r\n${text.slice(end)}`;
}

/**
 * A parameter value as an RFC 5545 quoted-string (3.1: any character but CONTROL and DQUOTE, no escapes): a
 * DQUOTE cannot be written at all, so it becomes an apostrophe, and control characters (line breaks) one space.
 */
export function quotedParam(text: string): string {
  return `"${text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/"/g, "'")}"`;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** Local wall-clock time of `instant` under a fixed offset, as an iCalendar DATE-TIME without zone. */
function localStamp(instant: number, offsetMinutes: number): string {
  return DateTime.fromMillis(instant + offsetMinutes * MINUTE_MS, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss");
}

/** Instants in [from, to] at which the zone's UTC offset changes, found by daily steps and bisection. */
function offsetChanges(zone: string, from: number, to: number): number[] {
  const offsetAt = (instant: number) => DateTime.fromMillis(instant, { zone }).offset;
  const changes: number[] = [];
  for (let low = from; low < to; low += DAY_MS) {
    let high = Math.min(low + DAY_MS, to);
    if (offsetAt(low) === offsetAt(high)) continue;
    let left = low;
    // Offsets change on whole seconds; bisect to the first second of the new offset.
    while (high - left > 1000) {
      const middle = left + Math.floor((high - left) / 2000) * 1000;
      if (offsetAt(middle) === offsetAt(low)) left = middle;
      else high = middle;
    }
    changes.push(high);
  }
  return changes;
}

/**
 * A VTIMEZONE for `zone` valid for a year either side of `around`: one observance for the offset in force
 * at the window's start, then one per offset change (DTSTART is the onset in the old offset, as RFC 5545 wants).
 */
export function vtimezone(zone: string, around: number): string | null {
  const first = DateTime.fromMillis(around - 366 * DAY_MS, { zone });
  if (!first.isValid) return null;
  const observance = (instant: number, from: number, to: number) => {
    const at = DateTime.fromMillis(instant, { zone });
    const kind = at.isInDST ? 'DAYLIGHT' : 'STANDARD';
    const name = at.offsetNameShort;
    return [
      `BEGIN:${kind}`,
      `DTSTART:${localStamp(instant, from)}`,
      `TZOFFSETFROM:${formatOffset(from)}`,
      `TZOFFSETTO:${formatOffset(to)}`,
      ...(name && /^[A-Za-z]{2,6}$/.test(name) ? [`TZNAME:${name}`] : []),
      `END:${kind}`,
    ];
  };
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...observance(first.toMillis(), first.offset, first.offset)];
  let previous = first.offset;
  for (const change of offsetChanges(zone, first.toMillis(), around + 366 * DAY_MS)) {
    const next = DateTime.fromMillis(change, { zone }).offset;
    lines.push(...observance(change, previous, next));
    previous = next;
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
