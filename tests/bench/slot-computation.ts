// Slot computation for a month of a busy host: the pure function alone (no I/O), and the public slots
// endpoint on the local stack for a host with recurring and single meetings and bookings.
import { DateTime } from 'luxon';
import type { Interval } from '../../lib/domain/interval';
import { bookableSlots, candidateStarts, type SlotRules } from '../../lib/domain/slots';
import { api, signUpUser } from '../support/http';
import { envNumber, median, percentile, timed, type Benchmark } from './benchmark';

const MONTH = { start: Date.parse('2034-03-01T00:00:00+01:00'), end: Date.parse('2034-04-01T00:00:00+02:00') };
const WEEKDAYS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '08:00', end: '18:00' }]]));
const RULES: SlotRules = {
  durationMinutes: 30,
  bufferBeforeMinutes: 10,
  bufferAfterMinutes: 10,
  minNoticeMinutes: 0,
  slotStepMinutes: 15,
  availability: { kind: 'weekly', timeZone: 'Europe/Berlin', weekly: WEEKDAYS },
};

/** A deterministic pseudo-random sequence, so every run measures the same calendar. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A busy month: `perDay` meetings of 15 to 90 minutes each day, 07:00-19:00 Berlin time. */
function busyMonth(perDay: number): Interval[] {
  const next = random(42);
  const busy: Interval[] = [];
  for (let day = DateTime.fromMillis(MONTH.start, { zone: 'Europe/Berlin' }); day.toMillis() < MONTH.end; day = day.plus({ days: 1 })) {
    for (let i = 0; i < perDay; i++) {
      const start = day.set({ hour: 7 }).plus({ minutes: Math.floor(next() * 48) * 15 }).toMillis();
      busy.push({ start, end: start + (1 + Math.floor(next() * 6)) * 15 * 60_000 });
    }
  }
  return busy;
}

async function measurePure(busy: Interval[], runs: number) {
  const now = Date.parse('2034-01-01T00:00:00Z');
  const total: number[] = [];
  const grid: number[] = [];
  let slots = 0;
  for (let i = 0; i < runs; i++) {
    grid.push((await timed(() => candidateStarts(RULES, MONTH))).ms);
    const run = await timed(() => bookableSlots({ rules: RULES, range: MONTH, now, busy }));
    total.push(run.ms);
    slots = run.value.length;
  }
  return { totalMs: median(total), gridMs: median(grid), slots, candidates: candidateStarts(RULES, MONTH).length };
}

export const slotComputation: Benchmark = {
  name: 'slot-computation',
  description: 'bookable slots for a month (weekdays 08-18 Berlin, 30 min every 15 min, 10-minute buffers) of a busy host: pure function, then over HTTP',
  needsStack: true,
  async run({ log }) {
    const runs = envNumber('BENCH_RUNS', 20);
    const perDay = envNumber('BENCH_MEETINGS_PER_DAY', 12);
    const pure = await measurePure(busyMonth(perDay), runs);
    log(`pure: ${pure.candidates} candidates, ${pure.slots} slots, median of ${runs} runs`);

    // The same kind of month on the stack: recurring meetings, single meetings and bookings of another event type.
    const host = await signUpUser({ name: 'Busy Bench Host', timeZone: 'Europe/Berlin' });
    const event = (body: Record<string, unknown>) => api('POST', '/events', { token: host.token, body });
    await event({ title: 'Standup', start: '2034-03-01T09:00:00+01:00', durationMinutes: 15, recurrence: { frequency: 'weekdays' } });
    await event({ title: 'One-on-one', start: '2034-03-07T14:00:00+01:00', durationMinutes: 60, recurrence: { frequency: 'weekly' } });
    await event({ title: 'Lunch', start: '2034-03-01T12:00:00+01:00', durationMinutes: 45, recurrence: { rrule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR' } });
    const singles = busyMonth(Math.max(1, Math.floor(perDay / 4)));
    for (let i = 0; i < singles.length; i += 10) {
      await Promise.all(singles.slice(i, i + 10).map((busy) => event({ title: 'Meeting', start: new Date(busy.start).toISOString(), end: new Date(busy.end).toISOString() })));
    }
    const other = (await api('POST', '/event-types', { token: host.token, body: { name: 'Call', kind: 'one_on_one', durationMinutes: 20, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS } } })).body;
    const offered = (await api('GET', `/book/${other.slug}/slots?from=2034-03-01T00:00:00Z&to=2034-03-31T00:00:00Z&limit=5000`)).body.items as Array<{ start: string }>;
    const pick = random(7);
    const bookings = Array.from({ length: 60 }, () => offered[Math.floor(pick() * offered.length)].start);
    for (let i = 0; i < bookings.length; i += 10) {
      await Promise.all(bookings.slice(i, i + 10).map((start, j) => api('POST', `/book/${other.slug}/bookings`, { body: { start, name: `Guest ${i + j}`, email: 'guest@example.com' } })));
    }
    const type = (await api('POST', '/event-types', { token: host.token, body: { name: 'Consult', kind: 'one_on_one', durationMinutes: 30, slotStepMinutes: 15, bufferBeforeMinutes: 10, bufferAfterMinutes: 10, minNoticeMinutes: 0, availability: { timeZone: 'Europe/Berlin', weekly: WEEKDAYS } } })).body;
    const url = `/book/${type.slug}/slots?from=${encodeURIComponent('2034-03-01T00:00:00+01:00')}&to=${encodeURIComponent('2034-04-01T00:00:00+02:00')}&limit=5000`;
    await api('GET', url);
    const http: number[] = [];
    let slotsOverHttp = 0;
    for (let i = 0; i < runs; i++) {
      const { ms, value } = await timed(() => api('GET', url));
      http.push(ms);
      slotsOverHttp = value.body.items.length;
    }
    // The same inputs through the pure function: the host's month as the calendar lists it.
    const listed = (await api('GET', `/users/${host.id}/events?from=${encodeURIComponent('2034-02-28T00:00:00Z')}&to=${encodeURIComponent('2034-04-02T00:00:00Z')}&limit=500`, { token: host.token })).body.items as Array<{ start: string; end: string }>;
    const samePure = await measurePure(listed.map((item) => ({ start: Date.parse(item.start), end: Date.parse(item.end) })), runs);
    log(`http: ${listed.length} busy occurrences, ${slotsOverHttp} slots offered`);
    return {
      figures: [
        { label: 'pure: candidates in the month', value: pure.candidates, unit: '' },
        { label: 'pure: busy intervals', value: perDay * 31, unit: '' },
        { label: 'pure: slots offered', value: pure.slots, unit: '' },
        { label: 'pure: candidate grid only', value: pure.gridMs, unit: 'ms' },
        { label: 'pure: whole computation', value: pure.totalMs, unit: 'ms' },
        { label: 'pure: per candidate', value: (pure.totalMs * 1000) / pure.candidates, unit: 'µs' },
        { label: 'ratio whole / grid', value: pure.totalMs / pure.gridMs, unit: 'x' },
        { label: 'http: busy occurrences in the month', value: listed.length, unit: '' },
        { label: 'http: slots offered', value: slotsOverHttp, unit: '' },
        { label: 'http: GET slots p50', value: median(http), unit: 'ms' },
        { label: 'http: GET slots p99', value: percentile(http, 99), unit: 'ms' },
        { label: 'pure, same month as over http', value: samePure.totalMs, unit: 'ms' },
        { label: 'ratio http p50 / pure (same month)', value: median(http) / samePure.totalMs, unit: 'x' },
      ],
      checks: [{ label: 'http offers the slots the pure function offers', ok: slotsOverHttp === samePure.slots }],
    };
  },
};
