// The sandbox's whole state, in memory: accounts, calendars and their events, OAuth grants and
// tokens, sync and page tokens, push channels, faults and logs. One instance per sandbox.
import { createHash, randomBytes } from 'node:crypto';
import type { EventDateTime } from './time';

export type AccessRole = 'owner' | 'writer' | 'reader' | 'freeBusyReader';
const ROLE_RANK: Record<AccessRole, number> = { freeBusyReader: 0, reader: 1, writer: 2, owner: 3 };

export function roleAtLeast(role: AccessRole, minimum: AccessRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

export function isAccessRole(value: unknown): value is AccessRole {
  return typeof value === 'string' && value in ROLE_RANK;
}

export interface CalendarListMembership {
  accessRole: AccessRole;
  primary: boolean;
}

export interface Account {
  email: string;
  name: string;
  /** Google's stable numeric subject id; derived from the email so it survives resets. */
  sub: string;
  /** Calendars this account sees, in calendarList order. */
  calendars: Map<string, CalendarListMembership>;
}

export interface Calendar {
  id: string;
  summary: string;
  description?: string;
  timeZone: string;
  /** Stable id of the calendar's events collection, reported as a channel's resourceId. */
  resourceId: string;
  events: Map<string, StoredEvent>;
  /** Bumped on every event change; sync tokens remember the value they were issued at. */
  changeSeq: number;
  /** Bumped when sync tokens are invalidated; older tokens then get 410. */
  syncGeneration: number;
}

export type EventStatus = 'confirmed' | 'tentative' | 'cancelled';

export interface Person {
  email: string;
  displayName?: string;
}

/** The writable fields of an event, kept as the client sent them (Google ignores read-only ones). */
export type EventFields = Record<string, unknown> & {
  status?: EventStatus;
  start?: EventDateTime;
  end?: EventDateTime;
  recurrence?: string[];
};

export interface StoredEvent {
  id: string;
  calendarId: string;
  fields: EventFields;
  /** Set on exceptions of a series (modified or cancelled instances). */
  recurringEventId?: string;
  originalStartTime?: EventDateTime;
  created: number;
  updated: number;
  etag: string;
  sequence: number;
  /** The calendar's changeSeq of the latest change, for incremental sync. */
  changeSeq: number;
  iCalUID: string;
  creator: Person;
  organizer: Person;
}

export interface Grant {
  id: string;
  email: string;
  clientId: string;
  scopes: string[];
  refreshToken?: string;
  revoked: boolean;
}

export interface AccessTokenRecord {
  token: string;
  grantId: string;
  email: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface AuthorizationCode {
  code: string;
  email: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  offline: boolean;
  forceConsent: boolean;
  /** include_granted_scopes=true: the tokens cover every scope the account granted this client, not only these. */
  includeGrantedScopes: boolean;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

export interface SyncTokenRecord {
  calendarId: string;
  seq: number;
  generation: number;
}

/** A snapshot of a list result, paged through by page tokens, so pages stay consistent while events change. */
export interface Listing {
  calendarId: string;
  email: string;
  items: unknown[];
  nextSyncToken?: string;
  createdAt: number;
  extra: Record<string, unknown>;
}

export interface Channel {
  id: string;
  resourceId: string;
  resourceUri: string;
  token?: string;
  address: string;
  expiration: number;
  calendarId: string;
  email: string;
  createdAt: number;
  /** Google numbers messages per channel; `sync` is 1. */
  messageNumber: number;
  stopped: boolean;
}

export interface PushDelivery {
  channelId: string;
  address: string;
  resourceState: 'sync' | 'exists' | 'not_exists';
  messageNumber: number;
  at: string;
  ok: boolean;
  status?: number;
  error?: string;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  /** Percent-decoded path, e.g. /calendar/v3/calendars/demo@sandbox.test/events */
  path: string;
  /** Raw query string without the leading '?'. */
  query: string;
  status: number;
  durationMs: number;
}

export interface FaultRule {
  /** HTTP status to answer with (e.g. 429, 500, 503); omitted for a latency-only rule. */
  status?: number;
  reason?: string;
  message?: string;
  /** How many matching requests the rule applies to; Infinity for latency rules without a count. */
  remaining: number;
  /** Compared with the percent-decoded request path. */
  pathPrefix: string;
  method?: string;
  latencyMs?: number;
}

export interface SandboxSettings {
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
}

const LOG_LIMIT = 10_000;

export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** Google event ids use base32hex characters (a-v, 0-9). */
export function randomEventId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return Array.from(randomBytes(26), (byte) => alphabet[byte & 31]).join('');
}

export function subjectFor(email: string): string {
  const digits = BigInt('0x' + createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16)).toString();
  return ('1' + digits.padStart(20, '0')).slice(0, 21);
}

export class SandboxState {
  accounts = new Map<string, Account>();
  calendars = new Map<string, Calendar>();
  grants = new Map<string, Grant>();
  refreshTokens = new Map<string, string>(); // refresh token -> grant id
  accessTokens = new Map<string, AccessTokenRecord>();
  codes = new Map<string, AuthorizationCode>();
  syncTokens = new Map<string, SyncTokenRecord>();
  listings = new Map<string, Listing>();
  channels = new Map<string, Channel>();
  pushLog: PushDelivery[] = [];
  requestLog: RequestLogEntry[] = [];
  faults: FaultRule[] = [];

  /** Called after any change to a calendar's events; the push module subscribes. */
  onCalendarChanged: (calendarId: string, state: 'exists' | 'not_exists') => void = () => {};

  constructor(readonly settings: SandboxSettings) {}

  clear(): void {
    this.accounts.clear();
    this.calendars.clear();
    this.grants.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.codes.clear();
    this.syncTokens.clear();
    this.listings.clear();
    this.channels.clear();
    this.pushLog = [];
    this.requestLog = [];
    this.faults = [];
  }

  findAccount(email: string): Account | undefined {
    return this.accounts.get(email.toLowerCase());
  }

  appendRequestLog(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    if (this.requestLog.length > LOG_LIMIT) this.requestLog.splice(0, this.requestLog.length - LOG_LIMIT);
  }

  appendPushLog(entry: PushDelivery): void {
    this.pushLog.push(entry);
    if (this.pushLog.length > LOG_LIMIT) this.pushLog.splice(0, this.pushLog.length - LOG_LIMIT);
  }

  /** Keeps page-token snapshots from growing without bound in a long-running sandbox. */
  pruneListings(now: number): void {
    for (const [id, listing] of this.listings) {
      if (now - listing.createdAt > 60 * 60 * 1000) this.listings.delete(id);
    }
  }
}
