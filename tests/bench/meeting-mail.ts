// Rendering meeting mail (pure, no I/O): what one invitee's mail costs to render with its .ics, for a single meeting
// and an open-ended series (whose VTIMEZONE covers years), and what the forty mails of one change cost together,
// where every mail after the first reuses the series' VTIMEZONE.
import { renderMail, type MailMessage, type MeetingMailFacts } from '../../lib/domain/mail-messages';
import { median, timed, type Benchmark } from './benchmark';

const LINKS = { publicBaseUrl: 'https://hub.example.test' };
const FIRST = Date.UTC(2034, 2, 20, 9);

function facts(extra: Partial<MeetingMailFacts>, stamp: number): MeetingMailFacts {
  return {
    meetingId: '01BENCH',
    title: 'Weekly sync',
    start: FIRST,
    end: FIRST + 30 * 60_000,
    timeZone: 'Europe/Berlin',
    organizer: { name: 'Olga', email: 'olga@example.test', timeZone: 'Europe/Berlin' },
    attendees: Array.from({ length: 40 }, (_, index) => ({ name: `Person ${index}`, email: `p${index}@example.test`, status: 'NEEDS-ACTION' as const })),
    sequence: 1,
    stamp,
    ...extra,
  };
}

const mailTo = (meeting: MeetingMailFacts, index: number): MailMessage => ({
  kind: 'meeting_updated',
  recipient: { name: `Person ${index}`, email: `p${index}@example.test`, timeZone: index % 2 ? 'America/New_York' : 'Europe/Berlin' },
  meeting,
});

export const meetingMail: Benchmark = {
  name: 'meeting-mail',
  description: 'Rendering meeting mails with their .ics: one mail, and the forty of one change',
  needsStack: false,
  async run() {
    // A new stamp per round: each round is a new change, so no round finds the previous round's zone cached.
    let stamp = Date.UTC(2034, 0, 1);
    const rounds = 7;
    const single: number[] = [];
    const seriesFirst: number[] = [];
    const seriesForty: number[] = [];
    for (let round = 0; round < rounds; round++) {
      stamp += 86_400_000;
      single.push((await timed(() => renderMail(mailTo(facts({}, stamp), 0), LINKS))).ms);
      const series = facts({ rrule: 'FREQ=WEEKLY;BYDAY=MO', lastEnd: null }, stamp);
      seriesFirst.push((await timed(() => renderMail(mailTo(series, 0), LINKS))).ms);
      stamp += 86_400_000;
      const next = { ...series, stamp };
      seriesForty.push((await timed(() => Array.from({ length: 40 }, (_, index) => renderMail(mailTo(next, index), LINKS)))).ms);
    }
    const perMailInChange = median(seriesForty) / 40;
    return {
      figures: [
        { label: 'single meeting, one mail (median)', value: median(single), unit: 'ms' },
        { label: 'open series, first mail of a change (median)', value: median(seriesFirst), unit: 'ms' },
        { label: 'open series, 40 mails of one change (median)', value: median(seriesForty), unit: 'ms' },
        { label: 'open series, per mail within a change', value: perMailInChange, unit: 'ms' },
        { label: 'first mail / later mail of a change', value: median(seriesFirst) / perMailInChange, unit: 'x' },
      ],
      checks: [{ label: '40 mails of a change well inside the sender budget (40 s)', ok: median(seriesForty) < 20_000 }],
    };
  },
};
