// Google connections: the OAuth consent (start and callback), a user's connections, the calendars one can
// see and their events read live from Google. Secrets (tokens, the PKCE verifier) never leave this layer.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../kernel/ids';
import { removeCompanyCalendar, type CompanyCalendarDeps, type RemoveCalendarDeps } from '../companies/calendars';
import type { CompanyCalendarRepo } from '../companies/ports';
import { InvalidInput, NotFound } from '../domain/errors';
import { paginate } from '../domain/pagination';
import { timesOf } from '../sync/plan-changes';
import type { SyncedOccurrence } from '../sync/synced-event';
import { callGoogle } from './credentials';
import { InvalidOAuthState, OAuthFailed, OAuthStateUnbound } from './errors';
import type { DestinationReset } from '../users/ports';
import type {
  Clock,
  Connection,
  ConnectionRepo,
  GoogleAccess,
  GoogleCalendarApi,
  GoogleCredentials,
  GoogleOAuth,
  OAuthState,
  OAuthStateRepo,
  RemoteEvent,
  TokenCipher,
} from './ports';
import { MINUTE_MS } from '../kernel/time-units';

/** How long a consent may take between /start and /callback. */
export const OAUTH_STATE_TTL_MS = 10 * MINUTE_MS;
/** Live reads stop after this many events (the range is limited too). */
const MAX_LIVE_EVENTS = 2500;

export type ConnectionDeps = {
  oauth: GoogleOAuth;
  states: OAuthStateRepo;
  connections: ConnectionRepo;
  cipher: TokenCipher;
  google: GoogleCalendarApi;
  calendars: Pick<CompanyCalendarRepo, 'ownersOf' | 'listForConnection' | 'get' | 'disable'>;
  events: CompanyCalendarDeps['events'];
  syncStates: CompanyCalendarDeps['states'];
  /** The push channels of the calendars a deleted connection feeds are stopped through it (never failing). */
  push: RemoveCalendarDeps['push'];
  /** The owner's write-back destination, cleared when it is on a deleted connection. */
  destinations: DestinationReset;
  /** The user a bearer token was issued to (throws Unauthorized when it is not valid). */
  verifyBearer(token: string): Promise<string>;
  clock: Clock;
};

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
const hashState = sha256;
const verifierContext = (stateHash: string) => `oauth-state:${stateHash}`;

/**
 * A new consent. Beside the URL it gives `bindingNonce`, for a cookie in the starting user agent only: the state
 * keeps its hash, and the callback must show the nonce (or the starting user's bearer token).
 */
export async function startOAuth(deps: ConnectionDeps, userId: string, input: { loginHint?: string; access?: GoogleAccess }) {
  const state = randomBytes(32).toString('base64url');
  const bindingNonce = randomBytes(32).toString('base64url');
  const stateHash = hashState(state);
  const { codeVerifier, codeChallenge } = await deps.oauth.newPkce();
  await deps.states.put({
    stateHash,
    userId,
    encryptedCodeVerifier: await deps.cipher.encrypt(codeVerifier, verifierContext(stateHash)),
    expiresAtMs: deps.clock.now().getTime() + OAUTH_STATE_TTL_MS,
    bindingHash: sha256(bindingNonce),
  });
  return { authorizeUrl: deps.oauth.authorizeUrl({ state, codeChallenge, loginHint: input.loginHint, access: input.access ?? 'read' }), bindingNonce };
}

/** What a callback shows of the agent it comes from: the nonce of the start's cookie, a bearer token. */
export type OAuthBinding = { nonce?: string; bearer?: string };

/**
 * Whether the callback comes from the one who started: a bearer token must name the starting user (another user's
 * token refuses even with the cookie: that user would be told of a connection stored for someone else); without
 * one, the cookie's nonce must hash to the state's.
 */
function isBound(pending: OAuthState, binding: OAuthBinding, bearerUserId: string | undefined): boolean {
  if (bearerUserId !== undefined) return bearerUserId === pending.userId;
  if (!binding.nonce || !pending.bindingHash) return false;
  const shown = Buffer.from(sha256(binding.nonce));
  const kept = Buffer.from(pending.bindingHash);
  return shown.length === kept.length && timingSafeEqual(shown, kept);
}

function connectionView(connection: Connection) {
  const { id, email, status, statusReason, scopes, createdAt, updatedAt } = connection;
  return { id, email, status, ...(statusReason ? { statusReason } : {}), scopes, createdAt, updatedAt };
}

/** The user's connection to the Google account: a second consent updates it, the first creates it. */
async function saveGrant(
  deps: ConnectionDeps,
  userId: string,
  tokens: { email: string; subject: string; refreshToken?: string; scopes: string[] },
): Promise<Connection> {
  const now = deps.clock.now().toISOString();
  const update = async (existing: Connection) => {
    // Without a new refresh token (Google sends one only on a full consent) the stored one stays.
    const encryptedRefreshToken = tokens.refreshToken ? await deps.cipher.encrypt(tokens.refreshToken, existing.id) : existing.encryptedRefreshToken;
    return deps.connections.updateGrant(existing.id, { encryptedRefreshToken, scopes: tokens.scopes, subject: tokens.subject }, now);
  };
  const existing = await deps.connections.findByAccount(userId, tokens.email);
  if (existing) return update(existing);
  if (!tokens.refreshToken) throw new OAuthFailed('Google returned no refresh token (offline access was not granted); start again');
  const id = newId();
  const connection: Connection = {
    id,
    userId,
    email: tokens.email,
    subject: tokens.subject,
    encryptedRefreshToken: await deps.cipher.encrypt(tokens.refreshToken, id),
    scopes: tokens.scopes,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  if (await deps.connections.create(connection)) return connection;
  // Two callbacks for the same account raced and the other created it: update that one.
  const winner = await deps.connections.findByAccount(userId, tokens.email);
  if (!winner) throw new Error('The connection claim exists but its connection does not');
  return update(winner);
}

export async function completeOAuth(deps: ConnectionDeps, query: { state: string; code?: string; error?: string }, binding: OAuthBinding = {}) {
  // A token that is not valid (expired) is refused before the state is touched: signed in again, the user can finish.
  const bearerUserId = binding.bearer ? await deps.verifyBearer(binding.bearer) : undefined;
  const stateHash = hashState(query.state);
  // Consumed first, whatever follows: a state works once, and only within its lifetime. An unbound callback uses it
  // up too: the code it carries was granted in a browser we cannot tie to the starter, and a consent handed to
  // someone else must not be finishable later by whoever gets its callback address back.
  const pending = await deps.states.consume(stateHash, deps.clock.now().getTime());
  if (!pending) throw new InvalidOAuthState();
  if (!isBound(pending, binding, bearerUserId)) throw new OAuthStateUnbound();
  if (query.error) throw new OAuthFailed(`Google reported "${query.error}": access was not granted`);
  if (!query.code) throw new InvalidInput('Invalid query: query.code', [{ field: 'query.code', message: 'Required' }]);
  const codeVerifier = await deps.cipher.decrypt(pending.encryptedCodeVerifier, verifierContext(stateHash));
  const tokens = await deps.oauth.exchangeCode({ code: query.code, codeVerifier });
  const connection = await saveGrant(deps, pending.userId, tokens);
  const calendars = await calendarsOf(deps, connection, { accessToken: tokens.accessToken, expiryDate: tokens.expiryDate });
  return { connectionId: connection.id, email: connection.email, status: connection.status, calendars };
}

async function requireOwnConnection(deps: Pick<ConnectionDeps, 'connections'>, userId: string, connectionId: string): Promise<Connection> {
  const connection = await deps.connections.get(connectionId);
  if (!connection || connection.userId !== userId) throw new NotFound('Connection');
  return connection;
}

export async function listConnections(deps: ConnectionDeps, userId: string) {
  return { items: (await deps.connections.listForUser(userId)).map(connectionView) };
}

/**
 * Disables the calendars this connection feeds as disabling each would (push channels stopped at Google while
 * the credentials are still there, copies and sync state gone), clears the owner's destination calendar if it
 * is on this connection (write-back then has nowhere to write), and only then forgets the connection.
 */
export async function deleteConnection(deps: ConnectionDeps, userId: string, connectionId: string): Promise<void> {
  const connection = await requireOwnConnection(deps, userId, connectionId);
  for (const { companyId, calendarId } of await deps.calendars.listForConnection(connection.id)) {
    const calendar = await deps.calendars.get(companyId, calendarId);
    if (calendar && calendar.connectionId === connection.id) {
      await removeCompanyCalendar({ calendars: deps.calendars, events: deps.events, states: deps.syncStates, push: deps.push }, calendar);
    }
  }
  await deps.destinations.clearIfOn(connection.userId, connection.id, deps.clock.now().toISOString());
  await deps.connections.delete(connection);
}

async function calendarsOf(deps: ConnectionDeps, connection: Connection, fresh?: { accessToken: string; expiryDate?: number }) {
  const calendars = await callGoogle(deps, connection, (credentials: GoogleCredentials) => deps.google.listCalendars(credentials), fresh);
  const owners = await deps.calendars.ownersOf(calendars.map((calendar) => calendar.id));
  return calendars.map((calendar) => ({ ...calendar, ...(owners.has(calendar.id) ? { companyId: owners.get(calendar.id) } : {}) }));
}

export async function listConnectionCalendars(deps: ConnectionDeps, userId: string, connectionId: string) {
  const connection = await requireOwnConnection(deps, userId, connectionId);
  return { items: await calendarsOf(deps, connection) };
}

function liveOccurrence(item: RemoteEvent, calendarId: string, calendarZone: string): SyncedOccurrence | undefined {
  if (!item.id || item.status === 'cancelled') return undefined;
  const times = timesOf(item, calendarZone);
  if (!times) return undefined;
  const original = item.recurringEventId ? timesOf({ start: item.originalStartTime }, calendarZone) : undefined;
  return {
    eventId: item.recurringEventId ?? item.id,
    start: times.start,
    end: times.end,
    title: item.summary ?? '(no title)',
    source: 'google',
    calendarId,
    ...(times.allDay ? { allDay: true } : {}),
    ...(item.transparency === 'transparent' ? { transparent: true } : {}),
    ...(original ? { originalStart: original.start } : {}),
  };
}

export async function listConnectionEvents(
  deps: ConnectionDeps,
  userId: string,
  connectionId: string,
  calendarId: string,
  query: { from: string; to: string; limit: number; cursor?: string },
) {
  const connection = await requireOwnConnection(deps, userId, connectionId);
  const timeMin = new Date(Date.parse(query.from)).toISOString();
  const timeMax = new Date(Date.parse(query.to)).toISOString();
  const listed = await callGoogle(deps, connection, (credentials) =>
    deps.google.listExpandedEvents(credentials, calendarId, { timeMin, timeMax, limit: MAX_LIVE_EVENTS }),
  );
  const zone = listed.timeZone ?? 'UTC';
  const occurrences = listed.items
    .map((item) => liveOccurrence(item, calendarId, zone))
    .filter((item): item is SyncedOccurrence => item !== undefined)
    .map((view) => ({ view, start: Date.parse(view.start), order: `${view.eventId}#${view.originalStart ?? ''}` }))
    .sort((a, b) => a.start - b.start || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  const page = paginate(occurrences, (item) => [item.start, item.order], query.limit, query.cursor);
  return {
    items: page.items.map((item) => item.view),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    ...(listed.truncated ? { truncated: true } : {}),
  };
}
