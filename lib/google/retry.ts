// Retries Google calls that failed with 429, a 5xx, a rate-limit 403 or a network error, with full-jitter
// exponential backoff (honouring Retry-After); every other failure is mapped to a domain error at once.
import { classifyGoogleError, toDomainError } from './errors';

export type RetryOptions = {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait, for logs and tests. */
  onRetry?: (info: { attempt: number; status?: number; delayMs: number }) => void;
};

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8000 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withGoogleRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = classifyGoogleError(error);
      if (failure.kind !== 'retryable' || attempt >= options.attempts) throw toDomainError(error);
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.min(options.maxDelayMs, Math.max(failure.retryAfterMs ?? 0, Math.random() * ceiling));
      options.onRetry?.({ attempt, status: failure.status, delayMs });
      await sleep(delayMs);
    }
  }
}
