// When a queue message fails (a write-back Google refused for a moment, a sync that met an unavailable Google,
// a poison message), it should come back after a short, growing delay rather than the queue's visibility
// timeout (900 s): the worker hides it for `retryDelaySeconds(receive count)` before reporting it as failed.
import type { Log } from '../kernel/log';
import type { MessageVisibility } from './queue';

/** The first retry's delay; each later one doubles it, up to the cap. */
export const FIRST_RETRY_DELAY_SECONDS = 30;
/** Well below the queue's 900 s visibility timeout. */
export const MAX_RETRY_DELAY_SECONDS = 300;

/** Seconds before a message that failed on its `receiveCount`-th receive comes back: 30, 60, 120, 240, then 300. */
export function retryDelaySeconds(receiveCount: number): number {
  const failures = Number.isFinite(receiveCount) && receiveCount >= 1 ? Math.floor(receiveCount) : 1;
  return Math.min(MAX_RETRY_DELAY_SECONDS, FIRST_RETRY_DELAY_SECONDS * 2 ** Math.min(failures - 1, 16));
}

/** The fields of an SQS record this needs (the Lambda event's shape). */
export type FailedRecord = { messageId: string; receiptHandle: string; attributes?: { ApproximateReceiveCount?: string } };

/**
 * Hides the failed message for its retry delay. Best effort: if that fails, it is logged and the message comes
 * back after the queue's visibility timeout as before. Returns the delay set, or undefined when none was.
 */
export async function delayRetry(visibility: MessageVisibility, record: FailedRecord, log: Pick<Log, 'info' | 'warn'>): Promise<number | undefined> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  const seconds = retryDelaySeconds(receiveCount);
  try {
    await visibility.hideFor(record.receiptHandle, seconds);
    log.info('failed message retried later', { messageId: record.messageId, receiveCount, retryInSeconds: seconds });
    return seconds;
  } catch (error) {
    log.warn('could not shorten the retry delay; the queue visibility timeout applies', { messageId: record.messageId, reason: (error as Error).message });
    return undefined;
  }
}
