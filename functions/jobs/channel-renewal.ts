// EventBridge schedule (hourly): renews push channels that expire within a day, stops those of disabled
// calendars and revoked connections, and opens missing ones. The scheduled sync stays the fallback.
import type { ScheduledEvent } from 'aws-lambda';
import { getConfig } from '../../lib/config';
import { loadSecrets } from '../../lib/load-secrets';
import { secretsReady } from '../../lib/secrets';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { renewChannels } from '../../lib/push/channels';
import { createRenewalDeps } from '../../lib/push/deps';

getConfig();
loadSecrets(['GOOGLE_CLIENT_SECRET']);
const deps = createRenewalDeps();

export const handler = jobHandler(async (_event: ScheduledEvent) => {
  await secretsReady();
  const summary = await renewChannels(deps);
  logger.info('push channels renewed', summary);
  return summary;
});
