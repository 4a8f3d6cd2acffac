// The retry delay of failed queue messages: how it grows with the receive count, and that hiding the message
// is best effort (a failure is logged, never thrown, so the worker still reports the message as failed).
import { recordingLog } from '../support/recording-log';
import { delayRetry, MAX_RETRY_DELAY_SECONDS, retryDelaySeconds } from '../../lib/sync/retry-backoff';
import type { MessageVisibility } from '../../lib/sync/ports';

const recorder = () => {
  const calls: Array<{ receiptHandle: string; seconds: number }> = [];
  const visibility: MessageVisibility = { hideFor: async (receiptHandle, seconds) => void calls.push({ receiptHandle, seconds }) };
  return { calls, visibility };
};

describe('retryDelaySeconds', () => {
  it('doubles from 30 s with each receive and stops at 300 s, well below the 900 s visibility timeout', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 300, 300, 300]);
    expect(MAX_RETRY_DELAY_SECONDS).toBeLessThan(900 / 2);
  });

  it('treats a missing or odd receive count as the first receive', () => {
    expect([0, -3, Number.NaN, Number.POSITIVE_INFINITY].map(retryDelaySeconds)).toEqual([30, 30, 30, 30]);
  });
});

describe('delayRetry', () => {
  it('hides the message by its receipt handle for the delay of its receive count', async () => {
    const { calls, visibility } = recorder();

    const third = await delayRetry(visibility, { messageId: 'm1', receiptHandle: 'r1', attributes: { ApproximateReceiveCount: '3' } }, recordingLog());
    const first = await delayRetry(visibility, { messageId: 'm2', receiptHandle: 'r2', attributes: {} }, recordingLog());

    expect([third, first]).toEqual([120, 30]);
    expect(calls).toEqual([{ receiptHandle: 'r1', seconds: 120 }, { receiptHandle: 'r2', seconds: 30 }]);
  });

  it('does not throw when the queue refuses the change: the visibility timeout then applies', async () => {
    const refusing: MessageVisibility = { hideFor: async () => { throw new Error('ReceiptHandleIsInvalid'); } };

    await expect(delayRetry(refusing, { messageId: 'm3', receiptHandle: 'stale', attributes: { ApproximateReceiveCount: '1' } }, recordingLog())).resolves.toBeUndefined();
  });
});
