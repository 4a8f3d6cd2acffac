// The earliest hour free for many users inside everyone's working hours, over a year of calendars that
// are dense for the first weeks: the pure search (findEarliestFreeSlot on expanded intervals), a
// brute-force minute-by-minute scan of the same data in this process, the use case (findFreeTime with the
// production wiring) in this process against the stack's DynamoDB Local, and GET /free-time on the stack.
import { DateTime } from 'luxon';
import { findEarliestFreeSlot } from '../../lib/domain/free-time';
import type { Interval } from '../../lib/domain/interval';
import { expandOccurrences } from '../../lib/domain/recurrence';
import { expandWorkingHours, type WorkingHours } from '../../lib/domain/working-hours';
import { findFreeTime } from '../../lib/meetings/calendar-view';
import { calendarDeps } from '../../lib/wiring/parts/calendar';
import { countDynamoReads } from '../support/dynamo-reads';
import { api, signUpUser } from '../support/http';
import { envNumber, median, percentile, request, timed, type Benchmark } from './benchmark';

const HOUR = 3_600_000;
const AFTER = Date.parse('2034-01-02T00:00:00Z'); // a Monday
const BEFORE = AFTER + 365 * 24 * HOUR;
const RANGE = { start: AFTER, end: BEFORE };
// GET /free-time takes at most this many userIds (lib/meetings/schemas.ts).
const HTTP_MAX_USERS = 20;

/**
 * Working hours per zone chosen so that all three overlap in UTC: at least 13:00-15:00 UTC all year
 * (Berlin 09-17 = 07/08-15/16 UTC, New York 08-16 = 12/13-20/21 UTC, Kolkata 13-21 = 07:30-15:30 UTC).
 * `safeHours` are local start hours whose meetings (up to an hour) stay clear of 12:00-16:00 UTC.
 */
const PROFILES = [
  { timeZone: 'Europe/Berlin', hours: { start: '09:00', end: '17:00' }, safeHours: [9, 10] },
  { timeZone: 'America/New_York', hours: { start: '08:00', end: '16:00' }, safeHours: [12, 13, 14] },
  { timeZone: 'Asia/Kolkata', hours: { start: '13:00', end: '21:00' }, safeHours: [13, 14, 15, 16] },
];

type Single = { start: number; end: number };
type SeriesSpec = { start: string; durationMinutes: number; timeZone: string; rrule: string };
type UserData = { timeZone: string; workingHours: WorkingHours; singles: Single[]; series: SeriesSpec[] };

/** A deterministic pseudo-random sequence, so every run measures the same calendars. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function weekdayStarts(from: number, count: number): number[] {
  const days: number[] = [];
  for (let day = DateTime.fromMillis(from, { zone: 'UTC' }); days.length < count; day = day.plus({ days: 1 })) {
    if (day.weekday <= 5) days.push(day.toMillis());
  }
  return days;
}

/**
 * Each user: `singles` one-off meetings, three quarters of them packed into 12:00-16:00 UTC of the first
 * `denseDays` weekdays (so together the users fill the common hours there), the rest spread over the year
 * at the zone's safe hours; and `seriesCount` weekly series for a year, also at safe hours.
 */
function generate(userCount: number, singles: number, seriesCount: number, denseDays: number): UserData[] {
  const next = random(20340102);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const dense = weekdayStarts(AFTER, denseDays);
  const later = weekdayStarts(dense[dense.length - 1] + 24 * HOUR, 250);
  return Array.from({ length: userCount }, (_, index) => {
    const profile = PROFILES[index % PROFILES.length];
    const workingHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [profile.hours]])) as WorkingHours;
    const atSafeHour = (dayUtc: number) => {
      const local = DateTime.fromMillis(dayUtc + 12 * HOUR, { zone: profile.timeZone }).startOf('day');
      return local.set({ hour: pick(profile.safeHours), minute: Math.floor(next() * 4) * 15 });
    };
    const meetings: Single[] = [];
    for (let i = 0; i < singles; i++) {
      if (i < Math.ceil(singles * 0.75)) {
        const start = pick(dense) + 12 * HOUR + Math.floor(next() * 16) * 15 * 60_000;
        meetings.push({ start, end: start + (2 + Math.floor(next() * 7)) * 15 * 60_000 });
      } else {
        const start = atSafeHour(pick(later)).toMillis();
        meetings.push({ start, end: start + (1 + Math.floor(next() * 3)) * 15 * 60_000 });
      }
    }
    const series: SeriesSpec[] = Array.from({ length: seriesCount }, () => ({
      start: atSafeHour(pick(dense.slice(0, 5))).toISO()!,
      durationMinutes: 15 * (1 + Math.floor(next() * 4)),
      timeZone: profile.timeZone,
      rrule: 'FREQ=WEEKLY;COUNT=52',
    }));
    return { timeZone: profile.timeZone, workingHours, singles: meetings, series };
  });
}

/** What the search is given: every user's busy intervals (series expanded) and working hours in the range. */
function expand(users: UserData[]): { busyByUser: Interval[][]; availableByUser: Interval[][] } {
  return {
    busyByUser: users.map((user) => [
      ...user.singles,
      ...user.series.flatMap((s) =>
        expandOccurrences({ start: s.start, durationMs: s.durationMinutes * 60_000, timeZone: s.timeZone, rrule: s.rrule }, RANGE).map((o) => ({ start: o.start, end: o.end })),
      ),
    ]),
    availableByUser: users.map((user) => expandWorkingHours(user.workingHours, user.timeZone, RANGE)),
  };
}

/** The reference: try every minute from `after`, checking each user's working hours and every busy interval. */
function bruteForce(busyByUser: Interval[][], availableByUser: Interval[][], durationMs: number): Interval | null {
  for (let start = AFTER; start + durationMs <= BEFORE; start += 60_000) {
    const end = start + durationMs;
    const fits = busyByUser.every(
      (busy, user) => availableByUser[user].some((a) => a.start <= start && end <= a.end) && !busy.some((b) => b.start < end && start < b.end),
    );
    if (fits) return { start, end };
  }
  return null;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

const same = (a: Interval | null, b: Interval | null) => (a === null ? b === null : b !== null && a.start === b.start && a.end === b.end);
const iso = (slot: Interval | null) => (slot ? new Date(slot.start).toISOString() : 'none');

type HttpLeg = { times: number[]; slot: Interval | null; statuses: number[] };

/**
 * GET `path` `runs` times after one warm-up call, each given `timeoutMs` to answer; a call that gets no
 * answer (status 0) ends the leg, so a hang costs one timeout instead of stalling the run.
 */
async function measureHttp(path: string, token: string, runs: number, timeoutMs: number): Promise<HttpLeg> {
  const get = () => request('GET', path, undefined, timeoutMs, { authorization: `Bearer ${token}` });
  const leg: HttpLeg = { times: [], slot: null, statuses: [] };
  const warmUp = await get();
  leg.statuses.push(warmUp.status);
  for (let i = 0; i < runs && leg.statuses.every((status) => status !== 0); i++) {
    const { ms, value } = await timed(get);
    leg.statuses.push(value.status);
    if (value.status === 0) break;
    leg.times.push(ms);
    leg.slot = value.status === 200 ? { start: Date.parse(value.body.start), end: Date.parse(value.body.end) } : null;
  }
  return leg;
}

export const freeTime: Benchmark = {
  name: 'free-time',
  description: 'earliest common free hour within working hours for BENCH_USERS users (default 50; Berlin, New York, Kolkata), each with BENCH_SINGLES single meetings (200) and BENCH_SERIES weekly series (20) over a year',
  needsStack: true,
  async run({ log }) {
    const userCount = envNumber('BENCH_USERS', 50);
    const singles = envNumber('BENCH_SINGLES', 200);
    const seriesCount = envNumber('BENCH_SERIES', 20);
    const denseDays = envNumber('BENCH_DENSE_DAYS', 25);
    const runs = envNumber('BENCH_RUNS', 50);
    const bruteRuns = envNumber('BENCH_BRUTE_RUNS', 3);
    const concurrency = envNumber('BENCH_CONCURRENCY', 16);
    const useCaseRuns = envNumber('BENCH_USE_CASE_RUNS', 5);
    const httpRuns = envNumber('BENCH_HTTP_RUNS', 5);
    const httpTimeoutMs = envNumber('BENCH_HTTP_TIMEOUT_S', 120) * 1000;
    const durationMs = HOUR;
    const users = generate(userCount, singles, seriesCount, denseDays);

    // (a) and (b): all users, in this process.
    const { busyByUser, availableByUser } = expand(users);
    const intervals = busyByUser.reduce((sum, busy) => sum + busy.length, 0);
    const pureTimes: number[] = [];
    let pure: Interval | null = null;
    for (let i = 0; i < runs; i++) {
      const run = await timed(() => findEarliestFreeSlot({ after: AFTER, before: BEFORE, durationMs, busyByUser, availableByUser }));
      pureTimes.push(run.ms);
      pure = run.value;
    }
    const bruteTimes: number[] = [];
    let brute: Interval | null = null;
    for (let i = 0; i < bruteRuns; i++) {
      const run = await timed(() => bruteForce(busyByUser, availableByUser, durationMs));
      bruteTimes.push(run.ms);
      brute = run.value;
    }
    log(`${userCount} users, ${intervals} busy intervals after expansion; earliest free hour ${iso(pure)} (brute force ${iso(brute)})`);

    // The first HTTP_MAX_USERS users on the stack (the route takes at most that many userIds).
    const httpUsers = users.slice(0, HTTP_MAX_USERS);
    const setupStarted = Date.now();
    const accounts = [] as Array<{ id: string; token: string }>;
    for (const [index, user] of httpUsers.entries()) {
      accounts.push(await signUpUser({ name: `Free Time Bench ${index}`, timeZone: user.timeZone, workingHours: user.workingHours }));
    }
    const posts = httpUsers.flatMap((user, index) => [
      ...user.singles.map((single) => ({ token: accounts[index].token, body: { title: 'Meeting', start: new Date(single.start).toISOString(), end: new Date(single.end).toISOString(), timeZone: user.timeZone } })),
      ...user.series.map((s) => ({ token: accounts[index].token, body: { title: 'Series', start: s.start, durationMinutes: s.durationMinutes, timeZone: s.timeZone, recurrence: { rrule: s.rrule } } })),
    ]);
    let failedPosts = 0;
    await pool(posts, concurrency, async ({ token, body }) => {
      const response = await api('POST', '/events', { token, body });
      if (response.status !== 201) {
        failedPosts += 1;
        if (failedPosts <= 3) log(`POST /events answered ${response.status}: ${response.text.slice(0, 200)}`);
      }
    });
    const setupSeconds = (Date.now() - setupStarted) / 1000;
    log(`setup over HTTP: ${accounts.length} users, ${posts.length} POST /events in ${setupSeconds.toFixed(1)} s (${concurrency} at a time)`);

    const subset = expand(httpUsers);
    const subsetPureTimes: number[] = [];
    let pureSubset: Interval | null = null;
    for (let i = 0; i < runs; i++) {
      const run = await timed(() => findEarliestFreeSlot({ after: AFTER, before: BEFORE, durationMs, ...subset }));
      subsetPureTimes.push(run.ms);
      pureSubset = run.value;
    }
    const bruteSubset = bruteForce(subset.busyByUser, subset.availableByUser, durationMs);

    // (c): the use case with its production ports, in this process, reading the stack's DynamoDB Local.
    const userIds = accounts.map((account) => account.id);
    const query = { userIds, duration: durationMs / 60_000, after: new Date(AFTER).toISOString(), before: new Date(BEFORE).toISOString(), workingHoursOnly: true };
    const toSlot = (reply: { start: string; end: string }): Interval => ({ start: Date.parse(reply.start), end: Date.parse(reply.end) });
    await findFreeTime(calendarDeps(), query);
    const counter = countDynamoReads();
    const first = await timed(() => findFreeTime(calendarDeps(), query));
    counter.stop();
    const useCaseTimes = [first.ms];
    let useCase: Interval | null = toSlot(first.value);
    for (let i = 1; i < useCaseRuns; i++) {
      const run = await timed(() => findFreeTime(calendarDeps(), query));
      useCaseTimes.push(run.ms);
      useCase = toSlot(run.value);
    }
    log(`use case in process: ${counter.counts.requests} DynamoDB requests, ${counter.counts.items} items read per search -> ${iso(useCase)}`);

    // (d): GET /free-time, over the same year and with the route's default horizon (90 days from after).
    const token = accounts[0].token;
    const base = `/free-time?userIds=${userIds.join(',')}&duration=1h&after=${encodeURIComponent(new Date(AFTER).toISOString())}&workingHoursOnly=true`;
    const year = await measureHttp(`${base}&before=${encodeURIComponent(new Date(BEFORE).toISOString())}`, token, httpRuns, httpTimeoutMs);
    const horizon = await measureHttp(base, token, httpRuns, httpTimeoutMs);
    // GET /health in the same run: what the stack answers with no work, for the ratio of issue 17.
    const health = await measureHttp('/health', token, Math.max(httpRuns, 20), httpTimeoutMs);
    for (const [label, leg] of [['year', year], ['default horizon', horizon]] as const) {
      log(`http (${label}): ${accounts.length} users; statuses ${leg.statuses.join(' ')}; GET /free-time -> ${iso(leg.slot)}; pure ${iso(pureSubset)}, brute force ${iso(bruteSubset)}`);
    }
    const answered = (leg: HttpLeg) => leg.statuses.every((status) => status === 200);
    const pureMs = median(pureTimes);
    const bruteMs = median(bruteTimes);
    const subsetPureMs = median(subsetPureTimes);
    const useCaseMs = median(useCaseTimes);
    return {
      figures: [
        { label: 'users (in process)', value: userCount, unit: '' },
        { label: 'busy intervals after expansion', value: intervals, unit: '' },
        { label: 'hours from after to the earliest free hour', value: pure ? (pure.start - AFTER) / HOUR : Number.NaN, unit: 'h' },
        { label: `pure search p50 (${runs} runs)`, value: pureMs, unit: 'ms' },
        { label: `brute force minute scan p50 (${bruteRuns} runs)`, value: bruteMs, unit: 'ms' },
        { label: 'ratio brute force / pure search', value: bruteMs / pureMs, unit: 'x' },
        { label: 'http: users (route maximum)', value: accounts.length, unit: '' },
        { label: 'http: setup (users + POST /events)', value: setupSeconds, unit: 's' },
        { label: 'http: POST /events not 201', value: failedPosts, unit: '' },
        { label: `pure search p50, http users (${runs} runs)`, value: subsetPureMs, unit: 'ms' },
        { label: `use case in process p50 (${useCaseTimes.length} runs)`, value: useCaseMs, unit: 'ms' },
        { label: 'use case in process p95', value: percentile(useCaseTimes, 95), unit: 'ms' },
        { label: 'use case: DynamoDB requests per search', value: counter.counts.requests, unit: '' },
        { label: 'use case: items read per search', value: counter.counts.items, unit: '' },
        { label: 'ratio use case / pure search (http users)', value: useCaseMs / subsetPureMs, unit: 'x' },
        { label: `http: GET /free-time, a year, p50 (${year.times.length} runs)`, value: median(year.times), unit: 'ms' },
        { label: 'http: GET /free-time, a year, p95', value: percentile(year.times, 95), unit: 'ms' },
        { label: `http: GET /free-time, 90 days, p50 (${horizon.times.length} runs)`, value: median(horizon.times), unit: 'ms' },
        { label: 'http: GET /free-time, 90 days, p95', value: percentile(horizon.times, 95), unit: 'ms' },
        { label: `http: GET /health p50 (${health.times.length} runs)`, value: median(health.times), unit: 'ms' },
        { label: 'ratio http p50 (a year) / GET /health p50', value: median(year.times) / median(health.times), unit: 'x' },
        { label: 'ratio http p50 (90 days) / GET /health p50', value: median(horizon.times) / median(health.times), unit: 'x' },
        { label: 'ratio http p50 (a year) / use case in process', value: median(year.times) / useCaseMs, unit: 'x' },
        { label: 'ratio http p50 (a year) / pure search (http users)', value: median(year.times) / subsetPureMs, unit: 'x' },
      ],
      checks: [
        { label: 'a common free hour exists', ok: pure !== null },
        { label: 'pure search = brute force (all users)', ok: same(pure, brute) },
        { label: 'use case = pure = brute force (http users)', ok: same(useCase, pureSubset) && same(pureSubset, bruteSubset) },
        { label: `http answered every GET within ${httpTimeoutMs / 1000} s`, ok: answered(year) && answered(horizon) },
        { label: 'http (a year and 90 days) = pure (http users)', ok: same(year.slot, pureSubset) && same(horizon.slot, pureSubset) },
        { label: 'every POST /events created', ok: failedPosts === 0 },
      ],
    };
  },
};
