// Every domain error code mapped to an HTTP status in one table, and the error body of the contract.
import { DomainError, RateLimited, type ErrorDetail } from '../domain/errors';

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  invalid_json: 400,
  invalid_recurrence: 400,
  invalid_cursor: 400,
  invalid_state: 400,
  oauth_failed: 400,
  oauth_state_unbound: 400,
  unauthorized: 401,
  invalid_token: 401,
  token_expired: 401,
  token_revoked: 401,
  invalid_credentials: 401,
  forbidden: 403,
  wrong_password: 403,
  calendar_not_readable: 403,
  not_found: 404,
  route_not_found: 404,
  no_free_time: 404,
  google_calendar_not_found: 404,
  email_taken: 409,
  conflict: 409,
  slot_taken: 409,
  booking_busy: 409,
  calendar_taken: 409,
  reconsent_required: 409,
  write_access_required: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rule_violation: 422,
  owner_required: 422,
  not_a_slot: 422,
  slot_in_past: 422,
  inside_minimum_notice: 422,
  idempotency_key_reused: 422,
  rate_limited: 429,
  google_request_failed: 502,
  google_unavailable: 503,
};

export type ErrorBody = { error: { code: string; message: string; details?: ErrorDetail[] } };

/** Whether the table knows a code (an unknown one answers 422). */
export function isKnownErrorCode(code: string): boolean {
  return code in STATUS_BY_CODE;
}

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 422;
}

export function errorResponse(status: number, code: string, message: string, details?: ErrorDetail[]) {
  const body: ErrorBody = { error: { code, message, ...(details?.length ? { details } : {}) } };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  return { statusCode: status, headers, body: JSON.stringify(body) };
}

/** Shapes any thrown value; `unexpected` is true when it is a bug worth logging with its cause. */
export function toErrorResponse(error: unknown): { response: ReturnType<typeof errorResponse>; unexpected: boolean } {
  if (error instanceof DomainError) {
    const response = errorResponse(statusForCode(error.code), error.code, error.message, error.details);
    // A rate-limited client is told when its window ends (RFC 9110 Retry-After, in seconds).
    if (error instanceof RateLimited) response.headers['retry-after'] = String(error.retryAfterSeconds);
    return { response, unexpected: false };
  }
  const middyError = error as { statusCode?: number; expose?: boolean; cause?: { package?: string } };
  if (middyError?.cause?.package === '@middy/http-json-body-parser') {
    return middyError.statusCode === 415
      ? { response: errorResponse(415, 'unsupported_media_type', 'Send the body as application/json'), unexpected: false }
      : { response: errorResponse(400, 'invalid_json', 'The request body is not valid JSON'), unexpected: false };
  }
  return { response: errorResponse(500, 'internal_error', 'Something went wrong on our side'), unexpected: true };
}
