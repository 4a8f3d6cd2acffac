// How failures of googleapis calls are read (410, invalid_grant, 404, 429/5xx, rate-limit 403) and retried.
import { GoogleRequestFailed, GoogleUnavailable, NeedsReconsent, SyncTokenExpired } from '../../lib/connections/errors';
import { classifyGoogleError } from '../../lib/google/errors';
import { withGoogleRetry } from '../../lib/google/retry';

const apiError = (status: number, reason = 'x', headers: Record<string, string> = {}) =>
  Object.assign(new Error(`status ${status}`), { status, response: { status, data: { error: { code: status, message: 'm', errors: [{ reason }] } }, headers: new Headers(headers) } });

describe('classifyGoogleError', () => {
  it('names each failure the sync handles', () => {
    expect(classifyGoogleError(apiError(410, 'fullSyncRequired'))).toEqual({ kind: 'sync_token_expired' });
    expect(classifyGoogleError(Object.assign(new Error('invalid_grant'), { response: { status: 400, data: { error: 'invalid_grant' } } }))).toEqual({ kind: 'invalid_grant' });
    expect(classifyGoogleError(apiError(404, 'notFound'))).toEqual({ kind: 'not_found' });
    expect(classifyGoogleError(apiError(503))).toEqual({ kind: 'retryable', status: 503, retryAfterMs: undefined });
    expect(classifyGoogleError(apiError(429, 'rateLimitExceeded', { 'retry-after': '2' }))).toEqual({ kind: 'retryable', status: 429, retryAfterMs: 2000 });
    expect(classifyGoogleError(apiError(403, 'userRateLimitExceeded'))).toMatchObject({ kind: 'retryable', status: 403 });
    expect(classifyGoogleError(apiError(403, 'forbidden'))).toMatchObject({ kind: 'other', status: 403 });
    expect(classifyGoogleError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }))).toEqual({ kind: 'retryable' });
  });
});

describe('withGoogleRetry', () => {
  const noSleep = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

  it('retries 429 and 5xx with growing waits, honouring Retry-After, until the call succeeds', async () => {
    const waits: number[] = [];
    const failures = [apiError(503), apiError(429, 'rateLimitExceeded', { 'retry-after': '0.5' })];
    const result = await withGoogleRetry(
      async () => {
        const next = failures.shift();
        if (next) throw next;
        return 'ok';
      },
      { ...noSleep, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
  });

  it('gives up after the last attempt with GoogleUnavailable, and never retries what retrying cannot fix', async () => {
    let calls = 0;
    const always = (error: Error) => () => {
      calls += 1;
      return Promise.reject(error);
    };
    await expect(withGoogleRetry(always(apiError(500)), { ...noSleep, sleep: async () => undefined })).rejects.toBeInstanceOf(GoogleUnavailable);
    expect(calls).toBe(4);
    calls = 0;
    await expect(withGoogleRetry(always(apiError(410)), { ...noSleep, sleep: async () => undefined })).rejects.toBeInstanceOf(SyncTokenExpired);
    await expect(withGoogleRetry(always(Object.assign(new Error('invalid_grant'), { response: { data: { error: 'invalid_grant' } } })), noSleep)).rejects.toBeInstanceOf(NeedsReconsent);
    await expect(withGoogleRetry(always(apiError(400, 'invalid')), noSleep)).rejects.toBeInstanceOf(GoogleRequestFailed);
    expect(calls).toBe(3);
  });
});
