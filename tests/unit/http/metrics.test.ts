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
  } finally {
    spy.mockRestore();
  }
  const emf = lines.map((line) => JSON.parse(line)).find((entry) => entry._aws);
  if (!emf) throw new Error(`no EMF line among ${lines.length} lines`);
  return emf;
}

const names = (emf: Record<string, any>) => emf._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name).sort();

it('counts a booking made, a booking refused and a limit hit under the CalendarHub namespace, each with its request', () => {
  const answers: Array<[string, number, string[]]> = [
    ['POST /book/{slug}/bookings', 201, ['BookingMade']],
    ['POST /book/{slug}/bookings', 409, ['BookingRefused']],
    ['POST /book/{slug}/bookings', 429, ['BookingRefused', 'LimitHit']],
    ['POST /auth/login', 429, ['LimitHit']],
    ['POST /webhooks/google', 200, ['WebhookNotification']],
  ];
  for (const [route, status, expected] of answers) {
    const emf = published(() => recordHttpOutcome(route, status));
    expect((emf as any)._aws.CloudWatchMetrics[0].Namespace).toBe('CalendarHub');
    expect([route, status, names(emf)]).toEqual([route, status, expected]);
    expect(emf).toMatchObject({ service: 'calendar-hub' });
  }
});

it('prints nothing for an answer that counts as nothing', () => {
  expect(() => published(() => recordHttpOutcome('GET /users/me', 200))).toThrow(/no EMF line among 0 lines/);
});

it('records a sync run with its duration and the items it wrote', () => {
  const emf = published(() => {
    recordSync('synced', 1234, [{ inserted: 3, updated: 2, deleted: 1 }, { inserted: 4, updated: 0, deleted: 0 }]);
    metrics.publishStoredMetrics();
  });
  expect(emf).toMatchObject({ SyncRun: 1, SyncDuration: 1234, SyncItems: 10 });
});
