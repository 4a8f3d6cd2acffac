// Transactions that lost a race on an item (TransactionConflict, not a failed condition) are retried
// with full-jitter exponential backoff; every other error passes through at once.
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client';
import { isTransactionConflict } from './errors';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

export async function withTransactionRetry<T>(write: () => Promise<T>, attempts = 6, baseDelayMs = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      const ceiling = baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/** One TransactWriteItems call, retried as above when it loses a race. */
export function transactWrite(items: TransactItems, attempts?: number, baseDelayMs?: number) {
  return withTransactionRetry(() => dynamo().send(new TransactWriteCommand({ TransactItems: items })), attempts, baseDelayMs);
}
