// Every domain error code mapped to an HTTP status in one table, and the error body of the contract.
import { DomainError, RateLimited, type ErrorCode, type ErrorDetail } from '../domain/errors';

/** Codes only the HTTP layer answers with: the request could not reach a use case, or an unexpected failure. */
export type HttpErrorCode = 'invalid_json' | 'payload_too_large' | 'unsupported_media_type' | 'route_not_found' | 'internal_error';

/** Every code an error answer carries. */
export type ResponseErrorCode = ErrorCode | HttpErrorCode;

// Typed by the union: a code without a status here, or a status for a code nobody throws, fails the type check.
const STATUS_BY_CODE: Record<ResponseErrorCode, number> = {
  invalid_input: 400,
  invalid_json: 400,
  invalid_recurrence: 400,
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
  daily_limit_reached: 409,
  booking_busy: 409,
  // Changing a booking that was cancelled meanwhile: the booking is still there (its invitation says CANCEL),
  // so not 410 Gone; the change conflicts with its state, which the client reads again (RFC 9110 15.5.10).
  booking_cancelled: 409,
  // A group seat shares its slot's lock with the other seats: it cannot take another time alone.
  seat_cannot_move: 409,
  calendar_taken: 409,
  reconsent_required: 409,
  write_access_required: 409,
  // The use cases catch these four and retry or try another slug; were one to escape, it is a lost race.
  slug_taken: 409,
  idempotency_key_taken: 409,
  channel_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  owner_required: 422,
  not_a_slot: 422,
  slot_in_past: 422,
  inside_minimum_notice: 422,
  outside_booking_window: 422,
  idempotency_key_reused: 422,
  // The sync worker handles these three (it flags the move, or syncs in full); 422 is what they answered before
  // the table was typed, kept so that this restructuring changes no answer.
  booking_move_too_large: 422,
  booking_too_large: 422,
  sync_token_expired: 422,
  page_token_expired: 422,
  rate_limited: 429,
  internal_error: 500,
  google_request_failed: 502,
  google_unavailable: 503,
};

export type ErrorBody = { error: { code: ResponseErrorCode; message: string; details?: ErrorDetail[] } };

export function statusForCode(code: ResponseErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** The error answer for a code, its status from the table. */
export function errorResponse(code: ResponseErrorCode, message: string, details?: ErrorDetail[]) {
  const body: ErrorBody = { error: { code, message, ...(details?.length ? { details } : {}) } };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  return { statusCode: statusForCode(code), headers, body: JSON.stringify(body) };
}

/** Shapes any thrown value; `unexpected` is true when it is a bug worth logging with its cause. */
export function toErrorResponse(error: unknown): { response: ReturnType<typeof errorResponse>; unexpected: boolean } {
  if (error instanceof DomainError) {
    const response = errorResponse(error.code, error.message, error.details);
    // A rate-limited client is told when its window ends (RFC 9110 Retry-After, in seconds).
    if (error instanceof RateLimited) response.headers['retry-after'] = String(error.retryAfterSeconds);
    return { response, unexpected: false };
  }
  const middyError = error as { statusCode?: number; expose?: boolean; cause?: { package?: string } };
  if (middyError?.cause?.package === '@middy/http-json-body-parser') {
    return middyError.statusCode === 415
      ? { response: errorResponse('unsupported_media_type', 'Send the body as application/json'), unexpected: false }
      : { response: errorResponse('invalid_json', 'The request body is not valid JSON'), unexpected: false };
  }
  return { response: errorResponse('internal_error', 'Something went wrong on our side'), unexpected: true };
}
