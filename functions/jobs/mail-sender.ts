// EventBridge schedule, every minute: sends the outbox mail that is due (new, retried, or left by a sender that died).
import type { ScheduledEvent } from 'aws-lambda';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { sweepOutbox } from '../../lib/mail-outbox/deliver-mail';
import { mailSender } from '../../lib/wiring/mail-sender';

export const handler = jobHandler(async (_event: ScheduledEvent) => {
  // The real clock: a delayed invocation must still see what is due now.
  const summary = await sweepOutbox(mailSender, new Date());
  logger.info('mail sender run', summary);
  return summary;
});
