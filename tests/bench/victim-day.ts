// A victim's day with the densest series the rules still allow (4 occurrences a day, begun 1990-01-01, the victim
// invited) beside the same series begun last week and a plain calendar of single meetings: GET /users/{id}/events
// for one day on the stack, p50 of each and the ratios. Checks that the attack rule (every minute) is refused.
import { api, signUpUser } from '../support/http';
import { envNumber, median, percentile, timed, type Benchmark } from './benchmark';

const DAY = 86_400_000;
const DAY_START = Date.parse('2031-06-11T00:00:00Z');
// The densest rule allowed: BYHOUR values times BYMINUTE values = 4 (lib/domain/recurrence.ts MAX_OCCURRENCES_PER_DAY).
const DENSEST_RULE = (index: number) => `FREQ=DAILY;BYHOUR=${index % 12},${12 + (index % 12)};BYMINUTE=${index % 60},${(index + 30) % 60}`;
const EVERY_MINUTE = `FREQ=DAILY;BYHOUR=${Array.from({ length: 24 }, (_, h) => h).join(',')};BYMINUTE=${Array.from({ length: 60 }, (_, m) => m).join(',')}`;

type Person = Awaited<ReturnType<typeof signUpUser>>;

async function createSeries(organizer: Person, invitee: Person, count: number, start: string): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const body = { title: `Series ${index}`, start, durationMinutes: 15, timeZone: 'UTC', attendeeIds: [invitee.id], recurrence: { rrule: DENSEST_RULE(index) } };
    const response = await api('POST', '/events', { token: organizer.token, body });
    if (response.status !== 201) throw new Error(`creating a series failed: ${response.status} ${response.text}`);
  }
}

async function listDay(person: Person, runs: number): Promise<{ ms: number[]; items: number }> {
  const path = `/users/${person.id}/events?from=${new Date(DAY_START).toISOString()}&to=${new Date(DAY_START + DAY).toISOString()}&limit=500`;
  const ms: number[] = [];
  let items = 0;
  for (let run = 0; run < runs + 2; run += 1) {
    const { ms: took, value } = await timed(() => api('GET', path, { token: person.token }));
    if (value.status !== 200) throw new Error(`listing failed: ${value.status} ${value.text}`);
    items = value.body.items.length;
    // The first two warm the function up (bundle load, connections).
    if (run >= 2) ms.push(took);
  }
  return { ms, items };
}

export const victimDay: Benchmark = {
  name: 'victim-day',
  description: 'listing a day of a victim invited to the densest allowed series since 1990, beside the same series begun last week and a plain calendar',
  needsStack: true,
  async run({ log }) {
    const seriesCount = envNumber('BENCH_SERIES', 20);
    const runs = envNumber('BENCH_RUNS', 30);
    const [attacker, victim, recent, plain] = await Promise.all([
      signUpUser({ name: 'Attacker' }),
      signUpUser({ name: 'Victim' }),
      signUpUser({ name: 'Recent' }),
      signUpUser({ name: 'Plain' }),
    ]);
    const attack = await api('POST', '/events', {
      token: attacker.token,
      body: { title: 'Attack', start: '1990-01-01T00:00:00Z', durationMinutes: 1, timeZone: 'UTC', attendeeIds: [victim.id], recurrence: { rrule: EVERY_MINUTE } },
    });
    log(`the every-minute rule: ${attack.status} ${attack.body?.error?.details?.[0]?.field ?? ''}`);
    log(`creating ${seriesCount} series since 1990 for the victim, ${seriesCount} since last week for another user`);
    await createSeries(attacker, victim, seriesCount, '1990-01-01T00:00:00Z');
    await createSeries(attacker, recent, seriesCount, new Date(DAY_START - 7 * DAY).toISOString());
    // The plain calendar: as many single meetings in that day as the series give (4 each).
    for (let index = 0; index < seriesCount * 4; index += 1) {
      const start = new Date(DAY_START + index * Math.floor(DAY / (seriesCount * 4))).toISOString();
      const response = await api('POST', '/events', { token: attacker.token, body: { title: `Single ${index}`, start, durationMinutes: 15, attendeeIds: [plain.id] } });
      if (response.status !== 201) throw new Error(`creating a meeting failed: ${response.status} ${response.text}`);
    }
    log(`listing each day ${runs} times`);
    const victimList = await listDay(victim, runs);
    const recentList = await listDay(recent, runs);
    const plainList = await listDay(plain, runs);
    const p50 = { victim: median(victimList.ms), recent: median(recentList.ms), plain: median(plainList.ms) };
    return {
      figures: [
        { label: `victim's day (${seriesCount} series since 1990), p50`, value: p50.victim, unit: 'ms' },
        { label: `victim's day, p99`, value: percentile(victimList.ms, 99), unit: 'ms' },
        { label: `same series begun last week, p50`, value: p50.recent, unit: 'ms' },
        { label: `plain calendar (${seriesCount * 4} single meetings), p50`, value: p50.plain, unit: 'ms' },
        { label: 'ratio victim / plain', value: p50.victim / p50.plain, unit: 'x' },
        { label: 'ratio victim / begun last week', value: p50.victim / p50.recent, unit: 'x' },
        { label: 'occurrences listed in each day', value: victimList.items, unit: '' },
      ],
      checks: [
        { label: 'the every-minute rule is refused with 400', ok: attack.status === 400 },
        { label: 'each calendar lists the same number of occurrences', ok: victimList.items === plainList.items && recentList.items === plainList.items },
      ],
    };
  },
};
