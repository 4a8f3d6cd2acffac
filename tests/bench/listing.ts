// GET /users/{id}/events over 60 days of a realistic calendar: 150 single meetings (a third from a colleague, half
// of those accepted), 10 weekly series (one with a cancelled and one with a moved occurrence) and 12 bookings.
// Measures the listing's p50/p99 over HTTP beside GET /health in the same rounds, as the owner and as a colleague,
// and counts the DynamoDB requests and items each listing reads (the use case in this process, production wiring).
import { listOccurrences } from '../../lib/meetings/calendar-view';
import { calendarDeps } from '../../lib/wiring/parts/calendar';
import { countDynamoReads } from '../support/dynamo-reads';
import { api, signUpUser } from '../support/http';
import { envNumber, median, percentile, timed, type Benchmark } from './benchmark';

const DAY = 86_400_000;
const FROM = Date.parse('2036-03-03T00:00:00Z'); // a Monday
const TO = FROM + 60 * DAY;
const ZONE = 'Europe/Berlin';

type Person = Awaited<ReturnType<typeof signUpUser>>;

async function must(method: string, path: string, token: string | undefined, body?: unknown, expected = [200, 201]) {
  const response = await api(method, path, { token, body });
  if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${response.text.slice(0, 300)}`);
  return response.body;
}

/** Weekday `index` (0-based, Monday to Friday) from FROM, at `hour`:`minute` UTC. */
function weekdayAt(index: number, hour: number, minute: number): number {
  const week = Math.floor(index / 5);
  return FROM + (week * 7 + (index % 5)) * DAY + hour * 3_600_000 + minute * 60_000;
}

async function seed(owner: Person, colleague: Person, log: (line: string) => void) {
  const company = await must('POST', '/companies', owner.token, { name: 'Listing bench' });
  await must('PUT', `/companies/${company.id}/members/${colleague.id}`, owner.token);
  const iso = (ms: number) => new Date(ms).toISOString();
  // 150 single meetings over the 42 weekdays, 3 or 4 a day between 07:00 and 15:00 UTC.
  const posts: Array<() => Promise<void>> = [];
  for (let index = 0; index < 150; index += 1) {
    const start = weekdayAt(index % 42, 7 + ((index * 3) % 8), (index % 4) * 15);
    const fromColleague = index % 3 === 2;
    const body = {
      title: `Meeting ${index}`,
      start: iso(start),
      durationMinutes: 30 + (index % 3) * 15,
      timeZone: ZONE,
      visibility: index % 10 === 0 ? 'private' : 'public',
      attendeeIds: fromColleague ? [owner.id] : index % 2 ? [colleague.id] : [],
    };
    posts.push(async () => {
      const created = await must('POST', '/events', (fromColleague ? colleague : owner).token, body);
      if (fromColleague && index % 2) await must('POST', `/events/${created.id}/accept`, owner.token);
    });
  }
  for (let index = 0; index < 10; index += 1) {
    const fromColleague = index >= 8;
    const body = {
      title: `Weekly ${index}`,
      start: iso(FROM - 7 * DAY + (index % 5) * DAY + (15 + (index % 2)) * 3_600_000),
      durationMinutes: 30,
      timeZone: ZONE,
      attendeeIds: fromColleague ? [owner.id] : [colleague.id],
      recurrence: index % 2 ? { frequency: 'weekly', count: 52 } : { frequency: 'weekly' },
    };
    posts.push(async () => {
      const created = await must('POST', '/events', (fromColleague ? colleague : owner).token, body);
      if (fromColleague) await must('POST', `/events/${created.id}/accept`, owner.token);
      const third = encodeURIComponent(iso(Date.parse(body.start) + 21 * DAY));
      const fourth = encodeURIComponent(iso(Date.parse(body.start) + 28 * DAY));
      if (index === 0) await must('DELETE', `/events/${created.id}?occurrence=${third}`, owner.token, undefined, [204]);
      if (index === 1) await must('PATCH', `/events/${created.id}?occurrence=${fourth}`, owner.token, { title: 'Moved', start: iso(Date.parse(body.start) + 28 * DAY + 3_600_000) });
    });
  }
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < posts.length) await posts[next++]();
  }));
  // 12 bookings through a public link, at 16:00 UTC on the weekdays the meetings leave free then.
  const type = await must('POST', '/event-types', owner.token, {
    name: 'Intro call',
    kind: 'one_on_one',
    durationMinutes: 30,
    minNoticeMinutes: 0,
    availability: { timeZone: 'UTC', weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '16:00', end: '18:00' }]])) },
  });
  for (let index = 0; index < 12; index += 1) {
    await must('POST', `/book/${type.slug}/bookings`, undefined, { start: iso(weekdayAt(index * 3, 17, 0)), name: `Guest ${index}`, email: `guest${index}@example.test` });
  }
  log(`seeded: 150 single meetings, 10 weekly series, 12 bookings in ${company.id}`);
}

export const listing: Benchmark = {
  name: 'listing',
  description: "GET /users/{id}/events over 60 days (150 meetings, 10 weekly series, 12 bookings) beside GET /health, and the DynamoDB reads per listing",
  needsStack: true,
  async run({ log }) {
    const runs = envNumber('BENCH_RUNS', 60);
    const [owner, colleague] = await Promise.all([signUpUser({ name: 'Owner', timeZone: ZONE }), signUpUser({ name: 'Colleague', timeZone: ZONE })]);
    await seed(owner, colleague, log);
    const query = `from=${encodeURIComponent(new Date(FROM).toISOString())}&to=${encodeURIComponent(new Date(TO).toISOString())}&limit=500`;
    const listPath = `/users/${owner.id}/events?${query}`;

    // The DynamoDB reads of one listing, as the owner and as the colleague (the use case with its production ports).
    const range = { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), limit: 500 };
    const reads = async (viewer: Person) => {
      await listOccurrences(calendarDeps(), viewer.id, owner.id, range);
      const counter = countDynamoReads();
      const result = await listOccurrences(calendarDeps(), viewer.id, owner.id, range);
      counter.stop();
      log(`use case as ${viewer === owner ? 'owner' : 'colleague'}: ${JSON.stringify(counter.counts.byCommand)}, ${counter.counts.items} items, ${result.items.length} listed`);
      return { ...counter.counts, listed: result.items.length };
    };
    const ownReads = await reads(owner);
    const colleagueReads = await reads(colleague);

    const health: number[] = [];
    const own: number[] = [];
    const seen: number[] = [];
    let listedOverHttp = 0;
    for (let run = 0; run < runs + 3; run += 1) {
      const h = await timed(() => api('GET', '/health'));
      const o = await timed(() => api('GET', listPath, { token: owner.token }));
      const c = await timed(() => api('GET', listPath, { token: colleague.token }));
      if (h.value.status !== 200 || o.value.status !== 200 || c.value.status !== 200) {
        throw new Error(`statuses ${h.value.status} ${o.value.status} ${c.value.status}: ${o.value.text.slice(0, 200)}`);
      }
      listedOverHttp = o.value.body.items.length;
      // The first rounds warm the handlers up (bundle load, connections).
      if (run < 3) continue;
      health.push(h.ms);
      own.push(o.ms);
      seen.push(c.ms);
    }
    const healthMs = median(health);
    return {
      figures: [
        { label: `GET /health p50 (${health.length} runs)`, value: healthMs, unit: 'ms' },
        { label: 'listing, owner, p50', value: median(own), unit: 'ms' },
        { label: 'listing, owner, p99', value: percentile(own, 99), unit: 'ms' },
        { label: 'listing, colleague, p50', value: median(seen), unit: 'ms' },
        { label: 'listing, colleague, p99', value: percentile(seen, 99), unit: 'ms' },
        { label: 'ratio listing (owner) p50 / health p50', value: median(own) / healthMs, unit: 'x' },
        { label: 'ratio listing (colleague) p50 / health p50', value: median(seen) / healthMs, unit: 'x' },
        { label: 'occurrences listed (owner)', value: listedOverHttp, unit: '' },
        { label: 'owner: DynamoDB requests per listing', value: ownReads.requests, unit: '' },
        { label: 'owner: items read per listing', value: ownReads.items, unit: '' },
        { label: 'colleague: DynamoDB requests per listing', value: colleagueReads.requests, unit: '' },
        { label: 'colleague: items read per listing', value: colleagueReads.items, unit: '' },
      ],
      checks: [
        { label: 'the owner sees every occurrence over HTTP as in process', ok: listedOverHttp === ownReads.listed },
        { label: 'meetings, series and bookings are all listed', ok: listedOverHttp > 150 + 12 },
      ],
    };
  },
};
