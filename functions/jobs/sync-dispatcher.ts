// EventBridge schedule (every UPDATE_FREQUENCY): one sync message per company with enabled calendars, and the
// write-backs the queue refused earlier queued again; reports the sync lag as a metric.
import type { ScheduledEvent } from 'aws-lambda';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { metrics, MetricUnit } from '../../lib/http/metrics';
import { measureSyncLag } from '../../lib/sync/sync-lag';
import { dispatchSyncs } from '../../lib/sync/dispatch-syncs';
import { requeuePendingWriteBacks } from '../../lib/write-back/requests';
import { dispatch, syncLag, writeBacks as writeBackRequests } from '../../lib/wiring/sync-dispatcher';

export const handler = jobHandler(async (_event: ScheduledEvent) => {
  const { enabled, ...summary } = await dispatchSyncs(dispatch, 'schedule');
  // Write-backs the queue refused when they were asked for get another chance with every schedule.
  const writeBacks = await requeuePendingWriteBacks(writeBackRequests);
  // What the SyncLag alarm watches: the oldest last complete sync of an enabled calendar.
  const lag = await measureSyncLag(syncLag, enabled);
  metrics.addMetric('OldestSyncAgeSeconds', MetricUnit.Seconds, lag.oldestAgeSeconds);
  metrics.addMetric('CalendarsNeverSynced', MetricUnit.Count, lag.neverSynced);
  metrics.publishStoredMetrics();
  logger.info('sync dispatched', { ...summary, writeBacks, lag });
  return { ...summary, writeBacks };
});
