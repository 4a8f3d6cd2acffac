// Transactions that lost a race on an item (TransactionConflict, not a failed condition) are retried
// with full-jitter exponential backoff; every other error passes through at once.
import { isTransactionConflict } from './errors';

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
