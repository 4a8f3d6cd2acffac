// The .ics invitations (RFC 5545, written by ical-generator) of a booking (one VEVENT) and of a meeting (a single
// event, or a series: its VEVENT with RRULE and EXDATE, and one VEVENT per moved occurrence with RECURRENCE-ID),
// each with its zone's VTIMEZONE, METHOD REQUEST while it holds and METHOD CANCEL once (part of) it is cancelled.
// ORGANIZER, ATTENDEE, RRULE and EXDATE are written here: ical-generator escapes parameter values with backslashes,
// which RFC 5545 does not have, and writes a rule's UNTIL as it gets it (RFC 5545 wants UTC beside a TZID).
import ical, { foldLines, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { MINUTE_MS, DAY_MS } from '../kernel/time-units';
import { floatingUntil, fromFloating, parseRuleUntil } from './recurrence/floating';

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
 * A VTIMEZONE for `zone` valid from a year before `around` to a year after `through` (default `around`): one observance for the offset in force
 * at the window's start, then one per offset change (DTSTART is the onset in the old offset, as RFC 5545 wants).
 */
export function vtimezone(zone: string, around: number, through = around): string | null {
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
  for (const change of offsetChanges(zone, first.toMillis(), Math.max(around, through) + 366 * DAY_MS)) {
    const next = DateTime.fromMillis(change, { zone }).offset;
    lines.push(...observance(change, previous, next));
    previous = next;
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

export type MeetingAttendeeStatus = 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED';

export type MeetingInvitationInput = {
  /** Stable for the meeting: every REQUEST and CANCEL of it, whole or one occurrence, carries it. */
  uid: string;
  method: 'REQUEST' | 'CANCEL';
  /** The meeting's version - 1 as the change leaves it: each change that mails raises it. */
  sequence: number;
  /** DTSTAMP (epoch ms). */
  stamp: number;
  /** IANA zone of the meeting: DTSTART, DTEND, RECURRENCE-ID and EXDATE are written in it. */
  timeZone: string;
  summary: string;
  description?: string;
  url?: string;
  /** The first (or only) occurrence. */
  start: number;
  end: number;
  /** RRULE body (no "RRULE:" prefix); absent for a single event. */
  rrule?: string;
  /** Original starts of excluded and cancelled occurrences (epoch ms). */
  exdates?: number[];
  /** Moved or renamed occurrences of the series, each its own VEVENT with RECURRENCE-ID. */
  overrides?: Array<{ originalStart: number; start: number; end: number; summary?: string }>;
  /** When the series ends (epoch ms; null when open-ended): the VTIMEZONE is written to cover it, within limits. */
  lastEnd?: number | null;
  /** With CANCEL: only this occurrence (its original start) is cancelled. */
  occurrence?: number;
  organizer: InvitationParty;
  attendees: Array<InvitationParty & { status: MeetingAttendeeStatus }>;
};

/** How far past the first start (or the change) a meeting's VTIMEZONE reaches at most: clients that read it, not their own zone database, need the offsets of every occurrence they show. */
const ZONE_YEARS_AHEAD = 5;

/** The last VTIMEZONEs written: every mail of one meeting change carries the same, and each costs a walk over years. */
const zoneCache = new Map<string, string | null>();
const ZONE_CACHE_SIZE = 32;

function cachedVtimezone(zone: string, around: number, through: number): string | null {
  const key = `${zone}|${around}|${through}`;
  if (!zoneCache.has(key)) {
    if (zoneCache.size >= ZONE_CACHE_SIZE) zoneCache.delete(zoneCache.keys().next().value!);
    zoneCache.set(key, vtimezone(zone, around, through));
  }
  return zoneCache.get(key)!;
}

/** RRULE with UNTIL as UTC (RFC 5545 3.3.10: with a DTSTART in a zone, UNTIL must be UTC): a floating or date UNTIL is read in the event zone. */
export function icsRule(rule: string, zone: string): string {
  const body = rule.replace(/^RRULE:/i, '');
  return body
    .split(';')
    .map((part) => {
      const [name, value = ''] = part.split('=');
      if (name.toUpperCase() !== 'UNTIL' || parseRuleUntil(value)?.kind === 'utc') return part;
      const instant = fromFloating(floatingUntil(value, zone), { zone });
      return `UNTIL=${DateTime.fromMillis(instant, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'")}`;
    })
    .join(';');
}

/** An instant as a DATE-TIME in the zone (`TZID=` form), or in UTC with `Z` when the zone is UTC. */
function zonedValue(instant: number, zone: string | null): string {
  return zone ? DateTime.fromMillis(instant, { zone }).toFormat("yyyyLLdd'T'HHmmss") : DateTime.fromMillis(instant, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
}

/**
 * The .ics of a meeting as one invitee receives it: REQUEST with the whole meeting (the series' VEVENT with RRULE and
 * EXDATE, then its moved occurrences), CANCEL of the whole meeting, or CANCEL of one occurrence (RECURRENCE-ID).
 */
export function buildMeetingInvitation(input: MeetingInvitationInput): string {
  const zone = UTC_NAMES.has(input.timeZone) ? null : input.timeZone;
  const at = (instant: number) => DateTime.fromMillis(instant, { zone: zone ?? 'utc' });
  const reach = Math.max(input.start, input.stamp) + ZONE_YEARS_AHEAD * 366 * DAY_MS;
  const through = input.rrule ? Math.min(input.lastEnd ?? reach, reach) : input.end;
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: input.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: null, generator: (name) => cachedVtimezone(name, input.start, through) },
  });
  const cancel = input.method === 'CANCEL';
  const common = {
    id: input.uid,
    sequence: input.sequence,
    stamp: DateTime.fromMillis(input.stamp, { zone: 'utc' }),
    timezone: zone,
    description: input.description ?? null,
    url: input.url ?? null,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
  const extras: string[][] = [];
  const people = [
    `ORGANIZER;CN=${quotedParam(input.organizer.name)}:mailto:${input.organizer.email}`,
    ...input.attendees.map(
      (attendee) =>
        `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT${cancel ? '' : `;PARTSTAT=${attendee.status};RSVP=TRUE`};CN=${quotedParam(attendee.name)}:mailto:${attendee.email}`,
    ),
  ];
  if (cancel && input.occurrence !== undefined) {
    const duration = input.end - input.start;
    calendar.createEvent({ ...common, recurrenceId: at(input.occurrence), start: at(input.occurrence), end: at(input.occurrence + duration), summary: input.summary });
    extras.push(people);
  } else {
    calendar.createEvent({ ...common, start: at(input.start), end: at(input.end), summary: input.summary });
    const series = input.rrule
      ? [
          `RRULE:${icsRule(input.rrule, input.timeZone)}`,
          ...(input.exdates?.length
            ? [`EXDATE${zone ? `;TZID=${zone}` : ''}:${[...new Set(input.exdates)].sort((a, b) => a - b).map((instant) => zonedValue(instant, zone)).join(',')}`]
            : []),
        ]
      : [];
    extras.push([...series, ...people]);
    // A cancellation of the whole meeting needs no word about its occurrences; a request carries the moved ones.
    for (const override of input.rrule && !cancel ? (input.overrides ?? []) : []) {
      calendar.createEvent({
        ...common,
        recurrenceId: at(override.originalStart),
        start: at(override.start),
        end: at(override.end),
        summary: override.summary ?? input.summary,
      });
      extras.push(people);
    }
  }
  // Each VEVENT gets its lines before its END:VEVENT (text values are escaped, so that only ends an event).
  const pieces = calendar.toString().split('\r\nEND:VEVENT');
  return pieces.map((piece, index) => (index < extras.length ? `${piece}\r\n${foldLines(extras[index].join('\r\n'))}` : piece)).join('\r\nEND:VEVENT');
}
