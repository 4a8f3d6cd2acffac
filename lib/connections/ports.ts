// What the Google connection use cases (OAuth, connections, live calendar reads) need from outside.
import type { MailParty, QueuedMail } from '../domain/mail-messages';
import type { Clock } from '../kernel/clock';

export type ConnectionStatus = 'active' | 'needs_reconsent';

/** A Google account connected by one user; the refresh token is stored only encrypted. */
export type Connection = {
  id: string;
  userId: string;
  /** The Google account's email, lower-case. */
  email: string;
  /** Google's stable account id (`sub` of the id token). */
  subject?: string;
  encryptedRefreshToken: string;
  scopes: string[];
  status: ConnectionStatus;
  statusReason?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type ConnectionRepo = {
  /** Writes the connection and its (user, account) claim in one transaction; false when the claim exists already. */
  create(connection: Connection): Promise<boolean>;
  get(connectionId: string): Promise<Connection | undefined>;
  findByAccount(userId: string, email: string): Promise<Connection | undefined>;
  listForUser(userId: string): Promise<Connection[]>;
  /** A new consent: new refresh token and scopes, status active again. */
  updateGrant(connectionId: string, grant: { encryptedRefreshToken: string; scopes: string[]; subject?: string }, now: string): Promise<Connection>;
  /**
   * Marks the connection as needing re-consent, with `mail` in the outbox in the same transaction, only on the
   * transition: a connection already marked (or deleted) is left as it is and no mail is written.
   */
  markNeedsReconsent(connectionId: string, reason: string, now: string, mail?: QueuedMail[]): Promise<void>;
  /** Who to tell about the connection (its owner's name, sign-in email and zone), or undefined for an owner gone. */
  ownerContact(userId: string): Promise<MailParty | undefined>;
  delete(connection: Connection): Promise<void>;
};

/**
 * A pending authorization: single use, expiring, bound to the user who started it and to the user agent that
 * did (`bindingHash`, the SHA-256 of the nonce in that agent's cookie; absent on states written before it).
 */
export type OAuthState = { stateHash: string; userId: string; encryptedCodeVerifier: string; expiresAtMs: number; bindingHash?: string };

export type OAuthStateRepo = {
  /** Stores a new state (conditional on the key being new). */
  put(state: OAuthState): Promise<void>;
  /** Deletes and returns the state if it exists and has not expired; undefined otherwise (replayed, forged, late). */
  consume(stateHash: string, nowMs: number): Promise<OAuthState | undefined>;
};

/** Encrypts secrets at rest; `context` (the owning item's id) is bound to the ciphertext. */
export type TokenCipher = {
  encrypt(plaintext: string, context: string): Promise<string>;
  decrypt(ciphertext: string, context: string): Promise<string>;
};

export type Pkce = { codeVerifier: string; codeChallenge: string };

export type GrantedTokens = {
  refreshToken?: string;
  accessToken: string;
  expiryDate?: number;
  scopes: string[];
  /** From the id token returned by the token endpoint. */
  email: string;
  subject: string;
};

/** What a consent asks Google for: reading calendars (sync), or that and writing events (a destination calendar). */
export type GoogleAccess = 'read' | 'write';

export type GoogleOAuth = {
  newPkce(): Promise<Pkce>;
  /** The consent page URL: offline access, PKCE S256, our state, the scopes of `access` (incremental). */
  authorizeUrl(input: { state: string; codeChallenge: string; loginHint?: string; access: GoogleAccess }): string;
  exchangeCode(input: { code: string; codeVerifier: string }): Promise<GrantedTokens>;
};

/** What calls to Google need: the decrypted refresh token and a key under which clients may be cached. */
export type GoogleCredentials = { cacheKey: string; refreshToken: string; accessToken?: string; expiryDate?: number };

export type RemoteCalendar = { id: string; summary: string; accessRole: string; timeZone: string; primary?: boolean };

export type RemoteEventTime = { date?: string | null; dateTime?: string | null; timeZone?: string | null };

/** The fields of a Google Calendar event the service reads (Google's own JSON shape). */
export type RemoteEvent = {
  id?: string | null;
  status?: string | null;
  etag?: string | null;
  summary?: string | null;
  start?: RemoteEventTime;
  end?: RemoteEventTime;
  recurrence?: string[] | null;
  recurringEventId?: string | null;
  originalStartTime?: RemoteEventTime;
  transparency?: string | null;
  extendedProperties?: { private?: Record<string, string> | null } | null;
};

export type RemoteEventPage = { items: RemoteEvent[]; nextPageToken?: string; nextSyncToken?: string; timeZone?: string };

export type GoogleCalendarApi = {
  listCalendars(credentials: GoogleCredentials): Promise<RemoteCalendar[]>;
  /** GoogleCalendarNotFound when the account cannot see it. */
  getCalendar(credentials: GoogleCredentials, calendarId: string): Promise<RemoteCalendar>;
  /** One page of events.list (series as series): with syncToken only changes; pageToken continues a listing. */
  listEventsPage(
    credentials: GoogleCredentials,
    calendarId: string,
    options: { syncToken?: string; pageToken?: string; maxResults: number },
  ): Promise<RemoteEventPage>;
  /** Every event in [timeMin, timeMax) with series expanded by Google (singleEvents), up to `limit`. */
  listExpandedEvents(
    credentials: GoogleCredentials,
    calendarId: string,
    options: { timeMin: string; timeMax: string; limit: number },
  ): Promise<{ items: RemoteEvent[]; timeZone?: string; truncated: boolean }>;
};

export type { Clock };
