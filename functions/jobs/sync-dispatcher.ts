// EventBridge schedule (every UPDATE_FREQUENCY): one sync message per company with enabled calendars.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { getConfig } from '../../lib/config';
import { logger } from '../../lib/http/logger';
import { dispatchDeps } from '../../lib/sync/dispatch-deps';
import { dispatchSyncs } from '../../lib/sync/dispatch-syncs';

getConfig();

export const handler = async (_event: ScheduledEvent, context: Context) => {
  logger.resetKeys();
  logger.addContext(context);
  const summary = await dispatchSyncs(dispatchDeps, 'schedule');
  logger.info('sync dispatched', summary);
  return summary;
};
