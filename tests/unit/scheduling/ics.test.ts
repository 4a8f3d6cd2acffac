import fc from 'fast-check';
import { DateTime } from 'luxon';
import { buildInvitation, type InvitationInput } from '../../../lib/domain/ics';

const input = (overrides: Partial<InvitationInput> = {}): InvitationInput => ({
  uid: '01J0BOOKING@calendar-hub',
  method: 'REQUEST',
  sequence: 0,
  stamp: Date.parse('2031-02-01T12:00:00Z'),
  start: Date.parse('2031-03-03T09:00:00Z'),
  end: Date.parse('2031-03-03T09:30:00Z'),
  timeZone: 'Europe/Berlin',
  summary: 'Intro call with Olga',
  organizer: { name: 'Olga Host', email: 'olga@example.com' },
  attendees: [{ name: 'Gina Guest', email: 'gina@example.com' }],
  ...overrides,
});

/** Content lines after unfolding (RFC 5545 3.1). */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const value = (lines: string[], name: string) => lines.find((line) => line.startsWith(`${name}:`) || line.startsWith(`${name};`));
/** The VEVENT's own lines (the VTIMEZONE before it has DTSTART lines of its own). */
const eventLines = (lines: string[]) => lines.slice(lines.indexOf('BEGIN:VEVENT'), lines.indexOf('END:VEVENT') + 1);

describe('buildInvitation', () => {
  it('writes a REQUEST with one VEVENT carrying UID, DTSTAMP in UTC, DTSTART/DTEND in the zone, ORGANIZER and ATTENDEE', () => {
    const all = unfold(buildInvitation(input()));
    const lines = eventLines(all);
    expect(all[0]).toBe('BEGIN:VCALENDAR');
    expect(all[all.length - 1]).toBe('END:VCALENDAR');
    expect(all).toEqual(expect.arrayContaining(['VERSION:2.0', 'METHOD:REQUEST']));
    expect(lines).toEqual(expect.arrayContaining(['BEGIN:VEVENT', 'END:VEVENT', 'UID:01J0BOOKING@calendar-hub', 'SEQUENCE:0', 'STATUS:CONFIRMED']));
    expect(value(all, 'PRODID')).toMatch(/^PRODID:.+/);
    expect(value(lines, 'DTSTAMP')).toBe('DTSTAMP:20310201T120000Z');
    expect(value(lines, 'DTSTART')).toBe('DTSTART;TZID=Europe/Berlin:20310303T100000');
    expect(value(lines, 'DTEND')).toBe('DTEND;TZID=Europe/Berlin:20310303T103000');
    expect(value(lines, 'ORGANIZER')).toBe('ORGANIZER;CN="Olga Host":mailto:olga@example.com');
    expect(value(lines, 'ATTENDEE')).toMatch(/^ATTENDEE;.*CN="Gina Guest":mailto:gina@example\.com$/i);
    expect(value(lines, 'SUMMARY')).toBe('SUMMARY:Intro call with Olga');
    // The zone a TZID names is defined in the same object.
    expect(all).toEqual(expect.arrayContaining(['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'END:VTIMEZONE']));
    expect(all.indexOf('END:VTIMEZONE')).toBeLessThan(all.indexOf('BEGIN:VEVENT'));
  });

  it('ends every line with CRLF and folds none longer than 75 octets', () => {
    const ics = buildInvitation(input({ summary: 'A very long event name '.repeat(8), description: 'Notes, with; special\ncharacters' }));
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(value(unfold(ics), 'DESCRIPTION')).toBe('DESCRIPTION:Notes\\, with\\; special\\ncharacters');
  });

  it('writes a CANCEL for the same UID with the next SEQUENCE and STATUS:CANCELLED', () => {
    const lines = unfold(buildInvitation(input({ method: 'CANCEL', sequence: 1 })));
    expect(lines).toEqual(expect.arrayContaining(['METHOD:CANCEL', 'UID:01J0BOOKING@calendar-hub', 'SEQUENCE:1', 'STATUS:CANCELLED']));
  });

  it('writes UTC times with Z and no VTIMEZONE for UTC', () => {
    const lines = unfold(buildInvitation(input({ timeZone: 'UTC' })));
    expect(value(eventLines(lines), 'DTSTART')).toBe('DTSTART:20310303T090000Z');
    expect(lines).not.toContain('BEGIN:VTIMEZONE');
  });

  /** RFC 5545 3.1: param-value = paramtext / quoted-string; a quoted string holds no CONTROL and no DQUOTE, and has no escapes. */
  const CONTENT_LINE = /^[A-Z-]+(;[A-Z-]+=(?:[^";:,\x00-\x1f\x7f]*|"[^"\x00-\x1f\x7f]*")(?:,(?:[^";:,\x00-\x1f\x7f]*|"[^"\x00-\x1f\x7f]*"))*)*:/;
  const params = (line: string) => [...line.slice(0, line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/)).matchAll(/;([A-Z-]+)=("[^"]*"|[^;:]*)/g)].map((match) => [match[1], match[2]]);

  it('attack: a guest or host name with DQUOTE, backslash or a line break cannot break out of its CN parameter (RFC 5545 quoted-string)', () => {
    const guest = 'Eve"; ROLE=CHAIR; X="\\evil\r\nATTENDEE:mailto:boss@example.com';
    const host = 'Olga "The Host" \\ Ltd';
    const lines = eventLines(unfold(buildInvitation(input({ organizer: { name: host, email: 'olga@example.com' }, attendees: [{ name: guest, email: 'eve@example.com' }] }))));
    const attendees = lines.filter((line) => line.startsWith('ATTENDEE'));
    const organizer = value(lines, 'ORGANIZER')!;
    expect(attendees).toHaveLength(1);
    for (const line of [...attendees, organizer]) {
      expect(line).toMatch(CONTENT_LINE);
      expect(line).not.toContain('\\"');
    }
    // One CN each, the name kept readable with the quotes replaced; no ROLE the name smuggled in.
    expect(params(attendees[0]).filter(([name]) => name === 'CN')).toEqual([['CN', `"Eve'; ROLE=CHAIR; X='\\evil ATTENDEE:mailto:boss@example.com"`]]);
    expect(params(attendees[0]).filter(([name]) => name === 'ROLE')).toEqual([['ROLE', 'REQ-PARTICIPANT']]);
    expect(attendees[0]).toMatch(/:mailto:eve@example\.com$/i);
    expect(organizer).toBe(`ORGANIZER;CN="Olga 'The Host' \\ Ltd":mailto:olga@example.com`);
  });

  /** Reads DTSTART back through the VTIMEZONE the way a calendar client does: the observance in force decides the offset. */
  function resolveStart(lines: string[]): number {
    const [, local] = value(eventLines(lines), 'DTSTART')!.split(':');
    const observances: Array<{ onset: number; to: number }> = [];
    const toMinutes = (offset: string) => (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
    const wall = (text: string) => DateTime.fromFormat(text, "yyyyLLdd'T'HHmmss", { zone: 'utc' }).toMillis();
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== 'BEGIN:STANDARD' && lines[i] !== 'BEGIN:DAYLIGHT') continue;
      const block = lines.slice(i, lines.indexOf(lines[i].replace('BEGIN', 'END'), i));
      const from = toMinutes(value(block, 'TZOFFSETFROM')!.split(':')[1]);
      observances.push({ onset: wall(value(block, 'DTSTART')!.split(':')[1]) - from * 60_000, to: toMinutes(value(block, 'TZOFFSETTO')!.split(':')[1]) });
    }
    const inForce = (instant: number) => observances.filter((o) => o.onset <= instant).sort((a, b) => b.onset - a.onset)[0];
    const matches = observances.map((o) => wall(local) - o.to * 60_000).filter((instant) => inForce(instant)?.to * 60_000 === wall(local) - instant);
    return Math.min(...matches);
  }

  it('property: a client reading DTSTART through the VTIMEZONE gets the booking instant back, in any zone, whatever TZ the process has', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Europe/London'];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2030-01-01T00:00:00Z') / 60_000, max: Date.parse('2036-01-01T00:00:00Z') / 60_000 }), fc.constantFrom(...zones), (minute, zone) => {
        const start = minute * 60_000;
        // Local times that occur twice (the hour after a fall-back) mean their first occurrence in any TZID form.
        const local = DateTime.fromMillis(start, { zone });
        fc.pre(DateTime.fromObject(local.toObject(), { zone }).toMillis() === start);
        const lines = unfold(buildInvitation(input({ start, end: start + 30 * 60_000, timeZone: zone })));
        expect(resolveStart(lines)).toBe(start);
      }),
      { numRuns: 150 },
    );
  });
});
