// EventBridge schedule (every UPDATE_FREQUENCY): one sync message per company with enabled calendars, and the
// write-backs the queue refused earlier queued again; reports the sync lag as a metric.
import type { ScheduledEvent } from 'aws-lambda';
import { getConfig } from '../../lib/config';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { metrics, MetricUnit } from '../../lib/http/metrics';
import { dispatchDeps, syncLagDeps } from '../../lib/sync/dispatch-deps';
import { measureSyncLag } from '../../lib/sync/sync-lag';
import { dispatchSyncs } from '../../lib/sync/dispatch-syncs';
import { writeBackRequestDeps } from '../../lib/write-back/request-deps';
import { requeuePendingWriteBacks } from '../../lib/write-back/requests';

getConfig();

export const handler = jobHandler(async (_event: ScheduledEvent) => {
  const { enabled, ...summary } = await dispatchSyncs(dispatchDeps, 'schedule');
  // Write-backs the queue refused when they were asked for get another chance with every schedule.
  const writeBacks = await requeuePendingWriteBacks(writeBackRequestDeps);
  // What the SyncLag alarm watches: the oldest last complete sync of an enabled calendar.
  const lag = await measureSyncLag(syncLagDeps, enabled);
  metrics.addMetric('OldestSyncAgeSeconds', MetricUnit.Seconds, lag.oldestAgeSeconds);
  metrics.addMetric('CalendarsNeverSynced', MetricUnit.Count, lag.neverSynced);
  metrics.publishStoredMetrics();
  logger.info('sync dispatched', { ...summary, writeBacks, lag });
  return { ...summary, writeBacks };
});
