// The Calendar API v3 routes under /calendar/v3/: calendarList, calendars.get, events (list, get,
// insert, patch, update, delete, instances, watch), channels.stop and freeBusy. Each call is
// authenticated by its bearer token and sees only the calendars of that token's account.
import { apiErrors } from './errors';
import { EventsService, ListQuery } from './events';
import { header, json, Route, SandboxReply, SandboxRequest } from './http';
import { OAuthService } from './oauth';
import { PushService } from './push';
import { AccessRole, AccessTokenRecord, Account, Calendar, CalendarListMembership, roleAtLeast, SandboxState } from './store';
import { EventDateTime, formatDateTime, instantOf, parseRfc3339, resolveEventTime } from './time';

const SCOPE = 'https://www.googleapis.com/auth/';
/** Which OAuth scopes allow which kind of call, per Google's scope documentation. */
const SCOPES = {
  readEvents: ['calendar', 'calendar.readonly', 'calendar.events', 'calendar.events.readonly', 'calendar.events.owned', 'calendar.events.owned.readonly'],
  writeEvents: ['calendar', 'calendar.events', 'calendar.events.owned'],
  readCalendarList: ['calendar', 'calendar.readonly', 'calendar.calendarlist', 'calendar.calendarlist.readonly'],
  readCalendars: ['calendar', 'calendar.readonly', 'calendar.calendars', 'calendar.calendars.readonly'],
  freeBusy: ['calendar', 'calendar.readonly', 'calendar.freebusy', 'calendar.events.freebusy', 'calendar.events.readonly', 'calendar.events'],
};
/** Google's colours for calendars, so calendarList entries look complete. */
const CALENDAR_COLOURS = [
  { colorId: '14', backgroundColor: '#9fe1e7', foregroundColor: '#000000' },
  { colorId: '7', backgroundColor: '#42d692', foregroundColor: '#000000' },
  { colorId: '4', backgroundColor: '#fa573c', foregroundColor: '#000000' },
];

interface Caller {
  token: AccessTokenRecord;
  account: Account;
}

export class CalendarApi {
  constructor(
    private readonly state: SandboxState,
    private readonly oauth: OAuthService,
    private readonly events: EventsService,
    private readonly push: PushService,
  ) {}

  routes(): Route[] {
    const base = '^/calendar/v3';
    const calendar = `${base}/calendars/(?<calendarId>[^/]+)`;
    const route = (method: string, pattern: string, handler: (request: SandboxRequest, params: Record<string, string>, caller: Caller) => SandboxReply): Route => ({
      method,
      pattern: new RegExp(`${pattern}$`),
      handler: (request, params) => handler(request, params, this.caller(request)),
    });
    return [
      route('GET', `${base}/users/me/calendarList`, (request, _params, caller) => this.listCalendars(request, caller)),
      route('GET', `${base}/users/me/calendarList/(?<calendarId>[^/]+)`, (_request, params, caller) => this.getCalendarListEntry(params, caller)),
      route('GET', calendar, (_request, params, caller) => this.getCalendar(params, caller)),
      route('GET', `${calendar}/events`, (request, params, caller) => this.listEvents(request, params, caller)),
      route('POST', `${calendar}/events/watch`, (request, params, caller) => this.watch(request, params, caller)),
      route('POST', `${calendar}/events`, (request, params, caller) => this.insertEvent(request, params, caller)),
      route('GET', `${calendar}/events/(?<eventId>[^/]+)/instances`, (request, params, caller) => this.listInstances(request, params, caller)),
      route('GET', `${calendar}/events/(?<eventId>[^/]+)`, (request, params, caller) => this.getEvent(request, params, caller)),
      route('PATCH', `${calendar}/events/(?<eventId>[^/]+)`, (request, params, caller) => this.modifyEvent(request, params, caller, 'patch')),
      route('PUT', `${calendar}/events/(?<eventId>[^/]+)`, (request, params, caller) => this.modifyEvent(request, params, caller, 'update')),
      route('DELETE', `${calendar}/events/(?<eventId>[^/]+)`, (request, params, caller) => this.deleteEvent(request, params, caller)),
      route('POST', `${base}/channels/stop`, (request, _params, caller) => this.stopChannel(request, caller)),
      route('POST', `${base}/freeBusy`, (request, _params, caller) => this.freeBusy(request, caller)),
    ];
  }

  private caller(request: SandboxRequest): Caller {
    const token = this.oauth.authenticate(request);
    return { token, account: this.state.findAccount(token.email)! };
  }

  private requireScope(caller: Caller, allowed: string[]): void {
    if (!caller.token.scopes.some((scope) => allowed.includes(scope.replace(SCOPE, '')))) throw apiErrors.insufficientScopes();
  }

  /** The calendar if the caller's account has it in its list ('primary' is an alias), else 404 like Google. */
  private access(caller: Caller, calendarId: string, minimum: AccessRole = 'reader'): { calendar: Calendar; membership: CalendarListMembership } {
    const id = calendarId === 'primary' ? [...caller.account.calendars].find(([, membership]) => membership.primary)?.[0] : calendarId;
    const membership = id ? caller.account.calendars.get(id) : undefined;
    const calendar = id ? this.state.calendars.get(id) : undefined;
    if (!membership || !calendar) throw apiErrors.notFound();
    if (!roleAtLeast(membership.accessRole, minimum)) {
      throw minimum === 'writer' ? apiErrors.writerAccessRequired() : apiErrors.notFound();
    }
    return { calendar, membership };
  }

  // ---- calendar list ------------------------------------------------------------------------

  private calendarListEntry(calendar: Calendar, membership: CalendarListMembership, index: number): Record<string, unknown> {
    const colours = CALENDAR_COLOURS[index % CALENDAR_COLOURS.length];
    return {
      kind: 'calendar#calendarListEntry',
      etag: `"${calendar.resourceId.slice(0, 8)}${membership.accessRole.length}"`,
      id: calendar.id,
      summary: calendar.summary,
      ...(calendar.description ? { description: calendar.description } : {}),
      timeZone: calendar.timeZone,
      ...colours,
      selected: true,
      accessRole: membership.accessRole,
      defaultReminders: [],
      ...(membership.primary ? { primary: true } : {}),
      conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
    };
  }

  private listCalendars(request: SandboxRequest, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.readCalendarList);
    const minAccessRole = request.query.get('minAccessRole') as AccessRole | null;
    const maxResults = Math.min(Number(request.query.get('maxResults') ?? 100) || 100, 250);
    const offset = Number(request.query.get('pageToken') ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw apiErrors.badRequest('Invalid Value', 'invalid', 'pageToken');
    const entries = [...caller.account.calendars]
      .map(([id, membership], index) => ({ calendar: this.state.calendars.get(id)!, membership, index }))
      .filter(({ calendar, membership }) => calendar && (!minAccessRole || roleAtLeast(membership.accessRole, minAccessRole)));
    const page = entries.slice(offset, offset + maxResults);
    const body: Record<string, unknown> = {
      kind: 'calendar#calendarList',
      etag: `"${entries.length}"`,
      items: page.map(({ calendar, membership, index }) => this.calendarListEntry(calendar, membership, index)),
    };
    if (offset + maxResults < entries.length) body.nextPageToken = String(offset + maxResults);
    return json(200, body);
  }

  private getCalendarListEntry(params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.readCalendarList);
    const { calendar, membership } = this.access(caller, params.calendarId, 'freeBusyReader');
    const index = [...caller.account.calendars.keys()].indexOf(calendar.id);
    return json(200, this.calendarListEntry(calendar, membership, index));
  }

  private getCalendar(params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.readCalendars);
    const { calendar } = this.access(caller, params.calendarId);
    return json(200, {
      kind: 'calendar#calendar',
      etag: `"${calendar.resourceId.slice(0, 8)}"`,
      id: calendar.id,
      summary: calendar.summary,
      ...(calendar.description ? { description: calendar.description } : {}),
      timeZone: calendar.timeZone,
      conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
    });
  }

  // ---- events -------------------------------------------------------------------------------

  private listQuery(request: SandboxRequest): ListQuery {
    const query: ListQuery = {};
    const single = ['maxResults', 'pageToken', 'syncToken', 'showDeleted', 'singleEvents', 'timeMin', 'timeMax', 'orderBy', 'q', 'updatedMin', 'iCalUID', 'timeZone', 'originalStart'] as const;
    for (const name of single) {
      const value = request.query.get(name);
      if (value !== null) query[name] = value;
    }
    query.privateExtendedProperty = request.query.getAll('privateExtendedProperty');
    query.sharedExtendedProperty = request.query.getAll('sharedExtendedProperty');
    return query;
  }

  private listEvents(request: SandboxRequest, params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.readEvents);
    const { calendar, membership } = this.access(caller, params.calendarId, 'freeBusyReader');
    const body = this.events.list(calendar, this.listQuery(request), { viewerEmail: caller.account.email, accessRole: membership.accessRole });
    if (membership.accessRole === 'freeBusyReader') body.items = (body.items as Record<string, unknown>[]).map(busyOnly);
    return json(200, body);
  }

  private listInstances(request: SandboxRequest, params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.readEvents);
    const { calendar, membership } = this.access(caller, params.calendarId);
    return json(200, this.events.instances(calendar, params.eventId, this.listQuery(request), { viewerEmail: caller.account.email, accessRole: membership.accessRole }));
  }

  private getEvent(request: SandboxRequest, params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.readEvents);
    const { calendar } = this.access(caller, params.calendarId);
    const { body, etag } = this.events.get(calendar, params.eventId, request.query.get('timeZone') ?? undefined);
    const ifNoneMatch = header(request, 'if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').map((value) => value.trim()).includes(etag)) return { status: 304, headers: { etag } };
    return json(200, body, { etag });
  }

  private insertEvent(request: SandboxRequest, params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.writeEvents);
    const { calendar } = this.access(caller, params.calendarId, 'writer');
    const event = this.events.insert(calendar, parseJson(request), { actor: { email: caller.account.email } });
    return json(200, this.events.render(calendar, event, calendar.timeZone, false), { etag: event.etag });
  }

  private modifyEvent(request: SandboxRequest, params: Record<string, string>, caller: Caller, mode: 'patch' | 'update'): SandboxReply {
    this.requireScope(caller, SCOPES.writeEvents);
    const { calendar } = this.access(caller, params.calendarId, 'writer');
    const event = this.events.modify(calendar, params.eventId, parseJson(request), mode, {
      actor: { email: caller.account.email },
      ifMatch: header(request, 'if-match'),
    });
    return json(200, this.events.render(calendar, event, calendar.timeZone, false), { etag: event.etag });
  }

  private deleteEvent(request: SandboxRequest, params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.writeEvents);
    const { calendar } = this.access(caller, params.calendarId, 'writer');
    this.events.remove(calendar, params.eventId, { ifMatch: header(request, 'if-match') });
    return { status: 204 };
  }

  // ---- push channels ------------------------------------------------------------------------

  private watch(request: SandboxRequest, params: Record<string, string>, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.readEvents);
    const { calendar } = this.access(caller, params.calendarId);
    return json(200, this.push.watch(calendar, caller.account.email, parseJson(request), request.baseUrl));
  }

  private stopChannel(request: SandboxRequest, caller: Caller): SandboxReply {
    this.requireScope(caller, [...SCOPES.readEvents, ...SCOPES.readCalendarList]);
    this.push.stop(parseJson(request));
    return { status: 204 };
  }

  // ---- freeBusy -----------------------------------------------------------------------------

  private freeBusy(request: SandboxRequest, caller: Caller): SandboxReply {
    this.requireScope(caller, SCOPES.freeBusy);
    const body = parseJson(request);
    if (typeof body.timeMin !== 'string' || typeof body.timeMax !== 'string') throw apiErrors.badRequest('Missing timeMin or timeMax.', 'required');
    const timeMin = parseRfc3339(body.timeMin, 'timeMin');
    const timeMax = parseRfc3339(body.timeMax, 'timeMax');
    const zone = typeof body.timeZone === 'string' ? body.timeZone : 'UTC';
    const calendars: Record<string, unknown> = {};
    for (const item of Array.isArray(body.items) ? (body.items as Array<{ id?: string }>) : []) {
      const id = String(item?.id ?? '');
      try {
        const { calendar } = this.access(caller, id, 'freeBusyReader');
        const listed = this.events.list(calendar, { singleEvents: 'true', timeMin: body.timeMin, timeMax: body.timeMax, maxResults: '2500' }, { viewerEmail: caller.account.email, accessRole: 'reader' });
        const busy = (listed.items as Array<{ transparency?: string; status?: string; start: EventDateTime; end: EventDateTime }>)
          .filter((event) => event.transparency !== 'transparent' && event.status !== 'cancelled')
          .map((event) => ({ start: toInstant(event.start, calendar.timeZone), end: toInstant(event.end, calendar.timeZone) }))
          .map(({ start, end }) => ({ start: Math.max(start, timeMin), end: Math.min(end, timeMax) }))
          .sort((a, b) => a.start - b.start);
        calendars[id] = { busy: mergeBusy(busy).map(({ start, end }) => ({ start: formatDateTime(start, zone), end: formatDateTime(end, zone) })) };
      } catch {
        calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
      }
    }
    return json(200, { kind: 'calendar#freeBusy', timeMin: body.timeMin, timeMax: body.timeMax, calendars });
  }
}

function parseJson(request: SandboxRequest): Record<string, unknown> {
  if (!request.rawBody) return {};
  try {
    const parsed = JSON.parse(request.rawBody) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw apiErrors.parseError();
  }
}

/** What a free/busy reader sees of an event. */
function busyOnly(event: Record<string, unknown>): Record<string, unknown> {
  const { kind, etag, id, status, start, end, transparency, recurringEventId, originalStartTime } = event;
  return Object.fromEntries(Object.entries({ kind, etag, id, status, start, end, transparency, recurringEventId, originalStartTime }).filter(([, value]) => value !== undefined));
}

function toInstant(value: EventDateTime, calendarZone: string): number {
  return instantOf(resolveEventTime(value, 'start'), calendarZone);
}

function mergeBusy(intervals: Array<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const merged: Array<{ start: number; end: number }> = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}
