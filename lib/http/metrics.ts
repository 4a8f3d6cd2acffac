// Business metrics as CloudWatch EMF lines (Powertools Metrics), one namespace for the service; the functions
// record at their edges and publish once per invocation. The alarms in infra/alarms.js read SyncLag from here.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'CalendarHub';

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'calendar-hub' });

export { MetricUnit };

export function countMetric(name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/**
 * What an HTTP answer counts as: bookings made and refused, limits hit, webhook notifications (keyed by the
 * route, `POST /book/{slug}/bookings`); published with the request, and nothing is printed for other answers.
 */
export function recordHttpOutcome(route: string, status: number): void {
  const names = httpOutcomeMetrics(route, status);
  for (const name of names) countMetric(name);
  if (names.length) metrics.publishStoredMetrics();
}

function httpOutcomeMetrics(route: string, status: number): string[] {
  const names = status === 429 ? ['LimitHit'] : [];
  if (route === 'POST /book/{slug}/bookings') {
    if (status === 201) names.push('BookingMade');
    else if (status === 409 || status === 422 || status === 429) names.push('BookingRefused');
  }
  if (route === 'POST /webhooks/google' && status < 300) names.push('WebhookNotification');
  return names;
}

/** One company's sync: a run, how long it took, and the items it wrote. */
export function recordSync(outcome: string, durationMs: number, calendars: Array<{ inserted: number; updated: number; deleted: number }>): void {
  countMetric(outcome === 'synced' || outcome === 'partial' ? 'SyncRun' : 'SyncSkipped');
  metrics.addMetric('SyncDuration', MetricUnit.Milliseconds, durationMs);
  countMetric('SyncItems', calendars.reduce((sum, calendar) => sum + calendar.inserted + calendar.updated + calendar.deleted, 0));
}
