// EventBridge schedule, every minute: delivers the reminders that fell due since the last run.
import type { ScheduledEvent } from 'aws-lambda';
import { jobHandler } from '../../lib/http/job';
import { logger } from '../../lib/http/logger';
import { deliverDueReminders } from '../../lib/reminders/deliver-due-reminders';
import { reminders } from '../../lib/wiring/reminders';

export const handler = jobHandler(async (_event: ScheduledEvent) => {
  // The real clock, not the event's scheduled time: a delayed invocation must still see what is due now.
  const summary = await deliverDueReminders(reminders, new Date());
  logger.info('reminders run', summary);
  return summary;
});
