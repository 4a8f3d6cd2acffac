// Maps what googleapis / google-auth-library throw (GaxiosError) onto the errors the use cases handle:
// 410 -> SyncTokenExpired, invalid_grant -> NeedsReconsent, 404 -> GoogleCalendarNotFound, 429/5xx -> retryable.
import {
  GoogleCalendarNotFound,
  GoogleRequestFailed,
  GoogleUnavailable,
  NeedsReconsent,
  PageTokenExpired,
  SyncTokenExpired,
} from '../connections/errors';

type GaxiosLike = {
  status?: number;
  code?: number | string;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: unknown };
  cause?: { code?: string };
};

export type GoogleFailure =
  | { kind: 'invalid_grant' }
  | { kind: 'sync_token_expired' }
  | { kind: 'invalid_page_token' }
  | { kind: 'not_found' }
  | { kind: 'retryable'; status?: number; retryAfterMs?: number }
  | { kind: 'other'; status?: number; message: string };

// Calendar reports its usage limits as 403 with these reasons (and 429 for the same thing).
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function statusOf(error: GaxiosLike): number | undefined {
  if (typeof error.response?.status === 'number') return error.response.status;
  if (typeof error.status === 'number') return error.status;
  return typeof error.code === 'number' ? error.code : undefined;
}

function apiReasons(data: unknown): string[] {
  const errors = (data as { error?: { errors?: Array<{ reason?: string }> } })?.error?.errors;
  return Array.isArray(errors) ? errors.map((entry) => entry?.reason ?? '') : [];
}

function retryAfterMs(headers: unknown): number | undefined {
  const value =
    headers && typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** What kind of failure a googleapis call ended with. */
export function classifyGoogleError(thrown: unknown): GoogleFailure {
  const error = (thrown ?? {}) as GaxiosLike;
  const data = error.response?.data as { error?: unknown } | undefined;
  // The token endpoint answers {"error": "invalid_grant"} when a refresh token was revoked or expired.
  if (data?.error === 'invalid_grant' || /\binvalid_grant\b/.test(error.message ?? '')) return { kind: 'invalid_grant' };
  const status = statusOf(error);
  const reasons = apiReasons(data);
  if (status === 410) return { kind: 'sync_token_expired' };
  if (status === 404) return { kind: 'not_found' };
  if (status === 429 || (status !== undefined && status >= 500) || (status === 403 && reasons.some((reason) => RATE_LIMIT_REASONS.has(reason)))) {
    return { kind: 'retryable', status, retryAfterMs: retryAfterMs(error.response?.headers) };
  }
  if (status === 400 && reasons.includes('invalid') && /pageToken/i.test(JSON.stringify(data ?? ''))) return { kind: 'invalid_page_token' };
  const networkCode = typeof error.code === 'string' ? error.code : error.cause?.code;
  if (status === undefined && (NETWORK_CODES.has(networkCode ?? '') || /fetch failed|socket hang up/i.test(error.message ?? ''))) {
    return { kind: 'retryable' };
  }
  const message = (data?.error as { message?: string } | undefined)?.message ?? error.message ?? 'Google refused the request';
  return { kind: 'other', status, message };
}

/** The domain error for a failure that retrying did not (or cannot) fix. */
export function toDomainError(thrown: unknown): Error {
  const failure = classifyGoogleError(thrown);
  switch (failure.kind) {
    case 'invalid_grant':
      return new NeedsReconsent();
    case 'sync_token_expired':
      return new SyncTokenExpired();
    case 'invalid_page_token':
      return new PageTokenExpired();
    case 'not_found':
      return new GoogleCalendarNotFound();
    case 'retryable':
      return new GoogleUnavailable(failure.status);
    case 'other':
      return new GoogleRequestFailed(failure.status, `Google refused the request (${failure.status ?? 'no status'}): ${failure.message}`);
  }
}
