// The control API: what a test (or a person at a browser) does to the sandbox from outside Google's
// API surface. The same operations are offered in-process (`SandboxControl`) and as JSON over HTTP
// under /__control/.
import { AccountSummary, describeAccount, expireAccessTokens, removeCalendar, revokeAccount, SeedAccount, seedAccount } from './accounts';
import { seedDemoData } from './demo-data';
import { apiErrors } from './errors';
import { EventsService } from './events';
import { json, Route, SandboxRequest } from './http';
import { PushService } from './push';
import { Calendar, Channel, FaultRule, PushDelivery, RequestLogEntry, SandboxState } from './store';

export interface FaultSpec {
  /** Answer matching calls with this status (Google's error JSON): typically 429, 500 or 503 (403 for Calendar's rate limits). */
  status?: number;
  /** How many matching calls; default 1 for a status fault, unlimited for a latency-only fault. */
  count?: number;
  /** Only calls whose path starts with this; default `/calendar/v3/` (so OAuth endpoints are spared). */
  pathPrefix?: string;
  /** Only calls with this HTTP method. */
  method?: string;
  /** Delay matching calls by this much before answering. */
  latencyMs?: number;
  /** Override the error reason and message (e.g. `userRateLimitExceeded`). */
  reason?: string;
  message?: string;
}

export interface ChannelInfo extends Channel {
  expired: boolean;
}

export interface RequestLogFilter {
  method?: string;
  pathPrefix?: string;
}

export interface SandboxControl {
  /** Forget everything (accounts, events, tokens, channels, faults, logs); optionally seed the demo account again. */
  reset(options?: { seedDemo?: boolean }): void;
  /** Create an account with calendars, or add calendars to it; an existing calendar id is shared. */
  seedAccount(account: SeedAccount): AccountSummary;
  listAccounts(): AccountSummary[];
  /** Add events as if a person created them in Google: new etag/updated, sync changes, push notifications. */
  createEvent(calendarId: string, event: Record<string, unknown>): Record<string, unknown>;
  createEvents(calendarId: string, events: Array<Record<string, unknown>>): Array<Record<string, unknown>>;
  /** Patch (or replace) an event; an instance id (`<seriesId>_<20260302T080000Z>`) makes an exception. */
  updateEvent(calendarId: string, eventId: string, changes: Record<string, unknown>, options?: { replace?: boolean }): Record<string, unknown>;
  /** Delete an event (kept as cancelled for incremental sync); an instance id cancels one occurrence. */
  deleteEvent(calendarId: string, eventId: string): void;
  getEvent(calendarId: string, eventId: string): Record<string, unknown>;
  /** Every stored event of a calendar, series and exceptions as stored, deleted ones included. */
  listEvents(calendarId: string): Array<Record<string, unknown>>;
  /** Make every sync token issued so far for the calendar answer 410 fullSyncRequired. */
  invalidateSyncTokens(calendarId: string): void;
  /** Delete a calendar; its channels receive `not_exists`. */
  removeCalendar(calendarId: string): void;
  /** Revoke all grants of an account: refresh gives invalid_grant, access tokens stop working. */
  revokeAccount(email: string): { revokedGrants: number };
  /** Expire access tokens now (of one account, or all); refresh tokens keep working. */
  expireAccessTokens(email?: string): { expired: number };
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  listFaults(): FaultRule[];
  listChannels(): ChannelInfo[];
  pushLog(): PushDelivery[];
  clearPushLog(): void;
  /** Wait until every queued push notification has been delivered or has failed. */
  flushPushes(): Promise<void>;
  /** An authorization code the consent page issued: its account, scopes, and whether a client redeemed it. */
  authorizationCode(code: string): { email: string; scopes: string[]; used: boolean };
  /** The scopes each live grant of an account holds, per OAuth client. */
  grants(email: string): Array<{ clientId: string; scopes: string[] }>;
  /** API calls (not control calls) with method, path, query and status, oldest first. */
  requestLog(filter?: RequestLogFilter): RequestLogEntry[];
  clearRequestLog(): void;
}

export function createControl(state: SandboxState, events: EventsService, push: PushService): SandboxControl {
  const calendar = (calendarId: string): Calendar => events.calendar(calendarId);
  /** Edits made "in Google" are attributed to the calendar's owner. */
  const ownerOf = (target: Calendar) => {
    const owner = [...state.accounts.values()].find((account) => account.calendars.get(target.id)?.accessRole === 'owner');
    return { email: owner?.email ?? target.id };
  };
  const render = (target: Calendar, event: Parameters<EventsService['render']>[1]) => events.render(target, event, target.timeZone, false);

  const control: SandboxControl = {
    reset(options = {}) {
      push.close();
      state.clear();
      if (options.seedDemo) seedDemoData(state, events);
    },
    seedAccount: (account) => seedAccount(state, account),
    listAccounts: () => [...state.accounts.values()].map((account) => describeAccount(state, account)),
    createEvent(calendarId, event) {
      const target = calendar(calendarId);
      return render(target, events.insert(target, event, { actor: ownerOf(target), lenient: true }));
    },
    createEvents(calendarId, list) {
      if (!Array.isArray(list)) throw apiErrors.badRequest('Expected an array of events.');
      return list.map((event) => control.createEvent(calendarId, event));
    },
    updateEvent(calendarId, eventId, changes, options = {}) {
      const target = calendar(calendarId);
      const mode = options.replace ? 'update' : 'patch';
      return render(target, events.modify(target, eventId, changes, mode, { actor: ownerOf(target), lenient: true }));
    },
    deleteEvent(calendarId, eventId) {
      events.remove(calendar(calendarId), eventId, {});
    },
    getEvent(calendarId, eventId) {
      return events.get(calendar(calendarId), eventId).body;
    },
    listEvents(calendarId) {
      const target = calendar(calendarId);
      return [...target.events.values()].map((event) => render(target, event));
    },
    invalidateSyncTokens(calendarId) {
      calendar(calendarId).syncGeneration += 1;
    },
    removeCalendar: (calendarId) => removeCalendar(state, calendarId),
    revokeAccount: (email) => revokeAccount(state, email),
    expireAccessTokens: (email) => expireAccessTokens(state, email),
    injectFault(fault) {
      if (!fault || (fault.status === undefined && fault.latencyMs === undefined)) {
        throw apiErrors.badRequest('A fault needs a status or latencyMs.', 'required');
      }
      if (fault.status !== undefined && (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599)) {
        throw apiErrors.badRequest('status must be an HTTP error status (400-599).', 'invalid', 'status');
      }
      if (fault.latencyMs !== undefined && !(fault.latencyMs >= 0)) throw apiErrors.badRequest('latencyMs must be >= 0.', 'invalid', 'latencyMs');
      state.faults.push({
        status: fault.status,
        reason: fault.reason,
        message: fault.message,
        latencyMs: fault.latencyMs,
        remaining: fault.count ?? (fault.status !== undefined ? 1 : Number.POSITIVE_INFINITY),
        pathPrefix: fault.pathPrefix ?? '/calendar/v3/',
        method: fault.method?.toUpperCase(),
      });
    },
    clearFaults() {
      state.faults = [];
    },
    listFaults: () => state.faults.map((fault) => ({ ...fault })),
    listChannels: () => push.listChannels(),
    pushLog: () => [...state.pushLog],
    clearPushLog() {
      state.pushLog = [];
    },
    flushPushes: () => push.flush(),
    authorizationCode(code) {
      const found = state.codes.get(code);
      if (!found) throw apiErrors.notFound();
      return { email: found.email, scopes: [...found.scopes], used: found.used };
    },
    grants(email) {
      return [...state.grants.values()].filter((grant) => grant.email === email.toLowerCase() && !grant.revoked).map((grant) => ({ clientId: grant.clientId, scopes: [...grant.scopes] }));
    },
    requestLog(filter = {}) {
      return state.requestLog.filter(
        (entry) =>
          (!filter.method || entry.method === filter.method.toUpperCase()) &&
          (!filter.pathPrefix || entry.path.startsWith(filter.pathPrefix)),
      );
    },
    clearRequestLog() {
      state.requestLog = [];
    },
  };
  return control;
}

/** The same operations as JSON over HTTP, for the CLI sandbox and for processes other than the test's. */
export function controlRoutes(control: SandboxControl): Route[] {
  const base = '^/__control';
  const calendarEvents = `${base}/calendars/(?<calendarId>[^/]+)/events`;
  const body = (request: SandboxRequest): any => {
    if (!request.rawBody) return {};
    try {
      return JSON.parse(request.rawBody);
    } catch {
      throw apiErrors.parseError();
    }
  };
  const route = (method: string, pattern: string, handler: Route['handler']): Route => ({ method, pattern: new RegExp(`${pattern}$`), handler });
  const ok = (value: unknown = { ok: true }) => json(200, value);
  return [
    route('POST', `${base}/reset`, (request) => ok(control.reset(body(request)))),
    route('GET', `${base}/accounts`, () => ok({ items: control.listAccounts() })),
    route('POST', `${base}/accounts`, (request) => ok(control.seedAccount(body(request)))),
    route('POST', `${base}/accounts/(?<email>[^/]+)/revoke`, (_request, params) => ok(control.revokeAccount(params.email))),
    route('POST', `${base}/tokens/expire`, (request) => ok(control.expireAccessTokens(body(request).email))),
    route('GET', calendarEvents, (_request, params) => ok({ items: control.listEvents(params.calendarId) })),
    route('POST', calendarEvents, (request, params) => {
      const input = body(request);
      return ok(Array.isArray(input) ? { items: control.createEvents(params.calendarId, input) } : control.createEvent(params.calendarId, input));
    }),
    route('GET', `${calendarEvents}/(?<eventId>[^/]+)`, (_request, params) => ok(control.getEvent(params.calendarId, params.eventId))),
    route('PATCH', `${calendarEvents}/(?<eventId>[^/]+)`, (request, params) => ok(control.updateEvent(params.calendarId, params.eventId, body(request)))),
    route('PUT', `${calendarEvents}/(?<eventId>[^/]+)`, (request, params) =>
      ok(control.updateEvent(params.calendarId, params.eventId, body(request), { replace: true })),
    ),
    route('DELETE', `${calendarEvents}/(?<eventId>[^/]+)`, (_request, params) => ok(control.deleteEvent(params.calendarId, params.eventId))),
    route('POST', `${base}/calendars/(?<calendarId>[^/]+)/invalidate-sync-tokens`, (_request, params) => ok(control.invalidateSyncTokens(params.calendarId))),
    route('DELETE', `${base}/calendars/(?<calendarId>[^/]+)`, (_request, params) => ok(control.removeCalendar(params.calendarId))),
    route('GET', `${base}/faults`, () => ok({ items: control.listFaults() })),
    route('POST', `${base}/faults`, (request) => ok(control.injectFault(body(request)))),
    route('DELETE', `${base}/faults`, () => ok(control.clearFaults())),
    route('GET', `${base}/channels`, () => ok({ items: control.listChannels() })),
    route('GET', `${base}/push-log`, () => ok({ items: control.pushLog() })),
    route('DELETE', `${base}/push-log`, () => ok(control.clearPushLog())),
    route('POST', `${base}/push-log/flush`, async () => ok(await control.flushPushes())),
    route('GET', `${base}/authorization-code`, (request) => ok(control.authorizationCode(request.query.get('code') ?? ''))),
    route('GET', `${base}/accounts/(?<email>[^/]+)/grants`, (_request, params) => ok({ items: control.grants(params.email) })),
    route('GET', `${base}/request-log`, (request) =>
      ok({ items: control.requestLog({ method: request.query.get('method') ?? undefined, pathPrefix: request.query.get('pathPrefix') ?? undefined }) }),
    ),
    route('DELETE', `${base}/request-log`, () => ok(control.clearRequestLog())),
  ];
}
