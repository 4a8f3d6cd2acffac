// The .ics of a meeting (lib/domain/ics.ts): read back line by line and through rrule, which must find the same
// occurrences as the meeting has, across a DST change, with COUNT and with UNTIL (written in UTC).
import { DateTime } from 'luxon';
import { rrulestr } from 'rrule';
import { buildMeetingInvitation, icsRule, type MeetingInvitationInput } from '../../../lib/domain/ics';

const HOUR = 3_600_000;
/** Monday 21 March 2033, 10:00 Berlin (CET); Berlin changes to CEST on Sunday 27 March. */
const FIRST = Date.UTC(2033, 2, 21, 9);

const base: MeetingInvitationInput = {
  uid: '01MEETING@calendar-hub',
  method: 'REQUEST',
  sequence: 3,
  stamp: Date.UTC(2033, 0, 1),
  timeZone: 'Europe/Berlin',
  summary: 'Weekly sync',
  start: FIRST,
  end: FIRST + HOUR / 2,
  rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
  organizer: { name: 'Olga', email: 'olga@example.test' },
  attendees: [
    { name: 'Ann', email: 'ann@example.test', status: 'NEEDS-ACTION' },
    { name: 'Ben', email: 'ben@example.test', status: 'DECLINED' },
  ],
};

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const lines = (ics: string) => unfold(ics).split('\r\n');
/** The VEVENT blocks, each as its lines. */
const vevents = (ics: string) => [...unfold(ics).matchAll(/BEGIN:VEVENT\r\n([\s\S]*?)\r\nEND:VEVENT/g)].map((match) => match[1].split('\r\n'));
const value = (eventLines: string[], name: string) => eventLines.find((line) => line.startsWith(`${name}:`) || line.startsWith(`${name};`))?.replace(/^[^:]*:/, '');

/**
 * The occurrences rrule finds in the VEVENT's DTSTART + RRULE + EXDATE, as UTC instants. rrule is given the zone's
 * wall clock as floating times (its TZID handling depends on the process zone) and its dates are read in the zone.
 */
function occurrences(eventLines: string[]): number[] {
  const floating = (line: string) => line.replace(/;TZID=Europe\/Berlin/, '');
  const text = eventLines.filter((line) => /^(DTSTART|RRULE|EXDATE)/.test(line)).map(floating).join('\n');
  return rrulestr(text, { forceset: true })
    .all()
    .map((date) => DateTime.fromObject({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes() }, { zone: 'Europe/Berlin' }).toMillis());
}

it('writes a series as one VEVENT with DTSTART in its zone, the RRULE, ORGANIZER and each ATTENDEE with their answer', () => {
  const ics = buildMeetingInvitation(base);
  expect(lines(ics)).toContain('METHOD:REQUEST');
  const [event] = vevents(ics);
  expect(vevents(ics)).toHaveLength(1);
  expect(value(event, 'UID')).toBe('01MEETING@calendar-hub');
  expect(value(event, 'SEQUENCE')).toBe('3');
  expect(event).toContain('DTSTART;TZID=Europe/Berlin:20330321T100000');
  expect(event).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4');
  expect(event).toContain('ORGANIZER;CN="Olga":mailto:olga@example.test');
  expect(event).toContain('ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Ann":mailto:ann@example.test');
  expect(event).toContain('ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED;RSVP=TRUE;CN="Ben":mailto:ben@example.test');
  // Four Mondays at 10:00 Berlin: 09:00 UTC before the change, 08:00 UTC after.
  expect(occurrences(event)).toEqual([FIRST, Date.UTC(2033, 2, 28, 8), Date.UTC(2033, 3, 4, 8), Date.UTC(2033, 3, 11, 8)]);
  // The VTIMEZONE knows the change to summer time.
  expect(unfold(ics)).toMatch(/BEGIN:DAYLIGHT\r\nDTSTART:20330327T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/);
});

it('writes UNTIL in UTC whatever form the rule holds it in, so the last occurrence stays the same', () => {
  // A date UNTIL includes that whole day in the event zone; a floating one is the zone's wall clock.
  expect(icsRule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20330404', 'Europe/Berlin')).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20330404T215959Z');
  expect(icsRule('FREQ=DAILY;UNTIL=20331030T120000', 'Europe/Berlin')).toBe('FREQ=DAILY;UNTIL=20331030T110000Z');
  expect(icsRule('FREQ=DAILY;UNTIL=20331030T110000Z', 'Europe/Berlin')).toBe('FREQ=DAILY;UNTIL=20331030T110000Z');
  const ics = buildMeetingInvitation({ ...base, rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20330404' });
  const [event] = vevents(ics);
  expect(value(event, 'RRULE')).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20330404T215959Z');
  expect(occurrences(event)).toEqual([FIRST, Date.UTC(2033, 2, 28, 8), Date.UTC(2033, 3, 4, 8)]);
});

it('excludes cancelled occurrences with EXDATE in the zone and writes a moved one as its own VEVENT with RECURRENCE-ID', () => {
  const second = Date.UTC(2033, 2, 28, 8);
  const third = Date.UTC(2033, 3, 4, 8);
  const ics = buildMeetingInvitation({ ...base, exdates: [second], overrides: [{ originalStart: third, start: third + 2 * HOUR, end: third + 3 * HOUR, summary: 'Moved sync' }] });
  const [series, moved] = vevents(ics);
  expect(series).toContain('EXDATE;TZID=Europe/Berlin:20330328T100000');
  expect(occurrences(series)).toEqual([FIRST, third, Date.UTC(2033, 3, 11, 8)]);
  expect(value(moved, 'UID')).toBe('01MEETING@calendar-hub');
  expect(value(moved, 'SEQUENCE')).toBe('3');
  expect(moved).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20330404T100000');
  expect(moved).toContain('DTSTART;TZID=Europe/Berlin:20330404T120000');
  expect(value(moved, 'SUMMARY')).toBe('Moved sync');
  expect(moved.filter((line) => line.startsWith('ATTENDEE'))).toHaveLength(2);
  expect(moved.some((line) => line.startsWith('RRULE'))).toBe(false);
});

it('cancels one occurrence with a CANCEL of that occurrence alone (RECURRENCE-ID, no RRULE), and the whole meeting without one', () => {
  const second = Date.UTC(2033, 2, 28, 8);
  const one = buildMeetingInvitation({ ...base, method: 'CANCEL', occurrence: second });
  expect(lines(one)).toContain('METHOD:CANCEL');
  const [event] = vevents(one);
  expect(vevents(one)).toHaveLength(1);
  expect(event).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20330328T100000');
  expect(event).toContain('DTSTART;TZID=Europe/Berlin:20330328T100000');
  expect(event).toContain('STATUS:CANCELLED');
  expect(event.some((line) => line.startsWith('RRULE'))).toBe(false);
  // A cancellation carries no answers to give.
  expect(event.filter((line) => line.startsWith('ATTENDEE')).every((line) => !line.includes('PARTSTAT'))).toBe(true);

  const whole = buildMeetingInvitation({ ...base, method: 'CANCEL', overrides: [{ originalStart: second, start: second, end: second + HOUR }] });
  expect(vevents(whole)).toHaveLength(1);
  expect(vevents(whole)[0].some((line) => line.startsWith('RECURRENCE-ID'))).toBe(false);
  expect(vevents(whole)[0]).toContain('STATUS:CANCELLED');
});

it('writes a single meeting without RRULE, and in UTC with Z when its zone is UTC', () => {
  const ics = buildMeetingInvitation({ ...base, rrule: undefined, timeZone: 'UTC' });
  const [event] = vevents(ics);
  expect(event).toContain('DTSTART:20330321T090000Z');
  expect(event.some((line) => line.startsWith('RRULE'))).toBe(false);
  expect(unfold(ics)).not.toContain('BEGIN:VTIMEZONE');
});

it('covers the series in its VTIMEZONE (within five years), not only the year around its first start', () => {
  const ics = buildMeetingInvitation({ ...base, rrule: 'FREQ=WEEKLY;BYDAY=MO', lastEnd: null });
  const daylightStarts = [...unfold(ics).matchAll(/BEGIN:DAYLIGHT\r\nDTSTART:(\d{4})/g)].map((match) => Number(match[1]));
  expect(Math.max(...daylightStarts)).toBeGreaterThanOrEqual(2038);
  expect(Math.max(...daylightStarts)).toBeLessThanOrEqual(2040);
});

it('lets no line break in a title or name start a property of its own', () => {
  const ics = buildMeetingInvitation({
    ...base,
    summary: 'Sync\r\nATTENDEE:mailto:evil@example.test\r\nEND:VEVENT',
    organizer: { name: 'Olga\r\nATTENDEE:mailto:evil@example.test', email: 'olga@example.test' },
    attendees: [{ name: 'Ann"\r\nRRULE:FREQ=DAILY', email: 'ann@example.test', status: 'NEEDS-ACTION' }],
  });
  const all = lines(ics);
  expect(all.filter((line) => line.startsWith('ATTENDEE'))).toEqual(['ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Ann\' RRULE:FREQ=DAILY":mailto:ann@example.test']);
  expect(all.filter((line) => line.startsWith('RRULE'))).toEqual(['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4']);
  expect(all.filter((line) => line === 'END:VEVENT')).toHaveLength(1);
  expect(value(vevents(ics)[0], 'SUMMARY')).toBe('Sync\\nATTENDEE:mailto:evil@example.test\\nEND:VEVENT');
});
