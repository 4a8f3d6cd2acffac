// Errors of the Google side, as the use cases see them; lib/google/errors.ts maps googleapis failures onto these.
import { DomainError } from '../domain/errors';

/** Google answered invalid_grant: the refresh token was revoked or expired, so the account must consent again. */
export class NeedsReconsent extends DomainError {
  constructor(message = 'Google no longer accepts this connection; connect the account again through GET /oauth/google/start') {
    super('reconsent_required', message);
  }
}

/** 410 Gone on events.list with a syncToken: the token is no longer valid and a full sync is needed. */
export class SyncTokenExpired extends DomainError {
  constructor() {
    super('sync_token_expired', 'Google says the sync token is no longer valid; a full sync is required');
  }
}

/** A stored page token that Google no longer accepts (listings expire); the listing must start again. */
export class PageTokenExpired extends DomainError {
  constructor() {
    super('page_token_expired', 'Google no longer accepts the stored page token');
  }
}

/** Google kept failing (429 or 5xx) after every retry, or could not be reached. */
export class GoogleUnavailable extends DomainError {
  constructor(readonly status: number | undefined, message = 'Google Calendar is not answering right now; try again later') {
    super('google_unavailable', message);
  }
}

/** The calendar does not exist or the connected account cannot see it. */
export class GoogleCalendarNotFound extends DomainError {
  constructor() {
    super('google_calendar_not_found', 'Google calendar not found for this connection');
  }
}

/** Any other refusal by Google (4xx we cannot recover from). */
export class GoogleRequestFailed extends DomainError {
  constructor(readonly status: number | undefined, message: string) {
    super('google_request_failed', message);
  }
}

/** The consent came back refused, or the code could not be exchanged for tokens. */
export class OAuthFailed extends DomainError {
  constructor(message: string) {
    super('oauth_failed', message);
  }
}

/** The `state` of a callback is unknown, used already or expired (a replayed or forged callback). */
export class InvalidOAuthState extends DomainError {
  constructor() {
    super('invalid_state', 'This sign-in link is not valid (it was used already, has expired or was not issued here); start again');
  }
}

/**
 * The callback came without the binding of the consent it names: neither the cookie set by /oauth/google/start
 * in the browser that started it nor that user's bearer token (RFC 9700 section 4.7). Someone else finishing a
 * consent would store their Google account under the starter's account.
 */
export class OAuthStateUnbound extends DomainError {
  constructor() {
    super(
      'oauth_state_unbound',
      'This consent was not started here: finish it in the browser that started it, or send the bearer token of the user who started it. Start again through GET /oauth/google/start',
    );
  }
}

/** A destination calendar on a connection that was granted read access only. */
export class GoogleWriteAccessRequired extends DomainError {
  constructor() {
    super(
      'write_access_required',
      'This Google connection may only read calendars: connect the account again with write access (GET /oauth/google/start?access=write), then choose the destination calendar',
      [{ field: 'destinationCalendar.connectionId', message: 'Granted read-only access; connect it again through GET /oauth/google/start?access=write' }],
    );
  }
}
