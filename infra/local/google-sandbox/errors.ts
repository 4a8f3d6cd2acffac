// Errors in the two wire shapes Google uses: the API error envelope and the OAuth 2.0 error object.

/** gRPC-style status names Google adds to API errors; codes without one (410, 412) omit `status`, as Calendar does. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    errors: Array<{ domain: string; reason: string; message: string; location?: string; locationType?: string }>;
    status?: string;
  };
}

/** An error of the Calendar API (or the control API), serialised as `{error:{code,message,errors:[...],status}}`. */
export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
    readonly domain = 'global',
    readonly location?: { location: string; locationType: string },
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  toBody(): GoogleErrorBody {
    const detail = { domain: this.domain, reason: this.reason, message: this.message, ...this.location };
    const body: GoogleErrorBody = { error: { code: this.code, message: this.message, errors: [detail] } };
    const status = STATUS_NAMES[this.code];
    if (status) body.error.status = status;
    return body;
  }
}

export const apiErrors = {
  badRequest: (message: string, reason = 'invalid', location?: string) =>
    new GoogleApiError(400, message, reason, 'global', location ? { location, locationType: 'parameter' } : undefined),
  parseError: () => new GoogleApiError(400, 'Parse Error', 'parseError'),
  missingCredentials: () =>
    new GoogleApiError(
      401,
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      'required',
      'global',
      { location: 'Authorization', locationType: 'header' },
      { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
    ),
  invalidCredentials: () =>
    new GoogleApiError(
      401,
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      'authError',
      'global',
      { location: 'Authorization', locationType: 'header' },
      { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    ),
  insufficientScopes: () =>
    new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions'),
  writerAccessRequired: () =>
    new GoogleApiError(403, 'You need to have writer access to this calendar.', 'requiredAccessLevel', 'calendar'),
  notFound: () => new GoogleApiError(404, 'Not Found', 'notFound'),
  duplicate: () => new GoogleApiError(409, 'The requested identifier already exists.', 'duplicate'),
  deleted: () => new GoogleApiError(410, 'Resource has been deleted', 'deleted'),
  fullSyncRequired: () =>
    new GoogleApiError(410, 'Sync token is no longer valid, a full sync is required.', 'fullSyncRequired', 'calendar'),
  preconditionFailed: () =>
    new GoogleApiError(412, 'Precondition Failed', 'conditionNotMet', 'global', {
      location: 'If-Match',
      locationType: 'header',
    }),
  /** The shapes Google answers with when it is overloaded or failing; used by fault injection. */
  fault: (code: number, reason?: string, message?: string) => {
    const defaults: Record<number, [string, string, string]> = {
      403: ['usageLimits', 'rateLimitExceeded', 'Rate Limit Exceeded'],
      429: ['usageLimits', 'rateLimitExceeded', 'Rate Limit Exceeded'],
      500: ['global', 'backendError', 'Backend Error'],
      503: ['global', 'backendError', 'The service is currently unavailable.'],
    };
    const [domain, defaultReason, defaultMessage] = defaults[code] ?? ['global', 'backendError', `Sandbox fault ${code}`];
    return new GoogleApiError(code, message ?? defaultMessage, reason ?? defaultReason, domain);
  },
};

/** An OAuth 2.0 endpoint error (RFC 6749 section 5.2): `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
