// Domain errors: a stable code and a message, no HTTP. lib/http/errors.ts maps codes to statuses.

/**
 * Every code a domain, feature or adapter error carries. lib/http/errors.ts maps each to a status in a table typed
 * by this union, so a code added here without a status (or thrown without being listed) fails the type check.
 */
export type ErrorCode =
  // Input and its rules
  | 'invalid_input'
  | 'invalid_recurrence'
  | 'not_a_slot'
  | 'slot_in_past'
  | 'inside_minimum_notice'
  | 'outside_booking_window'
  | 'idempotency_key_reused'
  | 'owner_required'
  | 'booking_move_too_large'
  | 'booking_too_large'
  // Who is asking
  | 'unauthorized'
  | 'invalid_token'
  | 'token_expired'
  | 'token_revoked'
  | 'invalid_credentials'
  | 'forbidden'
  | 'wrong_password'
  | 'rate_limited'
  // What is there
  | 'not_found'
  | 'no_free_time'
  // Writes that lost against the stored state
  | 'conflict'
  | 'email_taken'
  | 'slot_taken'
  | 'daily_limit_reached'
  | 'slug_taken'
  | 'idempotency_key_taken'
  | 'booking_busy'
  | 'booking_cancelled'
  | 'seat_cannot_move'
  | 'calendar_taken'
  | 'channel_taken'
  // Google and its OAuth consent
  | 'invalid_state'
  | 'oauth_failed'
  | 'oauth_state_unbound'
  | 'reconsent_required'
  | 'write_access_required'
  | 'calendar_not_readable'
  | 'google_calendar_not_found'
  | 'google_request_failed'
  | 'google_unavailable'
  | 'sync_token_expired'
  | 'page_token_expired';

export type ErrorDetail = { field: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that parses but is wrong; details name each bad field. */
export class InvalidInput extends DomainError {
  constructor(message: string, details?: ErrorDetail[]) {
    super('invalid_input', message, details);
  }
}

export class NotFound extends DomainError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'You are not allowed to do this') {
    super('forbidden', message);
  }
}

export class Unauthorized extends DomainError {
  constructor(code: Extract<ErrorCode, 'unauthorized' | 'invalid_token' | 'token_expired' | 'token_revoked' | 'invalid_credentials'>, message: string) {
    super(code, message);
  }
}

export class EmailTaken extends DomainError {
  constructor() {
    super('email_taken', 'An account with this email already exists');
  }
}

/** A write lost against another concurrent write or a uniqueness rule. */
export class Conflict extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** The body is valid but breaks a business rule (422). */
export class RuleViolation extends DomainError {
  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(code, message, details);
  }
}

/** A client over a rate limit (429); `retryAfterSeconds` is how long until its window ends (the Retry-After header). */
export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
  }
}
