// Domain errors: a stable code and a message, no HTTP. lib/http/errors.ts maps codes to statuses.

export type ErrorDetail = { field: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly code: string,
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
  constructor(what: string, code = 'not_found') {
    super(code, `${what} not found`);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'You are not allowed to do this') {
    super('forbidden', message);
  }
}

export class Unauthorized extends DomainError {
  constructor(code: 'unauthorized' | 'invalid_token' | 'token_expired' | 'token_revoked' | 'invalid_credentials', message: string) {
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
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** The body is valid but breaks a business rule (422). */
export class RuleViolation extends DomainError {
  constructor(code: string, message: string, details?: ErrorDetail[]) {
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
