// The business metrics as the EMF lines CloudWatch reads: what a booking, a limit and a sync count as.
import { metrics, recordHttpOutcome, recordSync } from '../../../lib/http/metrics';

function published(record: () => void): Record<string, unknown> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    record();
    metrics.publishStoredMetrics();
  } finally {
    spy.mockRestore();
  }
  const emf = lines.map((line) => JSON.parse(line)).find((entry) => entry._aws);
  if (!emf) throw new Error(`no EMF line among ${lines.length} lines`);
  return emf;
}

const names = (emf: Record<string, any>) => emf._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name).sort();

it('counts a booking made, a booking refused and a limit hit under the CalendarHub namespace', () => {
  const emf = published(() => {
    recordHttpOutcome('createBooking', 201);
    recordHttpOutcome('createBooking', 409);
    recordHttpOutcome('logIn', 429);
    recordHttpOutcome('getMe', 200);
  });
  expect((emf as any)._aws.CloudWatchMetrics[0].Namespace).toBe('CalendarHub');
  expect(names(emf)).toEqual(['BookingMade', 'BookingRefused', 'LimitHit']);
  expect(emf).toMatchObject({ BookingMade: 1, BookingRefused: 1, LimitHit: 1, service: 'calendar-hub' });
});

it('records a sync run with its duration and the items it wrote', () => {
  const emf = published(() => recordSync('synced', 1234, [{ inserted: 3, updated: 2, deleted: 1 }, { inserted: 4, updated: 0, deleted: 0 }]));
  expect(emf).toMatchObject({ SyncRun: 1, SyncDuration: 1234, SyncItems: 10 });
});
