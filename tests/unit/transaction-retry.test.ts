import { withTransactionRetry } from '../../lib/store/retry';

const conflict = () => Object.assign(new Error('conflict'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] });
const conditionFailed = () => Object.assign(new Error('taken'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });

it('retries a transaction conflict until it goes through', async () => {
  let calls = 0;
  const result = await withTransactionRetry(async () => {
    calls += 1;
    if (calls < 3) throw conflict();
    return 'done';
  }, 6, 1);
  expect(result).toBe('done');
  expect(calls).toBe(3);
});

it('does not retry a failed condition, and gives up after the last attempt', async () => {
  let calls = 0;
  await expect(withTransactionRetry(async () => { calls += 1; throw conditionFailed(); }, 6, 1)).rejects.toThrow('taken');
  expect(calls).toBe(1);
  calls = 0;
  await expect(withTransactionRetry(async () => { calls += 1; throw conflict(); }, 4, 1)).rejects.toThrow('conflict');
  expect(calls).toBe(4);
});
