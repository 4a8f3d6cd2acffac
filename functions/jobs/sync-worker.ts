// SQS worker: syncs the company of each message (or writes a meeting or booking back to Google) and reports failed messages only (partial batch response),
// so they come back after the visibility timeout and go to the dead-letter queue after five receives.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getConfig } from '../../lib/config';
import { logger } from '../../lib/http/logger';
import { createSyncDeps } from '../../lib/sync/deps';
import { parseQueueMessage } from '../../lib/sync/messages';
import { syncCompany } from '../../lib/sync/sync-company';
import { createWriteBackDeps } from '../../lib/write-back/deps';
import { writeBack } from '../../lib/write-back/write-back';

const config = getConfig();
const deps = createSyncDeps();
const writeBackDeps = createWriteBackDeps();
// Time kept back from the Lambda timeout for writing the log and giving back the lease.
const SAFETY_MS = 15_000;

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.resetKeys();
  logger.addContext(context);
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const deadline = Math.min(Date.now() + config.SYNC_TIMEOUT * 1000, Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS);
    try {
      const message = parseQueueMessage(record.body);
      if ('kind' in message) {
        const outcome = await writeBack(writeBackDeps, message);
        logger.info('written back', { messageId: record.messageId, source: message.source, sourceId: message.sourceId, outcome });
        continue;
      }
      const result = await syncCompany(deps, message.companyId, { deadline, trigger: message.trigger });
      logger.info('company synced', { messageId: record.messageId, companyId: message.companyId, outcome: result.outcome, calendars: result.calendars });
      if (result.retry) failures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      logger.error('sync failed', { messageId: record.messageId, error: error as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
};
