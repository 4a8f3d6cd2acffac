// EventBridge schedule (hourly): renews push channels that expire within a day, stops those of disabled
// calendars and revoked connections, and opens missing ones. The scheduled sync stays the fallback.
import type { ScheduledEvent } from 'aws-lambda';
import { secretsReady } from '../../lib/secrets';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { renewChannels } from '../../lib/push/channels';
import { renewal } from '../../lib/wiring/channel-renewal';

export const handler = jobHandler(async (_event: ScheduledEvent) => {
  await secretsReady();
  const summary = await renewChannels(renewal);
  logger.info('push channels renewed', summary);
  return summary;
});
