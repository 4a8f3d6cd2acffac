// The pure part of the sync: a page of Google events turned into writes and counts, the sweep after a full
// sync, and the expansion of stored copies (series with exceptions, all-day and free events).
import type { RemoteEvent } from '../../lib/connections/ports';
import { planPage, planSweep } from '../../lib/sync/plan-changes';
import { occurrencesOf, placementOf, type SyncedEvent } from '../../lib/sync/synced-event';

const context = { companyId: 'co', calendarId: 'cal', calendarZone: 'Europe/Berlin', generation: 2 };

const timed = (id: string, start: string, end: string, extra: Partial<RemoteEvent> = {}): RemoteEvent => ({
  id,
  status: 'confirmed',
  etag: `"${id}-1"`,
  summary: id,
  start: { dateTime: start, timeZone: 'Europe/Berlin' },
  end: { dateTime: end, timeZone: 'Europe/Berlin' },
  ...extra,
});

function stored(plan: ReturnType<typeof planPage>): Map<string, SyncedEvent> {
  return new Map(plan.writes.filter((write) => write.after).map((write) => [write.after!.eventId, write.after!]));
}

describe('planPage', () => {
  it('inserts new events, rewrites only the record of unchanged ones, updates changed ones and deletes cancelled ones', () => {
    const first = planPage(new Map(), [timed('a', '2030-01-07T10:00:00+01:00', '2030-01-07T11:00:00+01:00'), timed('b', '2030-01-08T10:00:00+01:00', '2030-01-08T11:00:00+01:00')], context);
    const existing = stored(first);

    const second = planPage(
      existing,
      [
        timed('a', '2030-01-07T10:00:00+01:00', '2030-01-07T11:00:00+01:00'),
        timed('b', '2030-01-09T10:00:00+01:00', '2030-01-09T11:00:00+01:00', { etag: '"b-2"' }),
        { id: 'c', status: 'cancelled' },
        { id: 'unknown', status: 'cancelled' },
      ],
      { ...context, generation: 3 },
    );

    expect(first.counts).toEqual({ inserted: 2, updated: 0, deleted: 0 });
    expect(second.counts).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    const byId = Object.fromEntries(second.writes.map((write) => [write.after?.eventId ?? write.before?.eventId, write]));
    expect(byId.a).toMatchObject({ after: { generation: 3 } });
    expect(byId.b).toMatchObject({ before: { start: '2030-01-08T10:00:00+01:00' }, after: { start: '2030-01-09T10:00:00+01:00' } });
    const third = planPage(stored(second), [{ id: 'b', status: 'cancelled' }], context);
    expect(third.counts).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    expect(third.writes).toEqual([{ before: expect.objectContaining({ eventId: 'b' }), after: undefined }]);
  });

  it('reads all-day dates at midnight in the calendar zone and marks free events', () => {
    const plan = planPage(
      new Map(),
      [
        { id: 'day', summary: 'Holiday', start: { date: '2030-03-30' }, end: { date: '2030-04-01' } },
        timed('free', '2030-01-07T10:00:00+01:00', '2030-01-07T11:00:00+01:00', { transparency: 'transparent' }),
      ],
      context,
    );
    const [day, free] = plan.writes.map((write) => write.after!);
    // Two days across the switch to summer time: 47 hours.
    expect(day).toMatchObject({ start: '2030-03-30T00:00:00+01:00', end: '2030-04-01T00:00:00+02:00', allDay: true });
    expect(free).toMatchObject({ transparent: true });
    expect(free.allDay).toBeUndefined();
  });

  it('keeps exceptions that arrive before their series and counts the series once', () => {
    const plan = planPage(
      new Map(),
      [
        timed('s_20300114T090000Z', '2030-01-14T12:00:00+01:00', '2030-01-14T13:00:00+01:00', {
          recurringEventId: 's',
          originalStartTime: { dateTime: '2030-01-14T10:00:00+01:00', timeZone: 'Europe/Berlin' },
          summary: 'Moved',
        }),
        { id: 's_20300121T090000Z', status: 'cancelled', recurringEventId: 's', originalStartTime: { dateTime: '2030-01-21T10:00:00+01:00' } },
        timed('s', '2030-01-07T10:00:00+01:00', '2030-01-07T11:00:00+01:00', { recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'], summary: 'Weekly' }),
      ],
      context,
    );

    expect(plan.counts).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect(plan.writes).toHaveLength(1);
    const series = plan.writes[0].after!;
    expect(series).toMatchObject({ hasMaster: true, rrule: 'FREQ=WEEKLY;COUNT=4', title: 'Weekly' });
    const occurrences = occurrencesOf(series, { start: Date.parse('2030-01-01T00:00:00Z'), end: Date.parse('2030-02-01T00:00:00Z') });
    expect(occurrences.map((occurrence) => [occurrence.view.start, occurrence.view.title, occurrence.view.originalStart])).toEqual([
      ['2030-01-07T10:00:00+01:00', 'Weekly', '2030-01-07T10:00:00+01:00'],
      ['2030-01-14T12:00:00+01:00', 'Moved', '2030-01-14T10:00:00+01:00'],
      ['2030-01-28T10:00:00+01:00', 'Weekly', '2030-01-28T10:00:00+01:00'],
    ]);
  });

  it('counts a cancelled occurrence of a known series as a deletion and keeps its exceptions when the series changes', () => {
    const base = stored(planPage(new Map(), [timed('s', '2030-01-07T10:00:00+01:00', '2030-01-07T11:00:00+01:00', { recurrence: ['RRULE:FREQ=DAILY;COUNT=5'] })], context));
    const cancelled = planPage(base, [{ id: 's_x', status: 'cancelled', recurringEventId: 's', originalStartTime: { dateTime: '2030-01-08T10:00:00+01:00' } }], context);
    const renamed = planPage(stored(cancelled), [timed('s', '2030-01-07T10:00:00+01:00', '2030-01-07T11:00:00+01:00', { recurrence: ['RRULE:FREQ=DAILY;COUNT=5'], etag: '"s-2"', summary: 'Renamed' })], context);

    expect(cancelled.counts).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    const series = renamed.writes[0].after!;
    expect(renamed.counts.updated).toBe(1);
    expect(occurrencesOf(series, { start: Date.parse('2030-01-01T00:00:00Z'), end: Date.parse('2030-02-01T00:00:00Z') }).map((o) => o.view.start.slice(0, 10))).toEqual([
      '2030-01-07',
      '2030-01-09',
      '2030-01-10',
      '2030-01-11',
    ]);
  });

  it('gives every occurrence of a recurring all-day event a whole local day, on DST days too (23 and 25 hours)', () => {
    const plan = planPage(new Map(), [{ id: 'd', status: 'confirmed', summary: 'On call', start: { date: '2026-03-28' }, end: { date: '2026-03-29' }, recurrence: ['RRULE:FREQ=DAILY;COUNT=3'] }], context);
    const autumn = planPage(new Map(), [{ id: 'e', status: 'confirmed', summary: 'On call', start: { date: '2026-10-24' }, end: { date: '2026-10-25' }, recurrence: ['RRULE:FREQ=DAILY;COUNT=3'] }], context);
    const view = (event: SyncedEvent) => occurrencesOf(event, { start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z') }).map((o) => [o.view.start, o.view.end, (o.end - o.start) / 3_600_000]);

    expect(view(plan.writes[0].after!)).toEqual([
      ['2026-03-28T00:00:00+01:00', '2026-03-29T00:00:00+01:00', 24],
      ['2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00', 23],
      ['2026-03-30T00:00:00+02:00', '2026-03-31T00:00:00+02:00', 24],
    ]);
    expect(view(autumn.writes[0].after!)).toEqual([
      ['2026-10-24T00:00:00+02:00', '2026-10-25T00:00:00+02:00', 24],
      ['2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', 25],
      ['2026-10-26T00:00:00+01:00', '2026-10-27T00:00:00+01:00', 24],
    ]);
  });

  it('keeps an unsupported recurrence as its first occurrence, with a warning', () => {
    const plan = planPage(new Map(), [timed('r', '2030-01-07T10:00:00+01:00', '2030-01-07T11:00:00+01:00', { recurrence: ['RDATE:20300110T100000Z'] })], context);
    expect(plan.writes[0].after!.rrule).toBeUndefined();
    expect(plan.warnings).toEqual([expect.stringContaining('recurrence not supported')]);
  });

  it('keeps a Google series denser than our limit (every minute, or BYSECOND) as its first occurrence, with a warning', () => {
    const hours = Array.from({ length: 24 }, (_, hour) => hour).join(',');
    const minutes = Array.from({ length: 60 }, (_, minute) => minute).join(',');
    for (const rule of [`RRULE:FREQ=DAILY;BYHOUR=${hours};BYMINUTE=${minutes}`, 'RRULE:FREQ=DAILY;BYSECOND=0,30']) {
      const plan = planPage(new Map(), [timed('dense', '1990-01-01T00:00:00Z', '1990-01-01T00:01:00Z', { recurrence: [rule] })], context);
      expect(plan.writes[0].after!.rrule).toBeUndefined();
      expect(plan.warnings).toEqual([expect.stringContaining('recurrence not supported')]);
    }
  });
});

describe('planSweep', () => {
  it('removes copies and exceptions a full sync did not see again, and placeholders whose series never came', () => {
    const event = (eventId: string, generation: number, extra: Partial<SyncedEvent> = {}): SyncedEvent => ({
      companyId: 'co',
      calendarId: 'cal',
      eventId,
      hasMaster: true,
      title: eventId,
      start: '2030-01-07T10:00:00+01:00',
      end: '2030-01-07T11:00:00+01:00',
      timeZone: 'Europe/Berlin',
      generation,
      ...extra,
    });
    const sweep = planSweep(
      [
        event('seen', 3),
        event('gone', 2),
        event('orphan', 0, { hasMaster: false }),
        event('series', 3, { rrule: 'FREQ=DAILY', exceptions: [{ originalStart: '2030-01-08T09:00:00Z', cancelled: true, generation: 2 }, { originalStart: '2030-01-09T09:00:00Z', cancelled: true, generation: 3 }] }),
      ],
      3,
    );

    expect(sweep.deleted).toBe(1);
    expect(sweep.writes.map((write) => [write.before?.eventId, write.after?.exceptions?.length])).toEqual([
      ['gone', undefined],
      ['orphan', undefined],
      ['series', 1],
    ]);
  });
});

describe('placementOf', () => {
  it('indexes single events of up to 14 days by start and keeps series and longer events in the set', () => {
    const base = { companyId: 'co', calendarId: 'cal', eventId: 'e', hasMaster: true, title: 't', timeZone: 'UTC', generation: 1 };
    expect(placementOf({ ...base, start: '2030-01-01T00:00:00Z', end: '2030-01-15T00:00:00Z' })).toBe('index');
    expect(placementOf({ ...base, start: '2030-01-01T00:00:00Z', end: '2030-01-15T00:00:01Z' })).toBe('set');
    expect(placementOf({ ...base, start: '2030-01-01T00:00:00Z', end: '2030-01-01T01:00:00Z', rrule: 'FREQ=DAILY' })).toBe('set');
    expect(placementOf({ ...base, hasMaster: false, start: '2030-01-01T00:00:00Z', end: '2030-01-01T01:00:00Z' })).toBe('none');
  });
});
